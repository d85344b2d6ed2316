/* mpi_module.c - the MPI calls of `tradewar sweep`, built as the mpi module
 * (tradewar-mpi.so, opened by cli/sweep_mpi.c only when a launcher started
 * the sweep).  The protocol and its invariant are cli/sweep_mpi.c's: every
 * rank reaches every collective call in the same order whatever failed
 * where. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "modules.h"

#define MSG_MAX 768

static int mpi_init(int *argc, char ***argv, int *rank, int *size)
{
    int provided;
    /* worker threads never call MPI: only the main thread does */
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "tradewar: sweep: MPI could not start\n");
        return 3;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    return 0;
}

/* Rank 0 prints the message of the lowest failing rank (every holds size
 * messages of MSG_MAX). */
static void print_first(const char *every, int size)
{
    for (int r = 0; every && r < size; r++) {
        const char *m = every + (size_t)r * MSG_MAX;
        if (!m[0]) continue;
        if (r == 0)
            fprintf(stderr, "%s\n", m);
        else
            fprintf(stderr, "tradewar: sweep: rank %d: %s\n", r,
                    m + (strncmp(m, "tradewar: ", 10) ? 0 : 10));
        return;
    }
}

static int mpi_agree(int rc, const char *msg)
{
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
    if (rank == 0) print_first(every, size);
    free(every);
    return all;
}

static int mpi_gather(tw_sweep *s)
{
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
}

static void mpi_end(void)
{
    MPI_Finalize();
}

const tw_module_mpi tw_module_mpi_calls = {mpi_init, mpi_agree, mpi_gather, mpi_end};
