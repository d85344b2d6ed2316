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
 * compute everything and write the same file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sweep_mpi.h"

#ifdef TW_HAVE_MPI
#include <mpi.h>
static int mpi_on; /* MPI_Init ran in this process (CLI state, not library) */
#endif

#define MSG_MAX 768

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
        int provided;
        /* worker threads never call MPI: only the main thread does */
        if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
            fprintf(stderr, "tradewar: sweep: MPI could not start\n");
            return 3;
        }
        mpi_on = 1;
        MPI_Comm_rank(MPI_COMM_WORLD, rank);
        MPI_Comm_size(MPI_COMM_WORLD, size);
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
    if (mpi_on) {
        int size, rank, all;
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        /* A rank that finishes its units early waits here for the others.
         * MPI's blocking calls wait by spinning, which takes a core from the
         * ranks and threads still solving on the same machine; polling a
         * non-blocking reduction with short sleeps does not. */
        MPI_Request req;
        int flag = 0;
        MPI_Iallreduce(&rc, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &req);
        for (MPI_Test(&req, &flag, MPI_STATUS_IGNORE); !flag;
             MPI_Test(&req, &flag, MPI_STATUS_IGNORE)) {
            struct timespec nap = {0, 1000000};
            nanosleep(&nap, NULL);
        }
        if (all == 0) return 0;
        char mine[MSG_MAX] = "";
        if (rc && msg) snprintf(mine, sizeof mine, "%s", msg);
        char *every = rank == 0 ? calloc((size_t)size, MSG_MAX) : NULL;
        MPI_Gather(mine, MSG_MAX, MPI_CHAR, every, MSG_MAX, MPI_CHAR, 0, MPI_COMM_WORLD);
        if (rank == 0) {
            for (int r = 0; every && r < size; r++)
                if (every[(size_t)r * MSG_MAX]) {
                    if (r == 0)
                        fprintf(stderr, "%s\n", every);
                    else
                        fprintf(stderr, "tradewar: sweep: rank %d: %s\n", r,
                                every + (size_t)r * MSG_MAX +
                                    (strncmp(every + (size_t)r * MSG_MAX, "tradewar: ", 10) ? 0 : 10));
                    break;
                }
            free(every);
        }
        return all;
    }
#endif
    if (rc && msg) fprintf(stderr, "%s\n", msg);
    return rc;
}

int sweep_mpi_gather(tw_sweep *s)
{
#ifdef TW_HAVE_MPI
    if (!mpi_on) return 0;
    int size, rank;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (size == 1) return 0;
    /* one message per unit, straight from and into the result array: a
     * block is at most TW_SWEEP_CHAIN records, so nothing needs packing and
     * nothing can fail to allocate here */
    size_t nu = tw_sweep_n_units(s), len;
    for (size_t k = 0; k < nu; k++) {
        int owner = (int)(k % (size_t)size);
        if (owner == 0 || (rank != 0 && rank != owner)) continue;
        double *b = tw_sweep_unit_block(s, k, &len);
        if (rank == owner) {
            MPI_Send(b, (int)len, MPI_DOUBLE, 0, 7, MPI_COMM_WORLD);
        } else {
            MPI_Recv(b, (int)len, MPI_DOUBLE, owner, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            tw_sweep_unit_done(s, k);
        }
    }
    return 0;
#else
    (void)s;
    return 0;
#endif
}

void sweep_mpi_end(void)
{
#ifdef TW_HAVE_MPI
    if (mpi_on) MPI_Finalize();
    mpi_on = 0;
#endif
}
