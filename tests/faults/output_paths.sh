#!/usr/bin/env bash
# What stands at an output path, for every command that writes a file
# (docs/data-format.md, "Output files"):
#   a character device  written in place: /dev/full gives exit 3 and a message,
#                       and stays a device (as root the test uses its own node
#                       with /dev/full's numbers, made by mknod, so a broken
#                       build cannot replace the system's /dev/full)
#   a FIFO              written in place: a reader gets the same bytes as a
#                       regular file gets, and the FIFO stays a FIFO
#   a directory,        refused with exit 3 and "is a directory (expected a file
#   a socket            path)" / "is a socket (...)", left as it was
#   a symbolic link     the file it points to is replaced (made when missing),
#                       the link stays a link
#   modes               a new file is 0666 less the umask (0644 under 022, 0664
#                       under 002); a replaced file keeps its mode
#   import --out        missing parent folders are made (0777 less the umask)
# usage: output_paths.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
use_plot_lsan_suppressions

cf=$root/data/scenarios/us_china_30.csv
imp="import icio $root/tests/data/import/icio_repairs.csv --sectors $root/tests/data/import/sectors2.csv --meta units=model"
# name|arguments|output option|suffix|message when a write fails
cases=(
  "solve|solve --tariffs $cf --json|--output||cannot write the result"
  "timeline|timeline --csv|--output||cannot write the result"
  "export|export world --format csv|--output||cannot write the export"
  "sweep out|sweep --tariffs $cf --draws 2|--out||cannot write the results"
  "sweep summary|sweep --tariffs $cf --draws 2|--summary||cannot write the results"
  "plot|solve --tariffs $cf|--plot|.svg|cannot write the figure"
)

# run NAME ARGS OPT PATH: the command with its output at PATH; stdout dropped,
# stderr in $tmp/err; the exit status
run() {
  # shellcheck disable=SC2086 # args is a word list on purpose
  "$TW" $2 "$3" "$4" >/dev/null 2>"$tmp/err"
}

# Unblock a reader still waiting on FIFO $1 (nothing was written to it), so
# that waiting for it cannot hang.
release() {
  python3 -c 'import os, sys
try:
    os.close(os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK))
except OSError:
    pass' "$1"
}

# ---- a character device: /dev/full --------------------------------------------
dev=/dev/full
if [ "$(id -u)" = 0 ]; then
  dev=""
  # usable only where the file system allows device nodes (not "nodev")
  if mknod "$tmp/full" c 1 7 2>/dev/null &&
     (echo x >"$tmp/full") 2>&1 | grep -q "No space left on device"; then
    dev=$tmp/full
  fi
fi
if [ -z "$dev" ]; then
  echo "note: cannot make a private /dev/full node here; the device cases are skipped"
else
  for c in "${cases[@]}"; do
    IFS='|' read -r name args opt suf msg <<<"$c"
    path=$dev
    # a figure's path must end in .svg: a link to the device, which stays a link
    if [ -n "$suf" ]; then path=$tmp/full$suf; ln -sf "$dev" "$path"; fi
    run "$name" "$args" "$opt" "$path"; rc=$?
    [ "$rc" = 3 ] && ok || bad "device, $name: exit $rc, expected 3 ($(head -c 300 "$tmp/err"))"
    grep -qxF "tradewar: $path: $msg" "$tmp/err" && ok || bad "device, $name: message: $(cat "$tmp/err")"
    [ -c "$dev" ] && ok || bad "device, $name: $dev is no longer a character device"
    if [ -n "$suf" ]; then
      [ -L "$path" ] && [ "$(readlink "$path")" = "$dev" ] && ok || bad "device, $name: the link changed"
      rm -f "$path"
    fi
  done
  ls "$(dirname "$dev")" | grep -qF "$(basename "$dev").tmp." && bad "device: a temporary file was left" || ok
fi

