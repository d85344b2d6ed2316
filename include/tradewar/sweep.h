/* tradewar/sweep.h - batches of independent equilibria (docs/model.md,
 * "Batches and sweeps"): trade-elasticity draws, alternative elasticity sets
 * and grids of tariff levels, solved or played out as a Nash war, with
 * per-draw results and bands (median and 5-95 %) per country and statistic.
 *
 * A sweep is a list of variants (elasticity vectors) times a list of grid
 * points.  Variant 0 is always the world's own theta (the point estimate:
 * the world's default elasticity set, or the one applied to it, which the
 * draws are centred on);
 * variants 1.. are random draws or named sets.  The work is cut into units:
 * one variant times a chain of at most TW_SWEEP_CHAIN consecutive points along
 * the last grid axis.  A unit is solved by one thread with its own world copy
 * and a fresh solver: the first point cold, each next one warm-started from
 * its predecessor in the chain.  Units never depend on each other, so the
 * results are bit-identical however the units are split over threads and
 * processes (tw_sweep_run's rank and n_ranks, e.g. MPI ranks).
 *
 * Thread safety: a tw_sweep is used by one caller at a time; tw_sweep_run
 * starts and joins its own worker threads. */
#ifndef TRADEWAR_SWEEP_H
#define TRADEWAR_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "tradewar/export.h"
#include "tradewar/error.h"
#include "tradewar/solve.h"
#include "tradewar/world.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tw_sweep tw_sweep;

/* Default spread of the log-normal elasticity draws: theta_j exp(sigma z_j). */
#define TW_SWEEP_SIGMA_DEFAULT 0.25
/* Longest warm-started chain of grid points in one unit of work. */
#define TW_SWEEP_CHAIN 16
/* Largest number of grid points and of draws a sweep accepts. */
#define TW_SWEEP_MAX_POINTS 1000000
#define TW_SWEEP_MAX_DRAWS 10000000
#define TW_SWEEP_MAX_AXES 16

/* Statistics per country, in the order of the CSV columns: welfare_pct,
 * real_wage_pct, price_index_pct, tot_pct, vot_pct, exports_pct, imports_pct
 * (percent changes), tariff_revenue_gdp_pct, etr_pre_pct, etr_post_pct
 * (percent), real_gdp_pct
 * (percent change), ev (the equivalent variation, the world's money unit; NaN
 * in model units) and consumer_cost (the world's money unit; NaN where the
 * world has no household consumption, or is in model units), as `tradewar
 * solve --json` names them: the result columns shown with TW_SHOW_SWEEP
 * (tradewar/report.h).  A statistic that is NaN for a draw is left out of its
 * band (tw_sweep_band's n counts the draws that have it). */
#define TW_SWEEP_N_STATS 13
TW_API const char *tw_sweep_stat_name(size_t k);
/* Index of a statistic by name, or -1. */
TW_API long tw_sweep_stat_index(const char *name);

/* The elasticities of log-normal draw d: theta_j exp(sigma z_j) with z_j
 * standard normal from a splitmix64 stream seeded by (seed, d) alone, so draw
 * d is the same whichever thread or process computes it.  theta_out gets J
 * values.  sigma = 0 gives the world's theta exactly. */
TW_API void tw_theta_draw(const tw_world *w, uint64_t seed, double sigma, size_t d,
                          double *theta_out);

/* A sweep on w (which must outlive it) from the tariffs tau[n][i][j] and
 * iceberg factors dhat[n][i][j] given (copied; NULL = the world's baseline /
 * no change), e.g. tw_shock_tariffs() of a counterfactual or
 * tw_timeline_tariffs() of a timeline step. */
TW_API tw_sweep *tw_sweep_create(const tw_world *w, const double *tau, const double *dhat,
                                 tw_error *err);
TW_API void tw_sweep_free(tw_sweep *s);

/* Solver options for every solve (as tw_solver_set_*; TW_EARG when out of
 * range).  Warm starts along chains are on by default; off makes every point
 * a cold start. */
