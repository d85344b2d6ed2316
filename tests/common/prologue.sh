# prologue.sh - the set-up every shell test of the command line shares.
# Source it first, from the source tree (where ctest runs the tests), with the
# script's own arguments still in place ($1 = the tradewar command):
#
#   . "$(dirname "$0")/../common/prologue.sh"
#
# It gives:
#   TW            $1 as an absolute path (tests may cd), when it names a file
#   root          the source tree (the folder the test started in)
#   tmp           a fresh temporary folder, removed on exit
#   at_exit CMD   run CMD (a string, eval'd) on exit, before tmp goes: stop a
#                 server or a feeder process; hooks run in the order given
#   ok, bad MSG   count a passed check / print "FAIL: MSG" and count a failure
#   passes fails  the counts
#   run_in CMD... run CMD with its stdout in $tmp/out and stderr in $tmp/err;
#                 its exit status in rc (and as the status of run_in)
#   rc_of CMD...  the same, printing the exit status instead
#   expect_rc RC WHAT CMD...   run_in CMD and check that it exits with RC
#   expect_err LINE            the first line of $tmp/err is exactly LINE
#   expect_stderr TEXT WHAT    the whole of $tmp/err is exactly TEXT
#   use_plot_lsan_suppressions sanitized builds: fontconfig and libltdl keep
#                 caches until exit (tests/web/lsan.supp); for tests that plot
#   finish        print "N passed, M failed"; exit status 0 when nothing failed
#                 (make it the script's last command)
#
# It sets no shell options: each script keeps its own `set -u` (or -eu).

root=$(pwd)
case ${1:-} in
  */*) TW=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") ;;
  *) TW=${1:-} ;;
esac
fails=0
passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

tmp=$(mktemp -d)
tw_exit_hooks=()
at_exit() { tw_exit_hooks+=("$1"); }
tw_on_exit() {
  local hook
  for hook in ${tw_exit_hooks[@]+"${tw_exit_hooks[@]}"}; do eval "$hook"; done
  rm -rf "$tmp"
}
trap tw_on_exit EXIT

run_in() { "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; return $rc; }
rc_of() { run_in "$@"; echo $rc; }
expect_rc() { # rc, description, command...
  local want=$1 what=$2; shift 2
  run_in "$@"
  [ "$rc" -eq "$want" ] && ok || bad "$what: exit $rc, expected $want: $(head -c 300 "$tmp/err")"
}
expect_err() { # exact first stderr line
  [ "$(head -n 1 "$tmp/err")" = "$1" ] && ok || bad "stderr '$(head -n 1 "$tmp/err")' != '$1'"
}
expect_stderr() { # exact whole stderr, description
  [ "$(cat "$tmp/err")" = "$1" ] && ok || bad "$2: stderr '$(head -c 400 "$tmp/err")' != '$1'"
}

use_plot_lsan_suppressions() {
  export LSAN_OPTIONS="suppressions=$root/tests/web/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
}

finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
