/* solve_impl.h - layouts of tw_solver and tw_result, and the interface each
 * outer method implements (private). */
#ifndef TW_SOLVE_IMPL_H
#define TW_SOLVE_IMPL_H

#include "tradewar/solve.h"
#include "model.h"
#include "world/base.h"

/* The tariff directions of a gradient: parameter param[q] sets cell cell[q]
 * (flat [n][i][j]) of the tariffs, q < n_cells; several cells may share a
 * parameter, which then moves them together. */
typedef struct tw_solver_dirs {
    size_t n_cells, n_params;
    const size_t *cell, *param;
} tw_solver_dirs;

typedef struct tw_outer_stats {
    size_t iterations;
    double residual;  /* max |Z| at the end */
    size_t worst;     /* country with the largest |Z| at the end */
} tw_outer_stats;

struct tw_solver {
    const tw_world *w;
    const tw_base *base0;     /* the world's baseline (borrowed) */
    tw_base *purged;          /* zero-deficit baseline, built on first use */
    double tol;
    size_t max_iter;          /* 0 = the method's default */
    tw_method method;
    tw_deficits deficits;
    double step;
    tw_model *model0, *modelp; /* workspaces for base0 and purged */
    double *jac0, *jacp;      /* cached zero-shock Jacobians (N*N) or NULL */
    double *jac_last;         /* final Jacobian of the last solve, for warm starts */
    const tw_base *jac_last_base;
    struct fwd_cache *fwd;    /* the forward derivative's block inverses (forward.c) */
    size_t last_iter;
    double last_resid;
    size_t purge_evals;       /* evaluations of the purge in the current solve */
    /* the baseline gap (tw_result_baseline_gap) per deficit rule, found once */
    int gap_done[2];
    double gap[2];            /* W_hat - 1 of gap_country; 0 = an equilibrium */
    size_t gap_country[2];
};

struct tw_result {
    tw_base *base;            /* the baseline the changes are relative to */
    size_t N, J;
    tw_method method;
    tw_deficits deficits;
    size_t iterations, evaluations;
    size_t evaluations_purge; /* tw_result_evaluations_purge */
    double residual;
    double gap;               /* tw_result_baseline_gap */
    size_t gap_country;
    double *tau1, *dhat, *Dp; /* the shock */
    double *w_hat, *P_hat, *c_hat, *X, *trade1; /* solution */
    double *welfare, *real_wage, *price_index, *income_hat, *tot, *vot;
    double *exports1, *imports1, *revenue1, *income1;
};

/* Outer methods: solve Z(ln w) = 0 with sum_n w_n VA_n = sum_n VA_n, starting
 * from lnw (updated in place).  jac0 (N*N, column-major) is a starting
 * Jacobian, or NULL to compute one (model_jacobian); jac_out (may be
 * NULL) receives the final (Broyden-updated) Jacobian on success. */
tw_status outer_newton(tw_model *m, double *lnw, double tol, size_t max_iter,
                       const double *jac0, double *jac_out, tw_outer_stats *st,
                       tw_error *err);
/* Jacobian of the Newton system at lnw (column-major N*N): one evaluation at
 * lnw, then the derivative of the balances by implicit differentiation. */
tw_status newton_jacobian(tw_model *m, const double *lnw, double *J, tw_error *err);
/* The same by forward differences (N + 1 evaluations): a reference for tests. */
tw_status newton_jacobian_fd(tw_model *m, const double *lnw, double *J, tw_error *err);
/* newton_jacobian with the linear iterations run to the gradients' tolerance
 * (model_jacobian_precise): a check of the implicit differentiation. */
tw_status newton_jacobian_precise(tw_model *m, const double *lnw, double *J, tw_error *err);
/* dZ/d lnw (column-major N*N: dZ[c*N + r] = dZ_r / d lnw_c) at the point m
 * last evaluated, lnw (src/solve/jacobian.c).  Reads the model's state and
 * changes nothing in it; TW_ENOCONV when a linear iteration does not
 * converge, TW_ENOMEM. */
tw_status model_jacobian(const tw_model *m, const double *lnw, double *dZ, tw_error *err);
/* model_jacobian's linear iterations stop at a relative change of 1e-3: it
 * starts a quasi-Newton solve.  model_jacobian_precise runs them to 1e-8, as
 * the gradients below do. */
tw_status model_jacobian_precise(const tw_model *m, const double *lnw, double *dZ,
                                 tw_error *err);
/* model_jacobian and, when dW is not NULL, the derivative of log welfare
 * (eq. 6) with respect to log wages at the same point, column-major N*N:
 * dW[c*N + r] = d ln W_hat_r / d lnw_c. */
