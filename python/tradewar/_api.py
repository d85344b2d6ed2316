"""Worlds, solves, timelines, games and sweeps over libtradewar (ctypes).

Where the library renders an output itself (tw_report_json for a solve,
tw_report_timeline_json for a timeline, tw_report_talks_json for talks,
tw_sweep_write_csv and tw_sweep_write_summary_csv for a sweep), this module parses exactly that text,
so every number is the one `tradewar ... --json` (or `--out`, `--summary`)
prints, bit for bit, and the columns are the library's.  The other game
outputs (optimal, nash) are put together by the command line; here they are
built the same way from the same calls: the country columns come from the
library's column table (tw_report_view with TW_SHOW_GAME_JSON), the rest from
the outcome getters, and tw_pct turns hats into percentages as the command
line does.
"""

import ctypes
import json
import math
import os
import tempfile
import warnings

import pandas as pd

from ._errors import STATUS, Error
from . import _lib
from ._lib import ReportOpts, TalksOpts, Talks, TwError, lib


# ---- errors -------------------------------------------------------------

def _raise(err, rename=None):
    """Raise the tw_error err as Error; rename maps temporary file paths to
    what the caller gave (a DataFrame)."""
    buf = ctypes.create_string_buffer(700)
    lib().tw_error_format(ctypes.byref(err), buf, len(buf))
    msg = buf.value.decode("utf-8", "replace")
    file = err.file.decode("utf-8", "replace")
    for tmp, name in (rename or {}).items():
        msg = msg.replace(tmp, name)
        file = name if file == tmp else file
    raise Error(msg, STATUS.get(err.code, "input"), file, err.line,
                err.field.decode("utf-8", "replace"))


def _check(status, err, rename=None):
    if status:
        _raise(err, rename)


def _b(s):
    return None if s is None else os.fsencode(s) if not isinstance(s, bytes) else s


def _s(p):
    return None if p is None else p.decode("utf-8")


def _parse_enum(fn, value, what, allowed):
    out = ctypes.c_int()
    if not isinstance(value, str) or fn(_b(value), ctypes.byref(out)):
        raise Error('%s "%s" is not %s' % (what, value, allowed), "arg", field=what)
    return out.value


def _solver_options(deficits, method, tol):
    L = lib()
    d = _parse_enum(L.tw_deficits_parse, deficits, "deficits", "keep or purge")
    m = _parse_enum(L.tw_method_parse, method, "method", "newton or tatonnement")
    if not (isinstance(tol, (int, float)) and 1e-14 <= tol <= 1e-4):
        raise Error('tol "%s" is not a number in [1e-14, 1e-4]' % (tol,), "arg", field="tol")
    return d, m


def _with_elasticities(w, elasticities):
    """A copy of world handle w holding the named set or file elasticities
    (tw_world_apply_elasticities), which the caller frees; None for None."""
    if elasticities is None:
        return None
    L = lib()
    out = ctypes.c_void_p()
    err = TwError()
    if L.tw_world_apply_elasticities(w, _b(os.fspath(elasticities)), 0, ctypes.byref(out),
                                     ctypes.byref(err)):
        _raise(err)
    return out.value


def _num(x):
    """A double as the command line's JSON gives it back: NaN and infinities
    are null."""
    return None if math.isnan(x) or math.isinf(x) else x


def _json(ptr):
    """A JSON text the library returned (malloc'd; freed here), parsed;
    NULL means it ran out of memory."""
    text = lib().take_string(ptr)
    if text is None:
        raise Error("out of memory", "nomem")
    return json.loads(text)


def _frame(records, index=None):
    """A DataFrame of JSON records; a column of nulls only is float NaN."""
    df = pd.DataFrame.from_records(records)
    for c in df.columns:
        if df[c].dtype == object and df[c].isna().all():
            df[c] = df[c].astype(float)
    if index is not None and len(df):
        df = df.set_index(index)
    return df


# ---- policy inputs -------------------------------------------------------

class _Inputs:
    """Paths for the library from what the caller gave: a path as is, a
    DataFrame written to a temporary CSV (its file's columns, in order)."""

    def __init__(self):
        self.dir = None
        self.rename = {}

    def path(self, x, what):
        if isinstance(x, pd.DataFrame):
            if self.dir is None:
                self.dir = tempfile.TemporaryDirectory(prefix="tradewar-")
            p = os.path.join(self.dir.name, "%s-%d.csv" % (what, len(self.rename)))
            x.to_csv(p, index=False)
            self.rename[p] = "%s DataFrame" % what
            return p, "DataFrame"
        if isinstance(x, (str, os.PathLike)):
            p = os.fspath(x)
            return p, p
        raise Error("%s: expected a path or a DataFrame, not %s" % (what, type(x).__name__),
                    "arg", field=what)

    def close(self):
        if self.dir is not None:
            self.dir.cleanup()


