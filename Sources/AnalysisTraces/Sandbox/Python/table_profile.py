"""Profiles a loaded table: per column its dtype, missing values, distinct values, a numeric
summary, the most frequent values, a date range and a role. Runs inside a sandbox worker on the
frame the canonical loader produced, so the profile describes exactly what every later cell sees.

    import table_profile
    submit(table_profile.profile(df))

`profile(df)` returns plain JSON values (dict, list, str, int, float, bool, None; never NaN or
infinity) shaped like the Swift `TableProfile`:

    {"rows": int, "columns": [{"name", "dtype", "role", "reason", "related", "missing", "missing_share", "unique",
      "numeric": {"min", "max", "mean", "std", "median", "q1", "q3", "integer_valued"} | None,
      "top_values": [{"value": str, "count": int}, ...] | None,
      "date_range": {"min": str, "max": str, "parsed_share": float} | None}, ...]}

Fields
------
- dtype: `str(df[col].dtype)` as the loader gave it (`int64`, `float64`, `bool`, `str`, ...).
- missing, missing_share: missing cells and their share of the rows (0.0 for an empty table).
- unique: distinct non-missing values.
- numeric: for int and float columns (not bool) with at least one finite value; summarises the
  finite values: min, max, mean, sample std (ddof=1; 0.0 for one value), median, q1 and q3
  (pandas' linear interpolation), and integer_valued (every finite value is a whole number).
  Infinite values are left out of the summary. None for every other column.
- top_values: for the roles category, binary_category, calendar, constant and text: at most 10 values, most frequent
  first, ties broken by the value's text. Value text: strings as they are, whole numbers without
  a decimal point (`2007`, also for a float column), other floats as Python's repr, booleans as
  `True`/`False`. None for the other roles.
- date_range: for text columns whose non-missing values parse as dates for at least 95% (the
  best of `pd.to_datetime(format="ISO8601")` and the explicit formats in DATE_FORMATS, tried in
  that order; the first format with the highest share wins). min and max are `YYYY-MM-DD`, or
  ISO 8601 with the time when some parsed value has a time of day. A column can have a date range
  and another role (two distinct dates are a binary category).

Roles
-----
Every column gets a role, a `reason` (why, in words) and `related` (the other column a role
depends on, else None). Per column, the first rule that matches wins:

1. No non-missing value at all: `text`.
2. `identifier` by name (never a float column holding a non-whole value): an id-like name
   (`id`, `Unnamed: N`, `*_id`, `id_*`, camelCase `...Id`), an index-like name (`index`, `key`,
   `row_id`, ...) with every value distinct, or a code-like word in the name (`code`, `zip`,
   `fips`, `postal`, `phone`, `sku`, ...).
3. `constant`: one distinct value.
4. `calendar`: a whole-number column whose name ends in a calendar unit (CALENDAR_FIELDS) with
   values in that unit's range.
5. `binary_category`: exactly two distinct non-missing values, any dtype.
6. `date`: a text column with a date range.
7. `identifier` by values: a row number (whole numbers rising by exactly 1, none missing); a key
   (at least KEY_MIN_ROWS distinct whole numbers, none missing, evenly stepped once sorted or
   with max - min + 1 <= KEY_DENSITY * n); distinct short codes of capitals and digits.
8. `label`: other distinct short text (median at most 3 words and 40 characters).
9. `category`: at most 20 distinct values and at most half the non-missing rows, for text, bool
   and whole-number columns.
10. `constant` (near-constant): a numeric column whose most frequent value fills at least
    NEAR_CONSTANT_SHARE of its values.
11. `text`: any other text column.
12. `measure`: any other numeric column.

Then, comparing columns: two numeric columns forming a regular grid (every combination of their
values equally often, each with at least 3 values) turn from measure into `coordinate`; a measure
whose |r| with an earlier measure is at least DERIVED_ABS_R becomes `derived`; a category whose
groups each hold at least 3 rows, at most one per period of a repeating date or calendar column,
is a grouping unit (role `category`, `related` = the period column).

Only pandas and NumPy are imported; nothing reads files or the network; the output depends only
on the frame (no hashing of unordered containers, explicit sort orders everywhere).
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd

__all__ = ["profile", "profile_column", "DATE_FORMATS", "DATE_SHARE", "CATEGORY_MAX_DISTINCT", "TOP_VALUES"]

#: Explicit date formats tried after ISO 8601, in this order.
DATE_FORMATS = (
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%d %b %Y",
    "%b %d, %Y",
    "%d-%b-%Y",
    "%B %d, %Y",
)
#: Least share of non-missing values that must parse for a column to have a date range.
DATE_SHARE = 0.95
#: Formats are first tried on this many distinct values (in order of first appearance).
DATE_SAMPLE = 1000
#: Most distinct values a category may have (it must also have at most half the non-missing rows).
CATEGORY_MAX_DISTINCT = 20
#: How many frequent values `top_values` lists.
TOP_VALUES = 10
#: Text identifiers are short: median word count and median length at most these.
IDENTIFIER_MAX_WORDS = 3
IDENTIFIER_MAX_CHARS = 40
#: Row-number and text-identifier checks need at least this many values.
IDENTIFIER_MIN_ROWS = 3

#: A numeric column whose most frequent value fills at least this share of its values is near-constant.
NEAR_CONSTANT_SHARE = 0.95
#: Two measures whose Pearson |r| is at least this are one quantity twice (an affine map).
DERIVED_ABS_R = 0.9999
#: Distinct whole numbers count as a key when their range is at most this many times their count.
KEY_DENSITY = 1.5
#: A whole-number key needs at least this many rows (fewer distinct numbers prove nothing).
KEY_MIN_ROWS = 10
#: Calendar fields by the last word of the name, with the values the field can take.
CALENDAR_FIELDS = {
    "year": (1000, 2200), "yr": (1000, 2200), "decade": (1000, 2200), "quarter": (1, 4), "qtr": (1, 4),
    "month": (1, 12), "week": (0, 53), "weekday": (0, 7), "dow": (0, 7), "day": (1, 31), "hour": (0, 24),
    "minute": (0, 60), "second": (0, 60),
}
_CODE_WORDS = frozenset({"code", "zip", "zipcode", "postcode", "postal", "fips", "isbn", "phone", "sku"})
_CODE_TEXT = re.compile(r"^[A-Z0-9][A-Z0-9_.-]*$")


def _words(name: str) -> list[str]:
    return [word for word in re.split(r"[\s_.-]+", name.strip().lower()) if word]


def _is_code_name(name: str) -> bool:
    return any(word in _CODE_WORDS for word in _words(name))


def _is_calendar_field(name: str, summary: dict | None) -> bool:
    """A whole-number column named like a calendar unit (`year`, `birth_year`, `quarter`, ...)
    whose values lie in that unit's range: a point in time, not a quantity."""
    words = _words(name)
    if not words or summary is None or not summary["integer_valued"]:
        return False
    bounds = CALENDAR_FIELDS.get(words[-1])
    if bounds is None:
        return False
    if words[-1] == "decade" and summary["min"] % 10:
        return False
    return bounds[0] <= summary["min"] and summary["max"] <= bounds[1]


