// What the signal syscall files (syscalls/signal.cc, signal_wait.cc) share.
#ifndef MIPSRUN_SYSCALLS_SIGNAL_SYSCALLS_H_
#define MIPSRUN_SYSCALLS_SIGNAL_SYSCALLS_H_

#include <cstdint>
#include <span>

#include "runtime/signal_state.h"
#include "syscalls/syscall.h"

namespace mipsrun {

inline constexpr uint32_t kMipsSigsetSize = 16;  // sizeof(sigset_t), _NSIG / 8

// Sets the guest's blocked mask (SIGKILL and SIGSTOP already removed) and keeps the
// host dispositions that depend on it in step.
void SetBlocked(SignalState& st, const GuestSigset& set);

// Reads a guest sigset_t, less SIGKILL and SIGSTOP (which no mask holds); false: EFAULT.
bool ReadMask(SyscallContext& c, uint32_t addr, GuestSigset* out);

// signalfd (syscalls/signalfd.cc): a read of a guest signalfd takes pending signals of
// its mask; SyncSignalfds makes each signalfd readable for poll and select exactly when
// one of its signals is pending; the fd calls keep the table in step.
int64_t SignalfdRead(SyscallContext& c, int fd, uint32_t buf, uint32_t len);
void SyncSignalfds(SyscallContext& c);
inline bool IsSignalfd(const Process& p, int fd) { return p.signalfds.count(fd) != 0; }
// After a successful close(fd), or dup2/dup3/F_DUPFD from `from` to `to`.
inline void NoteFdClosed(Process& p, int fd) { p.signalfds.erase(fd); }
inline void NoteFdDuplicated(Process& p, int from, int to) {
  NoteFdClosed(p, to);
  if (auto it = p.signalfds.find(from); it != p.signalfds.end()) p.signalfds[to] = it->second;
}

std::span<const SyscallDef> SignalWaitSyscalls();
std::span<const SyscallDef> SignalfdSyscalls();  // syscalls/signalfd.cc  // syscalls/signal_wait.cc

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_SIGNAL_SYSCALLS_H_
