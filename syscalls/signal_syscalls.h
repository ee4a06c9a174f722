// What the signal syscall files (syscalls/signal.cc, signal_wait.cc) share.
#ifndef MIPSRUN_SYSCALLS_SIGNAL_SYSCALLS_H_
#define MIPSRUN_SYSCALLS_SIGNAL_SYSCALLS_H_

#include <cstdint>
#include <span>

#include "runtime/signal_state.h"
#include "syscalls/guest_struct.h"
#include "syscalls/syscall.h"

namespace mipsrun {

inline constexpr uint32_t kMipsSigsetSize = 16;  // sizeof(sigset_t), _NSIG / 8

// Sets the guest's blocked mask (SIGKILL and SIGSTOP already removed) and keeps the
// host dispositions that depend on it in step.
void SetBlocked(SignalState& st, const GuestSigset& set);

// Reads a guest sigset_t, less SIGKILL and SIGSTOP (which no mask holds); false: EFAULT.
bool ReadMask(SyscallContext& c, uint32_t addr, GuestSigset* out);

// Writes a 128-byte guest siginfo_t (syscalls/signal_wait.cc).
void WriteSiginfo(GuestStruct& out, const GuestSiginfo& info);

std::span<const SyscallDef> SignalWaitSyscalls();
std::span<const SyscallDef> SignalfdSyscalls();  // syscalls/signalfd.cc  // syscalls/signal_wait.cc

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_SIGNAL_SYSCALLS_H_