def _as_list(x):
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _shock(world, tariffs, ntb, inputs, handle=None):
    """A tw_shock of the tariff and NTB inputs applied in order, and the
    label the command line prints for them; for the world handle given (a
    copy with other elasticities), else the world's own."""
    L = lib()
    err = TwError()
    s = L.tw_shock_create(handle or world._w, ctypes.byref(err))
    if not s:
        _raise(err)
    labels = []
    try:
        for kind, items in ((0, _as_list(tariffs)), (1, _as_list(ntb))):
            for x in items:
                p, label = inputs.path(x, "ntb" if kind else "tariffs")
                labels.append(("ntb " if kind else "") + label)
                _check(L.tw_shock_load_limited(s, _b(p), kind, 0, ctypes.byref(err)), err,
                       inputs.rename)
    except BaseException:
        L.tw_shock_free(s)
        raise
    return s, ", ".join(labels)


# ---- results ---------------------------------------------------------------

class _Output:
    """What every output has: ``meta`` (a dict) and ``json`` (the whole
    output as the command line's --json gives it, parsed)."""

    def __repr__(self):
        return "<tradewar.%s %s>" % (type(self).__name__, json.dumps(
            {k: v for k, v in self.meta.items() if not isinstance(v, (dict, list))})[:200])


class Result(_Output):
    """A solved equilibrium (World.solve).

    countries  DataFrame indexed by country code, one column per field of
               `tradewar solve --json`'s "countries" (name, welfare_pct, ...)
    bilateral  DataFrame indexed by (importer, exporter): pairs with trade
    sectors    DataFrame indexed by (country, sector)
    meta       version, world, world_dir, hash, options, converged, iterations,
               residual and the other top-level fields of the JSON
    json       the JSON of `tradewar solve --json --bilateral --sectors`"""

    def __init__(self, data, meta):
        self.json = data
        self.meta = meta
        self.countries = _frame(data["countries"], "code")
        self.bilateral = _frame(data.get("bilateral", []), ["importer", "exporter"])
        self.sectors = _frame(data.get("sectors", []), ["country", "sector"])


class Timeline(_Output):
    """A replayed scenario (World.timeline).

    steps      DataFrame, one row per step (index: step number from 0), the
               step fields of `tradewar timeline --json` but the countries
    countries  DataFrame indexed by (step, code): every country at every step,
               with the step's date and label
    focus      the five focus countries
    meta       the top-level fields of the JSON (scenario, world, focus, ...),
               version, hash and options
    json       the JSON of `tradewar timeline --json`"""

    def __init__(self, data, meta):
        self.json = data
        self.meta = meta
        self.focus = list(data.get("focus", []))
        rows, steps = [], []
        for k, st in enumerate(data["steps"]):
            steps.append({"step": k, **{f: v for f, v in st.items() if f != "countries"}})
            for c in st["countries"]:
                rows.append({"step": k, "date": st["date"], "label": st["label"], **c})
        self.steps = _frame(steps, "step")
        self.countries = _frame(rows, ["step", "code"])


class Game(_Output):
    """A best response (World.optimal) or a Nash war (World.nash).

    countries  DataFrame indexed by country code: the effects at the outcome
               (the columns of `tradewar optimal|nash --json`'s "countries")
    tariffs    DataFrame (player, cells, rate): the instrument values chosen
    players    DataFrame indexed by code: each player's welfare_pct
    meta       the top-level scalars of the JSON (instrument, converged,
               welfare_pct or rounds/residual/world_welfare_pct, solves),
               version, world, hash and options
    json       the JSON of `tradewar optimal|nash --json`"""

    def __init__(self, data, meta):
        self.json = data
        self.meta = meta
        self.countries = _frame(data["countries"], "code")
        if "players" in data:
            players = data["players"]
            tariffs = [{"player": p["code"], **t} for p in players for t in p["tariffs"]]
            self.players = _frame([{f: v for f, v in p.items() if f != "tariffs"}
                                   for p in players], "code")
        else:
            tariffs = [{"player": data["country"], **t} for t in data["tariffs"]]
            self.players = _frame([{"code": data["country"],
                                    "welfare_pct": data["welfare_pct"]}], "code")
        self.tariffs = _frame(tariffs)


