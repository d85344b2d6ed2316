"""Finding libtradewar and the embedded worlds, and the C prototypes.

The library is looked up in this order:

1. the environment variable ``TRADEWAR_LIB`` (a path to ``libtradewar.so``);
2. ``build/libtradewar.so`` of the checkout this package sits in
   (``<checkout>/python/tradewar`` -> ``<checkout>/build``);
3. the library installed beside this package by ``make install``
   (``_paths.py``, written at install time, names its directory);
4. ``ctypes.util.find_library("tradewar")`` (the system's library path).

The embedded worlds live in the data directory, chosen as the command line
chooses it (cli/common.c): ``TRADEWAR_DATA`` when set, else the checkout's
``data/`` when it holds ``world2011/countries.csv``, else the installed data
directory (``<prefix>/share/tradewar``).
"""

import ctypes
import ctypes.util
import os

from ._errors import Error

_HERE = os.path.dirname(os.path.abspath(__file__))
_CHECKOUT = os.path.dirname(os.path.dirname(_HERE))

try:  # written by `make install` (CMakeLists.txt); absent in a checkout
    from . import _paths as _installed
except ImportError:  # pragma: no cover - depends on how the package was installed
    _installed = None


def _candidates():
    env = os.environ.get("TRADEWAR_LIB")
    if env:
        yield env
        return
    yield os.path.join(_CHECKOUT, "build", "libtradewar.so")
    if _installed is not None:
        yield os.path.join(_installed.LIBDIR, "libtradewar.so")
    found = ctypes.util.find_library("tradewar")
    if found:
        yield found


def library_path():
    """The path of the libtradewar this package loads (see the module docstring)."""
    tried = []
    for path in _candidates():
        tried.append(path)
        if os.path.sep not in path or os.path.exists(path):
            return path
    raise Error("libtradewar not found (tried %s; set TRADEWAR_LIB to its path, or build it "
                "with `make build`)" % (", ".join(tried) or "nothing: find_library found none"))


def data_root():
    """The directory of the embedded worlds (see the module docstring)."""
    env = os.environ.get("TRADEWAR_DATA")
    if env:
        return env
    source = os.path.join(_CHECKOUT, "data")
    if os.path.isfile(os.path.join(source, "world2011", "countries.csv")):
        return source
    if _installed is not None:
        return _installed.DATADIR
    return "/usr/local/share/tradewar"


class TwError(ctypes.Structure):
    """struct tw_error (include/tradewar/error.h)."""
    _fields_ = [("code", ctypes.c_int), ("file", ctypes.c_char * 256), ("line", ctypes.c_long),
                ("col", ctypes.c_long), ("field", ctypes.c_char * 64), ("msg", ctypes.c_char * 256)]


class ReportOpts(ctypes.Structure):
    """struct tw_report_opts (include/tradewar/report.h)."""
    _fields_ = [("bilateral", ctypes.c_int), ("sectors", ctypes.c_int), ("tol", ctypes.c_double),
                ("scenario", ctypes.c_char_p), ("more", ctypes.c_char_p),
                ("world", ctypes.c_char_p)]


class TalksOpts(ctypes.Structure):
    """struct tw_talks_opts (include/tradewar/game.h)."""
    _fields_ = [("players", ctypes.POINTER(ctypes.c_size_t)), ("n_players", ctypes.c_size_t),
                ("threat", ctypes.c_int), ("threat_shock", ctypes.c_void_p),
                ("status_quo", ctypes.c_int), ("has_concession", ctypes.c_int),
                ("receiver", ctypes.c_size_t), ("concession", ctypes.c_double),
                ("deal", ctypes.c_void_p), ("frontier", ctypes.c_size_t)]


_DP = ctypes.POINTER(ctypes.c_double)


class Talks(ctypes.Structure):
    """struct tw_talks (include/tradewar/game.h)."""
    _fields_ = [("n_players", ctypes.c_size_t), ("status_quo", _DP), ("threat", _DP),
                ("bonus", _DP), ("bargain", ctypes.c_void_p), ("with_concession", ctypes.c_void_p),
                ("deal", ctypes.c_void_p), ("n_frontier", ctypes.c_size_t), ("weights", _DP),
                ("frontier", ctypes.POINTER(ctypes.c_void_p))]


