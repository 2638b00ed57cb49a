"""The one canonical way to read a dataset's CSV into a DataFrame.

The sandbox's zygote, the profiler and the question templates all import this module so that a
table means the same thing everywhere: the same delimiter, the same missing-value tokens and the
same encoding fallback. Importing it has no side effects beyond importing pandas.

    from table_loader import load_table
    loaded = load_table("/data/data.csv", {"delimiter": ",", "encoding": "utf-8", "na_values": ["", "NA"]})
    loaded.frame, loaded.encoding
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

import pandas as pd

__all__ = ["ENCODING_FALLBACKS", "LoadedTable", "load_table", "encodings_to_try"]

#: Tried in this order, after the declared encoding, only when decoding fails.
ENCODING_FALLBACKS = ("utf-8", "utf-8-sig", "cp1252", "latin-1")


class LoadedTable(NamedTuple):
    """A loaded table and the encoding that decoded it (the declared one unless it failed)."""

    frame: pd.DataFrame
    encoding: str


def _setting(settings: Any, key: str, attribute: str) -> Any:
    """Reads a loader setting from a mapping (`na_values`) or an object (`na_values`/`naValues`)."""
    if isinstance(settings, Mapping):
        if key not in settings:
            raise KeyError(f"loader settings: missing '{key}'; expected delimiter, encoding and na_values")
        return settings[key]
    return getattr(settings, attribute)


def encodings_to_try(declared: str) -> list[str]:
    """The declared encoding first, then the fallbacks not yet tried (compared by codec name)."""
    import codecs

    order: list[str] = []
    seen: set[str] = set()
    for name in (declared, *ENCODING_FALLBACKS):
        try:
            canonical = codecs.lookup(name).name
        except LookupError:
            canonical = name.lower()
        if canonical not in seen:
            seen.add(canonical)
            order.append(name)
    return order


def load_table(csv_path: str, loader_settings: Any) -> LoadedTable:
    """Reads `csv_path` with `pd.read_csv` and the dataset's loader settings.

    `loader_settings` holds `delimiter`, `encoding` and `na_values` (a mapping with those keys, as
    in dataset.json, or an object with those attributes). Only the listed tokens are missing
    values (`keep_default_na=False`). When the declared encoding cannot decode the file, the
    loader tries utf-8, utf-8-sig, cp1252 and latin-1 in that order and reports which one it used
    in `LoadedTable.encoding`. Every other error (a missing file, a malformed row) propagates.
    """
    delimiter = _setting(loader_settings, "delimiter", "delimiter")
    declared = _setting(loader_settings, "encoding", "encoding")
    na_values = list(_setting(loader_settings, "na_values", "na_values"))
    if not isinstance(delimiter, str) or not delimiter:
        raise ValueError(f"loader settings: 'delimiter' must be a non-empty string; found {delimiter!r}")
    if not isinstance(declared, str) or not declared:
        raise ValueError(f"loader settings: 'encoding' must be a non-empty string; found {declared!r}")
    if not all(isinstance(token, str) for token in na_values):
        raise ValueError("loader settings: 'na_values' must be a list of strings")

    last_error: UnicodeDecodeError | None = None
    for encoding in encodings_to_try(declared):
        try:
            frame = pd.read_csv(
                csv_path,
                sep=delimiter,
                encoding=encoding,
                na_values=na_values,
                keep_default_na=False,
            )
        except UnicodeDecodeError as error:
            last_error = error
            continue
        return LoadedTable(frame, encoding)
    # latin-1 decodes every byte, so this is reached only if a codec lookup itself failed.
    raise last_error if last_error is not None else LookupError(f"{csv_path}: no encoding could be tried")
