/* scenario_parse.c - the scenario file parser (docs/scenario-format.md).
 *
 * A line-oriented recursive-descent parser: each line is split into tokens
 * (words and quoted strings, with their columns), and the first token picks
 * the statement.  Every error names file:line:col and what was expected.
 * On error nothing is returned (the partial scenario is freed). */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"
#include "core/num.h"
#include "core/suggest.h"
#include "core/textin.h"

#define MAX_TOKENS 64

typedef struct tok {
    char *s;     /* NUL-terminated, inside the line buffer (quotes removed) */
    long col;
    long end;    /* column just past the token as written (quotes included) */
    int quoted;
} tok;

typedef struct parser {
    tw_scenario *sc;
    const char *path;
    long line;
    tok t[MAX_TOKENS];
    int nt;
    locale_t loc;
    tw_error *err;
} parser;

static const char *const keywords[] = {"scenario", "world", "focus", "event", "mapping",
                                       "rule", "step", "source", "set", "add", "remove",
                                       "exempt", "ntb"};

static tw_status perr(parser *p, long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static tw_status perr(parser *p, long col, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tw_error_set(p->err, TW_EINPUT, p->path, p->line, col, "%s", msg);
}

static tw_status nomem(parser *p)
{
    return tw_error_set(p->err, TW_ENOMEM, p->path, p->line, 0, "out of memory");
}

/* Split buf (modified in place) into tokens; '#' outside quotes ends the line. */
static tw_status tokenize(parser *p, char *buf)
{
    p->nt = 0;
    char *s = buf;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
        if (!*s || *s == '#') break;
        if (p->nt == MAX_TOKENS) return perr(p, s - buf + 1, "too many words on one line");
        tok *t = &p->t[p->nt++];
        t->col = s - buf + 1;
        if (*s == '"') {
            t->quoted = 1;
            char *w = ++s;
            t->s = w;
            while (*s && *s != '"') {
                if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) s++;
                *w++ = *s++;
            }
            if (*s != '"') return perr(p, t->col, "string is never closed (expected a closing \")");
            *w = '\0';
            s++;
            t->end = s - buf + 1;
            if (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n' && *s != '#')
                return perr(p, s - buf + 1, "expected a space after the closing quote");
        } else {
            t->quoted = 0;
            t->s = s;
            while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n' && *s != '"')
                s++;
            if (*s == '"') return perr(p, s - buf + 1, "unexpected quote inside a word");
            t->end = s - buf + 1;
            if (*s) *s++ = '\0';
        }
    }
    return TW_OK;
}

static char *dupstr(parser *p, const char *s)
{
    char *d = strdup(s);
    if (!d) nomem(p);
    return d;
}

/* A YYYY-MM-DD date: *day = days since 1970-01-01.  Errors name the token. */
static tw_status parse_date(parser *p, const tok *t, long *day)
{
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *s = t->s;
    int shape = !t->quoted && strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int k = 0; shape && k < 10; k++)
        if (k != 4 && k != 7 && !isdigit((unsigned char)s[k])) shape = 0;
    if (!shape) return perr(p, t->col, "expected a date YYYY-MM-DD, found \"%s\"", s);
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || y > 2200)
        return perr(p, t->col, "date \"%s\" is out of range (expected a year from 1900 to 2200)", s);
    if (m < 1 || m > 12)
        return perr(p, t->col, "date \"%s\" does not exist (expected a month from 01 to 12)", s);
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int len = mdays[m - 1] + (m == 2 && leap);
    if (d < 1 || d > len)
        return perr(p, t->col, "date \"%s\" does not exist (%s %d has %d days)", s, months[m - 1], y, len);
    /* days from civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *day = era * 146097 + doe - 719468;
    return TW_OK;
}

/* A number, or a percentage "12.5%". */
static tw_status number(parser *p, const tok *t, const char *what, double *out)
{
    char buf[64];
    size_t len = strlen(t->s);
    int pct = len > 0 && t->s[len - 1] == '%';
    if (t->quoted || len == 0 || len >= sizeof buf)
        return perr(p, t->col, "expected %s, found \"%s\"", what, t->s);
    memcpy(buf, t->s, len + 1);
    if (pct) buf[len - 1] = '\0';
    double v;
    if (tw_num_parse(buf, p->loc, &v) != TW_NUM_OK)
        return perr(p, t->col, "expected %s, found \"%s\"", what, t->s);
    *out = pct ? v / 100.0 : v;
    return TW_OK;
}

static tw_status need(parser *p, int k, const char *what)
{
    if (k < p->nt) return TW_OK;
    long col = p->nt ? p->t[p->nt - 1].end + 1 : 1;
    return perr(p, col, "expected %s at the end of the line", what);
}

