"""A worker: one forked child of the zygote that runs cells in a persistent namespace.

Requests and replies are frames on the worker's own socketpair (see sandbox_protocol). The
worker never writes to fd 1 or 2 (both are /dev/null); cell output is captured in Python.
"""

from __future__ import annotations

import ast
import builtins
import gc
import json
import linecache
import os
import random
import signal
import socket
import sys
import time
import traceback
import warnings

import numpy as np
import pandas as pd

import sandbox_confine
import sandbox_protocol
from sandbox_helpers import EventLog, Hook, Submit
from sandbox_output import BoundedRepr, CappedWriter, OutputBudget, OutputLimitExceeded

SANDBOX_DIR = os.path.dirname(os.path.abspath(__file__))
_SANDBOX_PREFIX = SANDBOX_DIR + os.sep
_CELL_PREFIX = "<cell-"
_CELL_NAME = "<cell>"
_KEPT_CELL_SOURCES = 500

# Largest display settings a trailing expression's repr may use (smaller user settings win).
_PANDAS_DISPLAY_CAPS = (
    ("display.max_rows", 200),
    ("display.max_columns", 50),
    ("display.max_colwidth", 200),
    ("display.max_seq_items", 100),
)
_NUMPY_THRESHOLD_CAP = 1000
_PLAIN_TYPES = (int, float, bool, str, complex, type(None))


class CellTimeout(BaseException):
    """Raised by the cell's alarm (a BaseException, so `except Exception` does not swallow it)."""


class Limits:
    """SANDBOX_LIMITS, with defaults for keys the host did not send."""

    def __init__(self, raw: dict) -> None:
        self.cell_timeout_s = float(raw.get("cell_timeout_s", 30))
        self.memory_bytes = int(raw.get("memory_bytes", 2 << 30))
        self.file_size_bytes = int(raw.get("file_size_bytes", 64 << 20))
        self.open_files = int(raw.get("open_files", 64))
        self.max_output_bytes = int(raw.get("max_output_bytes", 64 << 10))
        self.abort_output_bytes = int(raw.get("abort_output_bytes", 16 << 20))
        self.repr_max_chars = int(raw.get("repr_max_chars", 10_000))
        self.cpu_seconds = int(raw.get("cpu_seconds", 3600))
        self.max_reply_bytes = int(raw.get("max_reply_bytes", 60 << 20))


class _ChargedRepr(BoundedRepr):
    """A bounded repr that also stops formatting once `max_chars` have been produced."""

    def __init__(self, max_chars: int) -> None:
        super().__init__(max_chars)
        self._limit = max_chars
        self._used = 0

    def repr(self, x):
        self._used = 0
        return self.repr1(x, self.maxlevel)

    def repr1(self, x, level):
        if self._used > self._limit:
            return self.fillvalue
        text = super().repr1(x, level)
        self._used += len(text)
        return text


def _read_pss_bytes() -> int | None:
    try:
        with open("/proc/self/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class MemoryGauge:
    """The worker's PSS after each cell, without paying for smaps_rollup every time.

    Reading /proc/self/smaps_rollup walks every mapping (about 10 ms with the analysis
    libraries loaded), so it is re-read only when resident memory grew by more than
    `REMEASURE_GROWTH` since the last reading, when the cell ran at least `REMEASURE_AFTER_S`,
    on the first cell and every `REMEASURE_EVERY` cells; otherwise the figure is the last
    reading plus the resident growth since (from /proc/self/statm, a few microseconds).
    """

    REMEASURE_GROWTH = 8 << 20
    REMEASURE_AFTER_S = 0.1
    REMEASURE_EVERY = 256

    def __init__(self) -> None:
        self.page_size = os.sysconf("SC_PAGE_SIZE")
        self.statm = None
        self.pss = None
        self.rss = 0
        self.cells = 0

    def _resident_bytes(self) -> int | None:
        try:
            if self.statm is None:
                self.statm = os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC)
            return int(os.pread(self.statm, 128, 0).split()[1]) * self.page_size
        except (OSError, ValueError, IndexError):
            self.statm = None
            return None

    def after_cell(self, seconds: float) -> int | None:
        self.cells += 1
        resident = self._resident_bytes()
        if (
            self.pss is None
            or resident is None
            or resident - self.rss > self.REMEASURE_GROWTH
            or seconds >= self.REMEASURE_AFTER_S
            or self.cells % self.REMEASURE_EVERY == 0
        ):
            self.pss = _read_pss_bytes()
            self.rss = resident or 0
            return self.pss
        return self.pss + max(0, resident - self.rss)


