// Descriptors whose reads and writes the syscall layer translates itself: the guest's
// signalfds (syscalls/signalfd.cc: reads take pending guest signals) and eventfds
// (syscalls/eventfd.cc: the 8-byte counter in the guest's byte order). Process keeps
// their tables; the fd calls keep them in step with close and dup.
#ifndef MIPSRUN_SYSCALLS_FD_KINDS_H_
#define MIPSRUN_SYSCALLS_FD_KINDS_H_

#include <cstdint>
#include <string>

#include "runtime/process.h"
#include "syscalls/syscall.h"

namespace mipsrun {

// A read of a guest signalfd takes pending signals of its mask; SyncSignalfds makes
// each signalfd readable for poll, select and epoll exactly when one of its signals is
// pending.
int64_t SignalfdRead(SyscallContext& c, int fd, uint32_t buf, uint32_t len);
void SyncSignalfds(SyscallContext& c);
inline bool IsSignalfd(const Process& p, int fd) { return p.signalfds.count(fd) != 0; }
// /proc/self/fd/N of a guest signalfd: "anon_inode:[signalfd]" as the kernel names it
// (the host's link says eventfd); "" for any other path.
std::string SignalfdProcLink(const Process& p, const std::string& path);
// open of /proc/self/fdinfo/N of a guest signalfd: a descriptor reading what a MIPS
// kernel shows (its sigmask in MIPS numbering), or a negative host errno; -1 for any
// other path.
int OpenSignalfdInfo(const Process& p, const std::string& path, int host_flags);

// Reads and writes of a big-endian guest's eventfd (a little-endian one needs none).
int64_t EventfdRead(SyscallContext& c, int fd, uint32_t buf, uint32_t len);
int64_t EventfdWrite(SyscallContext& c, int fd, uint32_t buf, uint32_t len);
inline bool IsSwappedEventfd(const Process& p, int fd) { return p.eventfds.count(fd) != 0; }

// After a successful close(fd), or dup2/dup3/F_DUPFD from `from` to `to`.
inline void NoteFdClosed(Process& p, int fd) {
  p.signalfds.erase(fd);
  p.eventfds.erase(fd);
}
inline void NoteFdDuplicated(Process& p, int from, int to) {
  NoteFdClosed(p, to);
  if (auto it = p.signalfds.find(from); it != p.signalfds.end()) p.signalfds[to] = it->second;
  if (p.eventfds.count(from)) p.eventfds.insert(to);
}

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_FD_KINDS_H_
