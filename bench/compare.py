#!/usr/bin/env python3
"""compare.py - run two tradewar binaries over the same cases and print the
largest difference in welfare (percentage points) between them.

usage: bench/compare.py OLD NEW [--tol X] [--cases N] [--seed S] [--limit PP]

OLD and NEW are `tradewar` executables (e.g. a build of main and of a branch).
The cases are the command-line ones (NAFTA on cp1993-balanced, NAFTA on raw
cp1993 with the deficit purge, US-China 145 %/125 % and 30 % on world2011 and
world2011-full) and N random ones drawn like the stress
test's (tests/stress/test_stress.c): world2011 or world2011-full; elasticities
as given, all 0.5, all 20 or random in [0.5, 20]; deficits kept or purged;
random tariffs 0-500 %, prohibitive 1,000 % pairs, the 145 %/125 % pair, NTB
factors 0.5-10 or an exporter priced out.  Each case is solved by both with
`tradewar solve --json` at the given tolerance (the solver's default when
--tol is not given).  A case that one converges and the other does not is
flagged ("NEW FAILS" or "only NEW converges").  Exit status 1 when the
largest difference is above --limit (default: none), or NEW fails a case
that OLD converges.
Run from the source tree (it reads data/)."""
import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile


def read_codes(world):
    with open(os.path.join(world, "countries.csv"), newline="") as f:
        countries = [r["code"] for r in csv.DictReader(f)]
    with open(os.path.join(world, "sectors.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    sectors = [r["code"] for r in rows]
    tradable = [r["code"] for r in rows if r.get("tradable", "1").strip() != "0"]
    return countries, sectors, tradable


def write_rows(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def random_case(rng, k, tmp):
    """One stress-like case: (description, solve arguments)."""
    world = rng.choice(["data/world2011", "data/world2011-full"])
    countries, sectors, tradable = read_codes(world)
    args = ["--world", world]
    tv = rng.randrange(5)  # 0, 1: as given; 2: 0.5; 3: 20; 4: random
    if tv >= 2:
        th = [0.5 if tv == 2 else 20.0 if tv == 3 else rng.uniform(0.5, 20.0) for _ in sectors]
        path = os.path.join(tmp, f"theta{k}.csv")
        write_rows(path, ["sector", "theta"], zip(sectors, th))
        args += ["--elasticities", path]
    purge = rng.random() < 0.5
    args += ["--deficits", "purge" if purge else "keep"]
    kind = rng.randrange(5)
    tariffs, ntb = [], []
    if kind == 0:
        for _ in range(len(countries) ** 2 * len(tradable) // 10):
            n, i = rng.choice(countries), rng.choice(countries)
            if n != i:
                tariffs.append([n, i, rng.choice(tradable), f"{5.0 * rng.random():.6f}"])
    elif kind == 1:
        for _ in range(5):
            n, i = rng.sample(countries, 2)
            tariffs.append([n, i, "*", "10"])
    elif kind == 2:
        tariffs = [["USA", "CHN", "*", "1.45"], ["CHN", "USA", "*", "1.25"]]
    elif kind == 3:
        for _ in range(len(countries) * 3):
            n, i = rng.sample(countries, 2)
            ntb.append([n, i, rng.choice(sectors), f"{rng.uniform(0.5, 10.0):.6f}"])
    else:
        ex = rng.choice(countries)
        ntb = [[n, ex, "*", "1e4"] for n in countries if n != ex]
    if tariffs:
        path = os.path.join(tmp, f"tariffs{k}.csv")
        write_rows(path, ["importer", "exporter", "sector", "rate"], tariffs)
        args += ["--tariffs", path]
    if ntb:
        path = os.path.join(tmp, f"ntb{k}.csv")
        write_rows(path, ["importer", "exporter", "sector", "factor"], ntb)
        args += ["--ntb", path]
    kinds = ["random tariffs", "prohibitive pairs", "145/125 pair", "NTB factors", "exporter priced out"]
    tn = ["as given", "as given", "all 0.5", "all 20", "random"]
    desc = (f"random {k}: {os.path.basename(world)}, theta {tn[tv]}, "
            f"{'purge' if purge else 'keep'}, {kinds[kind]}")
    return desc, args


CLI_CASES = [
    ("NAFTA cp1993-balanced", ["--world", "data/cp1993-balanced",
                               "--tariffs", "data/cp1993-balanced/nafta_2005.csv"]),
    ("NAFTA cp1993 purge", ["--world", "data/cp1993", "--tariffs", "data/cp1993/nafta_2005.csv",
                            "--deficits", "purge"]),
    ("world2011 145/125", ["--world", "data/world2011",
                           "--tariffs", "data/scenarios/us_china_145_125.csv"]),
    ("world2011-full 145/125", ["--world", "data/world2011-full",
                                "--tariffs", "data/scenarios/us_china_145_125.csv"]),
    ("world2011-full 30 %", ["--world", "data/world2011-full",
                             "--tariffs", "data/scenarios/us_china_30.csv"]),
    ("world2011 30 %", ["--world", "data/world2011",
                        "--tariffs", "data/scenarios/us_china_30.csv"]),
]


def solve(binary, args, tol):
    cmd = [binary, "solve"] + args + ["--json"] + (["--tol", tol] if tol else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.returncode, p.stderr.strip().splitlines()[-1:] or [""]
    d = json.loads(p.stdout)
    return d, 0, ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--tol", help="solver tolerance for both (default: the solver's)")
    ap.add_argument("--cases", type=int, default=30, help="random cases (default 30)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=float, help="exit 1 when a difference exceeds this (pp)")
    o = ap.parse_args()
    rng = random.Random(o.seed)
    worst, worst_case, bad = 0.0, "", 0
    with tempfile.TemporaryDirectory() as tmp:
        cases = CLI_CASES + [random_case(rng, k, tmp) for k in range(o.cases)]
        for desc, args in cases:
            a, ra, ea = solve(o.old, args, o.tol)
            b, rb, eb = solve(o.new, args, o.tol)
            if a is None or b is None:
                note = "" if (a is None) == (b is None) else \
                    "  NEW FAILS" if b is None else "  only NEW converges"
                bad += b is None and a is not None
                print(f"{desc}: exit {ra} / {rb}{note} {ea or eb}")
                continue
            d = max(abs(x["welfare_pct"] - y["welfare_pct"])
                    for x, y in zip(a["countries"], b["countries"]))
            print(f"{desc}: {d:.3e} pp  (iterations {a['iterations']} / {b['iterations']}, "
                  f"evaluations {a['evaluations']}+{a['evaluations_purge']} / "
                  f"{b['evaluations']}+{b['evaluations_purge']})")
            if d > worst:
                worst, worst_case = d, desc
    print(f"largest welfare difference: {worst:.3e} pp ({worst_case or 'none'}); "
          f"{len(cases)} cases, tolerance {o.tol or 'default'}")
    if bad or (o.limit is not None and worst > o.limit):
        sys.exit(1)


if __name__ == "__main__":
    main()
