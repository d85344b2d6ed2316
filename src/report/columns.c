/* columns.c - the one table of result columns (tradewar/report.h).
 *
 * Each row names a number that a result output prints, says in which unit and
 * what it means, reads it from a tw_result getter (only rescaled: hat ->
 * percent, levels -> percent change; nothing the model does not define,
 * docs/model.md) and says which outputs show it.  Invariant: a name is
 * unique within its level, and every output that prints a column takes its
 * name, unit, formatting and value from here, so a new column is one new row.
 * Rows are in the order of `tradewar solve --json`; the tidy export and the
 * timeline writers keep their older orders through the lists at the end. */
#include <stddef.h>
#include <string.h>

#include "tradewar/report.h"
#include "core/index.h"
#include "core/num.h"
#include "report_impl.h"

/* x: the row's indices (country; importer, exporter; country, sector;
 * importer, exporter, sector) */
typedef double (*getter)(const tw_result *r, const size_t *x);

struct tw_column {
    const char *name;
    tw_unit unit;
    const char *heading; /* readable tables, or NULL */
    int width, decimals;
    unsigned show;
    getter get;
    const char *description;
    int sparse;  /* the tidy CSV leaves out values equal to idle */
    int units;   /* readable tables leave it out when the world is in model units */
    double idle;
};

/* ---- country ------------------------------------------------------------- */

static double welfare(const tw_result *r, const size_t *x) { return tw_pct(tw_result_welfare_hat(r, x[0])); }
static double real_wage(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_real_wage_hat(r, x[0]));
}
static double price_index(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_price_index_hat(r, x[0]));
}
static double wage(const tw_result *r, const size_t *x) { return tw_pct(tw_result_w_hat(r)[x[0]]); }
static double income_pct(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_income_hat(r, x[0]));
}
static double tot(const tw_result *r, const size_t *x) { return 100.0 * tw_result_tot(r, x[0]); }
static double vot(const tw_result *r, const size_t *x) { return 100.0 * tw_result_vot(r, x[0]); }
static double tot_plus_vot(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_tot(r, x[0]) + 100.0 * tw_result_vot(r, x[0]);
}
static double exports_pct(const tw_result *r, const size_t *x)
{
    return tw_pct_change(tw_result_exports(r, x[0], 0), tw_result_exports(r, x[0], 1));
}
static double imports_pct(const tw_result *r, const size_t *x)
{
    return tw_pct_change(tw_result_imports(r, x[0], 0), tw_result_imports(r, x[0], 1));
}
static double exports0(const tw_result *r, const size_t *x) { return tw_result_exports(r, x[0], 0); }
static double exports1(const tw_result *r, const size_t *x) { return tw_result_exports(r, x[0], 1); }
static double imports0(const tw_result *r, const size_t *x) { return tw_result_imports(r, x[0], 0); }
static double imports1(const tw_result *r, const size_t *x) { return tw_result_imports(r, x[0], 1); }
static double revenue0(const tw_result *r, const size_t *x) { return tw_result_tariff_revenue(r, x[0], 0); }
static double revenue1(const tw_result *r, const size_t *x) { return tw_result_tariff_revenue(r, x[0], 1); }
static double income0(const tw_result *r, const size_t *x) { return tw_result_income(r, x[0], 0); }
static double income1(const tw_result *r, const size_t *x) { return tw_result_income(r, x[0], 1); }

/* effective tariff rates and tariff revenue (docs/model.md §3) */
static double etr_base(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_BASE, x[0], TW_ETR_ALL, TW_ETR_ALL);
}
static double etr_pre(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_PRE, x[0], TW_ETR_ALL, TW_ETR_ALL);
}
static double etr_post(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_POST, x[0], TW_ETR_ALL, TW_ETR_ALL);
}
static double revenue_pct(const tw_result *r, const size_t *x)
{
    return tw_pct_change(tw_result_tariff_revenue(r, x[0], 0), tw_result_tariff_revenue(r, x[0], 1));
}
static double revenue_change(const tw_result *r, const size_t *x)
{
    return tw_result_tariff_revenue(r, x[0], 1) - tw_result_tariff_revenue(r, x[0], 0);
}
static double revenue_gdp0(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_tariff_revenue_gdp(r, x[0], 0);
}
static double revenue_gdp1(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_tariff_revenue_gdp(r, x[0], 1);
}
/* measures (src/solve/measures.c): NAN where the world lacks the data */
static double real_gdp(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_real_gdp_hat(r, x[0]));
}
static double ev(const tw_result *r, const size_t *x) { return tw_result_ev(r, x[0]); }
static double ev_hh(const tw_result *r, const size_t *x)
{
    return tw_result_ev_per_household(r, x[0]);
}
static double consumer_cost(const tw_result *r, const size_t *x)
{
    return tw_result_consumer_cost(r, x[0]);
}
static double consumer_cost_hh(const tw_result *r, const size_t *x)
{
    return tw_result_consumer_cost_per_household(r, x[0]);
}