const char *sc_cond_region(const char *cond)
{
    if (!cond) return NULL;
    cond += *cond == '!';
    return strncmp(cond, "region:", 7) ? NULL : cond + 7;
}

/* A condition: EVENT, region:CODE, either behind a "!". */
static tw_status cond_token(parser *p, int k, char **cond, long *col)
{
    const tok *t = &p->t[k];
    const char *s = t->s;
    const char *name = *s == '!' ? s + 1 : s;
    const char *code = t->quoted ? NULL : sc_cond_region(s);
    if (code && !tw_is_name(code))
        return perr(p, t->col + (code - s),
                    "expected a region code after \"region:\" (letters, digits, _), found \"%s\"", code);
    if (!code && (t->quoted || !tw_is_name(name)))
        return perr(p, t->col, "expected an event name or region:CODE after \"if\", found \"%s\"", s);
    *cond = dupstr(p, s);
    *col = t->col;
    return *cond ? TW_OK : TW_ENOMEM;
}

static tw_status expect_end(parser *p, int k)
{
    if (k < p->nt)
        return perr(p, p->t[k].col, "unexpected \"%s\" (expected the end of the line)", p->t[k].s);
    return TW_OK;
}

static void *grow(void *arr, size_t *n, size_t size)
{
    void *a = realloc(arr, (*n + 1) * size);
    if (!a) return NULL;
    memset((char *)a + *n * size, 0, size);
    (*n)++;
    return a;
}

/* scenario "TITLE", world NAME, mapping PATH: once each, before the steps. */
static tw_status named_stmt(parser *p, const char *kw)
{
    tw_scenario *sc = p->sc;
    int title = !strcmp(kw, "scenario");
    char **slot = title ? &sc->title : !strcmp(kw, "world") ? &sc->world : &sc->mapping;
    if (*slot) return perr(p, p->t[0].col, "\"%s\" given twice", kw);
    tw_status st = need(p, 1, title ? "a quoted title" : "a name or path");
    if (st) return st;
    if (title && !p->t[1].quoted)
        return perr(p, p->t[1].col, "expected a quoted title, found \"%s\"", p->t[1].s);
    if ((st = expect_end(p, 2))) return st;
    if (slot == &sc->mapping) {
        sc->mapping_line = p->line;
        sc->mapping_col = p->t[1].col;
    }
    *slot = dupstr(p, p->t[1].s);
    return *slot ? TW_OK : TW_ENOMEM;
}

/* focus A B */
static tw_status focus_stmt(parser *p)
{
    tw_scenario *sc = p->sc;
    if (sc->focus[0]) return perr(p, p->t[0].col, "\"focus\" given twice");
    tw_status st = need(p, 2, "two country codes");
    if (st || (st = expect_end(p, 3))) return st;
    if (!strcmp(p->t[1].s, p->t[2].s))
        return perr(p, p->t[2].col, "focus names \"%s\" twice (expected two different countries)", p->t[2].s);
    sc->focus_line = p->line;
    for (int k = 0; k < 2; k++) {
        sc->focus_col[k] = p->t[k + 1].col;
        if (!(sc->focus[k] = dupstr(p, p->t[k + 1].s))) return TW_ENOMEM;
    }
    return TW_OK;
}

/* event NAME ["DESCRIPTION"] */
static tw_status event_stmt(parser *p)
{
    tw_scenario *sc = p->sc;
    tw_status st = need(p, 1, "an event name");
    if (st) return st;
    if (p->t[1].quoted || !tw_is_name(p->t[1].s))
        return perr(p, p->t[1].col, "expected an event name (letters, digits, _), found \"%s\"", p->t[1].s);
    if (sc_event_index(sc, p->t[1].s) >= 0)
        return perr(p, p->t[1].col, "event \"%s\" declared twice", p->t[1].s);
    if (p->nt > 2 && !p->t[2].quoted)
        return perr(p, p->t[2].col, "expected a quoted description, found \"%s\"", p->t[2].s);
    if ((st = expect_end(p, 3))) return st;
    sc_event *e = grow(sc->events, &sc->n_events, sizeof *e);
    if (!e) return nomem(p);
    sc->events = e;
    e = &sc->events[sc->n_events - 1];
    e->line = p->line;
    e->name = dupstr(p, p->t[1].s);
    e->desc = dupstr(p, p->nt > 2 ? p->t[2].s : "");
    return e->name && e->desc ? TW_OK : TW_ENOMEM;
}

