// The Linux system calls Swift's Glibc module does not export: epoll, eventfd, accept4 and
// pthread_setname_np.
// Declarations only; the wrappers are in shims.c. Nothing here links a library beyond libc.
#ifndef C_SYSTEM_SHIMS_H
#define C_SYSTEM_SHIMS_H

#ifdef __linux__
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <pthread.h>

/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC: one call instead of accept + two fcntl.
int csystem_accept_nonblocking(int fd, struct sockaddr *address, socklen_t *length);

/// The descriptor an epoll event was registered with (events are packed on x86_64).
int csystem_epoll_event_fd(const struct epoll_event *event);

/// Names a thread (at most 15 bytes), as `top -H` and `perf` show it.
int csystem_set_thread_name(pthread_t thread, const char *name);
#endif

#endif