/* The readable table: TABLE_HEAD columns (the headline set: welfare, real
 * GDP, prices, the effective tariff rates, the consumer cost and tariff
 * revenue) print by default, TABLE_MORE ones only with all columns. */
#define TABLE_HEAD (TW_SHOW_TABLE | TW_SHOW_TABLE_ALL)
#define TABLE_MORE TW_SHOW_TABLE_ALL
/* Every output that reports effects (the readable table with all columns). */
#define EFFECTS (TABLE_MORE | TW_SHOW_CSV | TW_SHOW_JSON | TW_SHOW_EXPORT | TW_SHOW_SWEEP | \
                  TW_SHOW_DIFF | TW_SHOW_RUNS | TW_SHOW_GAME | TW_SHOW_TIMELINE_CSV |           \
                  TW_SHOW_TIMELINE_JSON)
#define SOLVE (TW_SHOW_CSV | TW_SHOW_JSON | TW_SHOW_EXPORT)
/* The effective tariff rates and revenue measures: every output that reports
 * effects (the readable table: TABLE_HEAD or TABLE_MORE, per row). */
#define RATES (SOLVE | TW_SHOW_DIFF | TW_SHOW_GAME_JSON | TW_SHOW_TIMELINE_CSV | \
               TW_SHOW_TIMELINE_JSON)
/* The measures: every machine-readable output (the readable table: per row). */
#define MEASURE (TW_SHOW_CSV | TW_SHOW_JSON | TW_SHOW_EXPORT | TW_SHOW_DIFF | TW_SHOW_TIMELINE_CSV | \
                 TW_SHOW_TIMELINE_JSON)