def _is_integer_key(present: pd.Series, summary: dict | None, unique: int, missing: int) -> bool:
    """Distinct whole numbers, none missing, evenly stepped or filling most of their range: a key
    in any order (a row number shuffled, or numbered in steps), not a quantity such as a population."""
    count = len(present)
    if summary is None or not summary["integer_valued"] or missing or unique != count or count < KEY_MIN_ROWS:
        return False
    values = np.sort(present.to_numpy(dtype="float64"))
    steps = np.diff(values)
    if steps.size and np.all(steps == steps[0]):
        return True
    return (values[-1] - values[0] + 1) <= KEY_DENSITY * count


def _is_code_text(present: pd.Series) -> bool:
    texts = present.astype(str)
    return bool(texts.str.match(_CODE_TEXT).all() and texts.str.contains(r"\d").all())


def _near_constant_share(present: pd.Series) -> float:
    if present.empty:
        return 0.0
    return float(present.value_counts(dropna=True).iloc[0]) / len(present)


_STRONG_ID_NAME = re.compile(r"^(id|uuid|guid|unnamed:\s*\d+|id[_\s.-].*|.*[_\s.-]id)$")
_CAMEL_ID_NAME = re.compile(r"^.*[a-z0-9]I[dD]$")
_WEAK_ID_NAMES = frozenset({"index", "idx", "key", "row", "rowid", "row_id", "row_number", "rownum", "row_num"})


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)


