/* sweep_impl.h - the layout of tw_sweep (private to libtradewar).
 *
 * Results live in one array res[variant][point][rec] so that a unit of work
 * (one variant, one chain of consecutive points) is one contiguous block that
 * can be moved between processes as it is. */
#ifndef TW_SWEEP_IMPL_H
#define TW_SWEEP_IMPL_H

#include "tradewar/report.h"
#include "tradewar/sweep.h"

/* record of one (variant, point): converged, iterations, residual, then
 * stats[n][k], then (Nash mode) the tariff of each country */
#define SW_CONV 0
#define SW_ITER 1
#define SW_RESID 2
#define SW_STATS 3

typedef struct sw_axis {
    char *label;       /* "USA,CHN,*" as written */
    long importer;     /* -1 for '*' */
    size_t n_cells;
    size_t *cells;     /* [n][i][j] indices the axis sets */
    size_t count;
    double *values;    /* [count] levels */
} sw_axis;

typedef enum sw_kind { SW_NONE = 0, SW_DRAWS, SW_SETS } sw_kind;

struct tw_sweep {
    const tw_world *w;
    size_t N, J, cells;
    double *tau, *dhat;   /* [cells] the policy the grid is laid over */
    double tol;
    size_t max_iter;
    tw_method method;
    tw_deficits deficits;
    int warm;
    sw_kind kind;
    size_t n_draws;       /* draws or sets */
    uint64_t seed;
    double sigma;
    char **set_name;      /* [n_draws] for sets */
    double *set_theta;    /* [n_draws][J] for sets */
    size_t n_axes;
    sw_axis *axes;
    size_t n_points;
    size_t n_players;
    size_t *players;
    size_t rec;           /* doubles per record */
    double *res;          /* [variants][points][rec], made on first use */
    unsigned char *done;  /* [units] */
};

/* Allocate res and done when they are not there yet (freezes the plan). */
tw_status tw_sweep_alloc_results(tw_sweep *s, tw_error *err);
/* The variant and the first and one-past-last point of unit k. */
void tw_sweep_unit_range(const tw_sweep *s, size_t k, size_t *v, size_t *p0, size_t *p1);
/* The elasticities of variant v into theta[J]. */
void tw_sweep_variant_theta(const tw_sweep *s, size_t v, double *theta);
/* The result column of statistic k (< TW_SWEEP_N_STATS). */
const tw_column *tw_sweep_stat_column(size_t k);
/* The record of (v, p). */
double *tw_sweep_record(const tw_sweep *s, size_t v, size_t p);

#endif
