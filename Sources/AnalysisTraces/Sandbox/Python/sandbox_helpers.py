"""`submit` and `hook`, the two callables a cell uses to report structured events.

They are instances, not functions, so they carry no `__globals__`; this module holds nothing
but the classes and the normaliser (no socket, no `os`). That is tidiness, not a boundary: the
operating system confines the worker, whatever a cell reaches through Python.
"""

from normalization import normalize as _normalize


class EventLog:
    """The events of the current cell, in the order the cell emitted them."""

    __slots__ = ("events",)

    def __init__(self) -> None:
        self.events = []

    def take(self) -> list:
        taken, self.events = self.events, []
        return taken


class Submit:
    """submit(answer): records the final answer of this trace.

    The answer is turned into JSON by the sandbox's normalisation: numbers, strings, booleans,
    None, dates, lists, dicts, NumPy values, pandas Series (an object keyed by the index) and
    DataFrames (columns, index, data). Printing never submits; only this call does.
    """

    __slots__ = ("_log",)

    def __init__(self, log: EventLog) -> None:
        self._log = log

    def __call__(self, answer) -> None:
        self._log.events.append({"type": "submit", "value": _normalize(answer, "submit")})

    def __repr__(self) -> str:
        return "<sandbox helper submit(answer)>"


class Hook:
    """hook(value, code_line, name=None, depends_on=(), description=None): records an
    intermediate value and the line of code it came from.

    `code_line` is the exact line that computed `value`; `name` labels the value so later hooks
    can list it in `depends_on`; `description` says in words what it is. The value is
    normalised like an answer.
    """

    __slots__ = ("_log",)

    def __init__(self, log: EventLog) -> None:
        self._log = log

    def __call__(self, value, code_line, name=None, depends_on=(), description=None) -> None:
        if not isinstance(code_line, str):
            raise TypeError(f"hook(): code_line must be the line of code as a str, not {type(code_line).__name__}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"hook(): name must be a str or None, not {type(name).__name__}")
        if description is not None and not isinstance(description, str):
            raise TypeError(f"hook(): description must be a str or None, not {type(description).__name__}")
        if isinstance(depends_on, str):
            depends_on = [depends_on]
        try:
            dependencies = list(depends_on)
        except TypeError:
            raise TypeError(
                f"hook(): depends_on must be a list of hook names, not {type(depends_on).__name__}"
            ) from None
        for dependency in dependencies:
            if not isinstance(dependency, str):
                raise TypeError(f"hook(): depends_on must hold hook names (str), found {type(dependency).__name__}")
        self._log.events.append({
            "type": "hook",
            "name": name,
            "code_line": code_line,
            "value": _normalize(value, "hook"),
            "depends_on": dependencies,
            "description": description,
        })

    def __repr__(self) -> str:
        return "<sandbox helper hook(value, code_line, name=None, depends_on=(), description=None)>"
