/* sweep_mpi.h - the MPI side of `tradewar sweep`: start, agree on errors,
 * gather results on rank 0.  Without MPI at build time these run as one
 * process (rank 0 of 1) and refuse a multi-process launch. */
#ifndef TW_CLI_SWEEP_MPI_H
#define TW_CLI_SWEEP_MPI_H

#include "tradewar/sweep.h"

/* The rank a launcher (mpirun, srun) gave this process, from its environment,
 * before MPI starts; 0 when not launched by one. */
int sweep_env_rank(void);
/* Start MPI when launched by mpirun or srun; *rank and *size get this
 * process's place (0 and 1 otherwise).  Returns 0, or an exit code after
 * printing why (on rank 0 only). */
int sweep_mpi_start(int *argc, char ***argv, int *rank, int *size);
/* Every rank passes its exit code and error text (NULL when rc is 0); all get
 * the largest code, and rank 0 prints the text of the lowest failing rank. */
int sweep_mpi_agree(int rc, const char *msg);
/* Move every unit's block to rank 0 (units k with k % size == r come from
 * rank r).  0, or an exit code. */
int sweep_mpi_gather(tw_sweep *s);
/* Wall clock in seconds. */
void sweep_mpi_end(void);

#endif
