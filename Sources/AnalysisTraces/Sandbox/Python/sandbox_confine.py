"""Process confinement for the zygote and its workers: prctl, rlimits and the seccomp filter.

The seccomp binding is Debian's python3-seccomp, loaded from its exact file so that no other
system package becomes importable (the venv cannot see /usr/lib/python3/dist-packages).
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import socket

SECCOMP_MODULE_PATH = "/usr/lib/python3/dist-packages/seccomp.cpython-311-x86_64-linux-gnu.so"

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_PTRACER = 0x59616D61

CLONE_THREAD = 0x00010000
CLONE_NAMESPACE_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)

NOBODY = 65534

# Denied outright (EPERM). Everything else is allowed: pandas, NumPy and BLAS threads need a
# wide surface, so this is the measured deny list, not an allow list.
DENIED_SYSCALLS = (
    # new processes and programs (clone is handled by argument below)
    "fork", "vfork", "execve", "execveat",
    # inspecting or entering other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_open", "pidfd_getfd",
    "pidfd_send_signal", "tkill",
    # filesystems and namespaces
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "open_by_handle_at",
    "name_to_handle_at", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
    "mount_setattr", "swapon", "swapoff", "quotactl", "acct",
    # kernel interfaces
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key", "io_uring_setup",
    "io_uring_enter", "io_uring_register", "init_module", "finit_module", "delete_module",
    "kexec_load", "kexec_file_load", "reboot", "syslog", "iopl", "ioperm", "lookup_dcookie",
    "vhangup", "personality", "setdomainname", "sethostname", "settimeofday", "clock_settime",
    "clock_adjtime", "adjtimex",
    # network: only the inherited socketpair is ever used
    "connect", "bind", "listen", "accept", "accept4", "sendmsg", "sendmmsg",
    # credentials and limits (no-ops or failures under bwrap; they matter in the unsafe mode)
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups",
    "setfsuid", "setfsgid", "capset", "setrlimit",
)


class ConfinementError(Exception):
    """The worker could not be confined; it must not run code."""


def load_seccomp_module():
    """Imports python3-seccomp from its system path without touching sys.path."""
    import importlib.machinery
    import importlib.util

    if not os.path.exists(SECCOMP_MODULE_PATH):
        raise ConfinementError(
            f"{SECCOMP_MODULE_PATH}: python3-seccomp is not installed; "
            "install it with `apt-get install python3-seccomp`"
        )
    loader = importlib.machinery.ExtensionFileLoader("seccomp", SECCOMP_MODULE_PATH)
    spec = importlib.util.spec_from_file_location("seccomp", SECCOMP_MODULE_PATH, loader=loader)
    if spec is None:
        raise ConfinementError(f"{SECCOMP_MODULE_PATH}: cannot make an import spec")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


_libc = ctypes.CDLL(None, use_errno=True)


def prctl(option: int, argument: int) -> None:
    if _libc.prctl(ctypes.c_int(option), ctypes.c_ulong(argument), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl({option}): {os.strerror(code)}")


def set_dumpable(flag: bool) -> None:
    prctl(PR_SET_DUMPABLE, 1 if flag else 0)


def drop_root() -> None:
    """In the unsafe mode the zygote may run as root: workers then become nobody."""
    if os.geteuid() != 0 and os.getuid() != 0:
        return
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)


def die_with_parent(parent_pid: int) -> None:
    prctl(PR_SET_PDEATHSIG, 9)
    if os.getppid() != parent_pid:
        os._exit(0)


def vm_size_bytes() -> int:
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def set_limits(memory_bytes: int, file_size_bytes: int, open_files: int, cpu_seconds: int) -> None:
    """Soft and hard limits alike, so the cell cannot raise them again."""
    address_space = vm_size_bytes() + memory_bytes
    for limit, value in (
        (resource.RLIMIT_AS, address_space),
        (resource.RLIMIT_FSIZE, file_size_bytes),
        (resource.RLIMIT_NOFILE, open_files),
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(limit, (value, value))


def install_seccomp(seccomp, own_pid: int) -> None:
    """Loads the worker's deny-list filter (after this the process cannot fork, exec, open
    network sockets, signal other processes or raise its limits)."""
    eperm = seccomp.ERRNO(errno.EPERM)
    sandbox_filter = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    try:
        sandbox_filter.set_attr(seccomp.Attr.CTL_TSYNC, 1)
    except (AttributeError, OSError, RuntimeError):
        pass
    for name in DENIED_SYSCALLS:
        try:
            sandbox_filter.add_rule(eperm, name)
        except (RuntimeError, ValueError, OSError):
            # A syscall unknown to this libseccomp/architecture cannot be called either.
            continue
    # Threads only: clone without CLONE_THREAD is a new process; clone3 falls back to clone.
    sandbox_filter.add_rule(eperm, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    for flag in CLONE_NAMESPACE_FLAGS:
        sandbox_filter.add_rule(eperm, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    sandbox_filter.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    # Sockets: Unix only; datagrams only to a connected peer.
    sandbox_filter.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    sandbox_filter.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socketpair", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    sandbox_filter.add_rule(eperm, "sendto", seccomp.Arg(4, seccomp.NE, 0))
    # Signals to itself only.
    for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        sandbox_filter.add_rule(eperm, name, seccomp.Arg(0, seccomp.NE, own_pid))
    # prlimit may read limits, never set them; prctl may not make the process dumpable again.
    sandbox_filter.add_rule(eperm, "prlimit64", seccomp.Arg(2, seccomp.NE, 0))
    sandbox_filter.add_rule(eperm, "prctl", seccomp.Arg(0, seccomp.EQ, PR_SET_DUMPABLE))
    sandbox_filter.add_rule(eperm, "prctl", seccomp.Arg(0, seccomp.EQ, PR_SET_PTRACER))
    sandbox_filter.load()
