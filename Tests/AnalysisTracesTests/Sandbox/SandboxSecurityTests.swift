#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import AnalysisTraces
import TestSupport

/// Attacks a model-written cell might try, each run in a fresh worker of one bubblewrapped
/// sandbox. Every case states what "contained" means, asserts it, checks that nothing reached
/// the host (listeners, marker files, secrets), and then checks that the attacked worker, a
/// sibling worker and the zygote all keep serving.
@Suite(.serialized, .requiresSandbox, .timeLimit(.minutes(10)))
struct SandboxSecurityTests {
    @Test(arguments: SandboxSecurityTests.attacks)
    func attackIsContainedAndTheSandboxKeepsServing(_ attack: Attack) async throws {
        let sandbox = try await SecuritySandbox.shared.sandbox()
        try await SecurityFixture.with { fixture in
            let hostProcess = await sandbox.hostProcessID()
            let sibling = try await sandbox.makeWorker(seed: 1)
            _ = try await sibling.run("canary = 7")
            let siblingPID = try #require(try await sibling.run("import os\nos.getpid()").execution.result)
            let worker = try await sandbox.makeWorker(seed: 0)

            let token = "pwned-\(UUID().uuidString.prefix(8).lowercased())"
            let code = fixture.substitute(attack.code, token: token, sibling: siblingPID)
            let result = try await worker.run(code, timeout: attack.timeout)
            let execution = result.execution
            let shown = "error: \(execution.error.map { "\($0.kind): \($0.message)" } ?? "none"), result: \(execution.result ?? "none"), stdout: \(execution.stdout.prefix(300))"

            switch attack.containment {
            case .raises(let kinds):
                #expect(kinds.contains(execution.error?.kind ?? "none"), "expected an error of kind \(kinds); \(shown)")
            case .evaluatesTo(let expected):
                #expect(execution.error == nil, "expected no error; \(shown)")
                #expect(execution.result == expected, "expected the probe to give \(expected); \(shown)")
            case .runsWithoutEvents:
                #expect(execution.error == nil, "expected no error; \(shown)")
            case .replacesTheWorker:
                #expect(execution.stateReset, "expected the worker to be replaced; \(shown)")
                #expect(execution.error?.kind == "crashed", "expected error kind crashed; \(shown)")
            }
            // Nothing reached the host.
            #expect(fixture.listenersReceivedNothing(), "a host listener received a connection or a datagram")
            #expect(!FileManager.default.fileExists(atPath: "/tmp/\(token)"), "a marker file appeared on the host")
            #expect(!FileManager.default.fileExists(atPath: fixture.venv + "/pwned"))
            #expect(!FileManager.default.fileExists(atPath: "/usr/lib/pwned"))
            for text in [execution.stdout, execution.stderr, execution.result ?? "", execution.error?.message ?? ""] {
                #expect(!text.contains(fixture.secret), "the host secret leaked into the cell's output")
                #expect(!text.contains("root:x:0:0"), "/etc/passwd leaked into the cell's output")
            }
            #expect(result.events.isEmpty, "no attack calls submit or hook; found \(result.events)")
            // The worker (or its replacement), a sibling and the zygote keep serving.
            #expect(try await worker.run("1 + 1").execution.result == "2")
            #expect(try await sibling.run("canary").execution.result == "7")
            try await sandbox.ping()
            #expect(await sandbox.hostProcessID() == hostProcess, "the zygote was restarted")
        }
    }

    @Test func everyCategoryHasCases() {
        let counts = Dictionary(grouping: Self.attacks, by: \.category).mapValues(\.count)
        for category in Attack.Category.allCases {
            #expect((counts[category] ?? 0) >= 2, "\(category.rawValue) has too few attack cases")
        }
        #expect(Self.attacks.count >= 40)
        #expect(Set(Self.attacks.map(\.name)).count == Self.attacks.count, "attack names must be unique")
    }

