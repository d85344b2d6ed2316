/* tiny3x2.h - the world of the shock tests (tests/data/good/tiny3x2), loaded
 * once per test program as the group state: countries USA=0, CHN=1, MEX=2;
 * sectors GDS=0 (tradable), SRV=1 (not). */
#ifndef TW_TEST_SHOCK_TINY3X2_H
#define TW_TEST_SHOCK_TINY3X2_H

#include "tradewar/world.h"
#include "core/index.h"

#define TINY "tests/data/good/tiny3x2"
enum { USA, CHN, MEX };
enum { GDS, SRV };

static size_t cell(size_t n, size_t i, size_t j) { return tw_ix_nij(3, 2, n, i, j); }

static int setup(void **state)
{
    tw_error err;
    tw_world *w = tw_world_load(TINY, &err);
    if (!w) return -1;
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    tw_world_free(*state);
    return 0;
}

#endif