class TalksResult(_Output):
    """Trade talks (World.talks).

    players    DataFrame indexed by code: status quo, threat and bargain welfare,
               bargain tariff (and with_concession_*, deal_welfare_pct when asked)
    frontier   DataFrame, one row per frontier point (weight_a, tariff_a,
               tariff_b, welfare_a_pct, welfare_b_pct); empty without
    meta       threat, converged (False when the frontier failed its check,
               with error saying why), version, world, hash and options
    json       the JSON of `tradewar talks --json`"""

    def __init__(self, data, meta):
        self.json = data
        self.meta = meta
        self.players = _frame(data["players"], "code")
        self.frontier = _frame(data.get("frontier", []))


class Sweep(_Output):
    """A batch of equilibria (World.sweep).

    results    DataFrame: `tradewar sweep --out`'s CSV, one row per (variant,
               grid point, country)
    summary    DataFrame: `tradewar sweep --summary`'s CSV, one row per (grid
               point, country, statistic) with the median and 5-95 % band
    meta       variants, points, failed, version, world, hash and options"""

    def __init__(self, results, summary, meta):
        self.results = results
        self.summary = summary
        self.meta = meta
        self.json = None


# ---- worlds ----------------------------------------------------------------

def _world_names(root):
    try:
        names = sorted(d for d in os.listdir(root) if not d.startswith(".") and
                       os.path.isfile(os.path.join(root, d, "countries.csv")))
    except OSError:
        names = []
    return names


def _suggest(word, candidates):
    if not candidates:
        return None
    arr = (ctypes.c_char_p * len(candidates))(*[_b(c) for c in candidates])
    return _s(lib().tw_suggest(_b(word), arr, len(candidates)))


def world_path(name):
    """The directory a world argument names, as the command line resolves
    it: a path (with a '/', or an existing directory) as is, else the
    embedded world of that name in the data directory (_lib.data_root)."""
    if "/" in name or os.path.isdir(name):
        return name
    root = _lib.data_root()
    p = os.path.join(root, name)
    if os.path.isdir(p):
        return p
    names = _world_names(root)
    if not names:
        raise Error('unknown world "%.60s" (no embedded worlds in %.80s; give a path to a world '
                    'directory)' % (name, root))
    near = _suggest(name, names)
    hint = '; did you mean "%.60s"?' % near if near else ""
    raise Error('unknown world "%.60s"%s (embedded worlds: %s; or give a path to a world '
                'directory)' % (name, hint, ", ".join(names)))


def load_world(name="world2011"):
    """Load a world: an embedded name ("world2011", "world2023-goods", ...)
    or a world directory.  Raises Error with the loader's file:line: message."""
    return World(name)


