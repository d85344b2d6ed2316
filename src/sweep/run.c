/* run.c - computing the units of a sweep on worker threads.
 *
 * Each worker holds its own world copy (the variant's theta) and makes a
 * fresh solver or game for every unit, so a unit's numbers depend on the unit
 * alone: the first point of a chain is a cold start (the solver's zero-shock
 * Jacobian), each next point is warm-started from its predecessor in the same
 * chain with the same solver (docs/model.md, "Batches and sweeps").  Which
 * thread or process computes a unit, and in what order, cannot change a bit of
 * the results.  Threads take units from a shared counter; the calling thread
 * only waits and reports progress, so the progress callback runs there. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_impl.h"
#include "shock/shock_impl.h"
#include "tradewar/game.h"

typedef struct runner {
    tw_sweep *s;
    const size_t *units;   /* the units this call owns, ascending */
    size_t n_units;
    size_t next, done, active;
    int stop;
    size_t err_unit;       /* the lowest failing unit, whose error is kept */
    tw_error err;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} runner;

/* The statistics of one equilibrium, as `tradewar solve` reports them. */
static void record_result(const tw_sweep *s, double *rec, const tw_result *r)
{
    const tw_column *cols[TW_SWEEP_N_STATS];
    for (size_t k = 0; k < TW_SWEEP_N_STATS; k++) cols[k] = tw_sweep_stat_column(k);
    for (size_t n = 0; n < s->N; n++) {
        double *x = rec + SW_STATS + n * TW_SWEEP_N_STATS;
        for (size_t k = 0; k < TW_SWEEP_N_STATS; k++) x[k] = tw_column_value(cols[k], r, n, 0, 0);
    }
}

static void record_failure(const tw_sweep *s, double *rec, double iter, double resid)
{
    for (size_t q = 0; q < s->rec; q++) rec[q] = NAN;
    rec[SW_CONV] = 0.0;
    rec[SW_ITER] = iter;
    rec[SW_RESID] = resid;
}

/* The policy of point p: the sweep's tariffs and NTBs, then the axes. */
static void fill_shock(const tw_sweep *s, tw_shock *sh, size_t p)
{
    double *tau = tw_shock_tariffs_mut(sh);
    memcpy(tau, s->tau, s->cells * sizeof(double));
    memcpy(tw_shock_dhat_mut(sh), s->dhat, s->cells * sizeof(double));
    for (size_t a = 0; a < s->n_axes; a++) {
        double level = tw_sweep_axis_value(s, a, p);
        for (size_t q = 0; q < s->axes[a].n_cells; q++) tau[s->axes[a].cells[q]] = level;
    }
}

static tw_status nash_point(const tw_sweep *s, const tw_world *w, const tw_shock *sh,
                            double *rec, tw_error *err)
{
    tw_game *g = tw_game_create(w, sh, err);
    if (!g) return err ? err->code : TW_ENOMEM;
    tw_game_set_instrument(g, TW_INSTR_UNIFORM);
    tw_solver *gs = tw_game_solver(g);
    tw_solver_set_deficits(gs, s->deficits);
    tw_solver_set_max_iter(gs, s->max_iter);
    tw_outcome *o = tw_game_nash(g, s->players, s->n_players, 0, err);
    tw_status st = TW_OK;
    if (!o) {
        st = err ? err->code : TW_ENOCONV;
        if (st == TW_ENOCONV) {
            record_failure(s, rec, 0.0, NAN);
            st = TW_OK;
        }
    } else {
        const tw_result *r = tw_outcome_result(o);
        record_result(s, rec, r);
        rec[SW_CONV] = 1.0;
        rec[SW_ITER] = (double)tw_outcome_rounds(o);
        rec[SW_RESID] = tw_result_residual(r);
        double *tar = rec + SW_STATS + s->N * TW_SWEEP_N_STATS;
        for (size_t k = 0; k < tw_outcome_n_players(o); k++)
            if (tw_outcome_n_params(o, k) > 0)
                tar[tw_outcome_player(o, k)] = 100.0 * tw_outcome_params(o, k)[0];
    }
    tw_outcome_free(o);
    tw_game_free(g);
    return st;
}

/* Solve points p0..p1-1 of variant v on world w (the variant's theta). */
static tw_status run_unit(const tw_sweep *s, const tw_world *w, size_t v, size_t p0, size_t p1,
                          tw_error *err)
{
    tw_status st = TW_OK;
    tw_shock *sh = tw_shock_create(w, err);
    tw_solver *sv = sh && !s->n_players ? tw_solver_create(w, err) : NULL;
    if (!sh || (!s->n_players && !sv)) {
        st = err ? err->code : TW_ENOMEM;
        goto done;
    }
    if (sv) {
        tw_solver_set_tol(sv, s->tol);
        tw_solver_set_max_iter(sv, s->max_iter);
        tw_solver_set_method(sv, s->method);
        tw_solver_set_deficits(sv, s->deficits);
    }
    tw_result *prev = NULL;
    for (size_t p = p0; p < p1 && !st; p++) {
        double *rec = tw_sweep_record(s, v, p);
        fill_shock(s, sh, p);
        if (s->n_players) {
            st = nash_point(s, w, sh, rec, err);
            continue;
        }
        tw_result *r = prev && s->warm ? tw_solver_run_from(sv, sh, prev, err)
                                       : tw_solver_run(sv, sh, err);
        tw_result_free(prev);
        prev = r;
        if (r) {
            record_result(s, rec, r);
            rec[SW_CONV] = 1.0;
            rec[SW_ITER] = (double)tw_result_iterations(r);
            rec[SW_RESID] = tw_result_residual(r);
        } else if (err && err->code != TW_ENOCONV) {
            st = err->code;
        } else {
            /* reported as failed; the next point of the chain starts cold */
            record_failure(s, rec, (double)tw_solver_last_iterations(sv),
                           tw_solver_last_residual(sv));
        }
    }
    tw_result_free(prev);
done:
    tw_solver_free(sv);
    tw_shock_free(sh);
    return st;
}