_P = ctypes.c_void_p
_S = ctypes.c_size_t
_D = ctypes.c_double
_I = ctypes.c_int
_C = ctypes.c_char_p
_E = ctypes.POINTER(TwError)
_SP = ctypes.POINTER(ctypes.c_size_t)

# name: (restype, argtypes); a restype of None is void
_PROTOTYPES = {
    "tw_version": (_C, []),
    "tw_error_format": (None, [_E, ctypes.c_char_p, _S]),
    "tw_suggest": (_C, [_C, ctypes.POINTER(_C), _S]),
    "tw_pct": (_D, [_D]),
    # worlds
    "tw_world_load_limited": (_P, [_C, ctypes.c_uint64, _E]),
    "tw_world_free": (None, [_P]),
    "tw_world_n_countries": (_S, [_P]),
    "tw_world_n_sectors": (_S, [_P]),
    "tw_world_country_code": (_C, [_P, _S]),
    "tw_world_sector_code": (_C, [_P, _S]),
    "tw_world_country_index": (ctypes.c_long, [_P, _C]),
    "tw_world_meta": (_C, [_P, _C]),
    "tw_world_dir": (_C, [_P]),
    "tw_world_hash": (None, [_P, ctypes.c_char_p]),
    # shocks and solves
    "tw_shock_create": (_P, [_P, _E]),
    "tw_shock_clone": (_P, [_P, _E]),
    "tw_shock_free": (None, [_P]),
    "tw_shock_load_limited": (_I, [_P, _C, _I, ctypes.c_uint64, _E]),
    "tw_shock_tariffs": (_DP, [_P]),
    "tw_shock_dhat": (_DP, [_P]),
    "tw_method_parse": (_I, [_C, ctypes.POINTER(_I)]),
    "tw_deficits_parse": (_I, [_C, ctypes.POINTER(_I)]),
    "tw_solver_create": (_P, [_P, _E]),
    "tw_solver_free": (None, [_P]),
    "tw_solver_set_tol": (_I, [_P, _D]),
    "tw_solver_set_max_iter": (_I, [_P, _S]),
    "tw_solver_set_method": (_I, [_P, _I]),
    "tw_solver_set_deficits": (_I, [_P, _I]),
    "tw_solver_set_step": (_I, [_P, _D]),
    "tw_solver_run": (_P, [_P, _P, _E]),
    "tw_result_free": (None, [_P]),
    "tw_result_welfare_hat": (_D, [_P, _S]),
    "tw_result_iterations": (_S, [_P]),
    "tw_result_residual": (_D, [_P]),
    # reports and the column table
    "tw_report_json": (ctypes.c_void_p, [_P, _P, ctypes.POINTER(ReportOpts)]),
    "tw_report_talks_json": (ctypes.c_void_p, [_P, ctypes.POINTER(Talks), ctypes.POINTER(_S),
                                               ctypes.c_char_p, _E]),
    "tw_world_apply_elasticities": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_uint64,
                                                   ctypes.POINTER(ctypes.c_void_p), _E]),
    "tw_report_meta_json": (ctypes.c_void_p, [_P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_double]),
    "tw_report_timeline_json": (ctypes.c_void_p, [_P]),
    "tw_report_view": (_S, [_I, ctypes.c_uint, ctypes.POINTER(_P), _S]),
    "tw_column_name": (_C, [_P]),
    "tw_column_value": (_D, [_P, _P, _S, _S, _S]),
    # timelines
    "tw_scenario_load_limited": (_P, [_C, ctypes.c_uint64, _E]),
    "tw_scenario_free": (None, [_P]),
    "tw_timeline_run": (_P, [_P, _P, ctypes.POINTER(_C), _S, _P, _E]),
    "tw_timeline_free": (None, [_P]),
    "tw_timeline_n_steps": (_S, [_P]),
    "tw_timeline_step_date": (_C, [_P, _S]),
    "tw_timeline_step_label": (_C, [_P, _S]),
    "tw_timeline_tariffs": (_DP, [_P, _S]),
    "tw_timeline_dhat": (_DP, [_P, _S]),
    # games
    "tw_instrument_parse": (_I, [_C, ctypes.POINTER(_I)]),
    "tw_instrument_name": (_C, [_I]),
    "tw_instrument_describe": (None, [_P, _S, ctypes.POINTER(ctypes.c_ubyte), _I, _S,
                                      ctypes.c_char_p, _S]),
    "tw_game_create": (_P, [_P, _P, _E]),
    "tw_game_free": (None, [_P]),
    "tw_game_set_instrument": (_I, [_P, _I]),
    "tw_game_set_bounds": (_I, [_P, _D, _D]),
    "tw_game_set_tol": (_I, [_P, _D]),
    "tw_game_set_method": (_I, [_P, _I]),
    "tw_game_set_deficits": (_I, [_P, _I]),
    "tw_game_best_response": (_P, [_P, _S, ctypes.POINTER(ctypes.c_ubyte), _E]),
    "tw_game_nash": (_P, [_P, _SP, _S, _I, _E]),
    "tw_game_talks": (_I, [_P, ctypes.POINTER(TalksOpts), ctypes.POINTER(ctypes.POINTER(Talks)),
                           _E]),
    "tw_talks_free": (None, [ctypes.POINTER(Talks)]),
    "tw_game_world_welfare_hat": (_D, [_P]),
    "tw_outcome_free": (None, [_P]),
    "tw_outcome_result": (_P, [_P]),
    "tw_outcome_n_params": (_S, [_P, _S]),
    "tw_outcome_params": (_DP, [_P, _S]),
    "tw_outcome_rounds": (_S, [_P]),
    "tw_outcome_solves": (_S, [_P]),
    "tw_outcome_residual": (_D, [_P]),
    # sweeps
    "tw_sweep_create": (_P, [_P, _DP, _DP, _E]),
    "tw_sweep_free": (None, [_P]),
    "tw_sweep_set_tol": (_I, [_P, _D]),
    "tw_sweep_set_max_iter": (_I, [_P, _S]),
    "tw_sweep_set_method": (_I, [_P, _I]),
    "tw_sweep_set_deficits": (_I, [_P, _I]),
    "tw_sweep_set_warm": (_I, [_P, _I]),
    "tw_sweep_set_draws": (_I, [_P, _S, ctypes.c_uint64, _D, _E]),
    "tw_sweep_load_theta_sets": (_I, [_P, _C, _C, _E]),
    "tw_sweep_add_axis": (_I, [_P, _C, _E]),
    "tw_sweep_set_nash": (_I, [_P, _SP, _S, _E]),
    "tw_sweep_run": (_I, [_P, _S, _S, _S, _P, _P, _E]),
    "tw_sweep_n_variants": (_S, [_P]),
    "tw_sweep_n_points": (_S, [_P]),
    "tw_sweep_n_failed": (_S, [_P]),
    "tw_sweep_write_csv": (_I, [_P, _P]),
    "tw_sweep_write_summary_csv": (_I, [_P, _P]),
}