/* A rule's trailing "[layer NAME] [if COND]" from token k, then its default layer. */
static tw_status rule_options(parser *p, int k, sc_rule *r)
{
    tw_status st;
    while (k < p->nt) {
        if (!strcmp(p->t[k].s, "layer") && !r->layer) {
            if ((st = need(p, k + 1, "a layer name"))) return st;
            if (!tw_is_name(p->t[k + 1].s))
                return perr(p, p->t[k + 1].col, "expected a layer name, found \"%s\"", p->t[k + 1].s);
            if (!(r->layer = dupstr(p, p->t[k + 1].s))) return TW_ENOMEM;
        } else if (!strcmp(p->t[k].s, "if") && !r->cond) {
            if ((st = need(p, k + 1, "a condition (EVENT or region:CODE)"))) return st;
            if ((st = cond_token(p, k + 1, &r->cond, &r->col_cond))) return st;
        } else {
            return perr(p, p->t[k].col, "unexpected \"%s\" (expected layer NAME or if COND)", p->t[k].s);
        }
        k += 2;
    }
    if (!r->layer) {
        char name[160];
        snprintf(name, sizeof name, "mirror_%s", r->b);
        if (!(r->layer = dupstr(p, name))) return TW_ENOMEM;
    }
    return TW_OK;
}

/* rule mirror A B delay DAYS [layer NAME] [if COND] */
static tw_status rule_stmt(parser *p)
{
    tw_scenario *sc = p->sc;
    tw_status st = need(p, 1, "a rule type (mirror)");
    if (st) return st;
    if (strcmp(p->t[1].s, "mirror") != 0)
        return perr(p, p->t[1].col, "unknown rule \"%s\" (expected mirror)", p->t[1].s);
    if ((st = need(p, 5, "\"A B delay DAYS\""))) return st;
    if (!strcmp(p->t[2].s, p->t[3].s))
        return perr(p, p->t[3].col, "rule mirror %s %s: a country cannot mirror itself (expected two different countries)",
                    p->t[2].s, p->t[3].s);
    if (strcmp(p->t[4].s, "delay") != 0)
        return perr(p, p->t[4].col, "expected \"delay\", found \"%s\"", p->t[4].s);
    double days;
    if ((st = number(p, &p->t[5], "a number of days", &days))) return st;
    if (days < 0 || days > 3650 || floor(days) != days)
        return perr(p, p->t[5].col, "delay \"%s\" is not a whole number of days from 0 to 3650", p->t[5].s);
    sc_rule *r = grow(sc->rules, &sc->n_rules, sizeof *r);
    if (!r) return nomem(p);
    sc->rules = r;
    r = &sc->rules[sc->n_rules - 1];
    r->line = p->line;
    r->delay = (long)days;
    r->col_a = p->t[2].col;
    r->col_b = p->t[3].col;
    if (!(r->a = dupstr(p, p->t[2].s)) || !(r->b = dupstr(p, p->t[3].s))) return TW_ENOMEM;
    return rule_options(p, 6, r);
}

static tw_status header_stmt(parser *p, const char *kw)
{
    if (p->sc->n_steps)
        return perr(p, p->t[0].col, "\"%s\" must come before the first step", kw);
    if (!strcmp(kw, "focus")) return focus_stmt(p);
    if (!strcmp(kw, "event")) return event_stmt(p);
    if (!strcmp(kw, "rule")) return rule_stmt(p);
    return named_stmt(p, kw);
}

static tw_status step_stmt(parser *p)
{
    tw_scenario *sc = p->sc;
    tw_status st = need(p, 1, "a date YYYY-MM-DD");
    if (st) return st;
    long day = 0;
    if ((st = parse_date(p, &p->t[1], &day))) return st;
    if ((st = need(p, 2, "a quoted label"))) return st;
    if (!p->t[2].quoted) return perr(p, p->t[2].col, "expected a quoted label, found \"%s\"", p->t[2].s);
    sc_step *s = grow(sc->steps, &sc->n_steps, sizeof *s);
    if (!s) return nomem(p);
    sc->steps = s;
    s = &sc->steps[sc->n_steps - 1];
    s->line = p->line;
    s->day = day;
    memcpy(s->date, p->t[1].s, 11);
    if (!(s->label = dupstr(p, p->t[2].s))) return TW_ENOMEM;
    if (p->nt > 3) {
        if (strcmp(p->t[3].s, "if") != 0)
            return perr(p, p->t[3].col, "unexpected \"%s\" (expected if COND or the end of the line)", p->t[3].s);
        if ((st = need(p, 4, "a condition (EVENT or region:CODE)"))) return st;
        if ((st = cond_token(p, 4, &s->cond, &s->col_cond))) return st;
        if ((st = expect_end(p, 5))) return st;
    }
    return TW_OK;
}

