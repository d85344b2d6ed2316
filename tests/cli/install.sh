#!/usr/bin/env bash
# make install: the command, the shared library, the headers and the
# pkg-config file work for a C program outside the tree.
# usage: install.sh PATH/TO/build/tradewar
set -eu
. "$(dirname "$0")/../common/prologue.sh"
build=$(dirname "$TW")
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
pc=$(find "$tmp/prefix" -name tradewar.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: no tradewar.pc installed"; exit 1; }
# the .pc was configured for the build prefix; point it at this one
sed -e "s|^prefix=.*|prefix=$tmp/prefix|" \
    -e "s|^libdir=.*|libdir=$(dirname "$(dirname "$pc")")|" \
    -e "s|^includedir=.*|includedir=$tmp/prefix/include|" "$pc" > "$tmp/tradewar.pc"
cat > "$tmp/prog.c" <<'C'
#include <stdio.h>
#include <tradewar/solve.h>
int main(int argc, char **argv)
{
    tw_error e;
    tw_world *w = tw_world_load(argv[1], &e);
    if (!w) { fprintf(stderr, "%s\n", e.msg); return 2; }
    tw_solver *s = tw_solver_create(w, &e);
    tw_result *r = tw_solver_run(s, NULL, &e);
    int ok = r && tw_result_residual(r) <= 1e-10;
    printf("%s %zu\n", ok ? "ok" : "fail", tw_world_n_countries(w));
    tw_result_free(r); tw_solver_free(s); tw_world_free(w);
    return !ok;
}
C
flags=$(PKG_CONFIG_PATH="$tmp" pkg-config --cflags --libs tradewar)
cc -std=c11 -o "$tmp/prog" "$tmp/prog.c" $flags
out=$(LD_LIBRARY_PATH="$(dirname "$(dirname "$pc")")" "$tmp/prog" "$(dirname "$0")/../../data/world2011")
[ "$out" = "ok 21" ] || { echo "FAIL: installed library: $out"; exit 1; }
# every installed header also compiles as C++ (balanced extern "C" guards)
incdir=$(PKG_CONFIG_PATH="$tmp" pkg-config --variable=includedir tradewar)
for h in "$incdir"/tradewar/*.h; do echo "#include \"tradewar/$(basename "$h")\""; done >"$tmp/all.cpp"
echo 'int main() { return 0; }' >>"$tmp/all.cpp"
c++ -std=c++11 -Wall -Werror -fsyntax-only -I"$incdir" "$tmp/all.cpp" ||
  { echo "FAIL: the installed headers do not compile as C++"; exit 1; }
# the README's C example, as written, run from outside the tree: it loads the
# embedded world2011 from TRADEWAR_DATA (here the installed data), and with
# TRADEWAR_DATA unset from the data of the tree the library was built from
awk '/^```c$/ { f = 1; next } /^```$/ { f = 0 } f' "$root/README.md" > "$tmp/readme.c"
grep -q 'int main' "$tmp/readme.c" || { echo "FAIL: no C block with main in README.md"; exit 1; }
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/readme" "$tmp/readme.c" $flags
cf=$root/data/scenarios/us_china_145_125.csv
want=$("$TW" solve --tariffs "$cf" --json | /usr/bin/python3 -c '
import json, sys
print(" ".join("%s %+.4f %%" % (c["code"], c["welfare_pct"]) for c in json.load(sys.stdin)["countries"]))')
libdir=$(dirname "$(dirname "$pc")")
for data in "$tmp/prefix/share/tradewar" ""; do
  got=$(cd "$tmp" && TRADEWAR_DATA=$data LD_LIBRARY_PATH=$libdir ./readme "$cf" | tr '\n' ' ')
  [ "$got" = "$want " ] || { echo "FAIL: README example (TRADEWAR_DATA=$data): $got"; exit 1; }
done
msg=$(cd "$tmp" && TRADEWAR_DATA=$tmp/prefix/share/tradewar LD_LIBRARY_PATH=$libdir ./readme nosuch.csv 2>&1) \
  && { echo "FAIL: README example accepted a missing file"; exit 1; }
[ "$msg" = "nosuch.csv: cannot open: No such file or directory" ] \
  || { echo "FAIL: README example error: $msg"; exit 1; }
"$tmp/prefix/bin/tradewar" --version | grep -q '^tradewar ' || { echo "FAIL: installed command"; exit 1; }
# the plot module, found from the installed command (lib/tradewar)
"$tmp/prefix/bin/tradewar" solve --world "$tmp/prefix/share/tradewar/cp1993" \
  --plot "$tmp/nafta.svg" >/dev/null && grep -q '<svg' "$tmp/nafta.svg" \
  || { echo "FAIL: installed command's plot module"; exit 1; }
TRADEWAR_DATA= "$tmp/prefix/bin/tradewar" validate --world "$tmp/prefix/share/tradewar/world2011" >/dev/null \
  || { echo "FAIL: installed data"; exit 1; }
ok
finish