static const tw_column country_cols[] = {
    {.name = "welfare_pct", .unit = TW_UNIT_PERCENT, .get = welfare,
     .heading = "welfare%", .width = 9, .decimals = 4,
     .show = EFFECTS | TW_SHOW_TABLE | TW_SHOW_GAME_JSON,
     .description = "exact change in real income, I'/I over the price index (eq. 6)"},
    {.name = "real_wage_pct", .unit = TW_UNIT_PERCENT, .get = real_wage,
     .heading = "realwage%", .width = 9, .decimals = 4,
     .show = EFFECTS | TW_SHOW_GAME_JSON,
     .description = "change in the wage over the consumer price index"},
    {.name = "price_index_pct", .unit = TW_UNIT_PERCENT, .get = price_index,
     .heading = "prices%", .width = 9, .decimals = 4,
     .show = EFFECTS | TW_SHOW_TABLE | TW_SHOW_GAME_JSON,
     .description = "change in the consumer price index, prod_j P_j^alpha_j"},
    {.name = "wage_pct", .unit = TW_UNIT_PERCENT, .get = wage,
     .heading = "wage%", .width = 9, .decimals = 4,
     .show = SOLVE | TABLE_MORE,
     .description = "change in the nominal wage (world GDP is the numeraire)"},
    {.name = "income_pct", .unit = TW_UNIT_PERCENT, .get = income_pct,
     .heading = NULL, .width = 9, .decimals = 4,
     .show = SOLVE,
     .description = "change in nominal income (value added + tariff revenue + deficit)"},
    {.name = "tot_pct", .unit = TW_UNIT_PERCENT, .get = tot,
     .heading = "ToT%", .width = 9, .decimals = 4,
     .show = SOLVE | TABLE_MORE | TW_SHOW_SWEEP | TW_SHOW_RUNS | TW_SHOW_TIMELINE_JSON,
     .description = "terms-of-trade term of the Caliendo-Parro decomposition, % of income"},
    {.name = "vot_pct", .unit = TW_UNIT_PERCENT, .get = vot,
     .heading = "VoT%", .width = 9, .decimals = 4,
     .show = SOLVE | TABLE_MORE | TW_SHOW_SWEEP | TW_SHOW_RUNS | TW_SHOW_TIMELINE_JSON,
     .description = "volume-of-trade term of the Caliendo-Parro decomposition, % of income"},
    {.name = "tot_plus_vot_pct", .unit = TW_UNIT_PERCENT, .get = tot_plus_vot,
     .heading = "ToT+VoT%", .width = 9, .decimals = 4,
     .show = TABLE_MORE | TW_SHOW_CSV | TW_SHOW_JSON,
     .description = "ToT + VoT: the first-order welfare change Caliendo and Parro publish"},
    {.name = "exports_pct", .unit = TW_UNIT_PERCENT, .get = exports_pct,
     .heading = "exports%", .width = 9, .decimals = 3,
     .show = EFFECTS,
     .description = "change in exports before tariffs, domestic sales excluded"},
    {.name = "imports_pct", .unit = TW_UNIT_PERCENT, .get = imports_pct,
     .heading = "imports%", .width = 9, .decimals = 3,
     .show = EFFECTS,
     .description = "change in imports before tariffs, domestic sales excluded"},
    {.name = "exports_base", .unit = TW_UNIT_MONEY, .get = exports0,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = TW_SHOW_EXPORT,
     .description = "exports before tariffs in the baseline"},
    {.name = "exports", .unit = TW_UNIT_MONEY, .get = exports1,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = SOLVE,
     .description = "exports before tariffs in the new equilibrium"},
    {.name = "imports_base", .unit = TW_UNIT_MONEY, .get = imports0,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = TW_SHOW_EXPORT,
     .description = "imports before tariffs in the baseline"},
    {.name = "imports", .unit = TW_UNIT_MONEY, .get = imports1,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = SOLVE,
     .description = "imports before tariffs in the new equilibrium"},
    {.name = "tariff_revenue", .unit = TW_UNIT_MONEY, .get = revenue1, .units = 1,
     .heading = "tariff rev.", .width = 14, .decimals = 1,
     .show = SOLVE | TABLE_MORE | TW_SHOW_TIMELINE_CSV | TW_SHOW_TIMELINE_JSON,
     .description = "tariff revenue in the new equilibrium"},
    {.name = "tariff_revenue_base", .unit = TW_UNIT_MONEY, .get = revenue0,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = SOLVE,
     .description = "tariff revenue in the baseline"},
    {.name = "tariff_revenue_pct", .unit = TW_UNIT_PERCENT, .get = revenue_pct,
     .heading = "rev.chg%", .width = 9, .decimals = 3,
     .show = RATES | TABLE_MORE,
     .description = "change in tariff revenue (0 when the baseline has none)"},
    {.name = "tariff_revenue_change", .unit = TW_UNIT_MONEY, .get = revenue_change,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = SOLVE,
     .description = "tariff revenue, new level minus the baseline level"},
    {.name = "tariff_revenue_gdp_pct", .unit = TW_UNIT_PERCENT, .get = revenue_gdp1,
     .heading = "rev/GDP%", .width = 9, .decimals = 4,
     .show = RATES | TABLE_HEAD | TW_SHOW_SWEEP,
     .description = "tariff revenue in % of GDP (value added) in the new equilibrium"},
    {.name = "tariff_revenue_gdp_base_pct", .unit = TW_UNIT_PERCENT, .get = revenue_gdp0,
     .heading = NULL, .width = 9, .decimals = 4,
     .show = SOLVE,
     .description = "tariff revenue in % of GDP (value added) in the baseline"},
    {.name = "etr_base_pct", .unit = TW_UNIT_PERCENT, .get = etr_base,
     .heading = "ETR base%", .width = 9, .decimals = 3,
     .show = RATES | TABLE_MORE,
     .description = "effective tariff rate on goods imports: baseline rates, baseline import weights"},
    {.name = "etr_pre_pct", .unit = TW_UNIT_PERCENT, .get = etr_pre,
     .heading = "ETR pre%", .width = 9, .decimals = 3,
     .show = RATES | TABLE_HEAD | TW_SHOW_SWEEP,
     .description = "effective tariff rate on goods imports: new rates, baseline import weights "
                    "(before substitution)"},
    {.name = "etr_post_pct", .unit = TW_UNIT_PERCENT, .get = etr_post,
     .heading = "ETR post%", .width = 9, .decimals = 3,
     .show = RATES | TABLE_HEAD | TW_SHOW_SWEEP,
     .description = "effective tariff rate on goods imports: new rates, new import weights "
                    "(after substitution)"},
    {.name = "income_base", .unit = TW_UNIT_MONEY, .get = income0,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = TW_SHOW_EXPORT,
     .description = "income in the baseline"},
    {.name = "income", .unit = TW_UNIT_MONEY, .get = income1,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = TW_SHOW_EXPORT,
     .description = "income in the new equilibrium"},
    /* measures: prices, real GDP and the cost in money */
    {.name = "real_gdp_pct", .unit = TW_UNIT_PERCENT, .get = real_gdp,
     .heading = "realGDP%", .width = 9, .decimals = 4,
     .show = MEASURE | TABLE_HEAD | TW_SHOW_GAME_JSON | TW_SHOW_SWEEP,
     .description = "change in real GDP: final demand + exports - imports at baseline prices, "
                    "Fisher index"},
    {.name = "ev", .unit = TW_UNIT_MONEY, .get = ev, .units = 1,
     .heading = "EV", .width = 14, .decimals = 1,
     .show = MEASURE | TABLE_MORE | TW_SHOW_SWEEP,
     .description = "equivalent variation: (welfare hat - 1) x baseline final expenditure; "
                    "null in model units"},
    {.name = "ev_per_household", .unit = TW_UNIT_MONEY, .get = ev_hh, .units = 1,
     .heading = "EV/household", .width = 14, .decimals = 6,
     .show = MEASURE | TABLE_MORE,
     .description = "ev / households of the data year (households.csv); null without it"},
    {.name = "consumer_cost", .unit = TW_UNIT_MONEY, .get = consumer_cost, .units = 1,
     .heading = "cons. cost", .width = 14, .decimals = 1,
     .show = MEASURE | TABLE_HEAD | TW_SHOW_SWEEP,
     .description = "change in the cost of the baseline household basket, before any rebate "
                    "(household_consumption.csv); null without it"},
    {.name = "consumer_cost_per_household", .unit = TW_UNIT_MONEY, .get = consumer_cost_hh,
     .units = 1, .heading = "cost/household", .width = 14, .decimals = 6,
     .show = MEASURE | TABLE_MORE,
     .description = "consumer_cost / households of the data year; null without either file"},
};

