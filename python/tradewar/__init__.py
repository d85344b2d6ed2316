"""tradewar: the trade-war simulator (libtradewar) from Python.

    import tradewar as tw
    world = tw.load_world("world2011")
    res = world.solve(tariffs="data/scenarios/us_china_145_125.csv")
    res.countries.loc["USA", "welfare_pct"]

Every output is an object with pandas DataFrames (countries, bilateral,
sectors; steps; tariffs, players; frontier; results, summary), a ``meta``
dict and, for the outputs the command line prints as JSON, ``json``: that
JSON, parsed.  Failures raise tradewar.Error with the library's message.
See python/README.md.
"""

from ._errors import Error
from ._api import (Game, Result, Sweep, TalksResult, Timeline, World, load_world,
                   world_path)
from ._lib import data_root, library_path, lib as _load


def version():
    """The version of the loaded libtradewar ("0.1.0")."""
    return _load().tw_version().decode()


__all__ = ["Error", "Game", "Result", "Sweep", "TalksResult", "Timeline", "World",
           "data_root", "library_path", "load_world", "version", "world_path"]
