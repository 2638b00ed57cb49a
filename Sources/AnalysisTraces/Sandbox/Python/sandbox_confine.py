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
import struct

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


# Landlock (x86_64 syscall numbers and uapi constants).
_SYS_LANDLOCK_CREATE_RULESET = 444
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_FS_EXECUTE = 1 << 0
_FS_WRITE_FILE = 1 << 1
_FS_REMOVE_DIR = 1 << 4
_FS_REMOVE_FILE = 1 << 5
_FS_MAKE_CHAR = 1 << 6
_FS_MAKE_DIR = 1 << 7
_FS_MAKE_REG = 1 << 8
_FS_MAKE_SOCK = 1 << 9
_FS_MAKE_FIFO = 1 << 10
_FS_MAKE_BLOCK = 1 << 11
_FS_MAKE_SYM = 1 << 12
_FS_REFER = 1 << 13  # ABI 2
_FS_TRUNCATE = 1 << 14  # ABI 3
_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1
PR_SET_NO_NEW_PRIVS = 38


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


def close_descriptors_except(kept) -> None:
    """Closes every descriptor from 3 up except those in `kept` (negative numbers are ignored)."""
    start = 3
    for descriptor in sorted(set(fd for fd in kept if fd >= 3)):
        if descriptor > start:
            os.closerange(start, descriptor)
        start = descriptor + 1
    os.closerange(start, 1 << 20)


class Confinement:
    """What the zygote prepares once, before forking, for every worker to apply."""

    def __init__(self, seccomp_module, writable_directory: str) -> None:
        self.seccomp = SeccompProgram(seccomp_module)
        self.landlock = LandlockRuleset.create(writable_directory)


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