/* EXP -> IMP [SEC] starting at token k; returns the next token index in *next. */
static tw_status cells(parser *p, int k, sc_action *a, int want_sectors, int *next)
{
    tw_status st = need(p, k + 2, want_sectors ? "cells \"EXPORTERS -> IMPORTERS SECTORS\"" : "cells \"EXPORTERS -> IMPORTERS\"");
    if (st) return st;
    if (p->t[k].quoted) return perr(p, p->t[k].col, "expected exporters, found a quoted string");
    if (strcmp(p->t[k + 1].s, "->") != 0)
        return perr(p, p->t[k + 1].col, "expected \"->\" between exporters and importers, found \"%s\"", p->t[k + 1].s);
    a->col_exp = p->t[k].col;
    a->col_imp = p->t[k + 2].col;
    if (!(a->exp = dupstr(p, p->t[k].s)) || !(a->imp = dupstr(p, p->t[k + 2].s))) return TW_ENOMEM;
    k += 3;
    if (want_sectors) {
        if ((st = need(p, k, "sectors (a code, a list, or *)"))) return st;
        a->col_sec = p->t[k].col;
        if (!(a->sec = dupstr(p, p->t[k].s))) return TW_ENOMEM;
        k++;
    }
    *next = k;
    return TW_OK;
}

/* Trailing "[share S] [ref R] [if C]" in any order, each at most once. */
static tw_status trailer(parser *p, int k, sc_action *a, int share_ok)
{
    tw_status st;
    while (k < p->nt) {
        const char *w = p->t[k].s;
        if (!strcmp(w, "share") && share_ok && !a->has_share) {
            if ((st = need(p, k + 1, "a share in (0, 1]"))) return st;
            if ((st = number(p, &p->t[k + 1], "a share in (0, 1]", &a->share))) return st;
            if (!(a->share > 0 && a->share <= 1))
                return perr(p, p->t[k + 1].col, "share \"%s\" is not in (0, 1]", p->t[k + 1].s);
            a->has_share = 1;
        } else if (!strcmp(w, "ref") && !a->ref) {
            if ((st = need(p, k + 1, "a reference such as timeline:13"))) return st;
            if (!(a->ref = dupstr(p, p->t[k + 1].s))) return TW_ENOMEM;
        } else if (!strcmp(w, "if") && !a->cond) {
            if ((st = need(p, k + 1, "a condition (EVENT or region:CODE)"))) return st;
            if ((st = cond_token(p, k + 1, &a->cond, &a->col_cond))) return st;
        } else if (!strcmp(w, "%")) {
            return perr(p, p->t[k].col, "unexpected \"%%\" (write a percentage without a space, e.g. 25%%)");
        } else {
            return perr(p, p->t[k].col, "unexpected \"%s\" (expected %sref REF, if COND or the end of the line)",
                        w, share_ok ? "share S, " : "");
        }
        k += 2;
    }
    return TW_OK;
}

/* A new action of the current step, from the statement's first token; NULL
 * with *st set on error. */
static sc_action *new_action(parser *p, enum sc_verb verb, tw_status *st)
{
    tw_scenario *sc = p->sc;
    if (!sc->n_steps) {
        *st = perr(p, p->t[0].col, "\"%s\" outside a step (expected a step line before it)", p->t[0].s);
        return NULL;
    }
    sc_step *s = &sc->steps[sc->n_steps - 1];
    sc_action *arr = grow(s->acts, &s->n_acts, sizeof *arr);
    if (!arr) {
        *st = nomem(p);
        return NULL;
    }
    s->acts = arr;
    sc_action *a = &s->acts[s->n_acts - 1];
    a->verb = verb;
    a->share = 1.0;
    a->line = p->line;
    a->col = p->t[0].col;
    if ((*st = need(p, 1, "a layer name"))) return NULL;
    if (p->t[1].quoted || !tw_is_name(p->t[1].s)) {
        *st = perr(p, p->t[1].col, "expected a layer name (letters, digits, _), found \"%s\"", p->t[1].s);
        return NULL;
    }
    a->col_layer = p->t[1].col;
    if (!(a->layer = dupstr(p, p->t[1].s))) {
        *st = TW_ENOMEM;
        return NULL;
    }
    return a;
}

static int is_trailer_word(const parser *p, int k)
{
    return !strcmp(p->t[k].s, "ref") || !strcmp(p->t[k].s, "if");
}