static void *worker(void *arg)
{
    runner *R = arg;
    tw_sweep *s = R->s;
    tw_world *own = NULL;  /* the world copy of variant `have` */
    size_t have = (size_t)-1;
    double *theta = malloc((s->J ? s->J : 1) * sizeof *theta);
    tw_error e;
    for (;;) {
        pthread_mutex_lock(&R->mu);
        if (R->stop || R->next >= R->n_units) {
            pthread_mutex_unlock(&R->mu);
            break;
        }
        size_t k = R->units[R->next++];
        pthread_mutex_unlock(&R->mu);
        size_t v, p0, p1;
        tw_sweep_unit_range(s, k, &v, &p0, &p1);
        tw_error_clear(&e);
        tw_status st = theta ? TW_OK : tw_error_set(&e, TW_ENOMEM, NULL, 0, 0, "out of memory");
        const tw_world *w = s->w;
        if (!st && v > 0 && s->kind != SW_NONE) {
            if (have != v) {
                tw_world_free(own);
                tw_sweep_variant_theta(s, v, theta);
                own = tw_world_with_theta(s->w, theta, &e);
                have = own ? v : (size_t)-1;
                if (!own) st = e.code;
            }
            w = own;
        }
        if (!st) st = run_unit(s, w, v, p0, p1, &e);
        pthread_mutex_lock(&R->mu);
        if (st) {
            if (!R->stop || k < R->err_unit) {
                R->err = e;
                R->err.code = st;
                R->err_unit = k;
            }
            R->stop = 1;
        } else {
            s->done[k] = 1;
            R->done++;
        }
        pthread_cond_signal(&R->cv);
        pthread_mutex_unlock(&R->mu);
    }
    tw_world_free(own);
    free(theta);
    pthread_mutex_lock(&R->mu);
    R->active--;
    pthread_cond_signal(&R->cv);
    pthread_mutex_unlock(&R->mu);
    return NULL;
}

tw_status tw_sweep_run(tw_sweep *s, size_t rank, size_t n_ranks, size_t threads,
                       tw_sweep_progress_fn progress, void *ud, tw_error *err)
{
    if (!s || n_ranks < 1 || rank >= n_ranks || threads < 1)
        return tw_error_set(err, TW_EARG, NULL, 0, 0,
                            "rank %zu of %zu ranks on %zu threads is not a valid split", rank,
                            n_ranks, threads);
    tw_status st = tw_sweep_alloc_results(s, err);
    if (st) return st;
    size_t nu = tw_sweep_n_units(s), mine = 0;
    size_t *units = malloc((nu / n_ranks + 1) * sizeof *units);
    if (!units) return tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
    /* static split over processes: unit k belongs to rank k mod n_ranks */
    for (size_t k = rank; k < nu; k += n_ranks) units[mine++] = k;
    runner R;
    memset(&R, 0, sizeof R);
    R.s = s;
    R.units = units;
    R.n_units = mine;
    tw_error_clear(&R.err);
    pthread_mutex_init(&R.mu, NULL);
    pthread_cond_init(&R.cv, NULL);
    if (threads > mine) threads = mine ? mine : 1;
    pthread_t *tid = malloc(threads * sizeof *tid);
    size_t started = 0;
    pthread_mutex_lock(&R.mu);
    for (size_t t = 0; tid && t < threads; t++) {
        if (pthread_create(&tid[t], NULL, worker, &R) != 0) break;
        started++;
        R.active++;
    }
    size_t shown = (size_t)-1;
    while (started && (R.active > 0 || shown != R.done)) {
        if (progress && shown != R.done) {
            shown = R.done;
            pthread_mutex_unlock(&R.mu);
            progress(ud, shown, mine);
            pthread_mutex_lock(&R.mu);
            continue;
        }
        if (!progress) shown = R.done;
        if (R.active > 0) pthread_cond_wait(&R.cv, &R.mu);
    }
    pthread_mutex_unlock(&R.mu);
    for (size_t t = 0; t < started; t++) pthread_join(tid[t], NULL);
    if (!started) {
        st = tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "cannot start worker threads");
    } else if (R.stop) {
        st = R.err.code;
        if (err) *err = R.err;
    }
    free(tid);
    free(units);
    pthread_cond_destroy(&R.cv);
    pthread_mutex_destroy(&R.mu);
    return st;
}