/* ---- pair (all sectors) -------------------------------------------------- */

static double pair_total(const tw_result *r, int new_level, size_t n, size_t i)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    const double *t = tw_result_trade(r, new_level);
    double s = 0;
    for (size_t j = 0; j < J; j++) s += t[tw_ix_nij(N, J, n, i, j)];
    return s;
}

static double pair_base(const tw_result *r, const size_t *x) { return pair_total(r, 0, x[0], x[1]); }
static double pair_new(const tw_result *r, const size_t *x) { return pair_total(r, 1, x[0], x[1]); }
static double pair_change(const tw_result *r, const size_t *x)
{
    return tw_pct_change(pair_total(r, 0, x[0], x[1]), pair_total(r, 1, x[0], x[1]));
}
static double pair_etr_base(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_BASE, x[0], x[1], TW_ETR_ALL);
}
static double pair_etr_pre(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_PRE, x[0], x[1], TW_ETR_ALL);
}
static double pair_etr_post(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_POST, x[0], x[1], TW_ETR_ALL);
}

#define BY_SOLVE (TABLE_HEAD | TW_SHOW_CSV | TW_SHOW_JSON)
#define SECTOR_MEASURE (TW_SHOW_CSV | TW_SHOW_JSON | TW_SHOW_EXPORT | TW_SHOW_DIFF)

