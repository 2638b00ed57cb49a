"""The sandbox zygote: imports the analysis libraries and the dataset once, then forks workers.

Started by the host as `<venv>/bin/python -I <this folder>/zygote.py` (inside bubblewrap, this
folder is /sandbox) with the environment the host sets: SANDBOX_CONTROL_FD (an inherited
AF_UNIX stream socket), SANDBOX_CSV, SANDBOX_LOADER, SANDBOX_LIMITS, PYTHONHASHSEED and the
BLAS thread variables. It speaks length-prefixed JSON frames on the control socket and never
runs user code; stdout and stderr are for diagnostics only.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _apply_hash_seed() -> None:
    """`-I` ignores PYTHONHASHSEED; when the host set one, restart once honouring it.

    The restart keeps `-I`'s other effects: no user site (-s), no script directory on sys.path
    (-P), and no PYTHON* variable but PYTHONHASHSEED in the environment.
    """
    seed = os.environ.get("PYTHONHASHSEED")
    if seed is None or not sys.flags.ignore_environment:
        return
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    environment["PYTHONHASHSEED"] = seed
    arguments = [sys.executable, "-s", "-P", "-B", os.path.abspath(__file__), *sys.argv[1:]]
    os.execve(sys.executable, arguments, environment)


_apply_hash_seed()

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
# Workers cannot start processes (seccomp), so joblib runs n_jobs > 1 loops serially; saying so
# up front also keeps it from probing for a POSIX semaphore in the read-only /dev/shm.
os.environ.setdefault("JOBLIB_MULTIPROCESSING", "0")
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import errno  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import traceback  # noqa: E402


def _send_error(control, kind: str, message: str) -> None:
    import sandbox_protocol

    try:
        sandbox_protocol.write_frame(control, {"type": "error", "kind": kind, "message": message})
    except OSError:
        pass


class Zygote:
    def __init__(self, control: socket.socket, limits, frame, modules: dict, confinement) -> None:
        self.control = control
        self.limits = limits
        self.frame = frame
        # Made before gc.freeze(), so that a new worker's first `df` costs it nothing.
        self.first_view = frame.copy(deep=False)
        self.modules = modules
        self.confinement = confinement
        self.workers: set[int] = set()
        self.statuses: dict[int, str] = {}
        self.pid = os.getpid()

    # Children --------------------------------------------------------------------------------

    @staticmethod
    def _status_text(status: int) -> str:
        if os.WIFSIGNALED(status):
            return f"signal {os.WTERMSIG(status)}"
        if os.WIFEXITED(status):
            return f"exit {os.WEXITSTATUS(status)}"
        return f"status {status}"

    def reap(self, *_signal_arguments) -> None:
        """SIGCHLD: collect every dead child (no zombies), remembering how it ended."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.workers.discard(pid)
            self.statuses[pid] = self._status_text(status)
            if len(self.statuses) > 4096:
                self.statuses.pop(next(iter(self.statuses)))

    def spawn(self, seed: int) -> tuple[int, socket.socket]:
        import sandbox_worker

        host_end, worker_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            pid = os.fork()
        except OSError:
            host_end.close()
            worker_end.close()
            raise
        if pid == 0:  # the worker; never returns
            try:
                self.control.detach()
                host_end.detach()
                sandbox_worker.run_worker(
                    worker_end, seed, self.limits, self.frame, self.modules, self.confinement, self.pid,
                    self.first_view,
                )
            finally:
                os._exit(70)
        worker_end.close()
        self.workers.add(pid)
        return pid, host_end

    def kill(self, pid: int) -> str:
        if pid not in self.workers:
            return self.statuses.pop(pid, "unknown worker")
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            _, status = os.waitpid(pid, 0)
            self.statuses.pop(pid, None)
            text = self._status_text(status)
        except ChildProcessError:  # SIGCHLD reaped it in between
            text = self.statuses.pop(pid, "signal 9")
        self.workers.discard(pid)
        return text

    def kill_all(self) -> None:
        for pid in list(self.workers):
            self.kill(pid)

    # Requests --------------------------------------------------------------------------------

    def serve(self) -> int:
        import sandbox_protocol

        control = self.control
        while True:
            try:
                request = sandbox_protocol.read_frame(control)
            except sandbox_protocol.ChannelClosed:
                self.kill_all()
                return 0
            except sandbox_protocol.ProtocolError as error:
                _send_error(control, "protocol", str(error))
                self.kill_all()
                return 2
            request_id = request.get("id")
            op = request.get("op")
            if op == "spawn":
                seed = request.get("seed", 0)
                if not isinstance(seed, int) or isinstance(seed, bool):
                    sandbox_protocol.write_frame(control, {"id": request_id, "type": "error", "kind": "protocol", "message": "spawn needs an integer 'seed'"})
                    continue
                try:
                    pid, host_end = self.spawn(seed)
                except OSError as error:
                    sandbox_protocol.write_frame(control, {"id": request_id, "type": "error", "kind": "spawn", "message": f"fork failed: {error}"})
                    continue
                try:
                    sandbox_protocol.write_frame_with_fd(control, {"id": request_id, "type": "spawned", "worker": pid}, host_end.fileno())
                finally:
                    host_end.close()
            elif op == "kill":
                pid = request.get("worker")
                if not isinstance(pid, int) or isinstance(pid, bool):
                    sandbox_protocol.write_frame(control, {"id": request_id, "type": "error", "kind": "protocol", "message": "kill needs an integer 'worker'"})
                    continue
                status = self.kill(pid)
                sandbox_protocol.write_frame(control, {"id": request_id, "type": "killed", "worker": pid, "status": status})
            elif op == "ping":
                sandbox_protocol.write_frame(control, {"id": request_id, "type": "pong"})
            elif op == "shutdown":
                self.kill_all()
                return 0
            else:
                sandbox_protocol.write_frame(control, {"id": request_id, "type": "error", "kind": "protocol", "message": f"unknown op {op!r}"})


