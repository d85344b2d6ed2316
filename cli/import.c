/* import.c - the import subcommand: a downloaded table -> a world directory.
 *
 * Parses options into a tw_importer, runs the importer for the source named
 * (icio, wiod, bilateral), prints every repair on stderr, writes the world
 * directory atomically and loads it back, so a world that `tradewar validate`
 * would refuse is never reported as a success. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/data.h"
#include "tradewar/limits.h"
#include "cli.h"

static const char *const usage_import =
    "usage: tradewar import icio|wiod TABLE.csv --out DIR [options]\n"
    "       tradewar import bilateral --trade T.csv --gdp G.csv --out DIR [options]\n"
    "\n"
    "Turn a downloaded table into a world directory (docs/importers.md):\n"
    "  icio       OECD Inter-Country Input-Output table, matrix CSV\n"
    "  wiod       WIOD 2016 release world input-output table, matrix or long CSV\n"
    "  bilateral  one-sector world from aggregate bilateral trade and GDP\n"
    "\n"
    "  --out DIR           world directory to write (created if absent)\n"
    "  --sectors FILE      sector table code,name,theta[,tradable], one row per sector\n"
    "  --theta X           theta for every sector the sector table does not give\n"
    "  --countries FILE    country names code,name (bilateral: also the country list)\n"
    "  --tariffs FILE      baseline tariffs importer,exporter[,sector],rate\n"
    "  --inventories include|drop\n"
    "                      count the change in inventories as final demand (default)\n"
    "                      or leave it out\n"
    "  --meta KEY=VALUE    a meta.csv entry (year, tariff_year, units, source);\n"
    "                      repeatable\n"
    "bilateral only:\n"
    "  --trade FILE        importer,exporter,value (no domestic rows)\n"
    "  --gdp FILE          GDP by country, columns country,gdp\n"
    "  --gdp-columns C,V   the GDP file's country and value columns instead\n"
    "  --gdp-scale X       multiply GDP by X to reach the trade file's units\n"
    "                      (1e-6: USD -> USD million)\n"
    "\n"
    "Every repair made to the source is printed on stderr and listed in DIR/README.md.\n"
    "The world written is loaded back and checked as 'tradewar validate' does.\n"
    "Exit codes: 0 ok, 2 bad input or usage, 3 I/O error.\n";

/* The command line as one string, for the README. */
static char *join_args(int argc, char **argv)
{
    size_t len = 16;
    for (int k = 0; k < argc; k++) len += strlen(argv[k]) + 3;
    char *s = malloc(len);
    if (!s) return NULL;
    strcpy(s, "tradewar");
    for (int k = 0; k < argc; k++) {
        int quote = strpbrk(argv[k], " \t\"'$;&|<>()*?") != NULL;
        strcat(s, quote ? " '" : " ");
        strcat(s, argv[k]);
        if (quote) strcat(s, "'");
    }
    return s;
}

static int report_and_write(tw_draft *d, const char *out, int argc, char **argv)
{
    tw_error err;
    tw_error_clear(&err);
    char *cmd = join_args(argc, argv);
    if (cmd) tw_draft_set_command(d, cmd, &err);
    free(cmd);
    for (size_t k = 0; k < tw_draft_n_repairs(d); k++)
        fprintf(stderr, "tradewar: warning: repair: %s\n", tw_draft_repair(d, k));
    for (size_t k = 0; k < tw_draft_n_notes(d); k++)
        fprintf(stderr, "tradewar: note: %s\n", tw_draft_note(d, k));
    if (tw_draft_write(d, out, &err) != TW_OK) {
        cli_error(&err);
        return tw_status_exit_code(err.code);
    }
    tw_world *w = tw_world_load(out, &err);
    if (!w) {
        cli_error(&err);
        fprintf(stderr, "  hint: the world written to %s does not load; please report this\n", out);
        return tw_status_exit_code(err.code);
    }
    printf("ok: %s: %zu countries x %zu sectors, %zu repair%s\n", out, tw_world_n_countries(w),
           tw_world_n_sectors(w), tw_draft_n_repairs(d), tw_draft_n_repairs(d) == 1 ? "" : "s");
    tw_world_free(w);
    return 0;
}

static int set_failed(tw_status st, const char *opt, const char *v)
{
    if (st == TW_ENOMEM) {
        fprintf(stderr, "tradewar: import: out of memory\n");
        return 3;
    }
    fprintf(stderr, "tradewar: import: %s \"%s\" is not valid\n  hint: run 'tradewar import --help'\n",
            opt, v);
    return 2;
}

