#!/usr/bin/python3
"""The US-China tariff war of 2025-26 as a chart: replay the dated scenario
data/scenarios/us-china-2025.tw on world2011 and draw, over the dates, the
welfare of the five focus countries and the two average tariffs.

usage: PYTHONPATH=python /usr/bin/python3 examples/us_china.py [OUT.png] [--set EVENT]...

Each step is drawn on its date and holds until the next one (a step line);
the baseline is the value before the first date.
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import tradewar as tw  # noqa: E402


def main(argv):
    out, events = "us_china.png", []
    args = iter(argv)
    for a in args:
        if a == "--set":
            events.append(next(args))
        else:
            out = a
    world = tw.load_world("world2011")
    scenario = os.path.join(tw.data_root(), "scenarios", "us-china-2025.tw")
    tl = world.timeline(scenario, events=events)

    steps = tl.steps.copy()
    steps["when"] = pd.to_datetime(steps["date"], errors="coerce")  # "baseline" -> NaT
    first = steps["when"].min()
    steps["when"] = steps["when"].fillna(first - pd.Timedelta(days=14))
    a, b = tl.focus[0], tl.focus[1]

    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(10, 7))
    for code in tl.focus:
        welfare = tl.countries.xs(code, level="code")["welfare_pct"]
        top.step(steps["when"], welfare.values, where="post", label=code)
    top.axhline(0, color="grey", linewidth=0.5)
    top.set_ylabel("welfare, % change")
    top.set_title(tl.meta["scenario"])
    top.legend(ncol=5, fontsize="small")
    bottom.step(steps["when"], steps["tariff_a_on_b_pct"], where="post",
                label="%s on %s" % (a, b))
    bottom.step(steps["when"], steps["tariff_b_on_a_pct"], where="post",
                label="%s on %s" % (b, a))
    bottom.set_ylabel("average tariff, %")
    bottom.legend(fontsize="small")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print("%s: %d steps, welfare of %s at the last step %+.3f %%" % (
        out, len(steps), a, tl.countries.xs(a, level="code")["welfare_pct"].iloc[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