static const tw_column pair_cols[] = {
    {.name = "base", .unit = TW_UNIT_MONEY, .get = pair_base,
     .heading = "base", .width = 14, .decimals = 1,
     .show = BY_SOLVE,
     .description = "imports of the importer from the exporter in the baseline, before tariffs"},
    {.name = "new", .unit = TW_UNIT_MONEY, .get = pair_new,
     .heading = "new", .width = 14, .decimals = 1,
     .show = BY_SOLVE,
     .description = "the same in the new equilibrium"},
    {.name = "change_pct", .unit = TW_UNIT_PERCENT, .get = pair_change,
     .heading = "change%", .width = 9, .decimals = 3,
     .show = BY_SOLVE | TW_SHOW_DIFF,
     .description = "change in the imports of the importer from the exporter"},
    {.name = "etr_base_pct", .unit = TW_UNIT_PERCENT, .get = pair_etr_base,
     .heading = "ETR base%", .width = 9, .decimals = 3,
     .show = TABLE_MORE | TW_SHOW_CSV | TW_SHOW_JSON | TW_SHOW_DIFF,
     .description = "effective tariff rate on the exporter's goods: baseline rates and imports"},
    {.name = "etr_pre_pct", .unit = TW_UNIT_PERCENT, .get = pair_etr_pre,
     .heading = "ETR pre%", .width = 9, .decimals = 3,
     .show = TABLE_HEAD | TW_SHOW_CSV | TW_SHOW_JSON | TW_SHOW_DIFF,
     .description = "the same with the new rates, baseline import weights"},
    {.name = "etr_post_pct", .unit = TW_UNIT_PERCENT, .get = pair_etr_post,
     .heading = "ETR post%", .width = 9, .decimals = 3,
     .show = TABLE_HEAD | TW_SHOW_CSV | TW_SHOW_JSON | TW_SHOW_DIFF,
     .description = "the same with the new rates, new import weights"},
};

/* ---- country and sector -------------------------------------------------- */

static double output_of(const tw_result *r, int new_level, size_t i, size_t j)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    const double *t = tw_result_trade(r, new_level);
    double s = 0;
    for (size_t n = 0; n < N; n++) s += t[tw_ix_nij(N, J, n, i, j)];
    return s;
}

static size_t nj(const tw_result *r, size_t n, size_t j)
{
    return tw_ix_nj(tw_result_n_sectors(r), n, j);
}

static double price_pct(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_P_hat(r)[nj(r, x[0], x[1])]);
}
static double output_pct(const tw_result *r, const size_t *x)
{
    return tw_pct_change(output_of(r, 0, x[0], x[1]), output_of(r, 1, x[0], x[1]));
}
static double price_hat(const tw_result *r, const size_t *x) { return tw_result_P_hat(r)[nj(r, x[0], x[1])]; }
static double cost_hat(const tw_result *r, const size_t *x) { return tw_result_c_hat(r)[nj(r, x[0], x[1])]; }
static double spending(const tw_result *r, const size_t *x)
{
    return tw_result_spending(r)[nj(r, x[0], x[1])];
}
static double sector_etr_base(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_BASE, x[0], TW_ETR_ALL, x[1]);
}
static double sector_etr_pre(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_PRE, x[0], TW_ETR_ALL, x[1]);
}
static double sector_etr_post(const tw_result *r, const size_t *x)
{
    return 100.0 * tw_result_etr(r, TW_ETR_POST, x[0], TW_ETR_ALL, x[1]);
}

static double producer_price(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_producer_price_hat(r, x[0], x[1]));
}
static double import_price(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_import_price_hat(r, x[0], x[1], 1));
}
static double import_price_cif(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_import_price_hat(r, x[0], x[1], 0));
}
static double employment(const tw_result *r, const size_t *x)
{
    return tw_pct(tw_result_employment_hat(r, x[0], x[1]));
}

