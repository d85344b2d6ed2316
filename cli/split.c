/* split.c - the split subcommand: carve a new country out of a region.
 *
 * A thin shell over tw_split(): writes the new world directory atomically,
 * copies the world's elasticity sets (the sectors do not change), prints the
 * notes, repairs and the proxy, and loads the result back so that a world
 * `tradewar validate` would refuse is never reported. */
#include <stdio.h>
#include <string.h>

#include "tradewar/data.h"
#include "cli.h"

static const char *const usage_split =
    "usage: tradewar split [--world DIR|NAME] --region CODE --new CODE [--name NAME]\n"
    "                      --totals FILE [--map FILE] --proxy CODE [--gdp VALUE]\n"
    "                      [--rule share|scaled] [--tariffs FILE] --output DIR\n"
    "\n"
    "Split a region of a world in two: a new country (--new) and the rest of the\n"
    "region, which keeps its code.  --totals is the new country's bilateral goods\n"
    "trade, importer,exporter,value, of any year (e.g. BACI 2023): with each partner\n"
    "it gets its share of the region's trade in the totals, applied to the region's\n"
    "flows in the world (--rule share, the default), or its own totals brought to\n"
    "the world's year by the growth of the region's goods trade, at most the\n"
    "region's flows (--rule scaled).  The rest of the region keeps the rest, so\n"
    "every world total and each partner's trade with the region are unchanged.\n"
    "Codes of the totals that are not the world's are assigned by --map\n"
    "(code,region; codes mapped to the region are its other members).\n"
    "\n"
    "The new country borrows the input-output structure, final-demand shares and\n"
    "sector mix of --proxy (an assumption, printed and written in the README: for\n"
    "Viet Nam a manufacturing exporter such as CHN or IDN, not ROW).  --gdp is its\n"
    "GDP in the units and year of the totals (default: its value added is its\n"
    "share of the region's goods trade times the region's).  It pays and faces\n"
    "the region's tariffs, or the rates of --tariffs FILE\n"
    "(importer,exporter[,sector],rate with the new code on one side).  See\n"
    "docs/split.md.\n"
    "\n"
    "Exit codes: 0 ok, 2 bad input or usage, 3 I/O error.\n";

static int report(const tw_split_spec *sp, const char *out)
{
    tw_error err;
    tw_world *w = tw_world_load(out, &err);
    if (!w) return cli_fail(&err);
    long p = tw_world_country_index(w, sp->proxy);
    printf("ok: %s: %zu countries x %zu sectors\n", out, tw_world_n_countries(w),
           tw_world_n_sectors(w));
    printf("proxy: %s (%s): %s borrows its input-output structure, final-demand shares\n"
           "       and sector mix of trade (an assumption; written in %s/README.md)\n",
           sp->proxy, p >= 0 ? tw_world_country_name(w, (size_t)p) : "?", sp->code, out);
    tw_world_free(w);
    return 0;
}

int cmd_split(int argc, char **argv)
{
    const char *world = NULL, *out = NULL;
    tw_split_spec sp = {0};
    static const char *const rules[] = {"share", "scaled", NULL};
    int rule = 0;
    const cli_opt opts[] = {
        CLI_STRING("--world", &world),
        CLI_STRING("--region", &sp.region),
        CLI_STRING("--new", &sp.code),
        CLI_STRING("--name", &sp.name),
        CLI_STRING("--totals", &sp.totals),
        CLI_STRING("--map", &sp.map),
        CLI_STRING("--proxy", &sp.proxy),
        CLI_STRING("--tariffs", &sp.tariffs),
        CLI_NUM("--gdp", &sp.gdp, CLI_ABOVE_0, 1e300, "--gdp \"%s\" is not a number above 0"),
        CLI_CHOICE("--rule", &rule, rules, "--rule \"%s\" is not share or scaled"),
        CLI_STRING("--output", &out),
        CLI_END,
    };
    const cli_parser p = {.cmd = "split", .usage = usage_split, .opts = opts};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc >= 0) return rc;
    sp.rule = rule ? TW_SPLIT_SCALED : TW_SPLIT_SHARE;
    const char *need[][2] = {{"--region CODE", sp.region}, {"--new CODE", sp.code},
                             {"--totals FILE", sp.totals}, {"--proxy CODE", sp.proxy},
                             {"--output DIR", out}};
    for (size_t k = 0; k < sizeof need / sizeof *need; k++)
        if (!need[k][1]) return cli_usage_error("split", "%s is required", need[k][0]);
    tw_error err;
    tw_error_clear(&err);
    tw_world *w = cli_load_world(world, &err);
    if (!w) return cli_fail(&err);
    tw_draft *d = tw_split(w, &sp, &err);
    if (!d) {
        tw_world_free(w);
        return cli_fail(&err);
    }
    tw_world *made = cli_publish_draft(d, out, argc, argv, &rc);
    tw_world_free(made);
    if (made) rc = cli_copy_world_file(tw_world_dir(w), out, "elasticities.csv");
    if (rc == 0) rc = report(&sp, out);
    tw_world_free(w);
    tw_draft_free(d);
    return rc;
}
