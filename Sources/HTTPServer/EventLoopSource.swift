/// A descriptor's owner, told by its ``EventLoop`` when the descriptor is ready.
protocol EventLoopSource: AnyObject {
    /// `events` holds the epoll bits that are set: EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP.
    func ready(_ events: UInt32)
}
