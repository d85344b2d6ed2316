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
    "  wiod       WIOD world input-output table: 2016 release matrix or long CSV,\n"
    "             2013 release wide sheet or long table (row_country, ...)\n"
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
    "wiod only:\n"
    "  --layout 2013|2016  the WIOD release whose layout the table is in (default:\n"
    "                      told by its first lines)\n"
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

static int report_and_write(tw_draft *d, const char *out, int argc, char **argv)
{
    int rc;
    tw_world *w = cli_publish_draft(d, out, argc, argv, &rc);
    if (!w) return rc;
    printf("ok: %s: %zu countries x %zu sectors, %zu repair%s\n", out, tw_world_n_countries(w),
           tw_world_n_sectors(w), tw_draft_n_repairs(d), tw_draft_n_repairs(d) == 1 ? "" : "s");
    tw_world_free(w);
    return 0;
}

/* What the options of an import set. */
typedef struct import_opts {
    tw_importer *im;
    int bilateral, wiod;
    const char *table, *out, *trade, *gdp;
} import_opts;

/* An importer setter's answer for o's value v: 0, or the exit code after
 * saying why not. */
static int set_failed(const cli_parser *p, const cli_opt *o, const char *v, tw_status st)
{
    if (st == TW_OK) return 0;
    if (st == TW_ENOMEM) {
        fprintf(stderr, "tradewar: import: out of memory\n");
        return 3;
    }
    char fmt[96];
    snprintf(fmt, sizeof fmt, "%s \"%%s\" is not valid", o->name);
    return cli_opt_error(p, fmt, v);
}

/* A number, or TW_EARG. */
static tw_status number(const char *v, double *x)
{
    char *end;
    errno = 0;
    *x = strtod(v, &end);
    return (*end || errno) ? TW_EARG : TW_OK;
}

/* "HEAD<sep>REST": HEAD (not empty, shorter than size) into head; REST, or
 * NULL when v is not of that form. */
static const char *split(const char *v, int sep, char *head, size_t size)
{
    const char *at = strchr(v, sep);
    if (!at || at == v || (size_t)(at - v) >= size) return NULL;
    memcpy(head, v, (size_t)(at - v));
    head[at - v] = '\0';
    return at + 1;
}

static int set_sectors(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    return set_failed(p, o, v, tw_importer_set_sectors(io->im, v));
}

static int set_countries(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    return set_failed(p, o, v, tw_importer_set_countries(io->im, v));
}

static int set_tariffs(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    return set_failed(p, o, v, tw_importer_set_tariffs(io->im, v));
}

static int set_theta(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    double x;
    tw_status st = number(v, &x);
    return set_failed(p, o, v, st ? st : tw_importer_set_theta(io->im, x));
}

static int set_inventories(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    tw_status st = !strcmp(v, "include") ? tw_importer_set_inventories(io->im, 1)
                   : !strcmp(v, "drop")  ? tw_importer_set_inventories(io->im, 0)
                                         : TW_EARG;
    return set_failed(p, o, v, st);
}

static int set_meta(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    char key[128];
    const char *value = split(v, '=', key, sizeof key);
    return set_failed(p, o, v, value ? tw_importer_set_meta(io->im, key, value) : TW_EARG);
}

static int set_layout(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    if (!io->wiod)
        return cli_opt_error(p, "option %s is for 'import wiod' only", o->name);
    tw_status st = !strcmp(v, "2013")   ? tw_importer_set_wiod_layout(io->im, 2013)
                   : !strcmp(v, "2016") ? tw_importer_set_wiod_layout(io->im, 2016)
                                        : TW_EARG;
    return set_failed(p, o, v, st);
}

static int set_table(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    if (io->bilateral) return set_failed(p, o, v, TW_EARG);
    io->table = v;
    return 0;
}

/* The options of 'import bilateral' only: 2 after saying so for another source. */
static int not_bilateral(const cli_parser *p, const cli_opt *o)
{
    const import_opts *io = p->ctx;
    return io->bilateral ? 0 : cli_opt_error(p, "option %s is for 'import bilateral' only", o->name);
}

