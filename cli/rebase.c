/* rebase.c - the rebase subcommand: a world's trade moved to newer totals.
 *
 * A thin shell over tw_rebase(): reads the options, writes the new world
 * directory atomically (tw_draft_write: nothing half-written), prints the
 * repairs and notes, and loads the result back so that a world `tradewar
 * validate` would refuse is never reported. */
#include <stdio.h>
#include <stdlib.h>

#include "tradewar/rebase.h"
#include "cli.h"

static const char *const usage_rebase =
    "usage: tradewar rebase [--world DIR|NAME] --totals FILE --gdp FILE --out DIR\n"
    "                       [options]\n"
    "\n"
    "Move a world's trade to the totals of a later year, keeping its input-output\n"
    "structure (docs/rebase.md).  Foreign goods flows become the bilateral totals,\n"
    "split by sector with the later year's mix (--sector-flows) or the world's own;\n"
    "value added becomes GDP; services trade grows with GDP; domestic sales are\n"
    "solved so that final demand keeps the world's mix.  The zero shock of the\n"
    "result is exact.\n"
    "\n"
    "  --totals FILE        importer,exporter,value: foreign goods flows (e.g. BACI)\n"
    "  --gdp FILE           GDP by country, columns country,gdp\n"
    "  --gdp-column NAME    the GDP file's value column (default gdp)\n"
    "  --gdp-country-column NAME\n"
    "                       the GDP file's country column (default country)\n"
    "  --gdp-scale X        multiply GDP by X to reach the world's units\n"
    "                       (1e-6: USD -> USD million)\n"
    "  --totals-scale X     multiply the totals by X (units, or FOB -> basic prices)\n"
    "  --sector-flows FILE  importer,exporter,sector,value of a later year: its goods\n"
    "                       mix splits each pair's total\n"
    "  --concordance FILE   sector,world_sector for --sector-flows (empty\n"
    "                       world_sector: not goods, skipped)\n"
    "  --countries FILE     code,region: codes of the files into the world's regions\n"
    "  --rest REGION        the region of every code neither mapped nor in the world\n"
    "                       (e.g. ROW)\n"
    "  --year Y             the year of the new world (meta.csv)\n"
    "  --out DIR            world directory to write (created if absent)\n"
    "\n"
    "A region no totals row reaches keeps its flows, grown with its partners' trade;\n"
    "a region with no GDP grows with the others.  Both are flagged.  Every step and\n"
    "repair is printed on stderr and listed in DIR/README.md.\n"
    "Exit codes: 0 ok, 2 bad input or usage, 3 I/O error.\n";

static int write_world(tw_draft *d, const tw_rebase_stats *s, const char *from, const char *out,
                       int argc, char **argv)
{
    int rc;
    tw_world *w = cli_publish_draft(d, out, argc, argv, &rc);
    if (!w) return rc;
    /* the sectors are the world's: its named elasticity sets still apply */
    if ((rc = cli_copy_world_file(from, out, "elasticities.csv")) != 0) {
        tw_world_free(w);
        return rc;
    }
    printf("ok: %s: %zu countries x %zu sectors; balancing: %zu rounds at most, %zu domestic "
           "sales held at 0, residual %.3g\n", out, tw_world_n_countries(w),
           tw_world_n_sectors(w), s->iterations, s->held_at_zero, s->max_residual);
    tw_world_free(w);
    return 0;
}

int cmd_rebase(int argc, char **argv)
{
    const char *world = NULL, *out = NULL;
    tw_rebase_opts o = {0};
    const cli_opt opts[] = {
        CLI_STRING("--world", &world),
        CLI_STRING("--totals", &o.totals),
        CLI_STRING("--gdp", &o.gdp),
        CLI_STRING("--gdp-column", &o.gdp_value),
        CLI_STRING("--gdp-country-column", &o.gdp_country),
        CLI_NUM("--gdp-scale", &o.gdp_scale, CLI_ABOVE_0, 1e300,
                "--gdp-scale \"%s\" is not valid (expected a number > 0)"),
        CLI_NUM("--totals-scale", &o.totals_scale, CLI_ABOVE_0, 1e300,
                "--totals-scale \"%s\" is not valid (expected a number > 0)"),
        CLI_STRING("--sector-flows", &o.sector_flows),
        CLI_STRING("--concordance", &o.concordance),
        CLI_STRING("--countries", &o.countries),
        CLI_STRING("--rest", &o.rest),
        CLI_STRING("--year", &o.year),
        CLI_STRING("--out", &out),
        CLI_END,
    };
    const cli_parser p = {.cmd = "rebase", .usage = usage_rebase, .opts = opts};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc >= 0) return rc;
    if (!out) return cli_usage_error("rebase", "%s", "--out DIR is required");
    if (!o.totals) return cli_usage_error("rebase", "%s", "--totals FILE is required");
    if (!o.gdp) return cli_usage_error("rebase", "%s", "--gdp FILE is required");
    if (!o.sector_flows != !o.concordance)
        return cli_usage_error("rebase", "%s", "--sector-flows and --concordance go together");
    tw_error err;
    tw_error_clear(&err);
    tw_world *w = cli_load_world(world, &err);
    if (!w) return cli_fail(&err);
    tw_rebase_stats s;
    tw_draft *d = tw_rebase(w, &o, &s, &err);
    rc = d ? write_world(d, &s, tw_world_dir(w), out, argc, argv) : cli_fail(&err);
    tw_draft_free(d);
    tw_world_free(w);
    return rc;
}
