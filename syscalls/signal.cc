// Signal syscalls: dispositions, the mask, sending. The state lives in
// Process::signals (runtime/signal_state.h); delivery happens on the way back to guest
// code (runtime/signals.cc). Waiting for signals is syscalls/signal_wait.cc.
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"
#include "syscalls/signal_numbers.h"
#include "syscalls/signal_syscalls.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMipsSigBlock = 1, kMipsSigUnblock = 2, kMipsSigSetmask = 3;

// struct sigaction (asm/signal.h): unsigned sa_flags; handler; sigset_t sa_mask.
constexpr uint32_t kSigactionSize = 24;

bool ValidSignal(uint32_t sig) { return sig >= 1 && sig < static_cast<uint32_t>(kMipsNsig); }

// do_sigaction(): installs `act` for `sig`, makes the host follow, and forgets pending
// instances of a signal that is now ignored.
void SetAction(SyscallContext& c, int sig, const GuestSigaction& act) {
  SignalState& st = c.proc.signals;
  GuestSigaction a = act;
  a.mask.Remove(mips_sig::kKill);
  a.mask.Remove(mips_sig::kStop);
  st.actions[sig] = a;
  SetHostDisposition(sig, a, st.blocked.Has(sig));
  bool ignored = a.handler == kMipsSigIgn ||
                 (a.handler == kMipsSigDfl && DefaultActionOf(sig) == DefaultAction::kIgnore);
  if (ignored) st.Discard(sig);
}

// rt_sigaction and the traditional sigaction share struct sigaction; the latter reads
// only the first mask word and writes zeros for the others (arch/mips/kernel/signal.c).
// As there, an unreadable action is EFAULT before a bad signal number is EINVAL.
int64_t DoSigaction(SyscallContext& c, bool rt) {
  uint32_t sig = c.a[0];
  GuestSigaction a;
  if (c.a[1]) {
    GuestStruct in(c.mem, c.a[1], kSigactionSize);
    if (!in.readable()) return -kMipsEfault;
    a.flags = in.Get32(0);
    a.handler = in.Get32(4);
    for (int i = 0; i < (rt ? 4 : 1); ++i) a.mask.SetWord(i, in.Get32(8 + 4 * i));
  }
  if (!ValidSignal(sig)) return -kMipsEinval;
  if (c.a[1] && (sig == mips_sig::kKill || sig == mips_sig::kStop)) return -kMipsEinval;
  SignalState& st = c.proc.signals;
  GuestSigaction old = st.actions[sig];
  if (c.a[1]) SetAction(c, static_cast<int>(sig), a);
  if (c.a[2]) {
    GuestStruct out(c.mem, c.a[2], kSigactionSize);
    if (!out.writable()) return -kMipsEfault;
    out.Put32(0, old.flags);
    out.Put32(4, old.handler);
    for (int i = 0; i < 4; ++i) out.Put32(8 + 4 * i, rt || i == 0 ? old.mask.Word(i) : 0);
  }
  return 0;
}

int64_t SysRtSigaction(SyscallContext& c) {
  if (c.a[3] != kMipsSigsetSize) return -kMipsEinval;
  return DoSigaction(c, true);
}
int64_t SysSigaction(SyscallContext& c) { return DoSigaction(c, false); }

// signal(sig, handler): the old System V call, one-shot and not masking itself.
int64_t SysSignal(SyscallContext& c) {
  uint32_t sig = c.a[0];
  if (!ValidSignal(sig) || sig == mips_sig::kKill || sig == mips_sig::kStop) return -kMipsEinval;
  uint32_t old = c.proc.signals.actions[sig].handler;
  GuestSigaction a;
  a.handler = c.a[1];
  a.flags = kMipsSaResethand | kMipsSaNodefer;
  SetAction(c, static_cast<int>(sig), a);
  return old;
}