/* remove LAYER [EXP -> IMP [SEC]] [ref R] [if C] */
static tw_status remove_tail(parser *p, sc_action *a)
{
    int k = 2;
    tw_status st;
    if (k < p->nt && !is_trailer_word(p, k)) {
        if ((st = cells(p, k, a, 0, &k))) return st;
        if (k < p->nt && !is_trailer_word(p, k)) {
            a->col_sec = p->t[k].col;
            if (!(a->sec = dupstr(p, p->t[k].s))) return TW_ENOMEM;
            k++;
        }
    }
    return trailer(p, k, a, 0);
}

/* The value of an ntb action (factor F, ave R or ban S), checked. */
static tw_status ntb_value(parser *p, int k, sc_action *a)
{
    tw_status st = need(p, k, "factor F, ave R or ban S");
    if (st) return st;
    const char *kw = p->t[k].s;
    a->kind = !strcmp(kw, "factor") ? SC_FACTOR : !strcmp(kw, "ave") ? SC_AVE : !strcmp(kw, "ban") ? SC_BAN : SC_NONE;
    if (a->kind == SC_NONE)
        return perr(p, p->t[k].col, "expected factor, ave or ban, found \"%s\"", kw);
    if ((st = need(p, k + 1, "a value"))) return st;
    const tok *v = &p->t[k + 1];
    if ((st = number(p, v, a->kind == SC_FACTOR ? "a factor > 0" : a->kind == SC_AVE ? "a rate >= 0" : "a share in (0, 1)", &a->value)))
        return st;
    if (a->kind == SC_FACTOR && !(a->value > 0))
        return perr(p, v->col, "factor \"%s\" is not positive (expected > 0)", v->s);
    if (a->kind == SC_FACTOR && !(a->value >= TW_NTB_FACTOR_MIN && a->value <= TW_NTB_FACTOR_MAX))
        return perr(p, v->col, "factor \"%s\" is out of range (expected %g <= factor <= %g)",
                    v->s, TW_NTB_FACTOR_MIN, TW_NTB_FACTOR_MAX);
    if (a->kind == SC_AVE && !(a->value >= 0))
        return perr(p, v->col, "ave \"%s\" is negative (expected >= 0)", v->s);
    if (a->kind == SC_BAN && !(a->value > 0 && a->value < 1))
        return perr(p, v->col, "ban share \"%s\" is not in (0, 1)", v->s);
    return TW_OK;
}

/* ntb LAYER EXP -> IMP SEC (factor F | ave R | ban S) [share S] [ref R] [if C] */
static tw_status ntb_tail(parser *p, int k, sc_action *a)
{
    tw_status st = ntb_value(p, k, a);
    if (st || (st = trailer(p, k + 2, a, a->kind == SC_AVE))) return st;
    /* the factor of an ave is 1 + R S (docs/scenario-format.md) */
    const tok *v = &p->t[k + 1];
    if (a->kind == SC_AVE && !(1.0 + a->value * a->share <= TW_NTB_FACTOR_MAX))
        return perr(p, v->col, "ave \"%s\" gives the iceberg factor %g, out of range "
                    "(expected 1 + R S <= %g)", v->s, 1.0 + a->value * a->share,
                    TW_NTB_FACTOR_MAX);
    return TW_OK;
}

/* set|add LAYER EXP -> IMP SEC RATE [share S] [ref R] [if C] */
static tw_status rate_tail(parser *p, int k, sc_action *a)
{
    tw_status st = need(p, k, "a rate such as 0.25 or 25%");
    if (st) return st;
    if ((st = number(p, &p->t[k], "a rate such as 0.25 or 25%", &a->value))) return st;
    if (!(a->value >= 0))
        return perr(p, p->t[k].col, "rate \"%s\" is negative (expected >= 0; use remove or set to lower a layer)", p->t[k].s);
    return trailer(p, k + 1, a, 1);
}

static tw_status action_stmt(parser *p, enum sc_verb verb)
{
    int k = 2;
    tw_status st = TW_OK;
    sc_action *a = new_action(p, verb, &st);
    if (!a) return st;
    if (verb == SC_REMOVE) return remove_tail(p, a);
    if ((st = cells(p, k, a, 1, &k))) return st;
    if (verb == SC_EXEMPT) return trailer(p, k, a, 1);
    if (verb == SC_NTB) return ntb_tail(p, k, a);
    return rate_tail(p, k, a);
}