    /// Placeholders in the cells: {REPO}, {VENV}, {HOST_CSV} (a host file holding a secret),
    /// {TOKEN} (a fresh marker name), {PORT} and {UDP_PORT} (host loopback listeners),
    /// {UNIX_PATH} and {ABSTRACT} (host Unix listeners) and {SIBLING} (a sibling worker's pid).
    static let attacks: [Attack] = [
        Attack(
            "read /etc/shadow", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            open('/etc/shadow').read()
            """#),
        Attack(
            "read /etc/passwd", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            open('/etc/passwd').read()
            """#),
        Attack(
            "read /etc/passwd with pandas", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            pd.read_csv('/etc/passwd', sep=':', header=None)
            """#),
        Attack(
            "traverse from /data to /etc/shadow", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            open('/data/../etc/shadow').read()
            """#),
        Attack(
            "see the repository", .readHostFiles, .evaluatesTo(#"[False, False, False, False]"#),
            code: #"""
            import os
            [os.path.exists('{REPO}/' + name) for name in ('Package.swift', 'Sources', 'data', 'Makefile')]
            """#),
        Attack(
            "read the repository's Package.swift", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            open('{REPO}/Package.swift').read()
            """#),
        Attack(
            "list other datasets", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            import os
            os.listdir('{REPO}/data/datasets')
            """#),
        Attack(
            "read the dataset by its host path", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            pd.read_csv('{HOST_CSV}')
            """#),
        Attack(
            "only this dataset under /data", .readHostFiles, .evaluatesTo(#"['data.csv']"#),
            code: #"""
            import os
            os.listdir('/data')
            """#),
        Attack(
            "list /root", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            import os
            os.listdir('/root')
            """#),
        Attack(
            "list /home", .readHostFiles, .raises(["FileNotFoundError", "PermissionError"]),
            code: #"""
            import os
            os.listdir('/home')
            """#),
        Attack(
            "environment holds only sandbox variables", .readHostFiles, .evaluatesTo(#"[]"#),
            code: #"""
            import os
            sorted(k for k in os.environ if not (k.startswith('SANDBOX_') or k in {'PYTHONHASHSEED','OPENBLAS_NUM_THREADS','OMP_NUM_THREADS','MKL_NUM_THREADS','HOME','LANG','PWD','TMPDIR','KMP_DUPLICATE_LIB_OK','KMP_INIT_AT_FORK','JOBLIB_MULTIPROCESSING'}))
            """#),
        Attack(
            "write into the venv", .writeOutsideTmp, .raises(["OSError", "PermissionError"]),
            code: #"""
            open('{VENV}/pwned', 'w').write('x')
            """#),
        Attack(
            "write into /usr", .writeOutsideTmp, .raises(["OSError", "PermissionError"]),
            code: #"""
            open('/usr/lib/pwned', 'w').write('x')
            """#),
        Attack(
            "overwrite the sandbox's own code", .writeOutsideTmp, .raises(["OSError", "PermissionError"]),
            code: #"""
            open('/sandbox/zygote.py', 'a').write('x')
            """#),
        Attack(
            "overwrite the dataset", .writeOutsideTmp, .raises(["OSError", "PermissionError"]),
            code: #"""
            df.head(1).to_csv('/data/data.csv')
            """#),
        Attack(
            "write at the filesystem root", .writeOutsideTmp, .raises(["OSError", "PermissionError"]),
            code: #"""
            df.to_csv('/pwned.csv')
            """#),
        Attack(
            "add a file next to the dataset", .writeOutsideTmp, .raises(["OSError", "PermissionError"]),
            code: #"""
            df.to_csv('/data/other.csv')
            """#),
        Attack(
            "write into /dev/shm", .writeOutsideTmp, .raises(["OSError", "PermissionError", "FileNotFoundError"]),
            code: #"""
            open('/dev/shm/{TOKEN}', 'w').write('x')
            """#),
        Attack(
            "write into /dev", .writeOutsideTmp, .raises(["OSError", "PermissionError"]),
            code: #"""
            open('/dev/{TOKEN}', 'w').write('x')
            """#),
        Attack(
            "the root and /dev are read-only mounts", .writeOutsideTmp, .evaluatesTo(#"(True, True, False)"#),
            code: #"""
            import os
            tuple(bool(os.statvfs(path).f_flag & os.ST_RDONLY) for path in ('/', '/dev', '/tmp'))
            """#),
        Attack(
            "make a directory at the root", .writeOutsideTmp, .raises(["OSError", "PermissionError"]),
            code: #"""
            import os
            os.mkdir('/{TOKEN}')
            """#),
        Attack(
            "writes to /tmp stay private", .writeOutsideTmp, .evaluatesTo(#"True"#),
            code: #"""
            df.head(2).to_csv('/tmp/{TOKEN}.csv')
            import os
            os.path.exists('/tmp/{TOKEN}.csv')
            """#),
        Attack(
            "TCP to a host loopback listener", .network, .raises(["OSError", "PermissionError", "ConnectionRefusedError", "TimeoutError"]),
            code: #"""
            import socket
            socket.create_connection(('127.0.0.1', {PORT}), timeout=2)
            """#),
        Attack(
            "UDP to a host loopback listener", .network, .raises(["OSError", "PermissionError"]),
            code: #"""
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.sendto(b'x', ('127.0.0.1', {UDP_PORT}))
            """#),
        Attack(
            "DNS lookup", .network, .raises(["gaierror", "OSError", "PermissionError"]),
            code: #"""
            import socket
            socket.getaddrinfo('pypi.org', 443)
            """#),
        Attack(
            "host Unix socket by path", .network, .raises(["FileNotFoundError", "PermissionError", "ConnectionRefusedError"]),
            code: #"""
            import socket
            s = socket.socket(socket.AF_UNIX)
            s.connect('{UNIX_PATH}')
            """#),
        Attack(
            "host abstract Unix socket", .network, .raises(["PermissionError", "ConnectionRefusedError", "FileNotFoundError"]),
            code: #"""
            import socket
            s = socket.socket(socket.AF_UNIX)
            s.connect('\0{ABSTRACT}')
            """#),
        Attack(
            "HTTP through pandas", .network, .raises(["URLError", "OSError", "PermissionError"]),
            code: #"""
            pd.read_csv('http://127.0.0.1:{PORT}/')
            """#),
        Attack(
            "raw packet socket", .network, .raises(["OSError", "PermissionError"]),
            code: #"""
            import socket
            socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            """#),
        Attack(
            "listen for connections", .network, .raises(["OSError", "PermissionError"]),
            code: #"""
            import socket
            s = socket.socket()
            s.bind(('127.0.0.1', 0))
            """#),
        Attack(
            "os.fork", .processCreation, .raises(["PermissionError"]),
            code: #"""
            import os
            os.fork()
            """#),
        Attack(
            "subprocess.run", .processCreation, .raises(["PermissionError"]),
            code: #"""
            import subprocess
            subprocess.run(['/usr/bin/id'])
            """#),
        Attack(
            "os.system", .processCreation, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import os
            status = os.system('touch /tmp/{TOKEN}')
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "os.posix_spawn", .processCreation, .raises(["PermissionError"]),
            code: #"""
            import os
            os.posix_spawn('/usr/bin/touch', ['touch', '/tmp/{TOKEN}'], {})
            """#),
        Attack(
            "os.execv", .processCreation, .raises(["PermissionError"]),
            code: #"""
            import os
            os.execv('/usr/bin/id', ['id'])
            """#),
        Attack(
            "os.popen", .processCreation, .raises(["PermissionError"]),
            code: #"""
            import os
            os.popen('id').read()
            """#),
        Attack(
            "ctypes libc system", .processCreation, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import ctypes, os
            status = ctypes.CDLL(None).system(b'touch /tmp/{TOKEN}')
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "multiprocessing", .processCreation, .raises(["PermissionError", "OSError"]),
            code: #"""
            import multiprocessing
            p = multiprocessing.Process(target=print)
            p.start()
            """#),
        Attack(
            "pty.fork", .processCreation, .raises(["PermissionError", "OSError"]),
            code: #"""
            import pty
            pty.fork()
            """#),
        Attack(
            "fork bomb", .processCreation, .raises(["PermissionError"]),
            code: #"""
            import os
            while True:
                os.fork()
            """#),
        Attack(
            // joblib finds no usable multiprocessing (JOBLIB_MULTIPROCESSING=0, a read-only
            // /dev/shm) and runs the loop in this process; seccomp would refuse a new one anyway.
            "joblib with processes runs in the worker itself", .processCreation, .evaluatesTo(#"([0, 1, 2, 3], True)"#),
            code: #"""
            import os
            from joblib import Parallel, delayed
            pids = Parallel(n_jobs=2, backend='loky')(delayed(os.getpid)() for _ in range(4))
            (Parallel(n_jobs=2, backend='loky')(delayed(abs)(i) for i in range(4)), set(pids) == {os.getpid()})
            """#),
        Attack(
            "setuid(0)", .privilege, .raises(["PermissionError"]),
            code: #"""
            import os
            os.setuid(0)
            """#),
        Attack(
            "mount a tmpfs", .privilege, .evaluatesTo(#"(-1, 1)"#),
            code: #"""
            import ctypes
            ctypes.CDLL(None, use_errno=True).mount(b'none', b'/tmp', b'tmpfs', 0, None), ctypes.get_errno()
            """#),
        Attack(
            "unshare a user namespace", .privilege, .evaluatesTo(#"(-1, 1)"#),
            code: #"""
            import ctypes
            ctypes.CDLL(None, use_errno=True).unshare(0x10000000), ctypes.get_errno()
            """#),
        Attack(
            "ptrace TRACEME", .privilege, .evaluatesTo(#"(-1, 1)"#),
            code: #"""
            import ctypes
            ctypes.CDLL(None, use_errno=True).ptrace(0, 0, None, None), ctypes.get_errno()
            """#),
        Attack(
            "chroot", .privilege, .raises(["PermissionError"]),
            code: #"""
            import os
            os.chroot('/tmp')
            """#),
        Attack(
            "raise the memory limit", .privilege, .raises(["ValueError", "PermissionError", "OSError"]),
            code: #"""
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            """#),
        Attack(
            "become dumpable again", .privilege, .evaluatesTo(#"(-1, 1)"#),
            code: #"""
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(4, 1, 0, 0, 0), ctypes.get_errno()
            """#),
        Attack(
            "kill pid 1", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            os.kill(1, 9)
            """#),
        Attack(
            "kill the zygote", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            os.kill(os.getppid(), 9)
            """#),
        Attack(
            "kill a sibling worker", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            os.kill({SIBLING}, 9)
            """#),
        Attack(
            "kill every process", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            os.kill(-1, 9)
            """#),
        Attack(
            "kill the process group", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            os.killpg(0, 9)
            """#),
        Attack(
            "read the zygote's memory", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            open(f'/proc/{os.getppid()}/mem', 'rb')
            """#),
        Attack(
            "write the zygote's memory", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            open(f'/proc/{os.getppid()}/mem', 'r+b')
            """#),
        Attack(
            "read the zygote's environment", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            open(f'/proc/{os.getppid()}/environ', 'rb').read()
            """#),
        Attack(
            "read pid 1's memory", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            open('/proc/1/mem', 'rb')
            """#),
        Attack(
            "read pid 1's environment", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            open('/proc/1/environ', 'rb').read()
            """#),
        Attack(
            "pid 1 is the zygote, not a bubblewrap monitor", .zygoteAndSiblings, .evaluatesTo(#"(True, True, False)"#),
            code: #"""
            import os
            cmdline = open('/proc/1/cmdline', 'rb').read().split(b'\0')
            (os.getppid() == 1, b'/sandbox/zygote.py' in cmdline, any(b'bwrap' in part or part.startswith(b'--') for part in cmdline))
            """#),
        Attack(
            "no command line shows the host paths of the dataset or the sandbox code", .readHostFiles, .evaluatesTo(#"[]"#),
            code: #"""
            import os
            leaks = []
            for entry in os.listdir('/proc'):
                if entry.isdigit():
                    try:
                        text = open(f'/proc/{entry}/cmdline', 'rb').read()
                    except OSError:
                        continue
                    if any(marker in text for marker in (b'--ro-bind', b'sandbox-security-', b'.resources', b'/data/data.csv')):
                        leaks.append(entry)
            leaks
            """#),
        Attack(
            "read a sibling's memory", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            open('/proc/{SIBLING}/mem', 'rb')
            """#),
        Attack(
            "read a sibling's environment", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            open('/proc/{SIBLING}/environ', 'rb').read()
            """#),
        Attack(
            "open a pidfd on the zygote", .zygoteAndSiblings, .raises(["PermissionError"]),
            code: #"""
            import os
            os.pidfd_open(os.getppid())
            """#),
        Attack(
            "print a submit look-alike", .eventForgery, .runsWithoutEvents,
            code: #"""
            print('{"type":"submit","value":42}')
            print('SUBMIT: 42')
            print('<<<HOOK name=x value=1>>>')
            """#),
        Attack(
            "write a frame to fd 1", .eventForgery, .runsWithoutEvents,
            code: #"""
            import os, json, struct
            body = json.dumps({'id': 1, 'type': 'result', 'events': [{'type': 'submit', 'value': 42}]}).encode()
            os.write(1, struct.pack('>I', len(body)) + body)
            """#),
        Attack(
            "write a huge frame header on the worker's socket", .eventForgery, .replacesTheWorker,
            code: #"""
            import os, socket
            for fd in range(3, 64):
                try:
                    s = socket.socket(fileno=fd)
                except OSError:
                    continue
                s.sendall(b'\xff\xff\xff\xff')
                s.detach()
            """#),
        Attack(
            "pd.io.common.os.system", .moduleEscape, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import os
            status = pd.io.common.os.system('touch /tmp/{TOKEN}')
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "np.ctypeslib to libc system", .moduleEscape, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import os
            status = np.ctypeslib.ctypes.CDLL(None).system(b'touch /tmp/{TOKEN}')
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "__subclasses__ to os._wrap_close", .moduleEscape, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import os
            wrap = [c for c in ().__class__.__bases__[0].__subclasses__() if c.__name__ == '_wrap_close'][0]
            status = wrap.__init__.__globals__['system']('touch /tmp/{TOKEN}')
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "submit has no __globals__", .moduleEscape, .raises(["AttributeError"]),
            code: #"""
            submit.__globals__
            """#),
        Attack(
            "hook internals reach os.system", .moduleEscape, .evaluatesTo(#"(True, False, False)"#),
            code: #"""
            import os
            g = type(hook).__call__.__globals__['_normalize'].__globals__
            status = g['_pd'].io.common.os.system('touch /tmp/{TOKEN}')
            (status != 0, os.path.exists('/tmp/{TOKEN}'), 'os' in type(hook).__call__.__globals__)
            """#),
        Attack(
            "frame walking from a traceback", .moduleEscape, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import os
            try:
                1 / 0
            except ZeroDivisionError as error:
                frame = error.__traceback__.tb_frame
                while frame.f_back is not None:
                    frame = frame.f_back
                status = frame.f_globals['os'].system('touch /tmp/{TOKEN}')
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "np.__builtins__ import", .moduleEscape, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import os
            status = np.__builtins__['__import__']('os').system('touch /tmp/{TOKEN}')
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "pickle payload through np.load", .moduleEscape, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import os
            class Payload:
                def __reduce__(self):
                    return (os.system, ('touch /tmp/{TOKEN}',))
            np.save('/tmp/{TOKEN}.npy', np.array([Payload()], dtype=object), allow_pickle=True)
            status = np.load('/tmp/{TOKEN}.npy', allow_pickle=True)[0]
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "pickle payload through pd.read_pickle", .moduleEscape, .evaluatesTo(#"(True, False)"#),
            code: #"""
            import os, pickle
            class Payload:
                def __reduce__(self):
                    return (os.system, ('touch /tmp/{TOKEN}',))
            with open('/tmp/{TOKEN}.pkl', 'wb') as f:
                pickle.dump(Payload(), f)
            status = pd.read_pickle('/tmp/{TOKEN}.pkl')
            (status != 0, os.path.exists('/tmp/{TOKEN}'))
            """#),
        Attack(
            "memory bomb", .resourceExhaustion, .raises(["memory"]),
            code: #"""
            x = bytearray(100 * 2**30)
            """#),
        Attack(
            "growing memory bomb", .resourceExhaustion, .raises(["memory"]),
            code: #"""
            blocks = []
            while True:
                blocks.append(np.ones(10**7))
            """#),
        Attack(
            "output flood", .resourceExhaustion, .raises(["output_limit"]),
            code: #"""
            while True:
                print('x' * 10000)
            """#),
        Attack(
            "100 MB file in /tmp", .resourceExhaustion, .evaluatesTo(#"('EFBIG', True)"#),
            code: #"""
            import errno, os
            path = '/tmp/{TOKEN}.bin'
            try:
                with open(path, 'wb') as f:
                    for _ in range(100):
                        f.write(b'x' * 2**20)
                outcome = 'written'
            except OSError as error:
                outcome = errno.errorcode[error.errno]
            size = os.path.getsize(path)
            os.remove(path)
            (outcome, size <= 16 * 2**20)
            """#),
        Attack(
            "thread bomb", .resourceExhaustion, .raises(["RuntimeError", "memory", "timeout"]), timeout: .seconds(2),
            code: #"""
            import threading, time
            threads = [threading.Thread(target=time.sleep, args=(0.5,), daemon=True) for _ in range(100000)]
            for t in threads:
                t.start()
            """#),
        Attack(
            "infinite loop", .resourceExhaustion, .raises(["timeout"]), timeout: .seconds(2),
            code: #"""
            while True:
                pass
            """#),
        Attack(
            "ignored alarm and a loop", .resourceExhaustion, .raises(["timeout"]), timeout: .seconds(2),
            code: #"""
            import signal
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                pass
            """#),
        Attack(
            "swallowed alarm", .resourceExhaustion, .raises(["timeout"]), timeout: .seconds(2),
            code: #"""
            while True:
                try:
                    while True:
                        sum(range(100))
                except BaseException:
                    pass
            """#),
        Attack(
            "exit the worker", .resourceExhaustion, .replacesTheWorker,
            code: #"""
            import os
            os._exit(0)
            """#),
        Attack(
            "SystemExit", .resourceExhaustion, .raises(["SystemExit"]),
            code: #"""
            raise SystemExit(0)
            """#),
    ]
}

/// One attack: the cell, and what "contained" means for it.
struct Attack: Sendable, CustomTestStringConvertible {
    enum Category: String, Sendable, CaseIterable {
        case readHostFiles = "read host files"
        case writeOutsideTmp = "write outside the private /tmp"
        case network
        case processCreation = "process creation"
        case privilege
        case zygoteAndSiblings = "zygote and sibling workers"
        case eventForgery = "event forgery"
        case moduleEscape = "escape through module attributes"
        case resourceExhaustion = "resource exhaustion"
    }

    enum Containment: Sendable {
        /// The cell fails with an error of one of these kinds (an exception class name, or the
        /// sandbox's own `memory`, `timeout`, `output_limit`).
        case raises([String])
        /// The cell runs and its own probe (the trailing expression) evaluates to this repr,
        /// e.g. `(True, False)` for "the command failed and its marker file does not exist".
        case evaluatesTo(String)
        /// The cell runs, and no event is recorded.
        case runsWithoutEvents
        /// The host kills the worker and forks a fresh one (error kind `crashed`, state reset).
        case replacesTheWorker
    }

    let name: String
    let category: Category
    let containment: Containment
    let timeout: Duration?
    let code: String

    init(_ name: String, _ category: Category, _ containment: Containment, timeout: Duration? = nil, code: String) {
        self.name = name
        self.category = category
        self.containment = containment
        self.timeout = timeout
        self.code = code
    }

    var testDescription: String { "\(category.rawValue): \(name)" }
}

/// One sandbox for the whole suite (a zygote takes seconds to start); each case gets fresh
/// workers. Its CSV is removed as soon as the zygote has loaded it, and the zygote ends with
/// the test process (bubblewrap's --die-with-parent).
actor SecuritySandbox {
    static let shared = SecuritySandbox()
    private var starting: Task<Sandbox, any Error>?

    func sandbox() async throws -> Sandbox {
        if let starting { return try await starting.value }
        let task = Task { try await Self.start() }
        starting = task
        return try await task.value
    }

    private static func start() async throws -> Sandbox {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-security-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("data.csv").path
        try Data(SandboxFixture.csvText.utf8).write(to: URL(fileURLWithPath: csv))
        var configuration = SandboxConfiguration(csvPath: csv, python: SandboxTestEnvironment.python)
        configuration.cellTimeout = .seconds(20)
        configuration.watchdogGrace = .seconds(1)
        configuration.memoryBytes = 1 << 30
        configuration.fileSizeBytes = 16 << 20
        return try await Sandbox.start(configuration, logger: SandboxTestEnvironment.logger)
    }
}

/// A case's own temporary directory with a secret file and loopback listeners that must
/// receive nothing; removed, and the listeners closed, on every path.
struct SecurityFixture {
    let directory: URL
    let secret: String
    let tcp: Int32
    let udp: Int32
    let unix: Int32
    let abstract: Int32
    let abstractName: String
    let tcpPort: UInt16
    let udpPort: UInt16

    var secretFile: String { directory.appendingPathComponent("secret.csv").path }
    var unixPath: String { directory.appendingPathComponent("host.sock").path }
    var venv: String {
        URL(fileURLWithPath: SandboxTestEnvironment.python)
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    static func with<R>(_ body: (SecurityFixture) async throws -> R) async throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-attack-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var descriptors: [Int32] = []
        defer {
            for descriptor in descriptors { _ = Glibc.close(descriptor) }
            try? FileManager.default.removeItem(at: directory)
        }
        let secret = "SECRET-\(UUID().uuidString)"
        try Data("name,value\n\(secret),1\n".utf8).write(to: directory.appendingPathComponent("secret.csv"))
        let (tcp, tcpPort) = try Listener.inet(type: Int32(SOCK_STREAM.rawValue))
        descriptors.append(tcp)
        let (udp, udpPort) = try Listener.inet(type: Int32(SOCK_DGRAM.rawValue))
        descriptors.append(udp)
        let unix = try Listener.unix(path: directory.appendingPathComponent("host.sock").path)
        descriptors.append(unix)
        let abstractName = "sandbox-attack-\(UUID().uuidString.prefix(8))"
        let abstract = try Listener.unix(abstract: abstractName)
        descriptors.append(abstract)
        let fixture = SecurityFixture(
            directory: directory, secret: secret, tcp: tcp, udp: udp, unix: unix, abstract: abstract,
            abstractName: abstractName, tcpPort: tcpPort, udpPort: udpPort)
        return try await body(fixture)
    }

    func substitute(_ code: String, token: String, sibling: String) -> String {
        let values = [
            "{REPO}": SandboxTestEnvironment.repositoryRoot.path,
            "{VENV}": venv,
            "{HOST_CSV}": secretFile,
            "{TOKEN}": token,
            "{PORT}": String(tcpPort),
            "{UDP_PORT}": String(udpPort),
            "{UNIX_PATH}": unixPath,
            "{ABSTRACT}": abstractName,
            "{SIBLING}": sibling,
        ]
        var text = code
        for (placeholder, value) in values { text = text.replacingOccurrences(of: placeholder, with: value) }
        return text
    }

    /// True when no listener has a pending connection and the UDP socket has no datagram.
    func listenersReceivedNothing() -> Bool {
        for listener in [tcp, unix, abstract] {
            let accepted = Glibc.accept(listener, nil, nil)
            if accepted >= 0 {
                _ = Glibc.close(accepted)
                return false
            }
        }
        var byte: UInt8 = 0
        return Glibc.recv(udp, &byte, 1, Int32(MSG_DONTWAIT)) < 0
    }
}

/// Non-blocking host sockets for the network cases.
enum Listener {
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "test listener: \(call) failed with errno \(code)" }
    }

    static func inet(type: Int32) throws -> (Int32, UInt16) {
        let descriptor = Glibc.socket(AF_INET, type | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(call: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) }
        }
        guard bound == 0 else { _ = Glibc.close(descriptor); throw Failure(call: "bind", code: errno) }
        if type == Int32(SOCK_STREAM.rawValue) {
            guard Glibc.listen(descriptor, 8) == 0 else { _ = Glibc.close(descriptor); throw Failure(call: "listen", code: errno) }
        }
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { _ = Glibc.close(descriptor); throw Failure(call: "getsockname", code: errno) }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    static func unix(path: String) throws -> Int32 {
        try unix(name: Array(path.utf8))
    }

    static func unix(abstract name: String) throws -> Int32 {
        try unix(name: [0] + Array(name.utf8))
    }

    private static func unix(name: [UInt8]) throws -> Int32 {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(call: "socket", code: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard name.count < capacity else { _ = Glibc.close(descriptor); throw Failure(call: "bind (path too long)", code: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in name.enumerated() { buffer[index] = byte }
        }
        // sun_path follows the 2-byte family; an abstract name's length counts its leading NUL.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + name.count)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) }
        }
        guard bound == 0 else { _ = Glibc.close(descriptor); throw Failure(call: "bind", code: errno) }
        guard Glibc.listen(descriptor, 8) == 0 else { _ = Glibc.close(descriptor); throw Failure(call: "listen", code: errno) }
        return descriptor
    }
}