int64_t DoSigprocmask(SyscallContext& c, uint32_t how, uint32_t set_addr, uint32_t old_addr,
                      int words) {
  SignalState& st = c.proc.signals;
  GuestSigset old = st.blocked;
  uint32_t bytes = 4 * static_cast<uint32_t>(words);
  if (set_addr) {
    GuestStruct in(c.mem, set_addr, bytes);
    if (!in.readable()) return -kMipsEfault;
    GuestSigset set = st.blocked;
    for (int i = 0; i < words; ++i) {
      uint32_t w = in.Get32(4 * i), m = st.blocked.Word(i);
      switch (how) {
        case kMipsSigBlock: m |= w; break;
        case kMipsSigUnblock: m &= ~w; break;
        case kMipsSigSetmask: m = w; break;
        default: return -kMipsEinval;
      }
      set.SetWord(i, m);
    }
    set.Remove(mips_sig::kKill);
    set.Remove(mips_sig::kStop);
    SetBlocked(st, set);
  }
  if (old_addr) {
    GuestStruct out(c.mem, old_addr, bytes);
    if (!out.writable()) return -kMipsEfault;
    for (int i = 0; i < words; ++i) out.Put32(4 * i, old.Word(i));
  }
  return 0;
}

int64_t SysRtSigprocmask(SyscallContext& c) {
  if (c.a[3] != kMipsSigsetSize) return -kMipsEinval;
  return DoSigprocmask(c, c.a[0], c.a[1], c.a[2], 4);
}
// The traditional call works on the first word (old_sigset_t) alone.
int64_t SysSigprocmask(SyscallContext& c) { return DoSigprocmask(c, c.a[0], c.a[1], c.a[2], 1); }

int64_t DoSigpending(SyscallContext& c, uint32_t addr, int words) {
  SignalState& st = c.proc.signals;
  DrainHostSignals(st);
  GuestStruct out(c.mem, addr, 4 * static_cast<uint32_t>(words));
  if (!out.writable()) return -kMipsEfault;
  GuestSigset p = st.pending() & st.blocked;
  for (int i = 0; i < words; ++i) out.Put32(4 * i, p.Word(i));
  return 0;
}
int64_t SysRtSigpending(SyscallContext& c) {
  if (c.a[1] > kMipsSigsetSize) return -kMipsEinval;
  return DoSigpending(c, c.a[0], 4);
}
int64_t SysSigpending(SyscallContext& c) { return DoSigpending(c, c.a[0], 1); }

// Sends `info` (a guest signal, si_code and sender filled in) with `host_send`, or
// queues it directly when it is for this process and the host has no such signal.
int64_t Send(SyscallContext& c, const GuestSiginfo& info, bool to_self,
             int64_t (*host_send)(const SyscallContext&, int host_sig)) {
  uint32_t sig = static_cast<uint32_t>(info.signo);
  if (sig >= static_cast<uint32_t>(kMipsNsig)) return -kMipsEinval;
  int host_sig = MipsToHostSignal(static_cast<int>(sig));
  if (host_sig < 0) {
    if (!to_self) {
      c.note = "no host counterpart for this signal";
      return -kMipsEinval;
    }
    SignalState& st = c.proc.signals;
    bool ignored = st.actions[sig].handler == kMipsSigIgn && !st.blocked.Has(static_cast<int>(sig));
    if (!ignored) st.Enqueue(info);
    return 0;
  }
  return host_send(c, host_sig);
}

GuestSiginfo UserSiginfo(uint32_t sig, int32_t code) {
  GuestSiginfo info;
  info.signo = static_cast<int32_t>(sig);
  info.code = code;
  info.fields[0] = static_cast<uint32_t>(getpid());
  info.fields[1] = getuid();
  return info;
}

int64_t SysKill(SyscallContext& c) {
  int pid = static_cast<int32_t>(c.a[0]);
  bool self = pid == getpid() || pid == 0 || pid == -static_cast<int>(getpgrp());
  return Send(c, UserSiginfo(c.a[1], kMipsSiUser), self, [](const SyscallContext& c, int s) {
    return GuestResult(kill(static_cast<int32_t>(c.a[0]), s));
  });
}
int64_t SysTkill(SyscallContext& c) {
  return Send(c, UserSiginfo(c.a[1], kMipsSiTkill), static_cast<int32_t>(c.a[0]) == gettid(),
              [](const SyscallContext& c, int s) {
                return GuestResult(syscall(SYS_tkill, static_cast<int32_t>(c.a[0]), s));
              });
}
int64_t SysTgkill(SyscallContext& c) {
  bool self = static_cast<int32_t>(c.a[0]) == getpid() && static_cast<int32_t>(c.a[1]) == gettid();
  return Send(c, UserSiginfo(c.a[2], kMipsSiTkill), self, [](const SyscallContext& c, int s) {
    return GuestResult(tgkill(static_cast<int32_t>(c.a[0]), static_cast<int32_t>(c.a[1]), s));
  });
}