static tw_status source_stmt(parser *p)
{
    tw_scenario *sc = p->sc;
    if (!sc->n_steps) return perr(p, p->t[0].col, "\"source\" outside a step (expected a step line before it)");
    tw_status st = need(p, 1, "a quoted source");
    if (st) return st;
    if (!p->t[1].quoted) return perr(p, p->t[1].col, "expected a quoted source, found \"%s\"", p->t[1].s);
    if ((st = expect_end(p, 2))) return st;
    sc_step *s = &sc->steps[sc->n_steps - 1];
    char **arr = realloc(s->sources, (s->n_sources + 1) * sizeof *arr);
    if (!arr) return nomem(p);
    s->sources = arr;
    if (!(s->sources[s->n_sources] = dupstr(p, p->t[1].s))) return TW_ENOMEM;
    s->n_sources++;
    return TW_OK;
}

static tw_status statement(parser *p)
{
    const char *kw = p->t[0].s;
    if (p->t[0].quoted) return perr(p, p->t[0].col, "expected a statement, found a quoted string");
    if (!strcmp(kw, "scenario") || !strcmp(kw, "world") || !strcmp(kw, "focus") ||
        !strcmp(kw, "event") || !strcmp(kw, "mapping") || !strcmp(kw, "rule"))
        return header_stmt(p, kw);
    if (!strcmp(kw, "step")) return step_stmt(p);
    if (!strcmp(kw, "source")) return source_stmt(p);
    if (!strcmp(kw, "set")) return action_stmt(p, SC_SET);
    if (!strcmp(kw, "add")) return action_stmt(p, SC_ADD);
    if (!strcmp(kw, "remove")) return action_stmt(p, SC_REMOVE);
    if (!strcmp(kw, "exempt")) return action_stmt(p, SC_EXEMPT);
    if (!strcmp(kw, "ntb")) return action_stmt(p, SC_NTB);
    const char *guess = tw_suggest(kw, keywords, sizeof keywords / sizeof keywords[0]);
    if (guess)
        return perr(p, p->t[0].col, "unknown statement \"%s\" (did you mean \"%s\"?)", kw, guess);
    return perr(p, p->t[0].col,
                "expected a statement (scenario, world, focus, event, mapping, rule, step, "
                "source, set, add, remove, exempt, ntb), found \"%s\"", kw);
}

/* A condition naming an undeclared event: point at the name (past a "!") and
 * suggest the closest declared event, if any. */
static tw_status unknown_event(parser *p, long line, long col, const char *cond)
{
    tw_scenario *sc = p->sc;
    const char *name = cond + (*cond == '!');
    p->line = line;
    col += *cond == '!';
    const char **names = malloc((sc->n_events + 1) * sizeof *names);
    if (!names) return nomem(p);
    for (size_t k = 0; k < sc->n_events; k++) names[k] = sc->events[k].name;
    const char *g = tw_suggest(name, names, sc->n_events);
    tw_status st = g ? perr(p, col, "unknown event \"%s\" (did you mean \"%s\"?)", name, g)
                     : perr(p, col, "unknown event \"%s\" (declare it with: event %s \"...\")", name, name);
    free(names);
    return st;
}

/* An event condition names a declared event (a region condition may name any
 * code: it is false on a world without that region). */
static int cond_unknown(const tw_scenario *sc, const char *cond)
{
    return cond && !sc_cond_region(cond) && sc_event_index(sc, cond + (*cond == '!')) < 0;
}

/* Conditions may only name declared events. */
static tw_status check_conditions(parser *p)
{
    tw_scenario *sc = p->sc;
    for (size_t r = 0; r < sc->n_rules; r++) {
        const sc_rule *ru = &sc->rules[r];
        if (cond_unknown(sc, ru->cond))
            return unknown_event(p, ru->line, ru->col_cond, ru->cond);
    }
    for (size_t k = 0; k < sc->n_steps; k++) {
        sc_step *s = &sc->steps[k];
        if (cond_unknown(sc, s->cond))
            return unknown_event(p, s->line, s->col_cond, s->cond);
        for (size_t q = 0; q < s->n_acts; q++) {
            sc_action *a = &s->acts[q];
            if (cond_unknown(sc, a->cond))
                return unknown_event(p, a->line, a->col_cond, a->cond);
        }
    }
    return TW_OK;
}

/* The first statement that sets layer name (a rule's layer, or an action other
 * than remove): its line and whether it holds NTBs.  0 when none does. */
static int first_setter(const tw_scenario *sc, const char *name, long *line, int *is_ntb)
{
    for (size_t k = 0; k < sc->n_rules; k++)
        if (!strcmp(sc->rules[k].layer, name)) {
            *line = sc->rules[k].line;
            *is_ntb = 0;
            return 1;
        }
    for (size_t k = 0; k < sc->n_steps; k++)
        for (size_t q = 0; q < sc->steps[k].n_acts; q++) {
            const sc_action *a = &sc->steps[k].acts[q];
            if (a->verb != SC_REMOVE && !strcmp(a->layer, name)) {
                *line = a->line;
                *is_ntb = a->verb == SC_NTB;
                return 1;
            }
        }
    return 0;
}