# bits of tw_column_shows and levels (include/tradewar/report.h)
LEVEL_COUNTRY = 0
SHOW_GAME_JSON = 0x100
REPORT_MAX_COLUMNS = 64


class _Lib:
    """The loaded library: its functions as attributes, plus libc's few."""

    def __init__(self, path):
        self.path = path
        try:
            self._dll = ctypes.CDLL(path)
        except OSError as e:
            raise Error("cannot load libtradewar from %s: %s" % (path, e)) from None
        for name, (res, args) in _PROTOTYPES.items():
            fn = getattr(self._dll, name)
            fn.restype = res
            fn.argtypes = args
            setattr(self, name, fn)
        libc = ctypes.CDLL(None)
        self.free = libc.free
        self.free.argtypes = [ctypes.c_void_p]
        self.free.restype = None
        self.fopen = libc.fopen
        self.fopen.argtypes = [_C, _C]
        self.fopen.restype = ctypes.c_void_p
        self.fclose = libc.fclose
        self.fclose.argtypes = [ctypes.c_void_p]
        self.fclose.restype = ctypes.c_int

    def take_string(self, ptr):
        """A malloc'd C string as str, freed; None for NULL."""
        if not ptr:
            return None
        try:
            return ctypes.string_at(ptr).decode("utf-8")
        finally:
            self.free(ptr)


_LIB = None


def lib():
    """The library, loaded on first use."""
    global _LIB  # one process-wide handle: loading twice would give the same library
    if _LIB is None:
        _LIB = _Lib(library_path())
    return _LIB