// rt_sigqueueinfo(tgid, sig, info) and rt_tgsigqueueinfo(tgid, tid, sig, info): the
// caller's siginfo goes along; only the kernel may claim si_code >= 0 or SI_TKILL for
// another process.
int64_t QueueInfo(SyscallContext& c, int tid, uint32_t sig, uint32_t info_addr) {
  int tgid = static_cast<int32_t>(c.a[0]);
  GuestStruct in(c.mem, info_addr, kMipsSiginfoSize);
  if (!in.readable()) return -kMipsEfault;
  GuestSiginfo info;
  info.signo = static_cast<int32_t>(sig);
  info.code = static_cast<int32_t>(in.Get32(4));
  for (int i = 0; i < 29; ++i) info.fields[i] = in.Get32(12 + 4 * i);
  bool self = tgid == getpid() && (tid < 0 || tid == gettid());
  if ((info.code >= 0 || info.code == kMipsSiTkill) && !self) return -kMipsEperm;
  if (sig == 0 || sig >= static_cast<uint32_t>(kMipsNsig)) return sig == 0 ? 0 : -kMipsEinval;
  int host_sig = MipsToHostSignal(static_cast<int>(sig));
  if (host_sig < 0) {
    if (!self) return -kMipsEinval;
    c.proc.signals.Enqueue(info);
    return 0;
  }
  siginfo_t h = {};
  h.si_signo = host_sig;
  h.si_code = info.code == kMipsSiTimer ? SI_TIMER : info.code == kMipsSiMesgq ? SI_MESGQ
              : info.code == kMipsSiAsyncio ? SI_ASYNCIO : info.code;
  h.si_pid = static_cast<pid_t>(info.fields[0]);
  h.si_uid = info.fields[1];
  h.si_value.sival_int = static_cast<int>(info.fields[2]);
  long r = tid < 0 ? syscall(SYS_rt_sigqueueinfo, tgid, host_sig, &h)
                   : syscall(SYS_rt_tgsigqueueinfo, tgid, tid, host_sig, &h);
  return GuestResult(r);
}
int64_t SysRtSigqueueinfo(SyscallContext& c) { return QueueInfo(c, -1, c.a[1], c.a[2]); }
int64_t SysRtTgsigqueueinfo(SyscallContext& c) {
  return QueueInfo(c, static_cast<int32_t>(c.a[1]), c.a[2], c.a[3]);
}

constexpr SyscallDef kDefs[] = {
    {kNr_rt_sigaction, SysRtSigaction, "dppu"},
    {kNr_sigaction, SysSigaction, "dpp"},
    {kNr_signal, SysSignal, "dx", 'x'},
    {kNr_rt_sigprocmask, SysRtSigprocmask, "dppu"},
    {kNr_sigprocmask, SysSigprocmask, "dpp"},
    {kNr_rt_sigpending, SysRtSigpending, "pu"},
    {kNr_sigpending, SysSigpending, "p"},
    {kNr_kill, SysKill, "dd"},
    {kNr_tkill, SysTkill, "dd"},
    {kNr_tgkill, SysTgkill, "ddd"},
    {kNr_rt_sigqueueinfo, SysRtSigqueueinfo, "ddp"},
    {kNr_rt_tgsigqueueinfo, SysRtTgsigqueueinfo, "dddp"},
};

}  // namespace

void SetBlocked(SignalState& st, const GuestSigset& set) {
  GuestSigset before = st.blocked;
  st.blocked = set;
  UpdateHostForMask(st, before);
}

std::span<const SyscallDef> SignalSyscalls() { return kDefs; }

}  // namespace mipsrun
