// Signal syscalls. For now dispositions and the mask are recorded so that programs
// which install handlers run; delivering signals to guest handlers comes with the
// signals work (issue 6).
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMipsNsig = 128;        // _NSIG on MIPS
constexpr uint32_t kMipsSigsetSize = 16;   // _NSIG / 8
constexpr uint32_t kMipsSigkill = 9;
constexpr uint32_t kMipsSigstop = 23;
constexpr uint32_t kMipsSigBlock = 1, kMipsSigUnblock = 2, kMipsSigSetmask = 3;

// struct sigaction (asm/signal.h): unsigned sa_flags; handler; sigset_t sa_mask.
constexpr uint32_t kSigactionSize = 24;

int64_t SysRtSigaction(SyscallContext& c) {
  uint32_t sig = c.a[0];
  if (c.a[3] != kMipsSigsetSize) return -kMipsEinval;
  if (sig == 0 || sig > kMipsNsig) return -kMipsEinval;
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

constexpr SyscallDef kDefs[] = {
    {kNr_rt_sigaction, SysRtSigaction, "dppu"},
    {kNr_rt_sigprocmask, SysRtSigprocmask, "dppu"},
};

}  // namespace

std::span<const SyscallDef> SignalSyscalls() { return kDefs; }

}  // namespace mipsrun
