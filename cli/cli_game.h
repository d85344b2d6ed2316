/* cli_game.h - option parsing and printing shared by the game subcommands. */
#ifndef TW_CLI_GAME_H
#define TW_CLI_GAME_H

#include <cjson/cJSON.h>
#include "tradewar/game.h"
#include "tradewar/report.h"
#include "cli.h"

#define MAXP 256

/* The end of every game command's --help: the solver's options. */
#define GC_SOLVE_HELP                                                                    \
    "\n"                                                                                 \
    "  --deficits keep|purge, --method newton|tatonnement, --tol X: the options of\n"    \
    "  every equilibrium solve, as in `tradewar solve`, but the tolerance defaults to\n" \
    "  1e-12 here (the uniform instrument's difference quotients need it).\n"      \
    CLI_ELASTICITIES_HELP

typedef struct gopts {
    const char *world, *elast, *tariffs, *country, *against, *players, *threat, *concession, *deal, *rule;
    const char *weights, *over; /* cooperate */
    tw_instrument instr;
    int json, frontier, rounds;
    double step, factor, cap, hi;
    tw_method method;           /* --method, --deficits, --tol: as `tradewar solve`, */
    tw_deficits deficits;       /* but the tolerance defaults to TW_GAME_TOL_DEFAULT */
    double tol;
} gopts;

typedef struct prog {
    double t0;
    int shown;
} prog;

void gc_progress(void *ud, const char *line);
int gc_country_list(const tw_world *w, const char *cmd, const char *opt, const char *spec,
                 size_t *out, size_t *n);
/* talks.c's name for tw_pct (tradewar/report.h) */
static inline double gc_pct(double hat) { return tw_pct(hat); }
/* o's --players (at least two) as indices into pl; 0, or 2 after saying why not. */
int gc_players(const gopts *o, const tw_world *w, const char *cmd, size_t *pl, size_t *np);
double gc_world_welfare(const tw_world *w, const tw_result *r);
void gc_effects_table(const tw_world *w, const tw_result *r);
cJSON *gc_effects_json(const tw_world *w, const tw_result *r);
/* A game command's world, start shock (the baseline or --tariffs) and game. */
typedef struct gc_env {
    tw_world *w;
    tw_shock *s;
    tw_game *g;
    prog p; /* the game's progress lines */
} gc_env;

/* The options of the game commands into o; required: the names of the
 * string options that must be given (NULL-terminated, or NULL).  -1 to go
 * on, else the exit code (0 after --help). */
int gc_parse(int argc, char **argv, const char *cmd, const char *usage,
             const char *const *required, gopts *o);
/* The world, start shock and game of o: -1 to go on, else the exit code
 * after printing the error.  gc_teardown(e) in both cases. */
int gc_setup(const gopts *o, gc_env *e);
/* A game command: gc_parse with one required option, gc_setup, then play
 * (the exit code) and gc_teardown. */
int gc_run(int argc, char **argv, const char *cmd, const char *usage, const char *required,
           int (*play)(const gopts *o, gc_env *e));
/* Print root with "meta" (tw_report_meta_json: w and o's solver options)
 * added, and free it. */
void gc_print_json(cJSON *root, const tw_world *w, const gopts *o);
void gc_teardown(gc_env *e);

#endif