tw_status model_jacobian_welfare(const tw_model *m, const double *lnw, double *dZ, double *dW,
                                 tw_error *err);
/* Pieces the implicit derivatives share (src/solve/jacobian.c, model.c):
 * model_own_entry, entry (j, k) of country n's own block of I - A at the
 * point m last evaluated (prices, spending = 0: I - diag(pi'_nn) Gamma_n';
 * spending: I - Gamma_n diag(g_nn) - alpha_n r_n'); model_invert_block,
 * inv = a^-1 for the J x J row-major a (destroyed) by Gauss-Jordan with
 * partial pivoting, -1 when singular; model_cell_split, the flat [n][i][j]
 * cell c as n, i, j (and model_unit_costs, model.h). */
double model_own_entry(const tw_model *m, size_t n, size_t j, size_t k, int spending);
int model_invert_block(size_t J, double *restrict a, double *restrict inv);
void model_cell_split(size_t N, size_t J, size_t c, size_t *n, size_t *i, size_t *j);
/* The same in the tariff directions d at fixed wages lnw (the point m last
 * evaluated): dZ[p*N + r] = dZ_r / d x_p and, when dW is not NULL,
 * dW[p*N + r] = d ln W_hat_r / d x_p, p < d->n_params. */
tw_status model_tariff_jacobian(const tw_model *m, const double *lnw, const tw_solver_dirs *d,
                                double *dZ, double *dW, tw_error *err);
tw_status outer_tatonnement(tw_model *m, double *lnw, double tol, size_t max_iter,
                            double step, tw_outer_stats *st, tw_error *err);

/* Welfare objectives and their gradients at the equilibrium r that solver s
 * (its current deficit rule) found for shock (NULL: the baseline tariffs),
 * by the implicit function theorem (src/solve/adjoint.c): objective k < K is
 * sum_n omega[k*N + n] W_hat_n; f[k] (f may be NULL) gets its value and
 * grad[k*n_params + p] its derivative with respect to parameter p of d.
 * Costs one model evaluation and the implicit derivatives in the N wage and
 * n_params tariff directions (no solve).  Leaves the model's warm start and the solver's
 * cached Jacobians as a solve would; TW_EARG when r is not from s,
 * TW_ENOCONV when an evaluation fails or the Jacobian is singular,
 * TW_ENOMEM. */
tw_status solver_welfare_gradient(tw_solver *s, const tw_shock *shock, const tw_result *r,
                                  size_t K, const double *omega, const tw_solver_dirs *d,
                                  double *f, double *grad, tw_error *err);

/* The tangent of the equilibrium along one tariff direction (each array
 * caller-allocated, or NULL when not wanted): d ln w_hat [n], d ln P_hat and
 * d X' [n][j] per unit of the tariff parameter. */
typedef struct tw_solver_tangent {
    double *dlnw, *dlnP, *dX;
} tw_solver_tangent;

/* The derivative of sum_n omega[n] W_hat_n along ONE tariff direction (d
 * with n_params 1) at the equilibrium r that solver s found for shock (NULL:
 * the baseline tariffs), by the implicit function theorem in forward mode
 * (src/solve/forward.c): the wage tangent by GMRES on the implicit Jacobian,
 * whose products are single directions of the implicit derivatives,
 * preconditioned by the solver's last Jacobian; the N x N Jacobian is never
 * built.  fresh: r is what s's last run returned, for this shock, and s
 * has not been used since, so its model still holds r's state and the
 * evaluation that puts it there (with the shock's tariffs) is skipped.
 * *f (f may be NULL) gets the objective, *df its derivative, tan
 * (may be NULL) the tangent.  Costs one model evaluation and a few passes of
 * the implicit derivatives in one direction (no solve).  Leaves the model's
 * warm start and the solver's cached Jacobians as a solve would; TW_EARG
 * when r is not from s or d has more than one parameter, TW_ENOCONV when an
 * evaluation or a linear iteration fails, TW_ENOMEM. */
tw_status solver_welfare_direction(tw_solver *s, const tw_shock *shock, const tw_result *r,
                                   int fresh, const double *omega, const tw_solver_dirs *d,
                                   double *f, double *df, tw_solver_tangent *tan, tw_error *err);

/* Free the forward derivative's cache (NULL: nothing). */
void fwd_cache_free(struct fwd_cache *c);

/* A deep copy of r, or NULL when out of memory. */
tw_result *result_clone(const tw_result *r);

/* Fill the result's derived outputs (welfare, decomposition, levels). */
void result_finish(tw_result *r);

/* tw_result_check with its workspace failure told apart: the largest
 * relative residual of eqs. 1-5 in *out, or TW_ENOMEM. */
tw_status result_residual(const tw_result *r, double *out);

#endif