class World:
    """A loaded world (immutable; any number of solves may use it)."""

    def __init__(self, name="world2011"):
        L = lib()
        self.name = os.fspath(name)
        path = world_path(self.name)
        err = TwError()
        self._w = L.tw_world_load_limited(_b(path), 0, ctypes.byref(err))
        if not self._w:
            _raise(err)
        self._lib = L  # keeps the library for __del__ at interpreter exit
        self.dir = _s(L.tw_world_dir(self._w))
        self.countries = [_s(L.tw_world_country_code(self._w, n))
                          for n in range(L.tw_world_n_countries(self._w))]
        self.sectors = [_s(L.tw_world_sector_code(self._w, j))
                        for j in range(L.tw_world_n_sectors(self._w))]
        h = ctypes.create_string_buffer(17)
        L.tw_world_hash(self._w, h)
        self.hash = h.value.decode()

    def __del__(self):
        w, self._w = getattr(self, "_w", None), None
        if w:
            self._lib.tw_world_free(w)

    def __repr__(self):
        return "<tradewar.World %s: %d countries x %d sectors>" % (
            self.name, len(self.countries), len(self.sectors))

    def meta_value(self, key):
        """A key of the world's meta.csv (year, tariff_year, units, source), or None."""
        return _s(lib().tw_world_meta(self._w, _b(key)))

    def _meta(self, options, **more):
        m = {"version": _s(lib().tw_version()), "world": self.name, "world_dir": self.dir,
             "hash": self.hash, "options": options}
        m.update(more)
        return m

    def _country(self, code, what):
        n = lib().tw_world_country_index(self._w, _b(code)) if isinstance(code, str) else -1
        if n < 0:
            near = _suggest(str(code), self.countries)
            raise Error('%s: unknown country "%s"%s' % (
                what, code, ' (did you mean "%s"?)' % near if near else ""), "input", field=what)
        return n

    def _countries(self, spec, what):
        """Indices of "USA,CHN", ["USA", "CHN"] or "all"."""
        if isinstance(spec, str) and spec == "all":
            return list(range(len(self.countries)))
        codes = spec.split(",") if isinstance(spec, str) else list(spec)
        out = []
        for c in codes:
            n = self._country(c, what)
            if n in out:
                raise Error('%s: "%s" listed twice' % (what, c), "arg", field=what)
            out.append(n)
        if not out:
            raise Error("%s lists no country" % what, "arg", field=what)
        return out

    # ---- solve ----

    def solve(self, tariffs=None, ntb=None, deficits="keep", elasticities=None, *,
              method="newton", tol=1e-10, max_iter=None, step=0.2):
        """The counterfactual equilibrium, as `tradewar solve --json
        --bilateral --sectors`.

        tariffs, ntb  a path, a DataFrame with the file's columns
                      (importer,exporter,sector,rate | factor), or a list of
                      them applied in order (like repeated --tariffs / --ntb)
        deficits      "keep" or "purge"; method "newton" or "tatonnement";
                      tol, max_iter (None: the method's default), step
        elasticities  the name of one of the world's elasticity sets (see
                      `tradewar info`) or a file (set,sector,theta or
                      sector,theta), as --elasticities; None: the world's own"""
        d, m = _solver_options(deficits, method, tol)
        L = lib()
        inputs = _Inputs()
        err = TwError()
        shock = solver = r = ew = None
        try:
            ew = _with_elasticities(self._w, elasticities)
            w = ew or self._w
            shock, label = _shock(self, tariffs, ntb, inputs, w)
            solver = L.tw_solver_create(w, ctypes.byref(err))
            if not solver:
                _raise(err)
            L.tw_solver_set_tol(solver, float(tol))
            L.tw_solver_set_method(solver, m)
            L.tw_solver_set_deficits(solver, d)
            if L.tw_solver_set_step(solver, float(step)):
                raise Error('step "%s" is not a number in (0, 2]' % (step,), "arg", field="step")
            if max_iter is not None and (int(max_iter) < 1 or L.tw_solver_set_max_iter(
                    solver, int(max_iter))):
                raise Error('max_iter "%s" is not a positive integer' % (max_iter,), "arg",
                            field="max_iter")
            r = L.tw_solver_run(solver, shock, ctypes.byref(err))
            if not r:
                _raise(err, inputs.rename)
            opts = ReportOpts(1, 1, float(tol), _b(label or "none (zero shock)"))
            data = _json(L.tw_report_json(w, r, ctypes.byref(opts)))
        finally:
            L.tw_result_free(r)
            L.tw_solver_free(solver)
            L.tw_shock_free(shock)
            L.tw_world_free(ew)
            inputs.close()
        options = {"deficits": deficits, "method": method, "tol": tol, "max_iter": max_iter,
                   "step": step, "elasticities": elasticities}
        scalars = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
        meta = self._meta(options, **{k: v for k, v in scalars.items() if k != "world"})
        if data.get("baseline_gap"):
            warnings.warn("the baseline of %s is not an equilibrium of the model: a zero shock "
                          "moves welfare by up to %+.3g %%; use deficits=\"purge\""
                          % (self.name, data["baseline_gap"]), stacklevel=2)
        return Result(data, meta)

    # ---- timeline ----

    def timeline(self, scenario=None, events=(), *, deficits="keep", method="newton",
                 tol=1e-10):
        """Replay a dated scenario on this world, as `tradewar timeline FILE
        --world <this world> [--set EVENT]... --json`.

        scenario  a .tw file (default: the data directory's
                  scenarios/us-china-2025.tw); its world line is overridden by
                  this world
        events    names of declared events to turn on (what-if branches)"""
        d, m = _solver_options(deficits, method, tol)
        if scenario is None:
            scenario = os.path.join(_lib.data_root(), "scenarios", "us-china-2025.tw")
        tl, sc, solver = self._replay(scenario, events, d, m, tol)
        L = lib()
        try:
            data = _json(L.tw_report_timeline_json(tl))
        finally:
            L.tw_timeline_free(tl)
            L.tw_solver_free(solver)
            L.tw_scenario_free(sc)
        options = {"deficits": deficits, "method": method, "tol": tol, "events": list(events)}
        scalars = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
        return Timeline(data, self._meta(options, scenario_file=os.fspath(scenario),
                                         **{k: v for k, v in scalars.items() if k != "world"}))

    def _replay(self, scenario, events, d, m, tol, tol_set=True):
        """Load and run a scenario: (timeline, scenario, solver), all owned."""
        L = lib()
        err = TwError()
        sc = L.tw_scenario_load_limited(_b(os.fspath(scenario)), 0, ctypes.byref(err))
        if not sc:
            _raise(err)
        solver = L.tw_solver_create(self._w, ctypes.byref(err))
        if not solver:
            L.tw_scenario_free(sc)
            _raise(err)
        if tol_set:
            L.tw_solver_set_tol(solver, float(tol))
            L.tw_solver_set_method(solver, m)
        L.tw_solver_set_deficits(solver, d)
        ev = list(events)
        arr = (ctypes.c_char_p * max(1, len(ev)))(*[_b(e) for e in ev])
        tl = L.tw_timeline_run(sc, self._w, arr, len(ev), solver, ctypes.byref(err))
        if not tl:
            L.tw_solver_free(solver)
            L.tw_scenario_free(sc)
            _raise(err)
        return tl, sc, solver

    # ---- games ----

    def _game(self, tariffs, instrument, max_tariff, deficits, method, tol, inputs):
        """A tw_game from the baseline (or tariffs applied), set up as the
        command line sets it up (cli/game.c, gc_setup); the start shock too."""
        d, m = _solver_options(deficits, method, tol)
        L = lib()
        instr = _parse_enum(L.tw_instrument_parse, instrument, "instrument",
                            "uniform, partner, sector or partner-sector")
        if not (isinstance(max_tariff, (int, float)) and 0 < max_tariff <= 100):
            raise Error('max_tariff "%s" is not in (0, 100]' % (max_tariff,), "arg",
                        field="max_tariff")
        shock, _ = _shock(self, tariffs, None, inputs)
        err = TwError()
        g = L.tw_game_create(self._w, shock, ctypes.byref(err))
        if not g:
            L.tw_shock_free(shock)
            _raise(err)
        L.tw_game_set_instrument(g, instr)
        L.tw_game_set_bounds(g, 0.0, float(max_tariff))
        L.tw_game_set_tol(g, float(tol))
        L.tw_game_set_method(g, m)
        L.tw_game_set_deficits(g, d)
        return g, shock, instr

    def _report_meta(self, deficits, method, tol):
        """The "meta" object the command line's JSON carries (tw_report_meta_json)."""
        return _json(lib().tw_report_meta_json(self._w, deficits.encode(), method.encode(),
                                               float(tol)))

    def _effects(self, r):
        """The "countries" of a game's JSON: the columns the library's table
        shows in game JSON (TW_SHOW_GAME_JSON), as cli/game.c writes them."""
        L = lib()
        cols = (ctypes.c_void_p * _lib.REPORT_MAX_COLUMNS)()
        m = L.tw_report_view(_lib.LEVEL_COUNTRY, _lib.SHOW_GAME_JSON, cols,
                             _lib.REPORT_MAX_COLUMNS)
        names = [_s(L.tw_column_name(cols[q])) for q in range(m)]
        out = []
        for n, code in enumerate(self.countries):
            row = {"code": code}
            for q in range(m):
                row[names[q]] = _num(L.tw_column_value(cols[q], r, n, 0, 0))
            out.append(row)
        return out

    def _tariffs(self, out, k, n, mask, instr):
        L = lib()
        buf = ctypes.create_string_buffer(160)
        x = L.tw_outcome_params(out, k)
        rows = []
        for q in range(L.tw_outcome_n_params(out, k)):
            L.tw_instrument_describe(self._w, n, mask, instr, q, buf, len(buf))
            rows.append({"cells": buf.value.decode(), "rate": _num(x[q])})
        return rows

    def _pct(self, hat):
        return _num(lib().tw_pct(hat))

    def _mask(self, indices):
        mask = (ctypes.c_ubyte * max(1, len(self.countries)))()
        for k in indices:
            mask[k] = 1
        return mask

    def _play(self, search, build, tariffs, instrument, max_tariff, deficits, method, tol,
              options):
        """Set up a game, find its outcome (search(game, err), NULL on failure)
        and make a Game of build(outcome, its result, instrument): the JSON
        of the command line."""
        L = lib()
        inputs = _Inputs()
        g = shock = out = None
        try:
            g, shock, instr = self._game(tariffs, instrument, max_tariff, deficits, method, tol,
                                         inputs)
            err = TwError()
            out = search(g, err)
            if not out:
                _raise(err)
            data = build(out, L.tw_outcome_result(out), instr)
        finally:
            L.tw_outcome_free(out)
            L.tw_game_free(g)
            L.tw_shock_free(shock)
            inputs.close()
        options.update(instrument=instrument, max_tariff=max_tariff, deficits=deficits,
                       method=method, tol=tol)
        data["meta"] = self._report_meta(deficits, method, tol)
        return Game(data, self._meta(options, **{k: v for k, v in data.items()
                                                  if not isinstance(v, (list, dict))}))

    def optimal(self, country, against="all", instrument="uniform", *, tariffs=None,
                max_tariff=5.0, deficits="keep", method="newton", tol=1e-12):
        """The best response of country, as `tradewar optimal --country C
        --against LIST --instrument I --json`: the tariffs on the partners
        in against ("all" or a list/"A,B") that maximise its welfare, every
        other tariff fixed (the baseline, or tariffs applied to it)."""
        L = lib()
        c = self._country(country, "country")
        mask = None
        if not (isinstance(against, str) and against == "all"):
            ag = self._countries(against, "against")
            if c in ag:
                raise Error("against lists the country itself (%s)" % country, "arg",
                            field="against")
            mask = self._mask(ag)

        def build(out, r, instr):
            return {"country": self.countries[c], "instrument": _s(L.tw_instrument_name(instr)),
                    "converged": True, "tariffs": self._tariffs(out, 0, c, mask, instr),
                    "welfare_pct": self._pct(L.tw_result_welfare_hat(r, c)),
                    "solves": L.tw_outcome_solves(out), "countries": self._effects(r)}

        return self._play(lambda g, err: L.tw_game_best_response(g, c, mask, ctypes.byref(err)),
                          build, tariffs, instrument, max_tariff, deficits, method, tol,
                          {"against": against})

    def nash(self, players, instrument="uniform", *, tariffs=None, max_tariff=5.0,
             deficits="keep", method="newton", tol=1e-12):
        """The Nash tariff war among players (a list, "A,B" or "all"), as
        `tradewar nash --players LIST --instrument I --json`: best responses
        iterated until no tariff moves; each player's instrument covers its
        tariffs on the other players (on every country with "all")."""
        L = lib()
        pl = self._countries(players, "players")
        if len(pl) < 2:
            raise Error('players needs at least two countries, not "%s"' % (players,), "arg",
                        field="players")
        every = isinstance(players, str) and players == "all"
        mask = None if every else self._mask(pl)
        arr = (ctypes.c_size_t * len(pl))(*pl)

        def build(out, r, instr):
            return {"instrument": _s(L.tw_instrument_name(instr)), "converged": True,
                    "rounds": L.tw_outcome_rounds(out),
                    "residual": _num(L.tw_outcome_residual(out)),
                    "solves": L.tw_outcome_solves(out),
                    "world_welfare_pct": self._pct(L.tw_game_world_welfare_hat(r)),
                    "players": [{"code": self.countries[n],
                                 "welfare_pct": self._pct(L.tw_result_welfare_hat(r, n)),
                                 "tariffs": self._tariffs(out, k, n, mask, instr)}
                                for k, n in enumerate(pl)],
                    "countries": self._effects(r)}

        return self._play(lambda g, err: L.tw_game_nash(g, arr, len(pl), int(every),
                                                        ctypes.byref(err)),
                          build, tariffs, instrument, max_tariff, deficits, method, tol,
                          {"players": players})

    def _concession(self, spec, pl):
        """GIVER[>RECEIVER]:NAME=V (as --concession): (giver, receiver, V)."""
        bad = Error('concession "%s" is not GIVER[>RECEIVER]:NAME=V with two players\' codes'
                    % (spec,), "arg", field="concession")
        try:
            who, rest = spec.split(":", 1)
            name, value = rest.split("=", 1)
            v = float(value)
        except (AttributeError, ValueError):
            raise bad from None
        giver, _, receiver = who.partition(">")
        cc = self.countries
        if not name or not math.isfinite(v) or giver not in cc or (receiver and receiver not in cc):
            raise bad
        gi = cc.index(giver)
        if receiver:
            ri = cc.index(receiver)
        elif len(pl) == 2:
            ri = pl[1] if pl[0] == gi else pl[0]
        else:
            raise bad
        if gi not in pl or ri not in pl or gi == ri:
            raise bad
        return gi, ri, v

    def talks(self, players, threat="nash", *, concession=None, deal=None, frontier=5,
              tariffs=None, max_tariff=5.0, deficits="keep", method="newton", tol=1e-12):
        """Trade talks over uniform tariffs, as `tradewar talks --players LIST
        --threat T [--concession SPEC] [--deal FILE] --frontier K --json`.

        threat      "nash" (the war among the players), "status-quo", or a
                    counterfactual (path or DataFrame) applied to the start
        concession  "GIVER[>RECEIVER]:NAME=V" (V in % of the receiver's real
                    income), or None
        deal        a counterfactual (path or DataFrame) to evaluate, or None
        frontier    points of the efficient frontier (two players), 0..50
        A frontier that fails its check gives converged False in meta (and
        the message in meta["error"]) with the points still there."""
        L = lib()
        pl = self._countries(players, "players")
        if len(pl) < 2:
            raise Error('players needs at least two countries, not "%s"' % (players,), "arg",
                        field="players")
        if not (isinstance(frontier, int) and 0 <= frontier <= 50):
            raise Error('frontier "%s" is not a whole number from 0 to 50' % (frontier,), "arg",
                        field="frontier")
        arr = (ctypes.c_size_t * len(pl))(*pl)
        to = TalksOpts(players=arr, n_players=len(pl), status_quo=1, frontier=frontier)
        if concession is not None:
            _, to.receiver, v = self._concession(concession, pl)
            to.has_concession = 1
            to.concession = v / 100.0
        inputs = _Inputs()
        g = shock = thr = dl = None
        t = ctypes.POINTER(Talks)()
        err = TwError()
        try:
            g, shock, _ = self._game(tariffs, "uniform", max_tariff, deficits, method, tol,
                                     inputs)
            if isinstance(threat, str) and threat in ("nash", "status-quo"):
                to.threat = 0 if threat == "nash" else 1
                threat_label = threat
            else:
                to.threat = 2
                thr, threat_label = self._from_start(shock, threat, "threat", inputs)
                to.threat_shock = thr
            if deal is not None:
                dl, _ = self._from_start(shock, deal, "deal", inputs)
                to.deal = dl
            st = L.tw_game_talks(g, ctypes.byref(to), ctypes.byref(t), ctypes.byref(err))
            if not t:
                _raise(err, inputs.rename)
            # the library's writer of `tradewar talks --json` (with the
            # frontier's failed check, when that is what st says)
            data = _json(L.tw_report_talks_json(self._w, t, arr, _b(threat_label),
                                                ctypes.byref(err) if st else None))
            data["meta"] = self._report_meta(deficits, method, tol)
        finally:
            if t:
                L.tw_talks_free(t)
            L.tw_shock_free(thr)
            L.tw_shock_free(dl)
            L.tw_game_free(g)
            L.tw_shock_free(shock)
            inputs.close()
        options = {"players": players, "threat": threat_label, "concession": concession,
                   "frontier": frontier, "max_tariff": max_tariff, "deficits": deficits,
                   "method": method, "tol": tol}
        return TalksResult(data, self._meta(options, **{k: v for k, v in data.items()
                                                         if not isinstance(v, (list, dict))}))

    def _from_start(self, start, x, what, inputs):
        """The start tariffs with a counterfactual file applied (a threat or a
        deal), and its label."""
        L = lib()
        err = TwError()
        p, label = inputs.path(x, what)
        s = L.tw_shock_clone(start, ctypes.byref(err))
        if not s:
            _raise(err)
        if L.tw_shock_load_limited(s, _b(p), 0, 0, ctypes.byref(err)):
            L.tw_shock_free(s)
            _raise(err, inputs.rename)
        return s, label

    # ---- sweeps ----

    def sweep(self, tariffs=None, ntb=None, *, timeline=None, step=None, events=(), draws=None,
              seed=1, sigma=0.25, theta_sets=None, theta_file=None, grid=(), nash=None,
              threads=1, cold=False, deficits="keep", method="newton", tol=1e-10,
              max_iter=None):
        """Many equilibria at once, as `tradewar sweep ... --out F --summary S`.

        tariffs, ntb    the policy swept over (as in solve), or
        timeline, step  the tariffs after one step of a scenario (a date
                        YYYY-MM-DD, a label or "last"), with events turned on
        draws, seed, sigma      log-normal elasticity draws, or
        theta_sets, theta_file  named elasticity sets ("all" or a list) of the
                        world's elasticities.csv or of theta_file
        grid            tariff axes "IMP,EXP,SEC:FROM:TO:STEP" (last fastest)
        nash            players (list or "A,B") of a Nash war at every point
        threads, cold   worker threads; cold: no warm starts along chains"""
        if draws is not None and theta_sets is not None:
            raise Error("draws and theta_sets: choose one", "arg", field="draws")
        if timeline is not None and (tariffs is not None or ntb is not None):
            raise Error("timeline and tariffs/ntb: choose one policy", "arg", field="timeline")
        if timeline is not None and step is None:
            raise Error("timeline needs step (a date YYYY-MM-DD, a label, or \"last\")", "arg",
                        field="step")
        d, m = _solver_options(deficits, method, tol)
        L = lib()
        inputs = _Inputs()
        err = TwError()
        shock = tl = sc = solver = s = None
        tmp = tempfile.TemporaryDirectory(prefix="tradewar-sweep-")
        try:
            if timeline is not None:
                tl, sc, solver = self._replay(timeline, events, d, m, tol, tol_set=False)
                k = _find_step(tl, step)
                if k < 0:
                    raise Error('%s: no step "%s" (expected a date YYYY-MM-DD, a label or '
                                '"last")' % (timeline, step), "input", file=os.fspath(timeline))
                tau, dhat = L.tw_timeline_tariffs(tl, k), L.tw_timeline_dhat(tl, k)
            else:
                shock, _ = _shock(self, tariffs, ntb, inputs)
                tau, dhat = L.tw_shock_tariffs(shock), L.tw_shock_dhat(shock)
            s = L.tw_sweep_create(self._w, tau, dhat, ctypes.byref(err))
            if not s:
                _raise(err)
            L.tw_sweep_set_tol(s, float(tol))
            L.tw_sweep_set_max_iter(s, int(max_iter or 0))
            L.tw_sweep_set_method(s, m)
            L.tw_sweep_set_deficits(s, d)
            L.tw_sweep_set_warm(s, int(not cold))
            if draws is not None:
                _check(L.tw_sweep_set_draws(s, int(draws), int(seed), float(sigma),
                                            ctypes.byref(err)), err)
            if theta_sets is not None:
                names = theta_sets if isinstance(theta_sets, str) else ",".join(theta_sets)
                path = os.fspath(theta_file) if theta_file is not None else os.path.join(
                    self.dir, "elasticities.csv")
                if theta_file is None and not os.access(path, os.R_OK):
                    raise Error("theta_sets: world %s ships no elasticities.csv "
                                "(give theta_file)" % self.dir, "input", field="theta_sets")
                _check(L.tw_sweep_load_theta_sets(s, _b(path), _b(names), ctypes.byref(err)),
                       err)
            for axis in _as_list(grid):
                _check(L.tw_sweep_add_axis(s, _b(axis), ctypes.byref(err)), err)
            if nash is not None:
                pl = self._countries(nash, "nash")
                arr = (ctypes.c_size_t * len(pl))(*pl)
                _check(L.tw_sweep_set_nash(s, arr, len(pl), ctypes.byref(err)), err)
            _check(L.tw_sweep_run(s, 0, 1, int(threads), None, None, ctypes.byref(err)), err)
            frames = []
            for name, write in (("out.csv", L.tw_sweep_write_csv),
                                ("summary.csv", L.tw_sweep_write_summary_csv)):
                p = os.path.join(tmp.name, name)
                f = L.fopen(_b(p), b"w")
                if not f:
                    raise Error("%s: cannot open for writing" % p, "io", file=p)
                rc = write(f, s)
                if L.fclose(f) or rc:
                    raise Error("%s: cannot write the results" % p, "io", file=p)
                frames.append(pd.read_csv(p))
            meta = {"variants": L.tw_sweep_n_variants(s), "points": L.tw_sweep_n_points(s),
                    "failed": L.tw_sweep_n_failed(s)}
        finally:
            L.tw_sweep_free(s)
            L.tw_shock_free(shock)
            L.tw_timeline_free(tl)
            L.tw_solver_free(solver)
            L.tw_scenario_free(sc)
            inputs.close()
            tmp.cleanup()
        options = {"draws": draws, "seed": seed, "sigma": sigma, "theta_sets": theta_sets,
                   "grid": list(_as_list(grid)), "nash": nash, "cold": cold,
                   "deficits": deficits, "method": method, "tol": tol, "max_iter": max_iter}
        if meta["failed"]:
            warnings.warn("%d of %d solves did not converge (converged=0 in results)"
                          % (meta["failed"], meta["variants"] * meta["points"]), stacklevel=2)
        return Sweep(frames[0], frames[1], self._meta(options, **meta))


def _find_step(tl, step):
    """The step of a timeline named by date (its last of that date), label
    or "last"; -1 when none (as `tradewar sweep --step`)."""
    L = lib()
    n = L.tw_timeline_n_steps(tl)
    if step == "last":
        return n - 1 if n else -1
    for k in reversed(range(n)):
        if _s(L.tw_timeline_step_date(tl, k)) == step:
            return k
    for k in reversed(range(n)):
        if _s(L.tw_timeline_step_label(tl, k)) == step:
            return k
    return -1
