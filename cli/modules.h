/* modules.h - the entry points of the command's modules (cli/module.c opens
 * them with dlopen and looks these names up).  Each is declared through its
 * type, so the module that defines it and the command that calls it agree.
 *
 *   tradewar-serve.so  serve.c and server/   libmicrohttpd
 *   tradewar-plot.so   plot.c                PLplot
 *   tradewar-mpi.so    mpi_module.c          OpenMPI */
#ifndef TW_CLI_MODULES_H
#define TW_CLI_MODULES_H

#include "tradewar/scenario.h"
#include "tradewar/solve.h"
#include "tradewar/sweep.h"

/* `tradewar serve` (cli/serve.c): an exit code. */
typedef int tw_module_serve_fn(int argc, char **argv);
tw_module_serve_fn tw_module_serve;

/* cli_plot_solve and cli_plot_timeline (cli.h), drawn (cli/plot.c). */
typedef int tw_module_plot_solve_fn(const char *path, const tw_world *w, const tw_result *r,
                                    const char *title);
typedef int tw_module_plot_timeline_fn(const char *path, const tw_timeline *tl);
tw_module_plot_solve_fn tw_module_plot_solve;
tw_module_plot_timeline_fn tw_module_plot_timeline;

/* MPI for `tradewar sweep` under a launcher (cli/mpi_module.c; the rest of
 * the protocol, and when these are called, is cli/sweep_mpi.c's).
 * init: MPI_Init_thread (funneled), this process's rank and the size; 0, or
 * 3 after printing why.  agree: the largest rc over the ranks, rank 0
 * printing the message of the lowest failing one.  gather: every unit's
 * block to rank 0.  end: MPI_Finalize. */
typedef struct tw_module_mpi {
    int (*init)(int *argc, char ***argv, int *rank, int *size);
    int (*agree)(int rc, const char *msg);
    int (*gather)(tw_sweep *s);
    void (*end)(void);
} tw_module_mpi;
extern const tw_module_mpi tw_module_mpi_calls;

#endif
