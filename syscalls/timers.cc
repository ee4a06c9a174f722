// POSIX per-process timers: timer_create, timer_settime, timer_gettime (and their
// time64 forms), timer_getoverrun, timer_delete. Each guest timer is a host timer; the
// guest gets the host's timer id, which is what later calls and si_timerid carry.
//
// struct sigevent (o32): sigev_value (4 bytes), sigev_signo, sigev_notify, then
// _sigev_un whose first word is the thread id of SIGEV_THREAD_ID; 64 bytes in all.
// SIGEV_THREAD is glibc's own (a helper thread waiting for SIGEV_THREAD_ID signals).
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/guest_time.h"
#include "syscalls/mips_abi.h"
#include "syscalls/signal_numbers.h"

namespace mipsrun {
namespace {

constexpr int kMipsSigevSignal = 0, kMipsSigevNone = 1, kMipsSigevThreadId = 4;

int64_t SysTimerCreate(SyscallContext& c) {
  struct sigevent ev {};
  if (c.a[1] != 0) {
    GuestStruct g(c.mem, c.a[1], 16);
    if (!g.readable()) return -kMipsEfault;
    int notify = static_cast<int>(g.Get32(8));
    if (notify != kMipsSigevSignal && notify != kMipsSigevNone &&
        notify != kMipsSigevThreadId) {
      return -kMipsEinval;
    }
    // The guest's 32-bit value comes back in si_value's low word.
    ev.sigev_value.sival_ptr = reinterpret_cast<void*>(uintptr_t{g.Get32(0)});
    ev.sigev_notify = notify;
    if (notify != kMipsSigevNone) {
      int sig = static_cast<int>(g.Get32(4));
      int host = sig > 0 && sig < kMipsNsig ? MipsToHostSignal(sig) : 0;
      if (host <= 0) return -kMipsEinval;
      ev.sigev_signo = host;
    }
    if (notify == kMipsSigevThreadId) ev._sigev_un._tid = static_cast<int>(g.Get32(12));
  }
  GuestStruct out(c.mem, c.a[2], 4);
  if (!out.writable()) return -kMipsEfault;
  int id = -1;
  // Without a sigevent the host kernel's default is the guest's too: SIGALRM carrying
  // the timer id.
  long r = syscall(SYS_timer_create, static_cast<clockid_t>(c.a[0]),
                   c.a[1] != 0 ? &ev : nullptr, &id);
  if (r != 0) return GuestResult(-1);
  out.Put32(0, static_cast<uint32_t>(id));
  return 0;
}

// struct itimerspec: it_interval then it_value, in the layout of the call.
bool ReadItimerspec(SyscallContext& c, uint32_t addr, TimeLayout l, struct itimerspec* its) {
  return ReadTimespec(c, addr, l, &its->it_interval) &&
         ReadTimespec(c, addr + TimespecSize(l), l, &its->it_value);
}
bool WriteItimerspec(SyscallContext& c, uint32_t addr, TimeLayout l, const struct itimerspec& its) {
  return WriteTimespec(c, addr, l, its.it_interval) &&
         WriteTimespec(c, addr + TimespecSize(l), l, its.it_value);
}

int64_t TimerSettime(SyscallContext& c, TimeLayout l) {
  struct itimerspec value, old;
  if (!ReadItimerspec(c, c.a[2], l, &value)) return -kMipsEfault;
  long r = syscall(SYS_timer_settime, static_cast<int>(c.a[0]), static_cast<int>(c.a[1]),
                   &value, c.a[3] != 0 ? &old : nullptr);
  if (r != 0) return GuestResult(-1);
  if (c.a[3] != 0 && !WriteItimerspec(c, c.a[3], l, old)) return -kMipsEfault;
  return 0;
}
int64_t SysTimerSettime(SyscallContext& c) { return TimerSettime(c, TimeLayout::k32); }
int64_t SysTimerSettime64(SyscallContext& c) { return TimerSettime(c, TimeLayout::k64); }

int64_t TimerGettime(SyscallContext& c, TimeLayout l) {
  struct itimerspec value;
  if (syscall(SYS_timer_gettime, static_cast<int>(c.a[0]), &value) != 0) return GuestResult(-1);
  return WriteItimerspec(c, c.a[1], l, value) ? 0 : -kMipsEfault;
}
int64_t SysTimerGettime(SyscallContext& c) { return TimerGettime(c, TimeLayout::k32); }
int64_t SysTimerGettime64(SyscallContext& c) { return TimerGettime(c, TimeLayout::k64); }

// mipsrun takes every host expiry at once, so the host's count stays 0; the guest's is
// what its timer's last signal carried when it was taken (SignalState::Enqueue counts
// the expiries that came while it was pending). The host call checks the id.
int64_t SysTimerGetoverrun(SyscallContext& c) {
  if (syscall(SYS_timer_getoverrun, static_cast<int>(c.a[0])) < 0) return GuestResult(-1);
  return c.proc.signals.TimerOverrun(c.a[0]);
}
int64_t SysTimerDelete(SyscallContext& c) {
  int64_t r = GuestResult(syscall(SYS_timer_delete, static_cast<int>(c.a[0])));
  if (r == 0) c.proc.signals.ForgetTimer(c.a[0]);
  return r;
}

constexpr SyscallDef kDefs[] = {
    {kNr_timer_create, SysTimerCreate, "dpp"},
    {kNr_timer_settime, SysTimerSettime, "dxpp"},
    {kNr_timer_settime64, SysTimerSettime64, "dxpp"},
    {kNr_timer_gettime, SysTimerGettime, "dp"},
    {kNr_timer_gettime64, SysTimerGettime64, "dp"},
    {kNr_timer_getoverrun, SysTimerGetoverrun, "d"},
    {kNr_timer_delete, SysTimerDelete, "d"},
};

}  // namespace

std::span<const SyscallDef> TimerSyscalls() { return kDefs; }

}  // namespace mipsrun