# ---- a FIFO: written in place, read by a reader ---------------------------------
mkdir "$tmp/fifo"
for c in "${cases[@]}"; do
  IFS='|' read -r name args opt suf msg <<<"$c"
  ref=$tmp/fifo/ref$suf fifo=$tmp/fifo/pipe$suf got=$tmp/fifo/got
  run "$name" "$args" "$opt" "$ref" || bad "fifo, $name: the regular file: $(cat "$tmp/err")"
  mkfifo "$fifo"
  cat "$fifo" >"$got" &
  reader=$!
  run "$name" "$args" "$opt" "$fifo"; rc=$?
  if [ -p "$fifo" ]; then ok; else bad "fifo, $name: the FIFO was replaced"; kill "$reader" 2>/dev/null; fi
  # a reader still waiting (nothing opened the FIFO) is let go; one that got
  # the output ends by itself
  while kill -0 "$reader" 2>/dev/null; do release "$fifo"; sleep 0.1; done
  wait "$reader"
  [ "$rc" = 0 ] && ok || bad "fifo, $name: exit $rc ($(head -c 300 "$tmp/err"))"
  cmp -s "$ref" "$got" && ok || bad "fifo, $name: the reader got $(wc -c <"$got") bytes, not the file's $(wc -c <"$ref")"
  # a CSV at a regular file has its .meta.json beside it (none beside a FIFO)
  rm -f "$ref" "$ref.meta.json" "$fifo" "$got"
done
[ -z "$(ls "$tmp/fifo")" ] && ok || bad "fifo: files left: $(ls "$tmp/fifo")"

# ---- a directory, a socket: refused -------------------------------------------
mkdir "$tmp/kinds"
python3 -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).bind(sys.argv[1])' "$tmp/kinds/sock.svg"
for c in "${cases[@]}"; do
  IFS='|' read -r name args opt suf msg <<<"$c"
  d=$tmp/kinds/dir$suf
  mkdir "$d" && echo keep >"$d/inside"
  run "$name" "$args" "$opt" "$d"; rc=$?
  [ "$rc" = 3 ] && ok || bad "directory, $name: exit $rc, expected 3"
  grep -qxF "tradewar: $d: is a directory (expected a file path)" "$tmp/err" && ok \
    || bad "directory, $name: message: $(cat "$tmp/err")"
  [ -d "$d" ] && [ "$(ls "$d")" = inside ] && [ "$(cat "$d/inside")" = keep ] && ok \
    || bad "directory, $name: the directory changed"
  rm -rf "$d"
  s=$tmp/kinds/sock.svg
  run "$name" "$args" "$opt" "$s"; rc=$?
  [ "$rc" = 3 ] && ok || bad "socket, $name: exit $rc, expected 3"
  grep -qxF "tradewar: $s: is a socket (expected a file path)" "$tmp/err" && ok \
    || bad "socket, $name: message: $(cat "$tmp/err")"
  [ -S "$s" ] && ok || bad "socket, $name: the socket was replaced"
done
[ "$(ls "$tmp/kinds")" = sock.svg ] && ok || bad "directory, socket: files left: $(ls "$tmp/kinds")"

# ---- a symbolic link: its target is replaced ------------------------------------
mkdir -p "$tmp/link/sub"
for c in "${cases[@]}"; do
  IFS='|' read -r name args opt suf msg <<<"$c"
  ref=$tmp/link/ref$suf
  run "$name" "$args" "$opt" "$ref" || bad "link, $name: the regular file: $(cat "$tmp/err")"
  # a relative link to a file that does not exist yet, in another folder,
  # through a second link
  l1=$tmp/link/out$suf l2=$tmp/link/sub/hop$suf
  ln -s "sub/hop$suf" "$l1"
  ln -s "target$suf" "$l2"
  for round in new existing; do
    run "$name" "$args" "$opt" "$l1"; rc=$?
    [ "$rc" = 0 ] && ok || bad "link ($round target), $name: exit $rc ($(head -c 300 "$tmp/err"))"
    [ -L "$l1" ] && [ "$(readlink "$l1")" = "sub/hop$suf" ] && [ -L "$l2" ] \
      && [ "$(readlink "$l2")" = "target$suf" ] && ok || bad "link ($round target), $name: a link changed"
    [ -f "$tmp/link/sub/target$suf" ] && [ ! -L "$tmp/link/sub/target$suf" ] \
      && cmp -s "$ref" "$tmp/link/sub/target$suf" && ok \
      || bad "link ($round target), $name: the target does not hold the output"
  done
  [ "$(ls "$tmp/link/sub" | sort | tr '\n' ' ')" = "hop$suf target$suf " ] && ok \
    || bad "link, $name: files in the target's folder: $(ls "$tmp/link/sub")"
  rm -f "$ref" "$l1" "$l2" "$tmp/link/sub/target$suf"