static const tw_column sector_cols[] = {
    {.name = "price_pct", .unit = TW_UNIT_PERCENT, .get = price_pct,
     .heading = "price%", .width = 9, .decimals = 4,
     .show = BY_SOLVE | TW_SHOW_DIFF,
     .description = "change in the sector's price index"},
    {.name = "output_pct", .unit = TW_UNIT_PERCENT, .get = output_pct,
     .heading = "output%", .width = 9, .decimals = 3,
     .show = BY_SOLVE | TW_SHOW_DIFF,
     .description = "change in the sector's nominal sales to every destination, before "
                    "tariffs"},
    {.name = "price_hat", .unit = TW_UNIT_HAT, .get = price_hat,
     .heading = NULL, .width = 9, .decimals = 4,
     .show = TW_SHOW_EXPORT,
     .description = "the sector's price index, new / baseline"},
    {.name = "cost_hat", .unit = TW_UNIT_HAT, .get = cost_hat,
     .heading = NULL, .width = 9, .decimals = 4,
     .show = TW_SHOW_EXPORT,
     .description = "the sector's input-bundle cost, new / baseline"},
    {.name = "spending", .unit = TW_UNIT_MONEY, .get = spending,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = TW_SHOW_EXPORT,
     .description = "spending on the sector's goods in the new equilibrium, tariffs included"},
    {.name = "etr_base_pct", .unit = TW_UNIT_PERCENT, .get = sector_etr_base,
     .heading = "ETR base%", .width = 9, .decimals = 3,
     .show = SOLVE | TABLE_MORE | TW_SHOW_DIFF,
     .description = "effective tariff rate on the sector's imports, baseline rates and imports"},
    {.name = "etr_pre_pct", .unit = TW_UNIT_PERCENT, .get = sector_etr_pre,
     .heading = "ETR pre%", .width = 9, .decimals = 3,
     .show = SOLVE | TABLE_HEAD | TW_SHOW_DIFF,
     .description = "the same with the new rates, baseline import weights"},
    {.name = "etr_post_pct", .unit = TW_UNIT_PERCENT, .get = sector_etr_post,
     .heading = "ETR post%", .width = 9, .decimals = 3,
     .show = SOLVE | TABLE_HEAD | TW_SHOW_DIFF,
     .description = "the same with the new rates, new import weights"},
    /* measures: prices and jobs by sector */
    {.name = "producer_price_pct", .unit = TW_UNIT_PERCENT, .get = producer_price,
     .heading = "producer%", .width = 9, .decimals = 4,
     .show = SECTOR_MEASURE | TABLE_MORE,
     .description = "change in the producer price: the unit cost of the country's producers"},
    {.name = "import_price_pct", .unit = TW_UNIT_PERCENT, .get = import_price,
     .heading = "imp.pr.%", .width = 9, .decimals = 4,
     .show = SECTOR_MEASURE | TABLE_MORE,
     .description = "change in the import price index over foreign sources, tariff included "
                    "(null without imports)"},
    {.name = "import_price_cif_pct", .unit = TW_UNIT_PERCENT, .get = import_price_cif,
     .heading = "imp.cif%", .width = 9, .decimals = 4,
     .show = SECTOR_MEASURE | TABLE_MORE,
     .description = "the same before the tariff (null without imports)"},
    {.name = "employment_pct", .unit = TW_UNIT_PERCENT, .get = employment,
     .heading = "employ%", .width = 9, .decimals = 4,
     .show = SECTOR_MEASURE | TABLE_MORE,
     .description = "change in the sector's employment, output over the wage (null without "
                    "output)"},
};

/* ---- importer, exporter and sector --------------------------------------- */

static size_t nij(const tw_result *r, size_t n, size_t i, size_t j)
{
    return tw_ix_nij(tw_result_n_countries(r), tw_result_n_sectors(r), n, i, j);
}

static double trade0(const tw_result *r, const size_t *x)
{
    return tw_result_trade(r, 0)[nij(r, x[0], x[1], x[2])];
}
static double trade1(const tw_result *r, const size_t *x)
{
    return tw_result_trade(r, 1)[nij(r, x[0], x[1], x[2])];
}
static double tariff(const tw_result *r, const size_t *x)
{
    return tw_result_tariffs(r)[nij(r, x[0], x[1], x[2])];
}
static double ntb(const tw_result *r, const size_t *x) { return tw_result_dhat(r)[nij(r, x[0], x[1], x[2])]; }

