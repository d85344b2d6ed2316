/* aggregate.c - the aggregate subcommand: merge countries and sectors of a world.
 *
 * A thin shell over tw_aggregate(): reads the maps, writes the new world
 * directory atomically, prints the notes and repairs, and loads the result
 * back so that a world `tradewar validate` would refuse is never reported. */
#include <stdio.h>
#include <string.h>

#include "tradewar/data.h"
#include "cli.h"

static const char *const usage_aggregate =
    "usage: tradewar aggregate [--world DIR|NAME] [--countries MAP.csv]\n"
    "                          [--sectors MAP.csv] --out DIR\n"
    "\n"
    "Merge countries and/or sectors of a world into groups.  A map is a CSV\n"
    "code,group[,name] with one row for every country (sector) of the world.\n"
    "Flows are summed before any share is taken; tariffs are trade-weighted (tariff\n"
    "revenue between groups is unchanged); theta of a merged sector is the mean of\n"
    "its members' theta weighted by their world exports.  See docs/importers.md.\n"
    "\n"
    "Exit codes: 0 ok, 2 bad input or usage, 3 I/O error.\n";

int cmd_aggregate(int argc, char **argv)
{
    const char *world = NULL, *cmap = NULL, *smap = NULL, *out = NULL;
    const cli_opt opts[] = {
        CLI_STRING("--world", &world),
        CLI_STRING("--countries", &cmap),
        CLI_STRING("--sectors", &smap),
        CLI_STRING("--out", &out),
        CLI_END,
    };
    const cli_parser p = {.cmd = "aggregate", .usage = usage_aggregate, .opts = opts};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc >= 0) return rc;
    if (!out) return cli_usage_error("aggregate", "%s", "--out DIR is required");
    if (!cmap && !smap)
        return cli_usage_error("aggregate", "%s", "nothing to merge (give --countries or --sectors)");
    tw_error err;
    tw_error_clear(&err);
    tw_world *w = cli_load_world(world, &err);
    if (!w) return cli_fail(&err);
    tw_draft *d = tw_aggregate(w, cmap, smap, &err);
    tw_world_free(w);
    if (!d) return cli_fail(&err);
    for (size_t k = 0; k < tw_draft_n_repairs(d); k++)
        fprintf(stderr, "tradewar: warning: repair: %s\n", tw_draft_repair(d, k));
    for (size_t k = 0; k < tw_draft_n_notes(d); k++)
        fprintf(stderr, "tradewar: note: %s\n", tw_draft_note(d, k));
    rc = 0;
    if (tw_draft_write(d, out, &err) != TW_OK || !(w = tw_world_load(out, &err))) {
        rc = cli_fail(&err);
    } else {
        printf("ok: %s: %zu countries x %zu sectors\n", out, tw_world_n_countries(w),
               tw_world_n_sectors(w));
        tw_world_free(w);
    }
    tw_draft_free(d);
    return rc;
}