TW_API tw_status tw_sweep_set_tol(tw_sweep *s, double tol);
TW_API tw_status tw_sweep_set_max_iter(tw_sweep *s, size_t max_iter);
TW_API tw_status tw_sweep_set_method(tw_sweep *s, tw_method m);
TW_API tw_status tw_sweep_set_deficits(tw_sweep *s, tw_deficits d);
TW_API tw_status tw_sweep_set_warm(tw_sweep *s, int warm);

/* K log-normal elasticity draws (variants 1..K; see tw_theta_draw).  K >= 1,
 * sigma >= 0 and finite.  Cannot be combined with theta sets (TW_EARG). */
TW_API tw_status tw_sweep_set_draws(tw_sweep *s, size_t k, uint64_t seed, double sigma,
                                    tw_error *err);
/* One named elasticity vector (J values > 0) as the next variant. */
TW_API tw_status tw_sweep_add_theta_set(tw_sweep *s, const char *name, const double *theta,
                                        tw_error *err);
/* Read sets from a CSV file set,sector,theta (extra columns ignored; every
 * sector of the world must be given once per set; unknown sector codes are
 * errors at file:line; a file sector,theta is one set named by the path).
 * names: comma-separated set names to add in that order, or NULL / "all" for
 * every set in file order. */
TW_API tw_status tw_sweep_load_theta_sets(tw_sweep *s, const char *path, const char *names,
                                          tw_error *err);
/* Add the world's named elasticity sets (tradewar/world.h): names as above,
 * NULL / "all" for every set of the world but the one its theta holds (that
 * one is variant 0).  TW_EINPUT when the world names no other set or a name
 * is unknown (the message lists the world's sets); nothing is added then. */
TW_API tw_status tw_sweep_add_world_sets(tw_sweep *s, const char *names, tw_error *err);

/* A grid axis "IMPORTER,EXPORTER,SECTOR:FROM:TO:STEP": the tariff level (a
 * fraction, 0.25 = 25 %) of the cells named, '*' meaning all as in
 * counterfactual files (all tradable sectors; never a domestic cell), set to
 * FROM, FROM+STEP, ... up to TO (inclusive, within 1e-9 of a step).  Axes
 * apply in order on top of the sweep's tariffs; the last axis varies fastest.
 * Errors: TW_EINPUT naming the axis. */
TW_API tw_status tw_sweep_add_axis(tw_sweep *s, const char *spec, tw_error *err);

/* Play a Nash tariff war among players (importer indices, n >= 2) with
 * uniform instruments on each other at every point, instead of one solve;
 * the game starts from the point's tariffs. */
TW_API tw_status tw_sweep_set_nash(tw_sweep *s, const size_t *players, size_t n,
                                   tw_error *err);

/* Shape. */
TW_API size_t tw_sweep_n_variants(const tw_sweep *s);
/* "world" for variant 0, "lognormal" for draws, else the set's name. */
TW_API const char *tw_sweep_variant_label(const tw_sweep *s, size_t v);
/* The draw number of variant v (v - 1 for draws and sets; -1 for variant 0). */
TW_API long tw_sweep_variant_draw(const tw_sweep *s, size_t v);
TW_API size_t tw_sweep_n_points(const tw_sweep *s);
TW_API size_t tw_sweep_n_axes(const tw_sweep *s);
/* The axis's cells as written ("USA,CHN,*"), and its level at point p. */
TW_API const char *tw_sweep_axis_label(const tw_sweep *s, size_t a);
TW_API double tw_sweep_axis_value(const tw_sweep *s, size_t a, size_t p);
/* Importer of an axis, or -1 when it is '*'. */
TW_API long tw_sweep_axis_importer(const tw_sweep *s, size_t a);
TW_API int tw_sweep_is_nash(const tw_sweep *s);

/* Units of work (variant-major, then chains in point order). */
TW_API size_t tw_sweep_n_units(const tw_sweep *s);

