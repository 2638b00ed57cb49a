"""Captured, capped cell output and the bounded repr of a trailing expression."""

from __future__ import annotations

import io
import reprlib


class OutputLimitExceeded(BaseException):
    """Raised inside the cell once its output passes the abort limit (not an `Exception`, so a
    broad `except Exception` in the cell cannot keep a flood going)."""


class OutputBudget:
    """Bytes written to stdout and stderr together during one cell."""

    __slots__ = ("written", "abort_bytes")

    def __init__(self, abort_bytes: int) -> None:
        self.written = 0
        self.abort_bytes = abort_bytes


class CappedWriter(io.TextIOBase):
    """A text stream that keeps the first `keep_bytes` of UTF-8 and counts the rest.

    When the cell's output (both streams) passes the budget's abort limit, every further write
    raises `OutputLimitExceeded`. Lone surrogates are written as backslash escapes so the kept
    text is always valid UTF-8.
    """

    def __init__(self, keep_bytes: int, budget: OutputBudget, name: str) -> None:
        super().__init__()
        self._kept = bytearray()
        self._keep_bytes = keep_bytes
        self._budget = budget
        self._name = name
        self.dropped = 0

    @property
    def encoding(self) -> str:
        return "utf-8"

    @property
    def errors(self) -> str:
        return "backslashreplace"

    @property
    def name(self) -> str:
        return self._name

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation(f"{self._name} is captured by the sandbox and has no file descriptor")

    def flush(self) -> None:
        return None

    def write(self, text) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        budget = self._budget
        if budget.written > budget.abort_bytes:
            raise OutputLimitExceeded(f"output passed {budget.abort_bytes} bytes")
        data = text.encode("utf-8", "backslashreplace")
        budget.written += len(data)
        room = self._keep_bytes - len(self._kept)
        if room >= len(data):
            self._kept += data
        else:
            if room > 0:
                cut = room
                # Back off to the start of a UTF-8 sequence so the prefix stays decodable.
                while cut > 0 and (data[cut] & 0xC0) == 0x80:
                    cut -= 1
                self._kept += data[:cut]
                self.dropped += len(data) - cut
            else:
                self.dropped += len(data)
        if budget.written > budget.abort_bytes:
            raise OutputLimitExceeded(f"output passed {budget.abort_bytes} bytes")
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def text(self) -> str:
        """The kept prefix."""
        return self._kept.decode("utf-8", "replace")


class BoundedRepr(reprlib.Repr):
    """`reprlib.Repr` with room for real data: long containers and strings are cut while they
    are formatted (never formatted in full and then cut). Dicts keep insertion order."""

    def __init__(self, max_chars: int) -> None:
        super().__init__()
        self.maxlevel = 6
        self.maxtuple = self.maxlist = self.maxarray = 100
        self.maxdict = self.maxset = self.maxfrozenset = self.maxdeque = 100
        self.maxstring = max(16, max_chars)
        self.maxlong = max(16, max_chars)
        self.maxother = max(16, max_chars)

    def repr_dict(self, x, level):
        n = len(x)
        if n == 0:
            return "{}"
        if level <= 0:
            return "{...}"
        newlevel = level - 1
        pieces = []
        for position, (key, value) in enumerate(x.items()):
            if position >= self.maxdict:
                pieces.append("...")
                break
            pieces.append(f"{self.repr1(key, newlevel)}: {self.repr1(value, newlevel)}")
        return "{" + ", ".join(pieces) + "}"

    def repr_bytes(self, x, level):
        if len(x) > self.maxstring:
            return repr(x[: self.maxstring]) + "..."
        return repr(x)

    def repr_bytearray(self, x, level):
        if len(x) > self.maxstring:
            return repr(x[: self.maxstring]) + "..."
        return repr(x)

    def repr_int(self, x, level):
        try:
            return super().repr_int(x, level)
        except ValueError:
            # Above sys.get_int_max_str_digits(): describe instead of failing the cell.
            return f"<int with {x.bit_length()} bits>"
