"""The Python package against the command line: every frame equals what
`tradewar ... --json` (or the sweep's CSVs) prints, to 1e-12.

Run from the source tree (ctest sets TRADEWAR_LIB and TRADEWAR_CLI to the
build tree; by hand: PYTHONPATH=python /usr/bin/python3 -m pytest -q python/tests).
"""
import json
import math
import os
import subprocess
import sys

import pandas as pd
import pytest

import tradewar as tw

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.environ.get("TRADEWAR_CLI", os.path.join(ROOT, "build", "tradewar"))
SCEN = os.path.join(ROOT, "data", "scenarios")
US_CHINA = os.path.join(SCEN, "us_china_145_125.csv")


def cli(*args):
    out = subprocess.run([CLI, *args], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return out.stdout


def cli_json(*args):
    return json.loads(cli(*args))


def cli_error(*args):
    """The message (after "tradewar: ") and exit code of a failing command."""
    out = subprocess.run([CLI, *args], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode != 0
    first = out.stderr.splitlines()[0]
    assert first.startswith("tradewar: ")
    return first[len("tradewar: "):], out.returncode


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-12 * max(1.0, abs(b))


def same(a, b, path="$"):
    """a equals b, numbers to 1e-12 (relative above 1)."""
    if isinstance(b, dict):
        assert isinstance(a, dict) and a.keys() == b.keys(), path
        for k in b:
            same(a[k], b[k], path + "." + k)
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), path
        for k, (x, y) in enumerate(zip(a, b)):
            same(x, y, "%s[%d]" % (path, k))
    elif isinstance(b, (int, float)) and not isinstance(b, bool):
        assert isinstance(a, (int, float)) and close(a, b), (path, a, b)
    else:
        assert a == b, (path, a, b)


def same_frame(df, records, index):
    """A frame equals the JSON records: same rows and columns, every value."""
    want = pd.DataFrame.from_records(records).set_index(index)
    assert list(df.columns) == list(want.columns)
    assert list(df.index) == list(want.index)
    for col in want.columns:
        for got, exp in zip(df[col].tolist(), want[col].tolist()):
            if isinstance(exp, str):
                assert got == exp, col
            elif exp is None or (isinstance(exp, float) and math.isnan(exp)):
                assert got is None or math.isnan(got), col
            else:
                assert close(got, exp), (col, got, exp)


@pytest.fixture(scope="module")
def world():
    return tw.load_world("world2011")


@pytest.fixture(scope="module")
def us_china(world):
    return world.solve(tariffs=US_CHINA)


@pytest.fixture(scope="module")
def us_china_cli():
    return cli_json("solve", "--tariffs", US_CHINA, "--json", "--bilateral", "--sectors")


def test_acceptance_usa_welfare(us_china, us_china_cli):
    usa = next(c for c in us_china_cli["countries"] if c["code"] == "USA")
    got = tw.load_world("world2011").solve(tariffs=US_CHINA).countries.loc["USA", "welfare_pct"]
    assert abs(got - usa["welfare_pct"]) <= 1e-12
    assert got < -0.1  # the US loses from the war


def test_solve_frames_equal_cli(us_china, us_china_cli):
    same_frame(us_china.countries, us_china_cli["countries"], "code")
    same_frame(us_china.bilateral, us_china_cli["bilateral"], ["importer", "exporter"])
    same_frame(us_china.sectors, us_china_cli["sectors"], ["country", "sector"])
    assert len(us_china.countries) == 21 and len(us_china.sectors) == 21 * 20
    same(us_china.json, us_china_cli)


def test_solve_meta(world, us_china, us_china_cli):
    m = us_china.meta
    assert m["version"] == cli("--version").split()[1] == tw.version()
    assert m["world"] == "world2011" and len(m["hash"]) == 16 and m["hash"] == world.hash
    assert m["converged"] is True and 0 < m["residual"] <= 1e-10
    assert m["options"] == {"deficits": "keep", "method": "newton", "tol": 1e-10,
                            "max_iter": None, "step": 0.2, "elasticities": None}
    assert m["iterations"] == us_china_cli["iterations"]


def test_solve_options_equal_cli(world):
    res = world.solve(tariffs=US_CHINA, deficits="purge", tol=1e-12)
    want = cli_json("solve", "--tariffs", US_CHINA, "--deficits", "purge", "--tol", "1e-12",
                    "--json")
    same_frame(res.countries, want["countries"], "code")
    assert res.meta["deficits"] == "purge"


def test_dataframe_equals_file(world, us_china):
    df = pd.read_csv(US_CHINA)
    res = world.solve(tariffs=df)
    pd.testing.assert_frame_equal(res.countries, us_china.countries)
    pd.testing.assert_frame_equal(res.bilateral, us_china.bilateral)
    pd.testing.assert_frame_equal(res.sectors, us_china.sectors)
    assert res.meta["scenario"] == "DataFrame"


def test_ntb_and_lists_equal_cli(world, tmp_path):
    ntb = pd.DataFrame({"importer": ["USA"], "exporter": ["CHN"], "sector": ["*"],
                        "factor": [1.1]})
    path = tmp_path / "ntb.csv"
    ntb.to_csv(path, index=False)
    thirty = os.path.join(SCEN, "us_china_30.csv")
    res = world.solve(tariffs=[US_CHINA, pd.read_csv(thirty)], ntb=ntb)
    want = cli_json("solve", "--tariffs", US_CHINA, "--tariffs", thirty, "--ntb", str(path),
                    "--json")
    same_frame(res.countries, want["countries"], "code")


def test_errors_carry_the_library_message(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("importer,exporter,sector,rate\nUSA,XXX,*,0.5\n")
    msg, code = cli_error("solve", "--tariffs", str(bad))
    with pytest.raises(tw.Error) as e:
        world.solve(tariffs=str(bad))
    assert str(e.value) == msg and e.value.exit_code == code == 2
    assert e.value.status == "input" and e.value.line == 2
    with pytest.raises(tw.Error, match=r"tariffs DataFrame:2:2: unknown country \"XXX\""):
        world.solve(tariffs=pd.read_csv(bad))
    msg, code = cli_error("solve", "--tariffs", str(tmp_path / "none.csv"))
    with pytest.raises(tw.Error) as e:
        world.solve(tariffs=str(tmp_path / "none.csv"))
    assert str(e.value) == msg and e.value.exit_code == code == 3


def test_unknown_world_and_country(world):
    msg, _ = cli_error("solve", "--world", "world2O11")
    with pytest.raises(tw.Error) as e:
        tw.load_world("world2O11")
    assert str(e.value) == msg and "did you mean" in msg
    with pytest.raises(tw.Error, match=r'unknown country "CHX" \(did you mean "CHN"\?\)'):
        world.nash("USA,CHX")
    with pytest.raises(tw.Error, match="not newton or tatonnement"):
        world.solve(method="gauss")


def test_elasticities_equal_cli(world):
    res = world.solve(tariffs=US_CHINA, elasticities="uniform4")
    want = cli_json("solve", "--tariffs", US_CHINA, "--elasticities", "uniform4", "--json",
                    "--bilateral", "--sectors")
    same(res.json, want)
    assert res.json["meta"]["elasticities"] == "uniform4"
    base = world.solve(tariffs=US_CHINA).countries.loc["USA", "welfare_pct"]
    assert abs(res.countries.loc["USA", "welfare_pct"] - base) > 1e-3  # another set moves it
    with pytest.raises(tw.Error, match='unknown elasticity set "low"'):
        world.solve(tariffs=US_CHINA, elasticities="low")


def test_no_convergence_is_an_error(world):
    with pytest.raises(tw.Error) as e:
        world.solve(tariffs=US_CHINA, max_iter=1)
    assert e.value.status == "noconv" and e.value.exit_code == 1


def test_world_directory(world):
    w = tw.load_world(os.path.join(ROOT, "data", "world2011"))
    assert w.hash == world.hash and w.countries == world.countries
    assert w.meta_value("units") == "USD million"


def test_timeline_equals_cli(world):
    tl = world.timeline()
    want = cli_json("timeline", "--json")
    same(tl.json, want)
    assert tl.focus == want["focus"]
    assert len(tl.steps) == len(want["steps"])
    last = want["steps"][-1]
    k = len(want["steps"]) - 1
    same_frame(tl.countries.xs(k, level="step").drop(columns=["date", "label"]),
               last["countries"], "code")
    assert close(tl.steps.loc[k, "tariff_a_on_b_pct"], last["tariff_a_on_b_pct"])


def test_timeline_events_equal_cli(world):
    scen = os.path.join(SCEN, "us-china-2025.tw")
    tl = world.timeline(scen, events=["no_geneva_truce"])
    same(tl.json, cli_json("timeline", scen, "--set", "no_geneva_truce", "--json"))
    with pytest.raises(tw.Error, match="no_such_event"):
        world.timeline(scen, events=["no_such_event"])


def test_optimal_equals_cli(world):
    g = world.optimal("USA", against=["CHN"])
    want = cli_json("optimal", "--country", "USA", "--against", "CHN", "--json")
    same(g.json, want)
    same_frame(g.countries, want["countries"], "code")
    assert close(g.tariffs.loc[0, "rate"], want["tariffs"][0]["rate"])
    assert g.tariffs.loc[0, "rate"] > 0.05  # a large country gains from a tariff


def test_optimal_instrument_equals_cli(world):
    g = world.optimal("CHN", against="USA,JPN", instrument="partner")
    same(g.json, cli_json("optimal", "--country", "CHN", "--against", "USA,JPN",
                          "--instrument", "partner", "--json"))
    assert len(g.tariffs) == 2


def test_nash_equals_cli(world):
    g = world.nash(["USA", "CHN"])
    want = cli_json("nash", "--players", "USA,CHN", "--json")
    same(g.json, want)
    assert list(g.players.index) == ["USA", "CHN"]
    assert close(g.meta["world_welfare_pct"], want["world_welfare_pct"])


def test_talks_equal_cli(world):
    thirty = os.path.join(SCEN, "us_china_30.csv")
    t = world.talks("USA,CHN", frontier=2, concession="CHN:precursors=0.05", deal=thirty)
    want = cli_json("talks", "--players", "USA,CHN", "--frontier", "2", "--concession",
                    "CHN:precursors=0.05", "--deal", thirty, "--json")
    same(t.json, want)
    assert len(t.frontier) == 2 and "deal_welfare_pct" in t.players.columns


def test_talks_threat_file_equals_cli(world):
    t = world.talks(["USA", "CHN"], threat=pd.read_csv(US_CHINA), frontier=0)
    want = cli_json("talks", "--players", "USA,CHN", "--threat", US_CHINA, "--frontier", "0",
                    "--json")
    want["threat"] = "DataFrame"
    same(t.json, want)
    assert t.frontier.empty


def test_sweep_equals_cli(world, tmp_path):
    out, summary = tmp_path / "out.csv", tmp_path / "summary.csv"
    s = world.sweep(tariffs=US_CHINA, draws=3, seed=7, grid=["USA,CHN,*:0:0.5:0.25"])
    cli("sweep", "--tariffs", US_CHINA, "--draws", "3", "--seed", "7", "--grid",
        "USA,CHN,*:0:0.5:0.25", "--out", str(out), "--summary", str(summary), "--quiet")
    pd.testing.assert_frame_equal(s.results, pd.read_csv(out))
    pd.testing.assert_frame_equal(s.summary, pd.read_csv(summary))
    assert s.meta["variants"] == 4 and s.meta["points"] == 3 and s.meta["failed"] == 0
    assert len(s.results) == 4 * 3 * 21


def test_sweep_timeline_step_equals_cli(world, tmp_path):
    scen = os.path.join(SCEN, "us-china-2025.tw")
    out = tmp_path / "out.csv"
    s = world.sweep(timeline=scen, step="last", nash="USA,CHN")
    cli("sweep", "--timeline", scen, "--step", "last", "--nash", "USA,CHN", "--out", str(out),
        "--quiet")
    pd.testing.assert_frame_equal(s.results, pd.read_csv(out))
    with pytest.raises(tw.Error, match='no step "1999-01-01"'):
        world.sweep(timeline=scen, step="1999-01-01")


def test_import_from_checkout():
    if not os.path.exists(os.path.join(ROOT, "build", "libtradewar.so")):
        pytest.skip("no build/ in the checkout")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    env.pop("TRADEWAR_LIB", None)
    out = subprocess.run(["/usr/bin/python3", "-c",
                          "import tradewar; print(tradewar.library_path())"],
                         capture_output=True, text=True, env=env, cwd="/")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("libtradewar.so")


def test_example_draws_the_timeline(tmp_path):
    png = tmp_path / "us_china.png"
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"), MPLCONFIGDIR=str(tmp_path))
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "us_china.py"),
                          str(png)], capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert png.stat().st_size > 10000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tradewar_data_names_the_embedded_worlds(tmp_path, monkeypatch):
    (tmp_path / "mine").symlink_to(os.path.join(ROOT, "data", "world2011"))
    monkeypatch.setenv("TRADEWAR_DATA", str(tmp_path))
    assert tw.data_root() == str(tmp_path)
    assert tw.load_world("mine").hash == tw.load_world(os.path.join(ROOT, "data",
                                                                   "world2011")).hash
    with pytest.raises(tw.Error, match=r'unknown world "world2011" \(embedded worlds: mine;'):
        tw.load_world("world2011")


