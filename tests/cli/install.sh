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
"$tmp/prefix/bin/tradewar" --version | grep -q '^tradewar ' || { echo "FAIL: installed command"; exit 1; }
TRADEWAR_DATA= "$tmp/prefix/bin/tradewar" validate --world "$tmp/prefix/share/tradewar/world2011" >/dev/null \
  || { echo "FAIL: installed data"; exit 1; }
ok
finish
