/* bench_game.c - game-layer timings: US best responses, US-China Nash and
 * global Nash wars, uniform and by sector (usage: bench_game WORLD2011_DIR
 * WORLD2011_FULL_DIR). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tradewar/game.h"
#include "tradewar/report.h"

/* target: a time goal in seconds (0: none); solves_goal: a goal for the
 * solves (0: none), gradients included (docs/game.md, "Gradients"). */
static int run(const char *label, const tw_world *w, tw_instrument in, int nash, int global, double target,
               size_t solves_goal)
{
    tw_error e;
    tw_game *g = tw_game_create(w, NULL, &e);
    tw_game_set_instrument(g, in);
    size_t N = tw_world_n_countries(w), us = (size_t)tw_world_country_index(w, "USA"),
           cn = (size_t)tw_world_country_index(w, "CHN");
    size_t *pl = malloc(N * sizeof *pl), np = 0;
    unsigned char *mask = calloc(N, 1);
    if (global) for (size_t n = 0; n < N; n++) pl[np++] = n;
    else { pl[0] = us; pl[1] = cn; np = 2; }
    mask[cn] = 1;
    double t0 = tw_clock_seconds();
    tw_outcome *o = nash ? tw_game_nash(g, pl, np, global, &e) : tw_game_best_response(g, us, mask, &e);
    double dt = tw_clock_seconds() - t0;
    int rc = 0;
    if (!o) {
        printf("  %-44s FAILED: %s\n", label, e.msg);
        rc = 1;
    } else {
        printf("  %-44s %8.2f s  rounds %3zu  equilibria %6zu  %s\n", label, dt, tw_outcome_rounds(o),
               tw_outcome_solves(o), target > 0 ? (dt <= target ? "(within target)" : "(over target)") : "");
        if (target > 0) printf("  %-44s %8.2f   (time / target %.0f s)\n", "", dt / target, target);
        if (solves_goal > 0)
            printf("  %-44s %8zu   solves (goal <= %zu: %s)\n", "", tw_outcome_solves(o), solves_goal,
                   tw_outcome_solves(o) <= solves_goal ? "met" : "not met");
    }
    tw_outcome_free(o);
    tw_game_free(g);
    free(pl);
    free(mask);
    return rc;
}

int main(int argc, char **argv)
{
    cli_heap_setup(); /* as the tradewar command does */
    if (argc < 3) {
        fprintf(stderr, "usage: bench_game WORLD2011 WORLD2011_FULL\n");
        return 2;
    }
    tw_error e;
    tw_world *w = tw_world_load(argv[1], &e), *wf = tw_world_load(argv[2], &e);
    if (!w || !wf) {
        fprintf(stderr, "bench_game: %s\n", e.msg);
        return 2;
    }
    int rc = 0;
    printf("world2011 (%zu x %zu)\n", tw_world_n_countries(w), tw_world_n_sectors(w));
    rc |= run("US best response vs CHN, uniform", w, TW_INSTR_UNIFORM, 0, 0, 0, 0);
    rc |= run("US best response vs CHN, by sector", w, TW_INSTR_SECTOR, 0, 0, 0, 0);
    rc |= run("US-China Nash, uniform", w, TW_INSTR_UNIFORM, 1, 0, 0, 0);
    rc |= run("US-China Nash, by sector (goal 1 s)", w, TW_INSTR_SECTOR, 1, 0, 1, 300);
    rc |= run("global Nash, uniform", w, TW_INSTR_UNIFORM, 1, 1, 0, 0);
    rc |= run("global Nash, by sector (goal 120 s)", w, TW_INSTR_SECTOR, 1, 1, 120, 0);
    printf("world2011-full (%zu x %zu)\n", tw_world_n_countries(wf), tw_world_n_sectors(wf));
    rc |= run("global Nash, uniform (goal 5 s)", wf, TW_INSTR_UNIFORM, 1, 1, 5, 0);
    printf("peers: Ossa (2014) 96 min for one Nash equilibrium at 7 x 33; Lashkaripour 3.3 s for\n"
           "uniform Nash at 44 x 16 (Octave, this machine)\n");
    tw_world_free(w);
    tw_world_free(wf);
    return rc;
}
