#ifndef CSANDBOXSUPPORT_H
#define CSANDBOXSUPPORT_H

#include <sys/types.h>

/// Creates an AF_UNIX SOCK_STREAM socketpair whose ends are close-on-exec. Returns 0 or -1 (errno set).
int cs_socketpair_cloexec(int fds[2]);

/// Creates a pipe whose ends are close-on-exec (pipe2 is not visible from Swift). Returns 0 or -1.
int cs_pipe_cloexec(int fds[2]);

/// recvmsg into `buffer`, collecting up to `max_fds` descriptors passed as SCM_RIGHTS (received
/// close-on-exec). `*fd_count` receives how many arrived. Returns the byte count, 0 at end of
/// stream, or -1 (errno set). Descriptors beyond `max_fds` or in truncated control data are closed.
ssize_t cs_recv_with_fds(int socket, void *buffer, size_t length, int *fds, int max_fds, int *fd_count);

/// sendmsg of `buffer` with `fd` attached as SCM_RIGHTS (no descriptor when fd < 0), MSG_NOSIGNAL.
ssize_t cs_send_with_fd(int socket, const void *buffer, size_t length, int fd);

/// posix_spawn of `path` in a new process group with default signal dispositions and an empty
/// signal mask: stdin from /dev/null, stdout and stderr to the given fds, `control_fd` duplicated
/// onto `control_target` (inherited: not close-on-exec), every other descriptor above it closed.
/// The child starts in `directory` when it is not NULL. Returns 0 and sets *pid, or an errno value.
int cs_spawn(const char *path, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd,
             int control_fd, int control_target, const char *directory, pid_t *pid);

#endif