/* A layer holds tariffs or NTBs, never both (whatever the branch), and remove
 * names a layer that some statement of the file sets. */
static tw_status check_layers(parser *p)
{
    tw_scenario *sc = p->sc;
    for (size_t k = 0; k < sc->n_steps; k++)
        for (size_t q = 0; q < sc->steps[k].n_acts; q++) {
            const sc_action *a = &sc->steps[k].acts[q];
            long line = 0;
            int is_ntb = 0;
            p->line = a->line;
            if (a->verb != SC_REMOVE) {
                first_setter(sc, a->layer, &line, &is_ntb);
                if (is_ntb != (a->verb == SC_NTB))
                    return perr(p, a->col_layer, "layer \"%s\" already holds %s (line %ld); a layer holds tariffs or NTBs, not both",
                                a->layer, is_ntb ? "NTBs" : "tariffs", line);
                continue;
            }
            if (first_setter(sc, a->layer, &line, &is_ntb)) continue;
            /* a typo: suggest the closest layer the file sets */
            size_t n = 0;
            for (size_t r = 0; r < sc->n_steps; r++) n += sc->steps[r].n_acts;
            const char **names = malloc((sc->n_rules + n + 1) * sizeof *names);
            if (!names) return nomem(p);
            n = 0;
            for (size_t r = 0; r < sc->n_rules; r++) names[n++] = sc->rules[r].layer;
            for (size_t r = 0; r < sc->n_steps; r++)
                for (size_t c = 0; c < sc->steps[r].n_acts; c++)
                    if (sc->steps[r].acts[c].verb != SC_REMOVE) names[n++] = sc->steps[r].acts[c].layer;
            const char *g = tw_suggest(a->layer, names, n);
            tw_status st = g ? perr(p, a->col_layer, "remove: unknown layer \"%s\" (did you mean \"%s\"?)", a->layer, g)
                             : perr(p, a->col_layer, "remove: unknown layer \"%s\" (no statement of the file sets it)", a->layer);
            free(names);
            return st;
        }
    return TW_OK;
}

long sc_event_index(const tw_scenario *sc, const char *name)
{
    for (size_t k = 0; k < sc->n_events; k++)
        if (!strcmp(sc->events[k].name, name)) return (long)k;
    return -1;
}

/* Lines come from the bounded reader (core/textin.h): it refuses over-long
 * lines, over-large files and NUL bytes with file:line. */