def _is_textual(series: pd.Series) -> bool:
    dtype = series.dtype
    return pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)


def _value_text(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 1e16:
            return str(int(number))
        return repr(number)
    return str(value)


def _numeric_summary(values: pd.Series) -> dict | None:
    """Summary of the finite values of a numeric column, or None when it has none.

    Mean, std and quantiles are pandas' own (`Series.mean`, `.std(ddof=1)`, `.quantile`) on the
    finite values in table order, so they equal what a cell computes on a column without infinities.
    """
    array = values.to_numpy(dtype="float64", na_value=np.nan)
    finite = pd.Series(array[np.isfinite(array)], dtype="float64")
    if finite.empty:
        return None
    low, high = float(finite.min()), float(finite.max())
    q1, median, q3 = (float(finite.quantile(q)) for q in (0.25, 0.5, 0.75))
    with np.errstate(over="ignore", invalid="ignore"):
        mean = float(finite.mean())
        std = float(finite.std(ddof=1)) if len(finite) > 1 else 0.0
        if not (math.isfinite(mean) and math.isfinite(std)):  # sums overflowed: use a scaled copy
            scale = max(abs(low), abs(high))
            scaled = finite / scale
            mean = float(scaled.mean()) * scale
            std = float(scaled.std(ddof=1)) * scale if len(finite) > 1 else 0.0
    return {
        "min": low,
        "max": high,
        "mean": mean if math.isfinite(mean) else 0.0,
        "std": std if math.isfinite(std) else 0.0,
        "median": median,
        "q1": q1,
        "q3": q3,
        "integer_valued": bool(np.all(np.floor(finite.to_numpy()) == finite.to_numpy())),
    }


def _top_values(counts: list[tuple[str, int]]) -> list[dict]:
    ordered = sorted(counts, key=lambda pair: (-pair[1], pair[0]))
    return [{"value": text, "count": count} for text, count in ordered[:TOP_VALUES]]


def _text_counts(present: pd.Series) -> list[tuple[str, int]]:
    """(value text, count) for each distinct value; values whose texts coincide are merged."""
    merged: dict[str, int] = {}
    counts = present.value_counts(dropna=True, sort=False)
    for value, count in zip(counts.index.tolist(), counts.tolist()):
        text = _value_text(value)
        merged[text] = merged.get(text, 0) + int(count)
    return list(merged.items())


def _format_timestamp(value: pd.Timestamp, with_time: bool) -> str:
    if with_time:
        return value.isoformat()
    return value.strftime("%Y-%m-%d")


def _parse_dates(texts: pd.Series, format_: str) -> pd.Series | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pd.to_datetime(texts, format=format_, errors="coerce")
        except (ValueError, TypeError, OverflowError):
            pass
        try:  # mixed UTC offsets: compare them in UTC
            return pd.to_datetime(texts, format=format_, errors="coerce", utc=True)
        except (ValueError, TypeError, OverflowError):
            return None


def _date_range(present: pd.Series) -> dict | None:
    """The date range of a text column whose values mostly parse as dates, else None."""
    if present.empty:
        return None
    counts = present.astype(str).value_counts(dropna=True, sort=False)
    texts = pd.Series(counts.index.astype(str).tolist(), dtype=object)
    weights = np.asarray(counts.tolist(), dtype=np.int64)
    total = int(weights.sum())
    if total == 0:
        return None
    best = None
    sample = texts.head(DATE_SAMPLE)
    for format_ in ("ISO8601", *DATE_FORMATS):
        if len(texts) > DATE_SAMPLE:  # skip formats that fail on most of the first values
            probe = _parse_dates(sample, format_)
            if probe is None or float(probe.notna().mean()) < 0.5:
                continue
        parsed = _parse_dates(texts, format_)
        if parsed is None:
            continue
        ok = parsed.notna().to_numpy()
        share = float(weights[ok].sum()) / total
        if best is None or share > best[0]:
            best = (share, parsed[ok])
        if share == 1.0:
            break
    if best is None or best[0] < DATE_SHARE or best[1].empty:
        return None
    share, parsed = best
    low, high = parsed.min(), parsed.max()
    normalized = parsed.dt.tz_convert(None) if parsed.dt.tz is not None else parsed
    with_time = bool((normalized != normalized.dt.normalize()).any()) or parsed.dt.tz is not None
    return {"min": _format_timestamp(low, with_time), "max": _format_timestamp(high, with_time), "parsed_share": share}


def _name_hint(name: str) -> str | None:
    """'strong' for id-like names, 'weak' for index/key-like names, None otherwise."""
    stripped = name.strip()
    lowered = stripped.lower()
    if _STRONG_ID_NAME.match(lowered) or _CAMEL_ID_NAME.match(stripped):
        return "strong"
    if lowered in _WEAK_ID_NAMES:
        return "weak"
    return None


def _is_row_number(series: pd.Series, summary: dict | None, missing: int) -> bool:
    if summary is None or not summary["integer_valued"] or missing or len(series) < IDENTIFIER_MIN_ROWS:
        return False
    values = series.to_numpy(dtype="float64")
    if not np.all(np.isfinite(values)):
        return False
    return bool(np.all(np.diff(values) == 1.0))


def _is_short_text_key(present: pd.Series, unique: int) -> bool:
    count = len(present)
    if count < IDENTIFIER_MIN_ROWS or unique != count:
        return False
    texts = present.astype(str)
    words = texts.str.split().str.len().fillna(0)
    return float(words.median()) <= IDENTIFIER_MAX_WORDS and float(texts.str.len().median()) <= IDENTIFIER_MAX_CHARS


def _role(name: str, series: pd.Series, present: pd.Series, unique: int, missing: int,
          summary: dict | None, dates: dict | None) -> tuple[str, str]:
    """The column's own role and the reason for it (table-level rules come later, in `profile`)."""
    numeric = _is_numeric(series)
    textual = _is_textual(series)
    if present.empty:
        return "text", "every value is missing"
    continuous = numeric and summary is not None and not summary["integer_valued"]
    hint = _name_hint(name)
    if not continuous and hint == "strong":
        return "identifier", "key: the name marks an identifier"
    if not continuous and hint == "weak" and unique == len(present):
        return "identifier", "key: an index-like name and every value distinct"
    if not continuous and _is_code_name(name):
        return "identifier", "code: the name marks a code (zip, FIPS, code, ...), not a quantity"
    if unique == 1:
        return "constant", "constant: a single distinct value"
    if numeric and _is_calendar_field(name, summary):
        return "calendar", f"calendar field: named '{name.strip()}' with values of that calendar unit"
    if unique == 2:
        return "binary_category", "exactly two distinct values"
    if textual and dates is not None:
        return "date", f"{dates['parsed_share']:.0%} of the values parse as dates"
    if numeric and _is_row_number(series, summary, missing):
        return "identifier", "key: a whole number that rises by exactly 1 from row to row"
    if numeric and _is_integer_key(present, summary, unique, missing):
        return "identifier", "key: distinct whole numbers spread evenly over their range (a shuffled or stepped row key)"
    if textual and _is_short_text_key(present, unique):
        if _is_code_text(present):
            return "identifier", "code: distinct short codes of capitals and digits"
        return "label", "label: every value distinct and short, a name for its row"
    few = unique <= CATEGORY_MAX_DISTINCT and unique * 2 <= len(present)
    if few and (not numeric or (summary is not None and summary["integer_valued"])):
        return "category", f"{unique} distinct values over {len(present)} rows"
    if numeric and _near_constant_share(present) >= NEAR_CONSTANT_SHARE:
        return "constant", f"near-constant: one value fills {_near_constant_share(present):.0%} of the rows"
    if numeric:
        return "measure", "a numeric quantity"
    return "text", "many distinct, long or multi-word values"


def profile_column(name, series: pd.Series) -> dict:
    """The profile of one column on its own (see the module docstring); `profile` then applies
    the rules that compare columns."""
    rows = int(len(series))
    mask = series.isna().to_numpy()
    missing = int(mask.sum())
    present = series[~mask]
    unique = int(present.nunique(dropna=True))
    summary = _numeric_summary(present) if _is_numeric(series) else None
    dates = _date_range(present) if _is_textual(series) else None
    role, reason = _role(str(name), series, present, unique, missing, summary, dates)
    top = _top_values(_text_counts(present)) if role in _TOP_VALUE_ROLES else None
    return {
        "name": str(name),
        "dtype": str(series.dtype),
        "role": role,
        "reason": reason,
        "related": None,
        "missing": missing,
        "missing_share": float(missing) / rows if rows else 0.0,
        "unique": unique,
        "numeric": summary,
        "top_values": top,
        "date_range": dates,
    }


_TOP_VALUE_ROLES = ("category", "binary_category", "text", "calendar", "constant")


def _mark_grid(df: pd.DataFrame, columns: list[dict]) -> None:
    """Measures that are coordinates of a regular grid: two numeric columns, none missing, each
    with at least 3 values, whose rows hold every combination of their values equally often."""
    rows = len(df)
    numeric = [i for i, c in enumerate(columns)
               if c["numeric"] is not None and c["missing"] == 0 and c["unique"] >= 3 and c["role"] in ("measure", "category", "calendar")]
    for a_index, a in enumerate(numeric):
        for b in numeric[a_index + 1:]:
            first, second = columns[a], columns[b]
            if "measure" not in (first["role"], second["role"]):
                continue
            cells = first["unique"] * second["unique"]
            if cells > rows or rows % cells:
                continue
            counts = df.iloc[:, [a, b]].value_counts(sort=False)
            if len(counts) != cells or counts.nunique() != 1:
                continue
            for this, other in ((first, second), (second, first)):
                if this["role"] == "measure":
                    this["role"] = "coordinate"
                    this["related"] = other["name"]
                    this["reason"] = (f"grid coordinate: with '{other['name']}' it forms a regular grid "
                                      f"({first['unique']} x {second['unique']} values, every combination {rows // cells} time(s))")


def _mark_derived(df: pd.DataFrame, columns: list[dict]) -> None:
    """A measure that is an affine function of an earlier measure (|r| >= DERIVED_ABS_R over the
    rows where both are present): the same quantity twice, so only the first stays a measure."""
    kept: list[int] = []
    for index, column in enumerate(columns):
        if column["role"] != "measure":
            continue
        values = pd.to_numeric(df.iloc[:, index], errors="coerce").astype("float64")
        for earlier in kept:
            other = pd.to_numeric(df.iloc[:, earlier], errors="coerce").astype("float64")
            both = values.notna() & other.notna() & np.isfinite(values) & np.isfinite(other)
            if int(both.sum()) < 5:
                continue
            with np.errstate(all="ignore"):
                r = float(np.corrcoef(values[both], other[both])[0, 1])
            if math.isfinite(r) and abs(r) >= DERIVED_ABS_R:
                column["role"] = "derived"
                column["related"] = columns[earlier]["name"]
                column["reason"] = f"derived: an affine function of '{columns[earlier]['name']}' (r = {r:.5f})"
                break
        if column["role"] == "measure":
            kept.append(index)


def _mark_units(df: pd.DataFrame, columns: list[dict]) -> None:
    """Categories that are grouping units: each group holds repeated measurements, at most one row
    per period of a date or calendar column whose periods repeat across groups (firms observed every year, cities every day)."""
    # The period must repeat across rows (several units per period), else any category of a plain
    # time series would look like a unit.
    periods = [i for i, c in enumerate(columns)
               if c["role"] in ("date", "calendar") and c["unique"] < len(df) - c["missing"]]
    for index, column in enumerate(columns):
        if column["role"] != "category" or column["unique"] < 2:
            continue
        for period in periods:
            pair = df.iloc[:, [index, period]].dropna()
            if pair.empty or pair.duplicated().any():
                continue
            per_group = pair.iloc[:, 0].value_counts()
            if int(per_group.min()) < 3:
                continue
            column["related"] = columns[period]["name"]
            column["reason"] = (f"grouping unit: {column['unique']} groups, each observed at up to one row per "
                                f"'{columns[period]['name']}' ({int(per_group.min())} to {int(per_group.max())} rows each)")
            break


def profile(df: pd.DataFrame) -> dict:
    """The profile of every column of `df`, in table order (see the module docstring)."""
    columns = []
    for position in range(df.shape[1]):
        columns.append(profile_column(df.columns[position], df.iloc[:, position]))
    _mark_grid(df, columns)
    _mark_derived(df, columns)
    _mark_units(df, columns)
    return {"rows": int(df.shape[0]), "columns": columns}
