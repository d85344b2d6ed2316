/* main.c - the tradewar command: parses arguments, calls the library, prints.
 *
 * A thin shell (STYLE.md): every number comes from libtradewar.  Only main()
 * returns an exit code: 0 ok, 1 model or solver failure, 2 bad input or usage,
 * 3 I/O or out of memory.  Errors are one line on stderr, "tradewar: <where>:
 * <what>", with an optional hint line. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *const usage_main =
    "usage: tradewar [--version] [--help] COMMAND [options]\n"
    "\n"
    "Trade-war and trade-talks simulator: a multi-country, multi-sector trade model\n"
    "with input-output links (Caliendo-Parro 2015) solved in exact hat algebra.\n"
    "\n"
    "commands:\n"
    "  info       summarise a world: year, size, totals, largest flows, tariffs\n"
    "  validate   check a world directory and report the first problem\n"
    "  solve      solve a tariff / non-tariff-barrier counterfactual\n"
    "  timeline   replay a dated scenario step by step (default: US-China 2025)\n"
    "  optimal    best-response tariffs of one country\n"
    "  nash       Nash equilibrium of a tariff war among players\n"
    "  talks      trade talks: bargaining solution, frontier, concessions\n"
    "  escalate   the path of a tit-for-tat escalation\n"
    "  cooperate  efficient tariffs: a weighted sum of welfare, Pareto improvements\n"
    "  import     turn an ICIO, WIOD or bilateral trade table into a world\n"
    "  aggregate  merge countries and sectors of a world into groups\n"
    "  rebase     move a world's trade to newer totals, its production kept\n"
    "  split      carve a new country out of a region (ROW -> VNM + ROW)\n"
    "  export     a world or a result as one tidy CSV or JSON file\n"
    "  serve      the web dashboard and JSON API on http://127.0.0.1:8080/\n"
    "  runs       list, show and compare saved runs (solve/timeline --save)\n"
    "  sweep      elasticity draws and tariff grids: bands and maps (threads, MPI)\n"
    "\n"
    "Every command takes --help.  The default world is the embedded world2011\n"
    "(WIOD 2011 flows, 2014 tariffs); --world NAME picks another embedded world\n"
    "(world2011-full, cp1993, cp1993-balanced) and --world DIR a directory.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("tradewar %s\n", TW_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "serve")) return cmd_serve(argc - 1, argv + 1);
    cli_heap_setup();
    if (!strcmp(cmd, "info")) return cmd_info(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate")) return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "solve")) return cmd_solve(argc - 1, argv + 1);
    if (!strcmp(cmd, "timeline")) return cmd_timeline(argc - 1, argv + 1);
    if (!strcmp(cmd, "optimal")) return cmd_optimal(argc - 1, argv + 1);
    if (!strcmp(cmd, "nash")) return cmd_nash(argc - 1, argv + 1);
    if (!strcmp(cmd, "talks")) return cmd_talks(argc - 1, argv + 1);
    if (!strcmp(cmd, "escalate")) return cmd_escalate(argc - 1, argv + 1);
    if (!strcmp(cmd, "cooperate")) return cmd_cooperate(argc - 1, argv + 1);
    if (!strcmp(cmd, "import")) return cmd_import(argc - 1, argv + 1);
    if (!strcmp(cmd, "aggregate")) return cmd_aggregate(argc - 1, argv + 1);
    if (!strcmp(cmd, "rebase")) return cmd_rebase(argc - 1, argv + 1);
    if (!strcmp(cmd, "split")) return cmd_split(argc - 1, argv + 1);
    if (!strcmp(cmd, "export")) return cmd_export(argc - 1, argv + 1);
    if (!strcmp(cmd, "runs")) return cmd_runs(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep")) return cmd_sweep(argc - 1, argv + 1);
    fprintf(stderr, "tradewar: unknown command \"%s\"\n  hint: run 'tradewar --help'\n", cmd);
    return 2;
}