static tw_status parse_file(parser *p, tw_textin *in)
{
    char *buf = NULL;
    size_t len = 0;
    tw_status st = TW_OK;
    int got;
    p->line = 0;
    while (st == TW_OK && (got = tw_textin_next(in, &buf, &len, p->err)) != 0) {
        if (got < 0) return p->err->code;
        p->line = tw_textin_lineno(in);
        if (p->line == 1 && len >= 3 && (unsigned char)buf[0] == 0xEF &&
            (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF)
            memmove(buf, buf + 3, len - 2);
        if ((st = tokenize(p, buf))) break;
        if (p->nt) st = statement(p);
    }
    if (st) return st;
    tw_scenario *sc = p->sc;
    p->line = 0;
    if (!sc->title) return tw_error_set(p->err, TW_EINPUT, p->path, 0, 0, "no scenario statement (expected scenario \"TITLE\" at the top)");
    if (!sc->focus[0]) return tw_error_set(p->err, TW_EINPUT, p->path, 0, 0, "no focus statement (expected focus A B, the two countries the timeline is about)");
    if (!sc->n_steps) return tw_error_set(p->err, TW_EINPUT, p->path, 0, 0, "no steps (expected at least one step line)");
    if ((st = check_conditions(p))) return st;
    return check_layers(p);
}

tw_scenario *tw_scenario_load(const char *path, tw_error *err)
{
    return tw_scenario_load_limited(path, 0, err);
}

tw_scenario *tw_scenario_load_limited(const char *path, uint64_t max_bytes, tw_error *err)
{
    tw_error local;
    if (!err) err = &local;
    tw_error_clear(err);
    if (!path) {
        tw_error_set(err, TW_EARG, NULL, 0, 0, "no scenario file given");
        return NULL;
    }
    tw_textin *f = NULL;
    if (tw_textin_open(&f, path, path, 0, err) != TW_OK) return NULL;
    tw_textin_set_limits(f, 0, max_bytes);
    parser p = {0};
    p.path = path;
    p.err = err;
    p.sc = calloc(1, sizeof *p.sc);
    p.loc = tw_num_locale_new();
    tw_status st = (!p.sc || !p.loc) ? nomem(&p) : TW_OK;
    if (!st && !(p.sc->path = strdup(path))) st = nomem(&p);
    if (!st) st = parse_file(&p, f);
    tw_textin_close(f);
    if (p.loc) tw_num_locale_free(p.loc);
    if (st) {
        tw_scenario_free(p.sc);
        return NULL;
    }
    /* resolve the mapping path against the scenario's folder */
    tw_scenario *sc = p.sc;
    if (sc->mapping && sc->mapping[0] != '/' && strchr(path, '/')) {
        size_t dl = (size_t)(strrchr(path, '/') - path);
        size_t n = dl + 1 + strlen(sc->mapping) + 1;
        char *full = malloc(n);
        if (!full) {
            tw_error_set(err, TW_ENOMEM, path, 0, 0, "out of memory");
            tw_scenario_free(sc);
            return NULL;
        }
        snprintf(full, n, "%.*s/%s", (int)dl, path, sc->mapping);
        free(sc->mapping);
        sc->mapping = full;
    }
    return sc;
}

void tw_scenario_free(tw_scenario *sc)
{
    if (!sc) return;
    for (size_t k = 0; k < sc->n_steps; k++) {
        sc_step *s = &sc->steps[k];
        for (size_t q = 0; q < s->n_acts; q++) {
            sc_action *a = &s->acts[q];
            free(a->layer); free(a->exp); free(a->imp); free(a->sec); free(a->ref); free(a->cond);
        }
        for (size_t q = 0; q < s->n_sources; q++) free(s->sources[q]);
        free(s->sources); free(s->acts); free(s->label); free(s->cond);
    }
    for (size_t k = 0; k < sc->n_events; k++) {
        free(sc->events[k].name);
        free(sc->events[k].desc);
    }
    for (size_t k = 0; k < sc->n_rules; k++) {
        free(sc->rules[k].a); free(sc->rules[k].b); free(sc->rules[k].layer); free(sc->rules[k].cond);
    }
    free(sc->steps); free(sc->events); free(sc->rules);
    free(sc->path); free(sc->title); free(sc->world); free(sc->mapping);
    free(sc->focus[0]); free(sc->focus[1]);
    free(sc);
}

const char *tw_scenario_title(const tw_scenario *sc) { return sc->title; }
const char *tw_scenario_world(const tw_scenario *sc) { return sc->world; }
const char *tw_scenario_focus(const tw_scenario *sc, int k) { return (k == 0 || k == 1) ? sc->focus[k] : NULL; }
const char *tw_scenario_mapping(const tw_scenario *sc) { return sc->mapping; }
size_t tw_scenario_n_events(const tw_scenario *sc) { return sc->n_events; }
const char *tw_scenario_event_name(const tw_scenario *sc, size_t k) { return k < sc->n_events ? sc->events[k].name : NULL; }
const char *tw_scenario_event_description(const tw_scenario *sc, size_t k) { return k < sc->n_events ? sc->events[k].desc : NULL; }
size_t tw_scenario_n_steps(const tw_scenario *sc) { return sc->n_steps; }
const char *tw_scenario_step_date(const tw_scenario *sc, size_t k) { return k < sc->n_steps ? sc->steps[k].date : NULL; }
const char *tw_scenario_step_label(const tw_scenario *sc, size_t k) { return k < sc->n_steps ? sc->steps[k].label : NULL; }
size_t tw_scenario_step_n_actions(const tw_scenario *sc, size_t k) { return k < sc->n_steps ? sc->steps[k].n_acts : 0; }

tw_status tw_scenario_action(const tw_scenario *sc, size_t step, size_t k, tw_action_info *out)
{
    if (step >= sc->n_steps || k >= sc->steps[step].n_acts) return TW_EARG;
    const sc_action *a = &sc->steps[step].acts[k];
    static const char *const verbs[] = {"set", "add", "remove", "exempt", "ntb"};
    static const char *const kinds[] = {NULL, "factor", "ave", "ban"};
    out->verb = verbs[a->verb];
    out->layer = a->layer;
    out->exporters = a->exp;
    out->importers = a->imp;
    out->sectors = a->sec;
    out->kind = kinds[a->kind];
    out->value = a->value;
    out->share = a->share;
    out->ref = a->ref;
    out->cond = a->cond;
    out->line = a->line;
    return TW_OK;
}
