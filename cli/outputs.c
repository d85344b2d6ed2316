/* outputs.c - checks of the output options shared by the commands, made
 * before anything is solved: one output format, and a chart file name PLplot
 * has a driver for (the chart itself is drawn by the plot module, plot.c). */
#include <string.h>

#include "cli.h"

const char *cli_plot_driver(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".svg") == 0) return "svg";
    if (n > 4 && strcmp(path + n - 4, ".png") == 0) return "pngcairo";
    return NULL;
}

int cli_plot_check(const char *cmd, const char *path)
{
    if (cli_plot_driver(path)) return 0;
    return cli_usage_error(cmd, "--plot \"%s\" must end in .svg or .png", path);
}

int cli_check_outputs(const char *cmd, int json, int csv, const char *plot)
{
    if (json && csv) return cli_usage_error(cmd, "%s: choose one output format", "--json and --csv");
    if (plot && cli_plot_check(cmd, plot)) return 2;
    return -1;
}