def _cap_text(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    half = max(1, limit // 2)
    return f"{text[:half]}\n... [{len(text) - 2 * half} characters cut] ...\n{text[-half:]}"


class Worker:
    def __init__(self, sock: socket.socket, seed: int, limits: Limits, frame: pd.DataFrame, modules: dict) -> None:
        self.sock = sock
        self.seed = seed
        self.limits = limits
        self.frame = frame
        self.modules = modules
        self.log = EventLog()
        self.submit = Submit(self.log)
        self.hook = Hook(self.log)
        self.cell_count = 0
        self.cell_files: list[str] = []
        self.armed = False
        self.namespace: dict = {}
        self.warning_filters = list(warnings.filters)
        self.repr = _ChargedRepr(limits.repr_max_chars)
        self.memory = MemoryGauge()

    # Namespace -------------------------------------------------------------------------------

    def fresh_namespace(self, view: pd.DataFrame | None = None) -> dict:
        namespace = {
            "__name__": "__main__",
            "__doc__": None,
            "__builtins__": builtins,
            "df": self.frame.copy(deep=False) if view is None else view,
            "submit": self.submit,
            "hook": self.hook,
        }
        namespace.update(self.modules)
        return namespace

    def reseed(self) -> None:
        random.seed(self.seed)
        np.random.seed(self.seed % (1 << 32))

    def reset(self) -> None:
        self.namespace = self.fresh_namespace()
        for filename in self.cell_files:
            linecache.cache.pop(filename, None)
        self.cell_files.clear()
        self.cell_count = 0
        self.log.take()
        warnings.filters[:] = self.warning_filters
        warnings._filters_mutated()
        self.reseed()
        gc.collect()

    # Cells -----------------------------------------------------------------------------------

    def _on_alarm(self, signum, frame) -> None:
        if self.armed:
            self.armed = False
            raise CellTimeout()

    def _register_source(self, code: str) -> str:
        self.cell_count += 1
        filename = f"{_CELL_PREFIX}{self.cell_count}>"
        lines = code.splitlines(keepends=True)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        linecache.cache[filename] = (len(code), None, lines, filename)
        self.cell_files.append(filename)
        if len(self.cell_files) > _KEPT_CELL_SOURCES:
            linecache.cache.pop(self.cell_files.pop(0), None)
        return filename

    def _run_code(self, code: str):
        """Runs the cell; returns the bounded repr of a trailing expression, or None."""
        try:
            tree = ast.parse(code, filename=_CELL_NAME, mode="exec")
            trailing = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                trailing = ast.Expression(tree.body.pop().value)
            filename = self._register_source(code)
            body = compile(tree, filename, "exec")
            expression = compile(trailing, filename, "eval") if trailing is not None else None
        except (SyntaxError, ValueError) as error:
            raise _CellSyntaxError(error) from None
        exec(body, self.namespace)
        if expression is None:
            return None
        value = eval(expression, self.namespace)
        if value is None:
            return None
        return self._bounded_repr(value)

    def _bounded_repr(self, value) -> str:
        limit = self.limits.repr_max_chars
        if type(value) in _PLAIN_TYPES:
            text = self.repr.repr(value)
        else:
            overrides = []
            for option, cap in _PANDAS_DISPLAY_CAPS:
                current = pd.get_option(option)
                if current is None or current > cap:
                    overrides += [option, cap]
            threshold = np.get_printoptions()["threshold"]
            with np.printoptions(threshold=min(threshold, _NUMPY_THRESHOLD_CAP)):
                if overrides:
                    with pd.option_context(*overrides):
                        text = self.repr.repr(value)
                else:
                    text = self.repr.repr(value)
        if len(text) > limit:
            text = f"{text[:limit]}... [{len(text) - limit} more characters]"
        return text

    def _message(self, error: BaseException) -> str:
        try:
            text = str(error)
        except BaseException:  # a user exception whose __str__ fails
            text = f"<{type(error).__name__} whose message cannot be shown>"
        return _cap_text(text, max(1000, self.limits.repr_max_chars))

    def _traceback(self, error: BaseException) -> str:
        try:
            summary = traceback.TracebackException(type(error), error, error.__traceback__, compact=True)
            _trim(summary, set())
            text = "".join(summary.format())
        except BaseException:
            text = f"{type(error).__name__}: {self._message(error)}\n"
        return _cap_text(text, max(4096, self.limits.max_output_bytes))

    def _describe(self, error: BaseException, timeout_s: float) -> tuple[dict, bool]:
        if isinstance(error, _CellSyntaxError):
            original = error.original
            text = "".join(traceback.format_exception_only(type(original), original))
            kind = "syntax"
            return {"kind": kind, "message": self._message(original), "traceback": _cap_text(text, 16384)}, False
        if isinstance(error, CellTimeout):
            message = f"the cell ran past its time limit of {timeout_s:g} s"
            return {"kind": "timeout", "message": message, "traceback": self._traceback(error)}, True
        if isinstance(error, OutputLimitExceeded):
            message = (
                f"the cell printed more than {self.limits.abort_output_bytes} bytes and was stopped; "
                "print less (for example .head() or a summary)"
            )
            return {"kind": "output_limit", "message": message, "traceback": self._traceback(error)}, False
        if isinstance(error, MemoryError):
            detail = self._message(error)
            message = "out of memory: the cell needed more than the worker's memory limit"
            if detail:
                message += f" ({detail})"
            return {"kind": "memory", "message": message, "traceback": self._traceback(error)}, False
        return {"kind": type(error).__name__, "message": self._message(error), "traceback": self._traceback(error)}, False

    def execute(self, code: str, timeout_s: float) -> dict:
        limits = self.limits
        self.log.take()
        budget = OutputBudget(limits.abort_output_bytes)
        stdout = CappedWriter(limits.max_output_bytes, budget, "<stdout>")
        stderr = CappedWriter(limits.max_output_bytes, budget, "<stderr>")
        saved = (sys.stdout, sys.stderr)
        result = None
        error = None
        timed_out = False
        started = time.perf_counter()
        try:
            signal.signal(signal.SIGALRM, self._on_alarm)
            sys.stdout, sys.stderr = stdout, stderr
            self.armed = True
            signal.setitimer(signal.ITIMER_REAL, max(0.001, timeout_s))
            try:
                try:
                    result = self._run_code(code)
                except BaseException as exc:  # everything the cell raises is its result
                    error, timed_out = self._describe(exc, timeout_s)
            except BaseException as late:  # the alarm fired while the error was being described
                error, timed_out = (
                    {"kind": "timeout", "message": f"the cell ran past its time limit of {timeout_s:g} s", "traceback": ""}
                    if isinstance(late, CellTimeout)
                    else {"kind": type(late).__name__, "message": "", "traceback": ""}
                ), isinstance(late, CellTimeout)
            finally:
                self.armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
        except CellTimeout:  # the alarm fired between the cell's end and disarming it
            if error is None:
                error, timed_out = {"kind": "timeout", "message": f"the cell ran past its time limit of {timeout_s:g} s", "traceback": ""}, True
        finally:
            self.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = saved
        duration = time.perf_counter() - started
        return {
            "stdout": stdout.text(),
            "stdout_dropped": stdout.dropped,
            "stderr": stderr.text(),
            "stderr_dropped": stderr.dropped,
            "result": result,
            "error": error,
            "timed_out": timed_out,
            "events": self.log.take(),
            "duration_s": duration,
            "pss_bytes": self.memory.after_cell(duration),
        }

    # Serving ---------------------------------------------------------------------------------

    def _reply(self, message: dict) -> None:
        try:
            data = sandbox_protocol.encode(message)
        except (TypeError, ValueError) as failure:
            # Events forged around submit/hook may not be JSON: report, never crash the worker.
            message = dict(message, events=[])
            message["error"] = {"kind": "internal", "message": f"the cell's events could not be encoded: {failure}", "traceback": ""}
            data = sandbox_protocol.encode(message)
        if len(data) > self.limits.max_reply_bytes:
            message = dict(message, events=[], result=None)
            message["error"] = {
                "kind": "output_limit",
                "message": (
                    f"the cell's result was {len(data)} bytes, more than {self.limits.max_reply_bytes}; "
                    "submit or hook smaller values"
                ),
                "traceback": "",
            }
            data = sandbox_protocol.encode(message)
        self.sock.sendall(data)

    def serve(self) -> None:
        sock = self.sock
        while True:
            try:
                request = sandbox_protocol.read_frame(sock)
            except sandbox_protocol.ChannelClosed:
                return
            request_id = request.get("id")
            op = request.get("op")
            if op == "exec":
                code = request.get("code")
                timeout = request.get("timeout_s")
                if not isinstance(code, str) or not (timeout is None or isinstance(timeout, (int, float))):
                    self._reply({"id": request_id, "type": "error", "kind": "protocol", "message": "exec needs a str 'code' and a number or null 'timeout_s'"})
                    continue
                seconds = self.limits.cell_timeout_s if timeout is None else float(timeout)
                reply = self.execute(code, seconds)
                self._reply({"id": request_id, "type": "result", **reply})
            elif op == "reset":
                self.reset()
                self._reply({"id": request_id, "type": "reset"})
            elif op == "ping":
                self._reply({"id": request_id, "type": "pong"})
            else:
                self._reply({"id": request_id, "type": "error", "kind": "protocol", "message": f"unknown op {op!r}"})


class _CellSyntaxError(Exception):
    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


def _trim(summary: traceback.TracebackException, seen: set) -> None:
    """Removes the sandbox's own frames and shows every cell as `<cell>`, in a whole chain."""
    if id(summary) in seen:
        return
    seen.add(id(summary))
    kept = []
    for frame in summary.stack:
        filename = frame.filename or ""
        if filename.startswith(_SANDBOX_PREFIX):
            continue
        if filename.startswith(_CELL_PREFIX):
            frame.filename = _CELL_NAME
        kept.append(frame)
    summary.stack = traceback.StackSummary.from_list(kept)
    if getattr(summary, "filename", None) and str(summary.filename).startswith(_CELL_PREFIX):
        summary.filename = _CELL_NAME
    for linked in (summary.__cause__, summary.__context__):
        if linked is not None:
            _trim(linked, seen)
    for member in getattr(summary, "exceptions", None) or ():
        _trim(member, seen)


def run_worker(sock: socket.socket, seed: int, limits: Limits, frame: pd.DataFrame, modules: dict,
               confinement: "sandbox_confine.Confinement", zygote_pid: int, first_view: pd.DataFrame | None = None) -> None:
    """Confines this freshly forked process, then serves requests until the host hangs up.

    `confinement` holds what the zygote prepared before forking (the compiled seccomp program
    and the Landlock ruleset), so that a worker only applies them. `first_view` is a shallow
    copy of `frame` the zygote made before forking, used as the first namespace's `df` (making
    one here would copy the pages pandas touches for it in every worker).

    Never returns: the process always ends with os._exit (no interpreter teardown).
    """
    status = 0
    try:
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
            signal.signal(signum, signal.SIG_DFL)
        sandbox_confine.drop_root()
        sandbox_confine.set_dumpable(False)
        sandbox_confine.die_with_parent(zygote_pid)
        null = os.open("/dev/null", os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(null, target)
        sandbox_confine.close_descriptors_except((sock.fileno(), confinement.landlock.fd))
        sandbox_confine.set_limits(limits.memory_bytes, limits.file_size_bytes, limits.open_files, limits.cpu_seconds)
        os.setsid()
        worker = Worker(sock, seed, limits, frame, modules)
        worker.reseed()
        worker.namespace = worker.fresh_namespace(first_view)
        own_pid = os.getpid()
        confinement.landlock.restrict()
        confinement.seccomp.load(own_pid)
        sandbox_protocol.write_frame(sock, {"type": "ready", "worker": own_pid})
        worker.serve()
    except BaseException as failure:  # the worker cannot serve: say why on the channel if possible
        status = 70
        try:
            sandbox_protocol.write_frame(sock, {"type": "error", "kind": "worker", "message": f"{type(failure).__name__}: {failure}"})
        except BaseException:
            pass
    finally:
        os._exit(status)
