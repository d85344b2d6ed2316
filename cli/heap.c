/* heap.c - the one-shot commands' heap: one region in transparent huge
 * pages instead of thousands of 4 KiB page faults.
 *
 * A solve on world2011-full touches about 13 MiB of arrays (the world, the
 * Jacobian's derivative arrays, the result), each a block glibc would take
 * from mmap and give back on free.  Every first touch of a 4 KiB page is a
 * page fault: about 3,400 of them, a fifth of the command's time on a
 * virtual machine.  So the command asks glibc to serve every block from the
 * heap (no mmap below 32 MiB), to grow the heap 64 MiB at a time and never to
 * shrink it, and advises the kernel to back that region with 2 MiB pages
 * (madvise MADV_HUGEPAGE; honoured when transparent huge pages are "always"
 * or "madvise", ignored otherwise).  Freed blocks are reused in place.
 * Nothing here changes a result: only where memory comes from.  The server
 * keeps glibc's defaults (it is long-lived and gives memory back). */
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

#define HEAP_BIG (32u << 20)   /* glibc's largest mmap threshold */
#define HEAP_STEP (64u << 20)  /* heap growth, and what is advised */
#define HEAP_KEEP (256u << 20) /* free space at the top kept, not trimmed */
#define HEAP_PROBE (1u << 20)  /* more than the start-up heap has free */
#define HUGE_PAGE ((uintptr_t)2 << 20)

void cli_heap_setup(void)
{
    if (!mallopt(M_MMAP_THRESHOLD, HEAP_BIG) || !mallopt(M_TOP_PAD, HEAP_STEP) ||
        !mallopt(M_TRIM_THRESHOLD, HEAP_KEEP))
        return;
    /* a block larger than the start-up heap's free space grows it by
     * HEAP_STEP more: advise what was added */
    void *first = malloc(HEAP_PROBE);
    if (!first) return;
    uintptr_t at = (uintptr_t)first, top = (uintptr_t)sbrk(0);
    uintptr_t lo = (at + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1), hi = top & ~(HUGE_PAGE - 1);
    /* only when the block came from the heap just grown (not from mmap, nor
     * from an allocator that is not glibc's, as under a sanitizer) */
    if (at < top && top - at <= HEAP_STEP + 2 * HEAP_PROBE && hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    free(first);
}
