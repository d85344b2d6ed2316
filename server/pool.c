/* pool.c - solvers kept between solve requests (pool.h). */
#include <stdlib.h>
#include <string.h>

#include "pool.h"

void srv_pool_init(srv_pool *p)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
}

static void entry_free(srv_pooled *e)
{
    if (!e) return;
    tw_solver_free(e->sv);
    srv_world_release(&e->own);
    free(e->elast);
    free(e);
}

void srv_pool_free(srv_pool *p)
{
    for (size_t k = 0; k < p->n; k++) entry_free(p->idle[k]);
    p->n = 0;
    pthread_mutex_destroy(&p->lock);
}

static int same_key(const srv_pooled *e, const srv_world *base, const char *elast,
                    const srv_solve_opts *so)
{
    return e->base == base && !e->elast == !elast && (!elast || strcmp(e->elast, elast) == 0) &&
           e->so.method == so->method && e->so.deficits == so->deficits && e->so.tol == so->tol;
}

/* A new solver for the key, with the world it solves. */
static srv_pooled *entry_new(const srv_world *base, const char *elast, const srv_solve_opts *so,
                             tw_error *err)
{
    srv_pooled *e = calloc(1, sizeof *e);
    if (!e || (elast && !(e->elast = strdup(elast)))) {
        free(e);
        tw_error_set(err, TW_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    e->base = base;
    e->so = *so;
    e->sw = srv_world_with_elasticities(base, elast, &e->own, err);
    if (e->sw) e->sv = tw_solver_create(e->sw->w, err);
    if (!e->sv) {
        entry_free(e);
        return NULL;
    }
    tw_solver_set_tol(e->sv, so->tol);
    tw_solver_set_method(e->sv, so->method);
    tw_solver_set_deficits(e->sv, so->deficits);
    return e;
}

srv_pooled *srv_pool_take(srv_pool *p, const srv_world *base, const char *elast,
                          const srv_solve_opts *so, tw_error *err)
{
    srv_pooled *e = NULL;
    pthread_mutex_lock(&p->lock);
    for (size_t k = 0; k < p->n; k++) /* any: each holds the same caches */
        if (same_key(p->idle[k], base, elast, so)) {
            e = p->idle[k];
            p->idle[k] = p->idle[--p->n];
            break;
        }
    pthread_mutex_unlock(&p->lock);
    return e ? e : entry_new(base, elast, so, err);
}

void srv_pool_give(srv_pool *p, srv_pooled *e, int keep)
{
    if (!e) return;
    if (!keep) {
        entry_free(e);
        return;
    }
    srv_pooled *drop = NULL;
    pthread_mutex_lock(&p->lock);
    e->used = ++p->clock;
    if (p->n == SRV_POOL_MAX) {
        size_t old = 0;
        for (size_t k = 1; k < p->n; k++)
            if (p->idle[k]->used < p->idle[old]->used) old = k;
        drop = p->idle[old];
        p->idle[old] = e;
    } else {
        p->idle[p->n++] = e;
    }
    pthread_mutex_unlock(&p->lock);
    entry_free(drop);
}