done

# ---- modes: 0666 less the umask; a replaced file keeps its mode --------------------
mkdir "$tmp/modes"
for mask in 022 002; do
  want=$(printf '%o' $((0666 & ~0$mask)))
  for c in "${cases[@]}"; do
    IFS='|' read -r name args opt suf msg <<<"$c"
    f=$tmp/modes/out$suf
    (umask "$mask"; run "$name" "$args" "$opt" "$f") || bad "mode, $name: $(cat "$tmp/err")"
    [ "$(stat -c %a "$f")" = "$want" ] && ok \
      || bad "mode, $name, umask $mask: $(stat -c %a "$f"), expected $want"
    chmod 0640 "$f"
    (umask "$mask"; run "$name" "$args" "$opt" "$f") || bad "mode, $name: $(cat "$tmp/err")"
    [ "$(stat -c %a "$f")" = 640 ] && ok \
      || bad "mode, $name, umask $mask: a replaced 0640 file became $(stat -c %a "$f")"
    rm -f "$f"
  done
  # import: the folders it makes and the files it writes
  w=$tmp/modes/a/b/world
  (umask "$mask"; run import "$imp" --out "$w") || bad "mode, import: $(tail -1 "$tmp/err")"
  wantd=$(printf '%o' $((0777 & ~0$mask)))
  for d in "$tmp/modes/a" "$tmp/modes/a/b" "$w"; do
    [ "$(stat -c %a "$d")" = "$wantd" ] && ok \
      || bad "mode, import, umask $mask: folder ${d#"$tmp"/} is $(stat -c %a "$d"), expected $wantd"
  done
  for f in "$w"/*; do
    [ "$(stat -c %a "$f")" = "$want" ] && ok \
      || bad "mode, import, umask $mask: ${f##*/} is $(stat -c %a "$f"), expected $want"
  done
  rm -rf "$tmp/modes/a"
done

# ---- import --out: missing parents are made; what is not a folder is refused ------
mkdir "$tmp/imp"
w=$tmp/imp/x/y/world
run import "$imp" --out "$w"; rc=$?
[ "$rc" = 0 ] && ok || bad "import, missing parents: exit $rc ($(tail -1 "$tmp/err"))"
[ -f "$w/trade.csv" ] && [ -f "$w/README.md" ] && ok || bad "import, missing parents: no world written"
"$TW" validate --world "$w" >/dev/null 2>&1 && ok || bad "import, missing parents: the world does not validate"
echo file >"$tmp/imp/file"
run import "$imp" --out "$tmp/imp/file/world"; rc=$?
[ "$rc" = 3 ] && ok || bad "import under a file: exit $rc, expected 3"
grep -qxF "tradewar: $tmp/imp/file/world: cannot create: Not a directory" "$tmp/err" && ok \
  || bad "import under a file: message: $(tail -1 "$tmp/err")"
mkfifo "$tmp/imp/fifo"
run import "$imp" --out "$tmp/imp/fifo"; rc=$?
[ "$rc" = 3 ] && ok || bad "import into a FIFO: exit $rc, expected 3"
grep -qxF "tradewar: $tmp/imp/fifo: exists and is not a directory" "$tmp/err" && ok \
  || bad "import into a FIFO: message: $(tail -1 "$tmp/err")"
[ -p "$tmp/imp/fifo" ] && ok || bad "import into a FIFO: the FIFO changed"

finish