static int set_trade(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    int rc = not_bilateral(p, o);
    if (!rc) io->trade = v;
    return rc;
}

static int set_gdp(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    int rc = not_bilateral(p, o);
    if (!rc) io->gdp = v;
    return rc;
}

static int set_gdp_columns(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    if (not_bilateral(p, o)) return 2;
    char cc[128];
    const char *vc = split(v, ',', cc, sizeof cc);
    return set_failed(p, o, v,
                      vc && *vc ? tw_importer_set_gdp_columns(io->im, cc, vc) : TW_EARG);
}

static int set_gdp_scale(const cli_parser *p, const cli_opt *o, const char *v)
{
    import_opts *io = p->ctx;
    if (not_bilateral(p, o)) return 2;
    double x;
    tw_status st = number(v, &x);
    return set_failed(p, o, v, st ? st : tw_importer_set_gdp_scale(io->im, x));
}

/* The table (icio, wiod): the one argument that is not an option. */
static int table_arg(const cli_parser *p, int k, const char *arg)
{
    (void)k;
    import_opts *io = p->ctx;
    if (io->table || io->bilateral) return cli_opt_error(p, "unexpected argument \"%s\"", arg);
    io->table = arg;
    return 0;
}

/* The options after the source: -1 to go on, else the exit code. */
static int parse_import(int argc, char **argv, import_opts *io)
{
    const cli_opt opts[] = {
        CLI_STRING("--out", &io->out),
        CLI_SETTER("--sectors", set_sectors),
        CLI_SETTER("--theta", set_theta),
        CLI_SETTER("--countries", set_countries),
        CLI_SETTER("--tariffs", set_tariffs),
        CLI_SETTER("--inventories", set_inventories),
        CLI_SETTER("--meta", set_meta),
        CLI_SETTER("--layout", set_layout),
        CLI_SETTER("--trade", set_trade),
        CLI_SETTER("--gdp", set_gdp),
        CLI_SETTER("--gdp-columns", set_gdp_columns),
        CLI_SETTER("--gdp-scale", set_gdp_scale),
        CLI_SETTER("--table", set_table),
        CLI_END,
    };
    const cli_parser p = {.cmd = "import", .usage = usage_import, .opts = opts, .skip = 1,
                          .positional = table_arg, .ctx = io};
    int rc = cli_parse_opts(&p, argc, argv);
    if (rc < 0 && !io->out) rc = cli_usage_error("import", "%s", "--out DIR is required");
    if (rc < 0 && !io->bilateral && !io->table)
        rc = cli_usage_error("import", "%s", "expected the table to read (TABLE.csv)");
    if (rc < 0 && io->bilateral && (!io->trade || !io->gdp))
        rc = cli_usage_error("import", "%s", "'import bilateral' needs --trade FILE and --gdp FILE");
    return rc;
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
    tw_error err;
    tw_error_clear(&err);
    import_opts io = {.bilateral = !strcmp(kind, "bilateral"), .wiod = !strcmp(kind, "wiod")};
    io.im = tw_importer_create(&err);
    if (!io.im) {
        cli_error(&err);
        return 3;
    }
    tw_importer_set_max_bytes(io.im, cli_max_input_bytes(TW_IMPORT_MAX_BYTES));
    int rc = parse_import(argc, argv, &io);
    if (rc >= 0) {
        tw_importer_free(io.im);
        return rc;
    }
    tw_draft *d = !strcmp(kind, "icio") ? tw_import_icio(io.im, io.table, &err)
                  : !strcmp(kind, "wiod") ? tw_import_wiod(io.im, io.table, &err)
                                          : tw_import_bilateral(io.im, io.trade, io.gdp, &err);
    tw_importer_free(io.im);
    if (!d) {
        cli_error(&err);
        if (err.code == TW_EARG)
            fprintf(stderr, "  hint: give --sectors FILE or --theta X\n");
        return tw_status_exit_code(err.code);
    }
    rc = report_and_write(d, io.out, argc, argv);
    tw_draft_free(d);
    return rc;
}
