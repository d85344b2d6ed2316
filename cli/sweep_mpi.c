/* sweep_mpi.c - `tradewar sweep` across processes with MPI (OpenMPI).
 *
 * MPI starts only when a sweep runs under a launcher (mpirun/mpiexec set
 * OMPI_COMM_WORLD_SIZE, srun --mpi=pmix sets PMIX_RANK, MPICH-style launchers
 * PMI_SIZE), so every other use of the tradewar command never touches MPI.
 * Ranks compute the units k with k % size == rank (tw_sweep_run), then send
 * their blocks to rank 0 (in unit order, one message each), which holds every unit afterwards and alone writes
 * output.  Invariant: every rank reaches every collective call in the same
 * order whatever failed where, so an error on one rank ends all of them
 * instead of leaving the others waiting.  Built without MPI (TW_HAVE_MPI
 * unset), a multi-process launch is refused: each process would otherwise
 * compute everything and write the same file.  The MPI calls themselves are
 * in the mpi module (cli/mpi_module.c), opened only under a launcher, so a
 * command that never runs MPI never loads its libraries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sweep_mpi.h"

#ifdef TW_HAVE_MPI
#include "cli.h"
#include "modules.h"
/* MPI's calls once MPI_Init ran in this process (CLI state, not library) */
static const tw_module_mpi *mpi;
#endif

static long env_long(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : -1;
}

int sweep_env_rank(void)
{
    const char *names[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"};
    for (size_t k = 0; k < 3; k++)
        if (env_long(names[k]) >= 0) return (int)env_long(names[k]);
    return 0;
}

/* How many processes the launcher started (1 when unknown or none). */
static long env_size(void)
{
    /* not SLURM_NTASKS: a batch script that runs one tradewar sees it too */
    const char *names[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"};
    long best = 1;
    for (size_t k = 0; k < 2; k++)
        if (env_long(names[k]) > best) best = env_long(names[k]);
    return best;
}

static int launched(void)
{
    return env_long("OMPI_COMM_WORLD_SIZE") > 0 || env_long("PMIX_RANK") >= 0 ||
           env_long("PMI_SIZE") > 0;
}

int sweep_mpi_start(int *argc, char ***argv, int *rank, int *size)
{
    *rank = 0;
    *size = 1;
#ifdef TW_HAVE_MPI
    if (launched()) {
        /* the MPI libraries live in the mpi module: loaded only here */
        const tw_module_mpi *calls =
            (const tw_module_mpi *)cli_module_data("mpi", "tw_module_mpi_calls");
        if (!calls) return 3;
        int rc = calls->init(argc, argv, rank, size);
        if (rc) return rc;
        mpi = calls;
    }
#endif
    if (*size == 1 && env_long("SLURM_PROCID") > 0) {
        /* task k > 0 of a plain srun: MPI did not join the tasks */
        fprintf(stderr, "tradewar: sweep: Slurm task %ld runs outside MPI\n"
                        "  hint: srun --mpi=pmix tradewar sweep ... (see `srun --mpi=list`)\n",
                env_long("SLURM_PROCID"));
        return 2;
    }
    if (*size == 1 && env_size() > 1) {
        if (sweep_env_rank() == 0)
            fprintf(stderr,
                    "tradewar: sweep: started as %ld processes but %s\n"
                    "  hint: %s\n",
                    env_size(),
#ifdef TW_HAVE_MPI
                    "MPI sees only one (each would compute the whole sweep)",
                    "the launcher and the MPI library tradewar was built with must match"
#else
                    "this tradewar was built without MPI",
                    "install libopenmpi-dev (scripts/install-deps) and rebuild, or use --threads"
#endif
            );
        return 2;
    }
    return 0;
}

int sweep_mpi_agree(int rc, const char *msg)
{
#ifdef TW_HAVE_MPI
    if (mpi) return mpi->agree(rc, msg);
#endif
    if (rc && msg) fprintf(stderr, "%s\n", msg);
    return rc;
}

int sweep_mpi_gather(tw_sweep *s)
{
#ifdef TW_HAVE_MPI
    if (mpi) return mpi->gather(s);
#endif
    (void)s;
    return 0;
}

void sweep_mpi_end(void)
{
#ifdef TW_HAVE_MPI
    if (mpi) mpi->end();
    mpi = NULL;
#endif
}
