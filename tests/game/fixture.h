/* fixture.h - what the game tests share: data/world2011 with a game at its
 * baseline tariffs and the two players of the command line's examples (USA
 * and CHN), opened before each test that asks for it and closed after; a
 * uniform tariff; and a comparison of doubles in double precision.
 *
 * Include after <cmocka.h> and "../common/fixtures.h".  A test listed as
 * ON_WORLD2011(test) finds the fixture in *state. */
#ifndef TW_TEST_GAME_FIXTURE_H
#define TW_TEST_GAME_FIXTURE_H

#include <math.h>
#include <stdlib.h>

#include "tradewar/game.h"
#include "tradewar/policy.h"
#include "tradewar/world.h"

typedef struct fixture {
    tw_world *w;
    tw_game *g;      /* a game on w at the baseline tariffs */
    size_t usa, chn;
} fixture;

static inline int open_world2011(void **state)
{
    fixture *f = malloc(sizeof *f);
    assert_non_null(f);
    f->w = fx_load(TW_SOURCE_DIR "/data/world2011");
    tw_error e;
    f->g = tw_game_create(f->w, NULL, &e);
    if (!f->g) fail_msg("tw_game_create: %s", e.msg);
    f->usa = (size_t)tw_world_country_index(f->w, "USA");
    f->chn = (size_t)tw_world_country_index(f->w, "CHN");
    *state = f;
    return 0;
}

static inline int close_world2011(void **state)
{
    fixture *f = *state;
    tw_game_free(f->g);
    tw_world_free(f->w);
    free(f);
    return 0;
}

/* Every tradable sector's tariff of importer n on exporter i at rate. */
static inline void set_uniform(const tw_world *w, tw_shock *s, size_t n, size_t i, double rate)
{
    tw_error e;
    for (size_t j = 0; j < tw_world_n_sectors(w); j++)
        if (tw_world_sector_tradable(w, j)) assert_int_equal(tw_shock_set_tariff(s, n, i, j, rate, &e), TW_OK);
}

#define ON_WORLD2011(test) cmocka_unit_test_setup_teardown(test, open_world2011, close_world2011)

/* a equals b to tol (cmocka's float comparison works in single precision) */
static inline void near(double a, double b, double tol, const char *what)
{
    if (!(fabs(a - b) <= tol)) fail_msg("%s: %.9g, expected %.9g (to %.0e)", what, a, b, tol);
}

#endif
