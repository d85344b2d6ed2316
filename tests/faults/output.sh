#!/usr/bin/env bash
# Outputs that cannot be written: every --output and --plot of the command
# line that names a regular file (or nothing yet) goes to a temporary file
# renamed on success, so a failed write must leave no file, no temporary file
# and an older file at the path untouched, with exit status 3 and a one-line
# message.
#
# The failures are real ones (the program has no test hooks):
#   file size limit  ulimit -f with SIGXFSZ ignored: write() fails with EFBIG
#                    (for root too, anywhere)
#   full disk        a 32 KiB tmpfs mounted in a private mount namespace
#                    (unshare -rm, or unshare -m as root): write() fails with
#                    ENOSPC; skipped with a note where namespaces are not allowed
#   no such folder   --output into a missing directory
#   a directory      --output naming an existing directory (refused before
#                    anything is written; tests/faults/output_paths.sh has the
#                    other kinds of path)
# usage: output.sh PATH/TO/tradewar
#        output.sh --inside PATH/TO/tradewar DIR   (the full-disk cases, in DIR)
set -u
inside=0
if [ "${1:-}" = --inside ]; then inside=1; shift; fi
. "$(dirname "$0")/../common/prologue.sh"
use_plot_lsan_suppressions

cf=$root/data/scenarios/us_china_30.csv
# name|arguments|output option|message[|file the message names, when not the
# output itself]; every output is larger than 32 KiB (solve --csv: its
# bilateral table, written beside the countries)
cases=(
  "solve json|solve --tariffs $cf --json --bilateral --sectors|--output|cannot write the result"
  "solve csv|solve --tariffs $cf --csv --bilateral --sectors|--output|cannot write the bilateral table|-bilateral.csv"
  "timeline json|timeline --json|--output|cannot write the result"
  "export result|export result --tariffs $cf --format json|--output|cannot write the export"
  "export world|export world --format csv|--output|cannot write the export"
  "plot svg|solve --tariffs $cf|--plot|cannot write the figure"
  "plot png|solve --tariffs $cf|--plot|cannot write the figure"
)

# check LABEL DIR FILE RC ERRFILE MESSAGE [OLD [SUFFIX]]: exit 3, the message
# (naming FILE, or FILE with SUFFIX), the old file untouched (when there was
# one), no temporary file and no file beside it left
check() {
  local label=$1 dir=$2 file=$3 rc=$4 errf=$5 msg=$6 old=${7-old contents} suffix=${8-}
  [ "$rc" = 3 ] && ok || bad "$label: exit status $rc, expected 3 ($(head -c 300 "$errf"))"
  grep -qxF "tradewar: $dir/$file$suffix: $msg" "$errf" && ok || bad "$label: message: $(cat "$errf")"
  local beside; beside=$(ls "$dir" 2>/dev/null | grep -F "$file" | grep -vxF "$file" || true)
  [ -z "$beside" ] && ok || bad "$label: files left beside $file: $beside"
  if [ -n "$old" ]; then
    [ "$(cat "$dir/$file" 2>/dev/null)" = "$old" ] && ok || bad "$label: the old $file changed"
  fi
  local left; left=$(ls "$dir" 2>/dev/null | grep -F "$file.tmp." || true)
  [ -z "$left" ] && ok || bad "$label: temporary files left: $left"
}

# run_all DIR LABEL [wrapper...]: every case writing into DIR over an old file
run_all() {
  local dir=$1 label=$2; shift 2
  for c in "${cases[@]}"; do
    IFS='|' read -r name args opt msg suffix <<<"$c"
    local file="out-${name// /-}"
    case $name in plot\ svg) file=$file.svg ;; plot\ png) file=$file.png ;; esac
    echo "old contents" >"$dir/$file"
    # shellcheck disable=SC2086 # args is a word list on purpose
    "$@" "$TW" $args "$opt" "$dir/$file" >/dev/null 2>"$tmp/err"
    check "$label, $name" "$dir" "$file" $? "$tmp/err" "$msg" "old contents" "$suffix"
    rm -f "$dir/$file"
  done
}

if [ "$inside" = 1 ]; then
  run_all "$2" "full disk"
  echo "$passes passed, $fails failed (full disk)"
  [ "$fails" -eq 0 ]
  exit
fi

# ---- a file size limit: EFBIG ------------------------------------------------
limited() { (trap '' XFSZ; ulimit -f 16; "$@"); }
mkdir "$tmp/efbig"
run_all "$tmp/efbig" "file size limit" limited
# without the limit the same command writes the whole file
"$TW" solve --tariffs "$cf" --json --bilateral --sectors --output "$tmp/efbig/whole.json" \
  >/dev/null 2>&1 && [ "$(wc -c <"$tmp/efbig/whole.json")" -gt 32768 ] && ok \
  || bad "solve --output without the limit"

# ---- a full disk: ENOSPC on a 32 KiB tmpfs -------------------------------------
ns=()
if unshare -rm true 2>/dev/null; then ns=(unshare -rm)
elif [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then ns=(unshare -m)
fi
mkdir "$tmp/disk"
if [ ${#ns[@]} -gt 0 ]; then
  "${ns[@]}" bash -c 'mount -t tmpfs -o size=32k tmpfs "$1" 2>/dev/null || exit 99
                      exec bash "$2" --inside "$3" "$1"' _ \
    "$tmp/disk" "$root/tests/faults/output.sh" "$TW" >"$tmp/inside.log" 2>&1
  rc=$?
  if [ "$rc" = 99 ]; then
    echo "note: cannot mount a tmpfs here; the full-disk cases are skipped"
  else
    cat "$tmp/inside.log"
    line=$(tail -1 "$tmp/inside.log")
    case $line in
      *" passed, "*) passes=$((passes + ${line%% *})) ;;
    esac
    [ "$rc" = 0 ] || fails=$((fails + 1))
  fi
else
  echo "note: no private mount namespace (unshare); the full-disk cases are skipped"
fi

# ---- a folder that is not there, a path that is a folder -----------------------
"$TW" solve --tariffs "$cf" --json --output "$tmp/missing/out.json" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 3 ] && ok || bad "missing folder: exit $rc"
grep -qxF "tradewar: $tmp/missing/out.json: cannot write: No such file or directory" "$tmp/err" \
  && ok || bad "missing folder: message: $(cat "$tmp/err")"
[ ! -e "$tmp/missing" ] && ok || bad "missing folder: something was created"
mkdir "$tmp/isdir" "$tmp/isdir/out.json"
"$TW" solve --tariffs "$cf" --json --output "$tmp/isdir/out.json" >/dev/null 2>"$tmp/err"
check "output is a folder" "$tmp/isdir" out.json $? "$tmp/err" "is a directory (expected a file path)" ""
[ -d "$tmp/isdir/out.json" ] && ok || bad "output is a folder: the folder is gone"

finish