class _LandlockRulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _LandlockPathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _landlock_call(number: int, *arguments) -> int:
    syscall = _libc.syscall
    syscall.restype = ctypes.c_long
    result = syscall(ctypes.c_long(number), *arguments)
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, f"landlock syscall {number}: {os.strerror(code)}")
    return result


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 when Landlock is not available."""
    try:
        return _landlock_call(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_LANDLOCK_CREATE_RULESET_VERSION))
    except OSError:
        return 0


class LandlockRuleset:
    """The workers' Landlock ruleset, built once in the zygote and applied in each worker.

    - Files can be created, written, truncated, renamed or removed only beneath
      `writable_directory` (the private /tmp), and /dev/null can be written. Under bubblewrap
      this also closes the writable tmpfs that bubblewrap puts at / and /dev, whose memory no
      rlimit bounds. Reading is not handled here: bubblewrap decides what exists.
    - Executing any file and making device nodes are denied everywhere.
    - TCP bind and connect are denied (ABI 4+); signals and abstract Unix sockets cannot reach
      outside the domain (ABI 6+).
    - Being in a domain stops ptrace-style access (/proc/<pid>/mem, /environ) to every process
      outside it, including bubblewrap's pid 1, which is dumpable and runs as the same uid.

    Building the ruleset (creating it, opening the paths, adding the rules) costs a few hundred
    microseconds and touches memory, so the zygote does it before forking; a worker only calls
    `restrict()`, which puts it in a new domain of its own (each `landlock_restrict_self` call
    creates a fresh domain, so workers are scoped away from each other too) and closes the
    inherited descriptor. `fd` is -1 when the kernel has no Landlock (the other layers still hold).
    """

    def __init__(self, fd: int, abi: int) -> None:
        self.fd = fd
        self.abi = abi

    @classmethod
    def create(cls, writable_directory: str) -> "LandlockRuleset":
        abi = landlock_abi()
        if abi <= 0:
            return cls(-1, 0)
        write_rights = _FS_WRITE_FILE | _FS_REMOVE_DIR | _FS_REMOVE_FILE | _FS_MAKE_DIR | _FS_MAKE_REG | _FS_MAKE_SYM
        if abi >= 2:
            write_rights |= _FS_REFER
        if abi >= 3:
            write_rights |= _FS_TRUNCATE
        handled = write_rights | _FS_EXECUTE | _FS_MAKE_CHAR | _FS_MAKE_BLOCK | _FS_MAKE_SOCK | _FS_MAKE_FIFO
        attributes = _LandlockRulesetAttr(
            handled,
            (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
            (_SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL) if abi >= 6 else 0,
        )
        size = 24 if abi >= 6 else 16 if abi >= 4 else 8
        ruleset = _landlock_call(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attributes), ctypes.c_size_t(size), ctypes.c_uint32(0))
        os.set_inheritable(ruleset, False)
        try:
            device_rights = _FS_WRITE_FILE | (_FS_TRUNCATE if abi >= 3 else 0)
            for path, rights in ((writable_directory, write_rights), ("/dev/null", device_rights)):
                try:
                    parent = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    rule = _LandlockPathBeneathAttr(rights, parent)
                    _landlock_call(_SYS_LANDLOCK_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_LANDLOCK_RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0))
                finally:
                    os.close(parent)
        except BaseException:
            os.close(ruleset)
            raise
        return cls(ruleset, abi)

    def restrict(self) -> int:
        """Puts the calling process in a new Landlock domain and closes the ruleset; returns the
        ABI version used, or 0 when Landlock is unavailable."""
        if self.fd < 0:
            return 0
        try:
            prctl(PR_SET_NO_NEW_PRIVS, 1)
            _landlock_call(_SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(self.fd), ctypes.c_uint32(0))
        finally:
            os.close(self.fd)
            self.fd = -1
        return self.abi


def _build_seccomp_filter(seccomp, own_pid: int):
    """The worker's deny-list filter as a libseccomp object (after loading it the process cannot
    fork, exec, open network sockets, signal other processes or raise its limits)."""
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
    return sandbox_filter


_SYS_SECCOMP = 317  # x86_64
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_BPF_INSTRUCTION = struct.Struct("=HBBI")  # struct sock_filter: code, jt, jf, k
# Two stand-ins for the worker's pid (above any pid_max, so never a real pid).
_PID_STAND_INS = (0x7A5E1D01, 0x6B4F2E02)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _export_bpf(sandbox_filter) -> bytes:
    descriptor = os.memfd_create("sandbox-seccomp", os.MFD_CLOEXEC)
    with open(descriptor, "w+b", buffering=0) as exported:
        sandbox_filter.export_bpf(exported)
        exported.seek(0)
        data = exported.read()
    if not data or len(data) % _BPF_INSTRUCTION.size:
        raise ConfinementError(f"libseccomp exported {len(data)} bytes of BPF, not whole instructions")
    return data


class SeccompProgram:
    """The worker's seccomp filter compiled to BPF once, in the zygote.

    Building the filter with libseccomp costs about 7 ms and 3.7 MB of copied pages in every
    worker; loading a ready program costs microseconds. The filter is the same for every worker
    except its own pid (signals may only target it), so the zygote compiles it with two stand-in
    pids, checks that the programs differ only in the immediate operands that hold the stand-in,
    and keeps the offsets of those operands; a worker copies the program, writes its pid there
    and loads it with seccomp(2). As a last check the template patched with a third, realistic
    pid must equal what libseccomp compiles for that pid. Any mismatch refuses to start (fail
    closed), so a libseccomp that compiles differently can never load a wrong filter.
    """

    def __init__(self, seccomp, check_pid: int | None = None) -> None:
        first, second = (_export_bpf(_build_seccomp_filter(seccomp, pid)) for pid in _PID_STAND_INS)
        if len(first) != len(second):
            raise ConfinementError("the seccomp program changes shape with the pid; cannot precompile it")
        if len(first) // _BPF_INSTRUCTION.size > 0xFFFF:
            raise ConfinementError("the seccomp program is too long")
        sites = []
        for offset in range(0, len(first), _BPF_INSTRUCTION.size):
            a = _BPF_INSTRUCTION.unpack_from(first, offset)
            b = _BPF_INSTRUCTION.unpack_from(second, offset)
            if a == b:
                continue
            if a[:3] != b[:3] or a[3] != _PID_STAND_INS[0] or b[3] != _PID_STAND_INS[1]:
                raise ConfinementError(f"the seccomp program differs at instruction {offset // 8} beyond the pid; cannot precompile it")
            sites.append(offset)
        if not sites:
            raise ConfinementError("the seccomp program does not hold the pid; cannot precompile it")
        self.template = first
        self.sites = tuple(sites)
        self.instructions = len(first) // _BPF_INSTRUCTION.size
        check = os.getpid() if check_pid is None else check_pid
        if bytes(self.program(check)) != _export_bpf(_build_seccomp_filter(seccomp, check)):
            raise ConfinementError(f"the precompiled seccomp program for pid {check} differs from libseccomp's; cannot precompile it")

    def program(self, own_pid: int) -> bytearray:
        """The BPF program for a process whose pid is `own_pid`."""
        program = bytearray(self.template)
        for offset in self.sites:
            code, jt, jf, _ = _BPF_INSTRUCTION.unpack_from(program, offset)
            _BPF_INSTRUCTION.pack_into(program, offset, code, jt, jf, own_pid)
        return program

    def load(self, own_pid: int) -> None:
        """Loads the filter into the calling process (no_new_privs first, as libseccomp does)."""
        program = self.program(own_pid)
        buffer = (ctypes.c_char * len(program)).from_buffer(program)
        fprog = _SockFprog(self.instructions, ctypes.addressof(buffer))
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        syscall = _libc.syscall
        syscall.restype = ctypes.c_long
        result = syscall(ctypes.c_long(_SYS_SECCOMP), ctypes.c_ulong(_SECCOMP_SET_MODE_FILTER),
                         ctypes.c_ulong(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(fprog))
        if result != 0:
            code = ctypes.get_errno()
            raise OSError(code, f"seccomp(SET_MODE_FILTER): {os.strerror(code) if result < 0 else f'thread {result} not synchronised'}")