static const tw_column cell_cols[] = {
    {.name = "trade_base", .unit = TW_UNIT_MONEY, .get = trade0,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = TW_SHOW_EXPORT,
     .description = "the flow in the baseline, before tariffs"},
    {.name = "trade", .unit = TW_UNIT_MONEY, .get = trade1,
     .heading = NULL, .width = 14, .decimals = 1,
     .show = TW_SHOW_EXPORT,
     .description = "the flow in the new equilibrium, before tariffs"},
    {.name = "tariff", .unit = TW_UNIT_FRACTION, .get = tariff, .sparse = 1, .idle = 0.0,
     .heading = NULL, .width = 9, .decimals = 4,
     .show = TW_SHOW_EXPORT,
     .description = "the applied tariff of the shock (the tidy CSV leaves out 0)"},
    {.name = "ntb_factor", .unit = TW_UNIT_FACTOR, .get = ntb, .sparse = 1, .idle = 1.0,
     .heading = NULL, .width = 9, .decimals = 4,
     .show = TW_SHOW_EXPORT,
     .description = "the iceberg-cost factor of the shock (the tidy CSV leaves out 1)"},
};

/* ---- levels and outputs -------------------------------------------------- */

typedef struct level_table {
    const tw_column *cols;
    size_t n;
} level_table;

static const level_table levels[TW_LEVEL_COUNT] = {
    {country_cols, sizeof country_cols / sizeof country_cols[0]},
    {pair_cols, sizeof pair_cols / sizeof pair_cols[0]},
    {sector_cols, sizeof sector_cols / sizeof sector_cols[0]},
    {cell_cols, sizeof cell_cols / sizeof cell_cols[0]},
};

/* Outputs older than the table keep their column order: these columns come
 * first, in this order, then any other column the output shows, in table
 * order.  Do not extend the lists: a new column simply comes last. */
static const char *const export_order[] = {
    "welfare_pct",  "real_wage_pct", "price_index_pct", "wage_pct",     "income_pct",
    "tot_pct",      "vot_pct",       "exports_pct",     "imports_pct",  "exports_base",
    "exports",      "imports_base",  "imports",         "tariff_revenue_base", NULL};
static const char *const timeline_csv_order[] = {"welfare_pct", "real_wage_pct", "price_index_pct",
                                                 "tariff_revenue", NULL};
static const char *const timeline_json_order[] = {"welfare_pct", "real_wage_pct",
                                                  "price_index_pct", "tot_pct", "vot_pct",
                                                  "tariff_revenue", NULL};

/* The readable table opens with the headline set in this order; with all
 * columns the others follow. */
static const char *const table_order[] = {"welfare_pct",   "real_gdp_pct",  "price_index_pct",
                                          "etr_pre_pct",   "etr_post_pct",  "consumer_cost",
                                          "tariff_revenue_gdp_pct", NULL};

static const char *const *legacy_order(tw_report_level level, unsigned show)
{
    if (level != TW_LEVEL_COUNTRY) return NULL;
    if (show == TW_SHOW_TABLE || show == TW_SHOW_TABLE_ALL) return table_order;
    if (show == TW_SHOW_EXPORT) return export_order;
    if (show == TW_SHOW_TIMELINE_CSV) return timeline_csv_order;
    if (show == TW_SHOW_TIMELINE_JSON) return timeline_json_order;
    return NULL;
}

static int listed(const char *const *list, const char *name)
{
    for (size_t k = 0; list && list[k]; k++)
        if (strcmp(list[k], name) == 0) return 1;
    return 0;
}

size_t tw_report_n_columns(tw_report_level level)
{
    return (unsigned)level < TW_LEVEL_COUNT ? levels[level].n : 0;
}

const tw_column *tw_report_column(tw_report_level level, size_t k)
{
    return k < tw_report_n_columns(level) ? &levels[level].cols[k] : NULL;
}

const tw_column *tw_report_column_find(tw_report_level level, const char *name)
{
    for (size_t k = 0; name && k < tw_report_n_columns(level); k++)
        if (strcmp(levels[level].cols[k].name, name) == 0) return &levels[level].cols[k];
    return NULL;
}

size_t tw_report_view(tw_report_level level, unsigned show, const tw_column **cols, size_t max)
{
    const char *const *first = legacy_order(level, show);
    size_t m = 0;
    for (size_t k = 0; first && first[k]; k++) {
        const tw_column *c = tw_report_column_find(level, first[k]);
        if (c && (c->show & show) && m < max) cols[m++] = c;
    }
    for (size_t k = 0; k < tw_report_n_columns(level); k++) {
        const tw_column *c = &levels[level].cols[k];
        if ((c->show & show) && !listed(first, c->name) && m < max) cols[m++] = c;
    }
    return m;
}

