// Signal syscalls. For now dispositions and the mask are recorded so that programs
// which install handlers run; delivering signals to guest handlers comes with the
// signals work (issue 6).
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"
#include "syscalls/signal_numbers.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMipsSigsetSize = 16;   // _NSIG / 8
constexpr uint32_t kMipsSigkill = 9;
constexpr uint32_t kMipsSigstop = 23;
constexpr uint32_t kMipsSigBlock = 1, kMipsSigUnblock = 2, kMipsSigSetmask = 3;

// struct sigaction (asm/signal.h): unsigned sa_flags; handler; sigset_t sa_mask.
constexpr uint32_t kSigactionSize = 24;

int64_t SysRtSigaction(SyscallContext& c) {
  uint32_t sig = c.a[0];
  if (c.a[3] != kMipsSigsetSize) return -kMipsEinval;
  if (sig == 0 || sig >= static_cast<uint32_t>(kMipsNsig)) return -kMipsEinval;
  Process::GuestSigaction& slot = c.proc.sigactions[sig];
  Process::GuestSigaction old = slot;
  if (c.a[1]) {
    if (sig == kMipsSigkill || sig == kMipsSigstop) return -kMipsEinval;
    GuestStruct in(c.mem, c.a[1], kSigactionSize);
    if (!in.readable()) return -kMipsEfault;
    slot.flags = in.Get32(0);
    slot.handler = in.Get32(4);
    for (int i = 0; i < 4; ++i) slot.mask[i] = in.Get32(8 + 4 * i);
  }
  if (c.a[2]) {
    GuestStruct out(c.mem, c.a[2], kSigactionSize);
    if (!out.writable()) return -kMipsEfault;
    out.Put32(0, old.flags);
    out.Put32(4, old.handler);
    for (int i = 0; i < 4; ++i) out.Put32(8 + 4 * i, old.mask[i]);
  }
  return 0;
}

int64_t SysRtSigprocmask(SyscallContext& c) {
  if (c.a[3] != kMipsSigsetSize) return -kMipsEinval;
  uint32_t old[4];
  for (int i = 0; i < 4; ++i) old[i] = c.proc.sigmask[i];
  if (c.a[1]) {
    GuestStruct in(c.mem, c.a[1], kMipsSigsetSize);
    if (!in.readable()) return -kMipsEfault;
    uint32_t how = c.a[0];
    if (how != kMipsSigBlock && how != kMipsSigUnblock && how != kMipsSigSetmask) {
      return -kMipsEinval;
    }
    for (int i = 0; i < 4; ++i) {
      uint32_t set = in.Get32(4 * i);
      uint32_t& m = c.proc.sigmask[i];
      m = how == kMipsSigBlock ? (m | set) : how == kMipsSigUnblock ? (m & ~set) : set;
    }
    // SIGKILL and SIGSTOP cannot be blocked.
    c.proc.sigmask[0] &= ~((1u << (kMipsSigkill - 1)) | (1u << (kMipsSigstop - 1)));
  }
  if (c.a[2]) {
    GuestStruct out(c.mem, c.a[2], kMipsSigsetSize);
    if (!out.writable()) return -kMipsEfault;
    for (int i = 0; i < 4; ++i) out.Put32(4 * i, old[i]);
  }
  return 0;
}

// A signal for this very process. Delivery to a guest handler is issue 6's work; until
// then such a signal is refused with ENOSYS (and --strace says why) rather than lost.
int64_t SignalToSelf(SyscallContext& c, int mips_sig, int host_sig) {
  const Process::GuestSigaction& act = c.proc.sigactions[mips_sig];
  if (act.handler == 1) return 0;  // SIG_IGN
  if (act.handler != 0) {
    c.note = "delivery to guest signal handlers is not implemented yet";
    return -kMipsEnosys;
  }
  c.proc.SignalSelf(host_sig);  // SIG_DFL: terminate, stop, or nothing
  return 0;
}

// kill(pid, sig), tkill(tid, sig), tgkill(tgid, tid, sig): the signal number is
// translated; a signal aimed at this process takes the guest's disposition.
int64_t SendSignal(SyscallContext& c, int64_t (*host_send)(const SyscallContext&, int),
                   bool to_self, uint32_t mips_sig) {
  if (mips_sig >= static_cast<uint32_t>(kMipsNsig)) return -kMipsEinval;
  int host_sig = MipsToHostSignal(static_cast<int>(mips_sig));
  if (host_sig < 0) {
    c.note = "no host counterpart for this signal";
    return -kMipsEinval;
  }
  if (to_self && mips_sig != 0) return SignalToSelf(c, static_cast<int>(mips_sig), host_sig);
  return host_send(c, host_sig);
}

int64_t SysKill(SyscallContext& c) {
  int pid = static_cast<int32_t>(c.a[0]);
  return SendSignal(
      c, [](const SyscallContext& c, int s) { return GuestResult(kill(static_cast<int32_t>(c.a[0]), s)); },
      pid == getpid(), c.a[1]);
}
int64_t SysTkill(SyscallContext& c) {
  int tid = static_cast<int32_t>(c.a[0]);
  return SendSignal(
      c, [](const SyscallContext& c, int s) { return GuestResult(syscall(SYS_tkill, static_cast<int32_t>(c.a[0]), s)); },
      tid == gettid(), c.a[1]);
}
int64_t SysTgkill(SyscallContext& c) {
  int tgid = static_cast<int32_t>(c.a[0]), tid = static_cast<int32_t>(c.a[1]);
  return SendSignal(
      c,
      [](const SyscallContext& c, int s) {
        return GuestResult(tgkill(static_cast<int32_t>(c.a[0]), static_cast<int32_t>(c.a[1]), s));
      },
      tgid == getpid() && tid == gettid(), c.a[2]);
}

constexpr SyscallDef kDefs[] = {
    {kNr_rt_sigaction, SysRtSigaction, "dppu"},
    {kNr_rt_sigprocmask, SysRtSigprocmask, "dppu"},
    {kNr_kill, SysKill, "dd"},
    {kNr_tkill, SysTkill, "dd"},
    {kNr_tgkill, SysTgkill, "ddd"},
};

}  // namespace

std::span<const SyscallDef> SignalSyscalls() { return kDefs; }

}  // namespace mipsrun