int cmd_import(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_import, stdout);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        return cli_usage_error("import", "%s", "expected a source: icio, wiod or bilateral");
    const char *kind = argv[1];
    if (strcmp(kind, "icio") && strcmp(kind, "wiod") && strcmp(kind, "bilateral"))
        return cli_usage_error("import", "unknown source \"%s\" (expected icio, wiod or bilateral)", kind);
    int bilateral = !strcmp(kind, "bilateral");
    const char *table = NULL, *out = NULL, *trade = NULL, *gdp = NULL;
    tw_error err;
    tw_error_clear(&err);
    tw_importer *im = tw_importer_create(&err);
    if (!im) {
        cli_error(&err);
        return 3;
    }
    tw_importer_set_max_bytes(im, cli_max_input_bytes(TW_IMPORT_MAX_BYTES));
    int rc = -1;
    for (int k = 2; k < argc && rc < 0; k++) {
        const char *a = argv[k], *v = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_import, stdout);
            rc = 0;
            break;
        }
        const char *names[] = {"--out", "--sectors", "--theta", "--countries", "--tariffs",
                               "--inventories", "--meta", "--trade", "--gdp", "--gdp-columns",
                               "--gdp-scale", "--table"};
        size_t which = 99, nn = sizeof names / sizeof names[0];
        for (size_t q = 0; q < nn && which == 99; q++)
            if (cli_opt_value(argc, argv, &k, names[q], &v)) which = q;
        if (which == 99) {
            if (a[0] == '-' && a[1]) rc = cli_usage_error("import", "unknown option \"%s\"", a);
            else if (table || bilateral) rc = cli_usage_error("import", "unexpected argument \"%s\"", a);
            else table = a;
            continue;
        }
        if (!v) {
            rc = cli_usage_error("import", "option %s needs a value", names[which]);
            break;
        }
        if (which >= 7 && which <= 10 && !bilateral) {
            rc = cli_usage_error("import", "option %s is for 'import bilateral' only", names[which]);
            break;
        }
        tw_status st = TW_OK;
        char *end;
        double x;
        switch (which) {
        case 0: out = v; break;
        case 1: st = tw_importer_set_sectors(im, v); break;
        case 2:
            errno = 0;
            x = strtod(v, &end);
            st = (*end || errno) ? TW_EARG : tw_importer_set_theta(im, x);
            break;
        case 3: st = tw_importer_set_countries(im, v); break;
        case 4: st = tw_importer_set_tariffs(im, v); break;
        case 5:
            st = !strcmp(v, "include") ? tw_importer_set_inventories(im, 1)
                 : !strcmp(v, "drop")  ? tw_importer_set_inventories(im, 0)
                                       : TW_EARG;
            break;
        case 6: {
            const char *eq = strchr(v, '=');
            char key[128];
            if (!eq || eq == v || (size_t)(eq - v) >= sizeof key) {
                st = TW_EARG;
                break;
            }
            memcpy(key, v, (size_t)(eq - v));
            key[eq - v] = '\0';
            st = tw_importer_set_meta(im, key, eq + 1);
            break;
        }
        case 7: trade = v; break;
        case 8: gdp = v; break;
        case 9: {
            const char *comma = strchr(v, ',');
            char cc[128];
            if (!comma || comma == v || !comma[1] || (size_t)(comma - v) >= sizeof cc) {
                st = TW_EARG;
                break;
            }
            memcpy(cc, v, (size_t)(comma - v));
            cc[comma - v] = '\0';
            st = tw_importer_set_gdp_columns(im, cc, comma + 1);
            break;
        }
        case 10:
            errno = 0;
            x = strtod(v, &end);
            st = (*end || errno) ? TW_EARG : tw_importer_set_gdp_scale(im, x);
            break;
        case 11:
            if (bilateral) st = TW_EARG;
            else table = v;
            break;
        }
        if (st != TW_OK) rc = set_failed(st, names[which], v);
    }
    if (rc < 0 && !out) rc = cli_usage_error("import", "%s", "--out DIR is required");
    if (rc < 0 && !bilateral && !table)
        rc = cli_usage_error("import", "%s", "expected the table to read (TABLE.csv)");
    if (rc < 0 && bilateral && (!trade || !gdp))
        rc = cli_usage_error("import", "%s", "'import bilateral' needs --trade FILE and --gdp FILE");
    if (rc >= 0) {
        tw_importer_free(im);
        return rc;
    }
    tw_draft *d = !strcmp(kind, "icio") ? tw_import_icio(im, table, &err)
                  : !strcmp(kind, "wiod") ? tw_import_wiod(im, table, &err)
                                          : tw_import_bilateral(im, trade, gdp, &err);
    tw_importer_free(im);
    if (!d) {
        cli_error(&err);
        if (err.code == TW_EARG)
            fprintf(stderr, "  hint: give --sectors FILE or --theta X\n");
        return tw_status_exit_code(err.code);
    }
    rc = report_and_write(d, out, argc, argv);
    tw_draft_free(d);
    return rc;
}