int tw_report_has_row(tw_report_level level, const tw_result *r, size_t a, size_t b, size_t c)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    switch (level) {
    case TW_LEVEL_COUNTRY: return a < N;
    case TW_LEVEL_SECTOR: return a < N && b < J;
    case TW_LEVEL_PAIR: return a < N && b < N && a != b && pair_total(r, 0, a, b) > 0;
    case TW_LEVEL_CELL: {
        if (a >= N || b >= N || c >= J) return 0;
        size_t q = tw_ix_nij(N, J, a, b, c);
        return tw_result_trade(r, 0)[q] > 0 || tw_result_trade(r, 1)[q] > 0 ||
               tw_result_tariffs(r)[q] != 0;
    }
    default: return 0;
    }
}

static size_t slots(tw_report_level level, const tw_result *r)
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    switch (level) {
    case TW_LEVEL_COUNTRY: return N;
    case TW_LEVEL_PAIR: return N * N;
    case TW_LEVEL_SECTOR: return N * J;
    case TW_LEVEL_CELL: return N * N * J;
    default: return 0;
    }
}

static void slot(tw_report_level level, const tw_result *r, size_t k, size_t ix[3])
{
    size_t N = tw_result_n_countries(r), J = tw_result_n_sectors(r);
    ix[0] = ix[1] = ix[2] = 0;
    if (level == TW_LEVEL_COUNTRY) {
        ix[0] = k;
    } else if (level == TW_LEVEL_PAIR) {
        ix[0] = k / N;
        ix[1] = k % N;
    } else if (level == TW_LEVEL_SECTOR) {
        ix[0] = k / J;
        ix[1] = k % J;
    } else if (level == TW_LEVEL_CELL) {
        ix[0] = k / (N * J);
        ix[1] = k / J % N;
        ix[2] = k % J;
    }
}

int tw_report_next_row(tw_report_level level, const tw_result *r, size_t *k, size_t ix[3])
{
    for (size_t n = slots(level, r); *k < n; (*k)++) {
        slot(level, r, *k, ix);
        if (tw_report_has_row(level, r, ix[0], ix[1], ix[2])) return 1;
    }
    return 0;
}

static const char *const key_names[TW_LEVEL_COUNT][3] = {
    {"code", NULL, NULL},
    {"importer", "exporter", NULL},
    {"country", "sector", NULL},
    {"importer", "exporter", "sector"},
};

size_t tw_report_n_keys(tw_report_level level)
{
    size_t q = 0;
    while ((unsigned)level < TW_LEVEL_COUNT && q < 3 && key_names[level][q]) q++;
    return q;
}

const char *tw_report_key_name(tw_report_level level, size_t q)
{
    return q < tw_report_n_keys(level) ? key_names[level][q] : NULL;
}

const char *tw_report_key_code(const tw_world *w, tw_report_level level, size_t q,
                               const size_t ix[3])
{
    int sector = (level == TW_LEVEL_SECTOR && q == 1) || (level == TW_LEVEL_CELL && q == 2);
    return sector ? tw_world_sector_code(w, ix[q]) : tw_world_country_code(w, ix[q]);
}

const char *tw_column_name(const tw_column *c) { return c->name; }
tw_unit tw_column_unit(const tw_column *c) { return c->unit; }
const char *tw_column_description(const tw_column *c) { return c->description; }
unsigned tw_column_shows(const tw_column *c) { return c->show; }
const char *tw_column_heading(const tw_column *c) { return c->heading; }
int tw_column_width(const tw_column *c) { return c->width; }
int tw_column_decimals(const tw_column *c) { return c->decimals; }

int tw_column_needs_units(const tw_column *c) { return c->units; }

int tw_column_sparse(const tw_column *c, double *idle)
{
    if (c->sparse && idle) *idle = c->idle;
    return c->sparse;
}

double tw_column_value(const tw_column *c, const tw_result *r, size_t a, size_t b, size_t cc)
{
    const size_t x[3] = {a, b, cc};
    return c->get(r, x);
}

const char *tw_unit_name(tw_unit u, const char *money)
{
    switch (u) {
    case TW_UNIT_PERCENT: return "percent";
    case TW_UNIT_MONEY: return money ? money : "";
    case TW_UNIT_HAT: return "hat";
    case TW_UNIT_FRACTION: return "fraction";
    default: return "";
    }
}
