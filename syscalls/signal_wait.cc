// Signal syscalls that wait or that return from handlers: pause, sigsuspend,
// rt_sigtimedwait, sigaltstack, rt_sigreturn/sigreturn, and the timers that send
// SIGALRM (alarm, setitimer).
//
// Waiting is a host ppoll with no descriptors through SafeSyscall: it ends when a host
// signal arrives (or has arrived and was not drained yet), never sleeps past one.
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/host_signals.h"
#include "runtime/signal_frame.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/guest_time.h"
#include "syscalls/mips_abi.h"
#include "syscalls/signal_syscalls.h"

namespace mipsrun {

bool ReadMask(SyscallContext& c, uint32_t addr, GuestSigset* out) {
  GuestStruct in(c.mem, addr, kMipsSigsetSize);
  if (!in.readable()) return false;
  for (int i = 0; i < 4; ++i) out->SetWord(i, in.Get32(4 * i));
  out->Remove(mips_sig::kKill);
  out->Remove(mips_sig::kStop);
  return true;
}

// struct siginfo as MIPS lays it out: signo, code, errno (in that order), then the union.
void WriteSiginfo(GuestStruct& out, const GuestSiginfo& info) {
  out.Zero();
  out.Put32(0, static_cast<uint32_t>(info.signo));
  out.Put32(4, static_cast<uint32_t>(info.code));
  out.Put32(8, static_cast<uint32_t>(info.err));
  for (int i = 0; i < 29; ++i) out.Put32(12 + 4 * i, info.fields[i]);
}

namespace {

// Pending signals the guest ignores (explicitly or by default) do not end a wait.
void DiscardIgnored(SignalState& st) {
  GuestSigset ready = st.pending() & ~st.blocked;
  for (int sig = 1; sig < kMipsNsig && !ready.Empty(); ++sig) {
    if (!ready.Has(sig)) continue;
    ready.Remove(sig);
    const GuestSigaction& a = st.actions[sig];
    DefaultAction d = DefaultActionOf(sig);
    if (a.handler == kMipsSigIgn ||
        (a.handler == kMipsSigDfl && (d == DefaultAction::kIgnore || d == DefaultAction::kContinue))) {
      st.Discard(sig);
    }
  }
}

// Sleeps until a signal that is not blocked (and not ignored) is pending; returns
// EINTR for the executor's delivery to act on.
int64_t WaitForSignal(SignalState& st) {
  for (;;) {
    DrainHostSignals(st);
    DiscardIgnored(st);
    if (st.HasDeliverable()) return -kMipsEintr;
    SafeSyscall(SYS_ppoll, 0, 0, 0, 0, 8);
  }
}

int64_t SysPause(SyscallContext& c) { return WaitForSignal(c.proc.signals); }

int64_t SysRtSigsuspend(SyscallContext& c) {
  if (c.a[1] != kMipsSigsetSize) return -kMipsEinval;
  GuestSigset mask;
  if (!ReadMask(c, c.a[0], &mask)) return -kMipsEfault;
  SignalState& st = c.proc.signals;
  // The handler's frame records the caller's mask, which comes back after it.
  st.saved_mask = st.blocked;
  st.has_saved_mask = true;
  SetBlocked(st, mask);
  return WaitForSignal(st);
}

// MIPS's traditional sigsuspend takes a whole sigset_t, as rt_sigsuspend does.
int64_t SysSigsuspend(SyscallContext& c) {
  c.a[1] = kMipsSigsetSize;
  return SysRtSigsuspend(c);
}


// rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of `set`;
// EAGAIN when the timeout passes first, EINTR when another signal's handler is due.
int64_t SigTimedWait(SyscallContext& c, TimeLayout layout) {
  if (c.a[3] != kMipsSigsetSize) return -kMipsEinval;
  GuestSigset set;
  if (!ReadMask(c, c.a[0], &set)) return -kMipsEfault;
  struct timespec timeout, deadline = {}, now;
  bool timed = c.a[2] != 0;
  if (timed) {
    if (!ReadTimespec(c, c.a[2], layout, &timeout)) return -kMipsEfault;
    if (timeout.tv_sec < 0 || timeout.tv_nsec < 0 || timeout.tv_nsec >= 1000000000) return -kMipsEinval;
    clock_gettime(CLOCK_MONOTONIC, &now);
    deadline = {now.tv_sec + timeout.tv_sec, now.tv_nsec + timeout.tv_nsec};
    if (deadline.tv_nsec >= 1000000000) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000;
    }
  }
  SignalState& st = c.proc.signals;
  for (;;) {
    DrainHostSignals(st);
    GuestSiginfo info;
    if (st.Take(set, &info)) {
      if (c.a[1]) {
        GuestStruct out(c.mem, c.a[1], kMipsSiginfoSize);
        if (!out.writable()) return -kMipsEfault;
        WriteSiginfo(out, info);
      }
      return info.signo;
    }
    DiscardIgnored(st);
    if (st.HasDeliverable()) return -kMipsEintr;
    struct timespec left = {0, 0};
    if (timed) {
      clock_gettime(CLOCK_MONOTONIC, &now);
      int64_t ns = (deadline.tv_sec - now.tv_sec) * 1000000000 + (deadline.tv_nsec - now.tv_nsec);
      if (ns <= 0) return -kMipsEagain;
      left = {static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    }
    SafeSyscall(SYS_ppoll, 0, 0, timed ? reinterpret_cast<long>(&left) : 0, 0, 8);
  }
}
int64_t SysRtSigtimedwait(SyscallContext& c) { return SigTimedWait(c, TimeLayout::k32); }
int64_t SysRtSigtimedwait64(SyscallContext& c) { return SigTimedWait(c, TimeLayout::k64); }

// stack_t: void *ss_sp; size_t ss_size; int ss_flags (MIPS order).
int64_t SysSigaltstack(SyscallContext& c) {
  SignalState& st = c.proc.signals;
  GuestAltStack old = st.altstack;
  uint32_t sp = c.cpu.gpr[29];
  if (c.a[0]) {
    GuestStruct in(c.mem, c.a[0], 12);
    if (!in.readable()) return -kMipsEfault;
    int e = ChangeAltStack(st, sp, in.Get32(0), in.Get32(4), static_cast<int32_t>(in.Get32(8)));
    if (e) return -HostToMipsErrno(e);
  }
  if (c.a[1]) {
    GuestStruct out(c.mem, c.a[1], 12);
    if (!out.writable()) {
      st.altstack = old;
      return -kMipsEfault;
    }
    out.Put32(0, old.sp);
    out.Put32(4, old.size);
    out.Put32(8, static_cast<uint32_t>(AltStackFlags(old, sp)));
  }
  return 0;
}

int64_t SigReturn(SyscallContext& c, bool rt) {
  SignalState& st = c.proc.signals;
  GuestSigset before = st.blocked;
  int sig = PopSignalFrame(c.cpu, c.mem, st, rt);
  UpdateHostForMask(st, before);
  if (sig == mips_sig::kSegv) {
    c.note = "bad signal frame";
  } else {
    c.registers_restored = true;
  }
  if (sig) {
    GuestSiginfo info;
    info.signo = sig;
    info.code = kMipsSiKernel;
    st.Force(info);
  }
  return 0;
}
int64_t SysRtSigreturn(SyscallContext& c) { return SigReturn(c, true); }
int64_t SysSigreturn(SyscallContext& c) { return SigReturn(c, false); }

int64_t SysAlarm(SyscallContext& c) { return alarm(c.a[0]); }

// struct itimerval of o32: two timevals of 32-bit fields.
bool ReadItimerval(SyscallContext& c, uint32_t addr, struct itimerval* v) {
  GuestStruct g(c.mem, addr, 16);
  if (!g.readable()) return false;
  v->it_interval = {static_cast<int32_t>(g.Get32(0)), static_cast<int32_t>(g.Get32(4))};
  v->it_value = {static_cast<int32_t>(g.Get32(8)), static_cast<int32_t>(g.Get32(12))};
  return true;
}
bool WriteItimerval(SyscallContext& c, uint32_t addr, const struct itimerval& v) {
  GuestStruct g(c.mem, addr, 16);
  if (!g.writable()) return false;
  g.Put32(0, static_cast<uint32_t>(v.it_interval.tv_sec));
  g.Put32(4, static_cast<uint32_t>(v.it_interval.tv_usec));
  g.Put32(8, static_cast<uint32_t>(v.it_value.tv_sec));
  g.Put32(12, static_cast<uint32_t>(v.it_value.tv_usec));
  return true;
}

int64_t SysSetitimer(SyscallContext& c) {
  struct itimerval in = {}, old = {};
  if (c.a[1] && !ReadItimerval(c, c.a[1], &in)) return -kMipsEfault;
  if (c.a[2] && !GuestStruct(c.mem, c.a[2], 16).writable()) return -kMipsEfault;
  int r = setitimer(static_cast<__itimer_which>(c.a[0]), c.a[1] ? &in : nullptr, &old);
  if (r != 0) return GuestResult(r);
  if (c.a[2]) WriteItimerval(c, c.a[2], old);
  return 0;
}

int64_t SysGetitimer(SyscallContext& c) {
  struct itimerval v;
  if (getitimer(static_cast<__itimer_which>(c.a[0]), &v) != 0) return GuestResult(-1);
  return WriteItimerval(c, c.a[1], v) ? 0 : -kMipsEfault;
}

constexpr SyscallDef kDefs[] = {
    {kNr_pause, SysPause, "", 'd', false},
    {kNr_rt_sigsuspend, SysRtSigsuspend, "pu", 'd', false},
    {kNr_sigsuspend, SysSigsuspend, "p", 'd', false},
    {kNr_rt_sigtimedwait, SysRtSigtimedwait, "pppu", 'd', false},
    {kNr_rt_sigtimedwait_time64, SysRtSigtimedwait64, "pppu", 'd', false},
    {kNr_sigaltstack, SysSigaltstack, "pp"},
    {kNr_rt_sigreturn, SysRtSigreturn, ""},
    {kNr_sigreturn, SysSigreturn, ""},
    {kNr_alarm, SysAlarm, "u"},
    {kNr_setitimer, SysSetitimer, "dpp"},
    {kNr_getitimer, SysGetitimer, "dp"},
};

}  // namespace

std::span<const SyscallDef> SignalWaitSyscalls() { return kDefs; }

}  // namespace mipsrun
