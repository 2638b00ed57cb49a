"""Turns Python, NumPy and pandas values into plain JSON values (the sandbox's one normalisation).

Rules (documented for users in the DocC article Sandbox.md):

- None, pd.NA, pd.NaT, NaT datetime64/timedelta64 -> null
- bool, np.bool_ -> bool
- int, np.integer -> int
- float, np.floating, Decimal -> float; NaN, +inf, -inf -> {"$float": "nan" | "inf" | "-inf"}
- str (np.str_ included) -> str
- datetime, pd.Timestamp, np.datetime64 -> ISO 8601 text (`Timestamp.isoformat()`)
- date -> YYYY-MM-DD; time -> its ISO 8601 text
- timedelta, pd.Timedelta, np.timedelta64 -> str(pd.Timedelta(value)), e.g. "1 days 02:00:00"
- list, tuple, ndarray, pd.Index, pandas extension arrays -> array (a 0-d array -> its scalar)
- set, frozenset -> array sorted by each element's canonical JSON text
- dict -> object; keys: str as is, any other key is normalised and, unless that gives a str,
  written as its compact JSON text (1 -> "1", True -> "true", None -> "null",
  ("a", 1) -> '["a",1]')
- pd.Series -> object keyed by its index labels (same key rule)
- pd.DataFrame -> {"columns": [...], "index": [...], "data": [[row], ...]} (pandas "split"
  layout, labels normalised); nothing is collapsed, a 1x1 frame stays a frame

Keys that collide after this rule (1 and "1", a Series with a repeated label) raise ValueError,
as do values with more than MAX_LEAVES leaf elements, values nested deeper than MAX_DEPTH and
values that contain themselves. Any other type raises TypeError. Importing this module has no
side effects.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json as _json
import math as _math

import numpy as _np
import pandas as _pd

__all__ = ["MAX_LEAVES", "MAX_DEPTH", "normalize", "canonical_text"]

MAX_LEAVES = 1_000_000
MAX_DEPTH = 64


def canonical_text(value) -> str:
    """Compact JSON text of an already normalised value, keys sorted (used for ordering only)."""
    return _json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"))


class _Budget:
    __slots__ = ("leaves", "what")

    def __init__(self, what: str) -> None:
        self.leaves = 0
        self.what = what

    def reserve(self, count: int) -> None:
        self.leaves += count
        if self.leaves > MAX_LEAVES:
            raise ValueError(
                f"{self.what}(): the value has more than {MAX_LEAVES:,} elements, too large to "
                f"{self.what}; summarise it first (an aggregate, .head(), .describe())"
            )


def _float(value: float):
    if _math.isnan(value):
        return {"$float": "nan"}
    if _math.isinf(value):
        return {"$float": "inf" if value > 0 else "-inf"}
    return value


def _path_text(path: list) -> str:
    return "".join(f"[{step!r}]" for step in path) or "the value"


def _key(key, budget: _Budget, path: list, depth: int) -> str:
    if isinstance(key, str):
        return str(key)
    normalised = _normalize(key, budget, path, depth + 1, set())
    if isinstance(normalised, str):
        return normalised
    return canonical_text(normalised)


def _mapping(pairs, budget: _Budget, path: list, depth: int, active: set) -> dict:
    result: dict = {}
    for key, item in pairs:
        text = _key(key, budget, path, depth)
        if text in result:
            raise ValueError(
                f"{budget.what}(): two keys of {_path_text(path)} both become {text!r} in JSON; "
                "make the keys unique (for a Series, .reset_index() or .groupby(level=0).sum())"
            )
        path.append(key)
        result[text] = _normalize(item, budget, path, depth + 1, active)
        path.pop()
    return result


def _sequence(items, budget: _Budget, path: list, depth: int, active: set) -> list:
    result = []
    for position, item in enumerate(items):
        path.append(position)
        result.append(_normalize(item, budget, path, depth + 1, active))
        path.pop()
    return result


def _check_size(count: int, budget: _Budget) -> None:
    """Refuses an obviously too large container before converting any of it."""
    if count > MAX_LEAVES:
        budget.reserve(count)


def _array(array: _np.ndarray, budget: _Budget, path: list, depth: int, active: set):
    if array.ndim == 0:
        return _normalize(array[()], budget, path, depth, active)
    _check_size(int(array.size), budget)
    if array.dtype.kind in "biufU":
        return _sequence(array.tolist(), budget, path, depth, active)
    # Element by element keeps NumPy scalars (datetime64, timedelta64) and objects typed.
    return _sequence(array, budget, path, depth, active)


def _normalize(value, budget: _Budget, path: list, depth: int, active: set):
    if depth > MAX_DEPTH:
        raise ValueError(f"{budget.what}(): {_path_text(path)} is nested more than {MAX_DEPTH} levels deep")

    # Scalars first: they are the common case and never recurse.
    if value is None or value is _pd.NA or value is _pd.NaT:
        budget.reserve(1)
        return None
    if isinstance(value, (bool, _np.bool_)):
        budget.reserve(1)
        return bool(value)
    if isinstance(value, (int, _np.integer)):
        budget.reserve(1)
        return int(value)
    if isinstance(value, (float, _np.floating)):
        budget.reserve(1)
        return _float(float(value))
    if isinstance(value, str):
        budget.reserve(1)
        return str(value)
    if isinstance(value, _decimal.Decimal):
        budget.reserve(1)
        return _float(float(value))
    if isinstance(value, _np.datetime64):
        budget.reserve(1)
        return None if _np.isnat(value) else _pd.Timestamp(value).isoformat()
    if isinstance(value, _np.timedelta64):
        budget.reserve(1)
        return None if _np.isnat(value) else str(_pd.Timedelta(value))
    if isinstance(value, _dt.datetime):  # pd.Timestamp included
        budget.reserve(1)
        return value.isoformat()
    if isinstance(value, _dt.date):
        budget.reserve(1)
        return value.isoformat()
    if isinstance(value, _dt.time):
        budget.reserve(1)
        return value.isoformat()
    if isinstance(value, _dt.timedelta):  # pd.Timedelta included
        budget.reserve(1)
        return str(_pd.Timedelta(value))

    # Containers: guard against cycles.
    marker = id(value)
    if marker in active:
        raise ValueError(f"{budget.what}(): {_path_text(path)} contains itself")
    active.add(marker)
    try:
        if isinstance(value, _pd.DataFrame):
            rows, columns = value.shape
            _check_size(rows * columns, budget)
            return {
                "columns": _sequence(list(value.columns), budget, path + ["columns"], depth, active),
                "index": _sequence(list(value.index), budget, path + ["index"], depth, active),
                "data": _sequence(
                    value.itertuples(index=False, name=None), budget, path + ["data"], depth, active
                ),
            }
        if isinstance(value, _pd.Series):
            _check_size(len(value), budget)
            return _mapping(zip(value.index, value.array), budget, path, depth, active)
        if isinstance(value, _np.ndarray):
            return _array(value, budget, path, depth, active)
        if isinstance(value, (_pd.Index, _pd.api.extensions.ExtensionArray)):
            _check_size(len(value), budget)
            return _sequence(value, budget, path, depth, active)
        if isinstance(value, dict):
            _check_size(len(value), budget)
            return _mapping(list(value.items()), budget, path, depth, active)
        if isinstance(value, (list, tuple)):
            _check_size(len(value), budget)
            return _sequence(value, budget, path, depth, active)
        if isinstance(value, (set, frozenset)):
            _check_size(len(value), budget)
            items = _sequence(list(value), budget, path + ["<set>"], depth, active)
            return sorted(items, key=canonical_text)
    finally:
        active.discard(marker)

    kind = type(value)
    raise TypeError(
        f"{budget.what}(): cannot turn {_path_text(path)} of type "
        f"'{kind.__module__}.{kind.__qualname__}' into JSON; use None, bool, int, float, str, "
        "a date or timestamp, a list, tuple, set or dict of those, a NumPy array, or a pandas "
        "Series or DataFrame (convert other objects with str() or float() first)"
    )


def normalize(value, what: str = "submit"):
    """Returns the JSON value (None, bool, int, float, str, list, dict) for `value`.

    `what` names the caller in error messages ("submit", "hook"). Raises TypeError for a type
    with no JSON form and ValueError for a value that is too large, too deep, self-containing,
    or whose keys collide.
    """
    return _normalize(value, _Budget(what), [], 0, set())