/* Progress of a run: units done of the units this call owns.  Called from
 * the calling thread only. */
typedef void (*tw_sweep_progress_fn)(void *ud, size_t done, size_t total);

/* Compute the units k with k % n_ranks == rank, on `threads` threads (>= 1;
 * each with its own world copy and solver).  A point that does not converge
 * is recorded as failed (never dropped); other errors (TW_ENOMEM, TW_EINPUT)
 * stop the run and are returned. */
TW_API tw_status tw_sweep_run(tw_sweep *s, size_t rank, size_t n_ranks, size_t threads,
                              tw_sweep_progress_fn progress, void *ud, tw_error *err);

/* The results of unit k as a block of doubles (borrowed; *len of them), to
 * move them between processes: a process that received a block from the
 * process that computed it copies it here and marks it with
 * tw_sweep_unit_done.  Blocks are plain IEEE doubles in host order. */
TW_API double *tw_sweep_unit_block(tw_sweep *s, size_t k, size_t *len);
TW_API void tw_sweep_unit_done(tw_sweep *s, size_t k);
/* 1 when every unit has results. */
TW_API int tw_sweep_complete(const tw_sweep *s);

/* Results of variant v at point p (TW_EARG-free getters: out-of-range or
 * missing results give 0 / NaN). */
TW_API int tw_sweep_converged(const tw_sweep *s, size_t v, size_t p);
TW_API double tw_sweep_iterations(const tw_sweep *s, size_t v, size_t p);
TW_API double tw_sweep_residual(const tw_sweep *s, size_t v, size_t p);
/* Statistic k of country n; NaN when the point failed. */
TW_API double tw_sweep_stat(const tw_sweep *s, size_t v, size_t p, size_t n, size_t k);
/* Nash mode: the uniform tariff player n chose, in percent (6.1 = 6.1 %);
 * NaN for other countries, other modes and failed points. */
TW_API double tw_sweep_nash_tariff_pct(const tw_sweep *s, size_t v, size_t p, size_t n);
/* Failed (variant, point) pairs over the whole sweep. */
TW_API size_t tw_sweep_n_failed(const tw_sweep *s);

/* The band of statistic k of country n at point p over variants 1.. (the
 * draws or sets; over variant 0 alone when there are none): median and the
 * 5 % and 95 % quantiles (linear interpolation between order statistics,
 * Hyndman-Fan type 7), the point estimate (variant 0), how many variants
 * converged with the statistic given (n) and how many failed.  Failed
 * variants are counted, never used; a NaN statistic (consumer_cost without
 * household consumption) is left out, and with none left the median and
 * quantiles are NaN, written as absent (empty, "-"), never as 0.
 * k = TW_SWEEP_N_STATS gives the band of the Nash tariff (Nash mode; NaN for
 * countries that are not players).  TW_EARG for indices out of range or a
 * sweep without results; TW_ENOMEM. */
typedef struct tw_band {
    double point, median, p5, p95;
    size_t n, failed;
} tw_band;
TW_API tw_status tw_sweep_band(const tw_sweep *s, size_t p, size_t n, size_t k, tw_band *out);

/* Writers (return 0, or -1 on a write error or when results are missing).
 * Per-variant CSV: one row per (variant, point, country): theta, draw, point,
 * one column per axis, country, the statistics, nash_tariff_pct (Nash mode),
 * converged, iterations, residual; numbers as "%.17g", a failed point's
 * statistics empty.  Summary CSV: one row per (point, country, statistic)
 * with point, median, p5, p95, n, failed.  Summary table: readable. */
TW_API int tw_sweep_write_csv(FILE *out, const tw_sweep *s);
TW_API int tw_sweep_write_summary_csv(FILE *out, const tw_sweep *s);
TW_API int tw_sweep_write_summary(FILE *out, const tw_sweep *s);

#ifdef __cplusplus
}
#endif
#endif