def test_installed_package(tmp_path):
    """`make install` (cmake --install) puts the package beside the library
    and the data, and it finds both from anywhere."""
    build = os.path.dirname(os.environ.get("TRADEWAR_LIB",
                                           os.path.join(ROOT, "build", "libtradewar.so")))
    if not os.path.isfile(os.path.join(build, "cmake_install.cmake")):
        pytest.skip("no CMake build tree at %s" % build)
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", build, "--prefix", str(prefix)], check=True,
                   capture_output=True)
    site = [str(p) for p in prefix.glob("lib/python3*/dist-packages")]
    assert len(site) == 1
    env = {k: v for k, v in os.environ.items() if k not in ("TRADEWAR_LIB", "TRADEWAR_DATA")}
    env["PYTHONPATH"] = site[0]
    code = ("import tradewar as tw; "
            "r = tw.load_world('world2011').solve(tariffs=%r); "
            "print(tw.library_path()); print(tw.data_root()); "
            "print(repr(r.countries.loc['USA', 'welfare_pct']))" % US_CHINA)
    out = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True,
                         env=env, cwd=str(tmp_path))
    assert out.returncode == 0, out.stderr
    lib, data, welfare = out.stdout.split()
    assert lib.startswith(str(prefix) + "/lib") and lib.endswith("/libtradewar.so")
    assert data == str(prefix / "share" / "tradewar")
    usa = next(c for c in cli_json("solve", "--tariffs", US_CHINA, "--json")["countries"]
               if c["code"] == "USA")
    assert close(float(welfare), usa["welfare_pct"])
