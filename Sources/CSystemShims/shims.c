#ifdef __linux__
#define _GNU_SOURCE
#include "CSystemShims.h"

int csystem_accept_nonblocking(int fd, struct sockaddr *address, socklen_t *length) {
    return accept4(fd, address, length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int csystem_epoll_event_fd(const struct epoll_event *event) {
    return event->data.fd;
}

int csystem_set_thread_name(pthread_t thread, const char *name) {
    return pthread_setname_np(thread, name);
}
#endif