def _settings():
    control_fd = int(os.environ["SANDBOX_CONTROL_FD"])
    csv_path = os.environ.get("SANDBOX_CSV", "/data/data.csv")
    loader = json.loads(os.environ.get("SANDBOX_LOADER") or "{}")
    limits = json.loads(os.environ.get("SANDBOX_LIMITS") or "{}")
    loader.setdefault("delimiter", ",")
    loader.setdefault("encoding", "utf-8")
    if "na_values" not in loader:
        raise ValueError("SANDBOX_LOADER has no 'na_values'")
    return control_fd, csv_path, loader, limits


def main() -> int:
    try:
        control_fd = int(os.environ["SANDBOX_CONTROL_FD"])
        control = socket.socket(fileno=control_fd)
    except (KeyError, ValueError, OSError) as error:
        print(f"zygote: no control channel (SANDBOX_CONTROL_FD): {error}", file=sys.stderr)
        return 1
    try:
        _, csv_path, loader_settings, raw_limits = _settings()
    except (KeyError, ValueError) as error:
        _send_error(control, "load", f"sandbox settings: {error}")
        return 1

    try:
        import sandbox_confine

        seccomp = sandbox_confine.load_seccomp_module()
    except Exception as error:  # noqa: BLE001 - any failure means no filter
        _send_error(control, "seccomp", f"cannot load the seccomp filter library: {error}")
        return 1

    try:
        import numpy
        import pandas
        import scipy
        import scipy.stats
        import sklearn
        import sklearn.cluster
        import sklearn.ensemble
        import sklearn.linear_model
        import sklearn.preprocessing
        import statsmodels
        import statsmodels.api

        import normalization  # noqa: F401
        import sandbox_worker
        import table_loader
    except Exception as error:  # noqa: BLE001
        traceback.print_exc()
        _send_error(control, "import", f"{type(error).__name__}: {error}")
        return 1

    try:
        loaded = table_loader.load_table(csv_path, loader_settings)
    except Exception as error:  # noqa: BLE001
        traceback.print_exc()
        _send_error(control, "load", f"{csv_path}: {type(error).__name__}: {error}")
        return 1
    frame = loaded.frame

    limits = sandbox_worker.Limits(raw_limits)
    try:
        confinement = sandbox_confine.Confinement(seccomp, os.path.realpath(os.environ.get("TMPDIR") or "/tmp"))
    except Exception as error:  # noqa: BLE001 - no filter or ruleset means no workers
        traceback.print_exc()
        _send_error(control, "seccomp", f"cannot prepare the workers' seccomp filter or Landlock ruleset: {type(error).__name__}: {error}")
        return 1
    modules = {"pd": pandas, "np": numpy, "scipy": scipy, "stats": scipy.stats, "sklearn": sklearn, "sm": statsmodels.api}
    zygote = Zygote(control, limits, frame, modules, confinement)
    signal.signal(signal.SIGCHLD, zygote.reap)

    gc.collect()
    gc.freeze()
    try:
        sandbox_confine.set_dumpable(False)
    except OSError as error:
        _send_error(control, "seccomp", f"cannot make the zygote non-dumpable: {error}")
        return 1

    import sandbox_protocol

    sandbox_protocol.write_frame(control, {
        "type": "ready",
        "pid": os.getpid(),
        "versions": {
            "python": ".".join(str(part) for part in sys.version_info[:3]),
            "numpy": numpy.__version__,
            "pandas": pandas.__version__,
            "scipy": scipy.__version__,
            "sklearn": sklearn.__version__,
            "statsmodels": statsmodels.__version__,
        },
        "table": {
            "rows": int(frame.shape[0]),
            "columns": [str(column) for column in frame.columns],
            "dtypes": {str(column): str(dtype) for column, dtype in frame.dtypes.items()},
            "encoding": loaded.encoding,
        },
    })
    try:
        return zygote.serve()
    except OSError as error:
        if error.errno not in (errno.EPIPE, errno.ECONNRESET):
            traceback.print_exc()
        zygote.kill_all()
        return 1


if __name__ == "__main__":
    os._exit(main())
