/* module.c - the parts of the command with heavy libraries, loaded when used.
 *
 * The dashboard server (libmicrohttpd, and through it GnuTLS), charts
 * (PLplot, cairo, freetype) and MPI (OpenMPI, hwloc, libevent) pull in about
 * thirty shared libraries.  Linked into the command, every run would map and
 * relocate all of them: about 9 ms of a 13 ms `tradewar --version`, a tenth
 * of a whole solve.  So they are modules (tradewar-serve.so, tradewar-plot.so,
 * tradewar-mpi.so), opened with dlopen by the commands that need them.  A
 * module is looked for next to the executable (the build tree) and then in
 * the installed module folder (TW_MODULE_DIR, ../lib/tradewar from bin).  Modules call
 * back into the command's own functions (cli.h): the executable exports its
 * symbols (CMake ENABLE_EXPORTS). */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "modules.h"

#ifndef TW_MODULE_DIR
#define TW_MODULE_DIR "../lib/tradewar"
#endif

/* The folder of the running executable into dir; 0, or -1 when unknown. */
static int exe_dir(char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    if (n <= 0 || (size_t)n >= size - 1) return -1;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash) return -1;
    *slash = '\0';
    return 0;
}

/* tradewar-NAME.so next to the executable (the build tree), else in
 * TW_MODULE_DIR relative to the executable's folder (an install, wherever
 * its prefix: bin/../lib/tradewar). */
static void *open_module(const char *name)
{
    char dir[PATH_MAX], path[PATH_MAX + 128];
    if (exe_dir(dir, sizeof dir)) return NULL;
    snprintf(path, sizeof path, "%s/tradewar-%s.so", dir, name);
    if (access(path, F_OK) != 0)
        snprintf(path, sizeof path, "%s/%s/tradewar-%s.so", dir, TW_MODULE_DIR, name);
    return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

void *cli_module_data(const char *module, const char *symbol)
{
    void *h = open_module(module);
    void *p = h ? dlsym(h, symbol) : NULL;
    if (!p) {
        const char *why = dlerror();
        fprintf(stderr, "tradewar: cannot load the %s module: %s\n"
                        "  hint: rebuild (make build) or reinstall tradewar\n",
                module, why ? why : "not found");
    }
    return p;
}

cli_fn cli_module_symbol(const char *module, const char *symbol)
{
    void *p = cli_module_data(module, symbol);
    cli_fn f = NULL;
    /* (POSIX guarantees a pointer from dlsym converts to a function's) */
    if (p) memcpy(&f, &p, sizeof f);
    return f;
}

int cmd_serve(int argc, char **argv)
{
    tw_module_serve_fn *f = (tw_module_serve_fn *)cli_module_symbol("serve", "tw_module_serve");
    return f ? f(argc, argv) : 3;
}

int cli_plot_solve(const char *path, const tw_world *w, const tw_result *r, const char *title)
{
    tw_module_plot_solve_fn *f =
        (tw_module_plot_solve_fn *)cli_module_symbol("plot", "tw_module_plot_solve");
    return f ? f(path, w, r, title) : 3;
}

int cli_plot_timeline(const char *path, const tw_timeline *tl)
{
    tw_module_plot_timeline_fn *f =
        (tw_module_plot_timeline_fn *)cli_module_symbol("plot", "tw_module_plot_timeline");
    return f ? f(path, tl) : 3;
}
