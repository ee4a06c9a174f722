// Clocks and sleeping, in the 32-bit-time forms and the time64 forms that glibc 2.34+
// uses first. Clock ids and TIMER_ABSTIME are generic values.
#include <sys/time.h>
#include <time.h>

#include <sys/syscall.h>

#include <cerrno>

#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/guest_time.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {

uint32_t TimespecSize(TimeLayout l) {
  return l == TimeLayout::k32 ? sizeof(mips::Timespec32) : sizeof(mips::Timespec64);
}

bool ReadTimespec(SyscallContext& c, uint32_t addr, TimeLayout l, struct timespec* ts) {
  GuestStruct g(c.mem, addr, TimespecSize(l));
  if (!g.readable()) return false;
  if (l == TimeLayout::k32) {
    ts->tv_sec = static_cast<int32_t>(g.Get32(0));
    ts->tv_nsec = static_cast<int32_t>(g.Get32(4));
  } else {
    ts->tv_sec = static_cast<int64_t>(g.Get64(0));
    // The kernel ignores the upper half of tv_nsec for 32-bit callers.
    ts->tv_nsec = static_cast<int32_t>(g.Get64(8));
  }
  return true;
}

bool WriteTimespec(SyscallContext& c, uint32_t addr, TimeLayout l, const struct timespec& ts) {
  GuestStruct g(c.mem, addr, TimespecSize(l));
  if (!g.writable()) return false;
  if (l == TimeLayout::k32) {
    g.Put32(0, static_cast<uint32_t>(ts.tv_sec));
    g.Put32(4, static_cast<uint32_t>(ts.tv_nsec));
  } else {
    g.Put64(0, static_cast<uint64_t>(ts.tv_sec));
    g.Put64(8, static_cast<uint64_t>(ts.tv_nsec));
  }
  return true;
}

struct timespec TimespecAdd(const struct timespec& a, const struct timespec& b) {
  struct timespec r = {a.tv_sec + b.tv_sec, a.tv_nsec + b.tv_nsec};
  if (r.tv_nsec >= 1000000000L) {
    r.tv_sec += 1;
    r.tv_nsec -= 1000000000L;
  }
  return r;
}

struct timespec TimeUntil(clockid_t clock, const struct timespec& end) {
  struct timespec now;
  clock_gettime(clock, &now);
  int64_t left = (end.tv_sec - now.tv_sec) * 1000000000LL + (end.tv_nsec - now.tv_nsec);
  if (left < 0) left = 0;
  return {static_cast<time_t>(left / 1000000000LL), static_cast<long>(left % 1000000000LL)};
}

struct timespec WaitEnd(SyscallContext& c, clockid_t clock, const struct timespec& length) {
  SignalState& st = c.proc.signals;
  if (st.has_restart_deadline) {
    st.has_restart_deadline = false;
    return st.restart_deadline;
  }
  struct timespec now = {};
  clock_gettime(clock, &now);
  return TimespecAdd(now, length);
}

void NoteInterruptedWait(SyscallContext& c, const struct timespec& end) {
  c.proc.signals.has_restart_deadline = true;
  c.proc.signals.restart_deadline = end;
}

namespace {

int64_t ClockGet(SyscallContext& c, TimeLayout l, bool resolution) {
  struct timespec ts;
  int r = resolution ? clock_getres(static_cast<clockid_t>(c.a[0]), &ts)
                     : clock_gettime(static_cast<clockid_t>(c.a[0]), &ts);
  if (r != 0) return GuestResult(-1);
  if (c.a[1] == 0) return 0;
  return WriteTimespec(c, c.a[1], l, ts) ? 0 : -kMipsEfault;
}
int64_t SysClockGettime(SyscallContext& c) { return ClockGet(c, TimeLayout::k32, false); }
int64_t SysClockGettime64(SyscallContext& c) { return ClockGet(c, TimeLayout::k64, false); }
int64_t SysClockGetres(SyscallContext& c) { return ClockGet(c, TimeLayout::k32, true); }
int64_t SysClockGetres64(SyscallContext& c) { return ClockGet(c, TimeLayout::k64, true); }

int64_t SysGettimeofday(SyscallContext& c) {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  if (c.a[0]) {
    GuestStruct g(c.mem, c.a[0], sizeof(mips::Timeval32));
    if (!g.writable()) return -kMipsEfault;
    g.Put32(0, static_cast<uint32_t>(tv.tv_sec));
    g.Put32(4, static_cast<uint32_t>(tv.tv_usec));
  }
  if (c.a[1]) {
    GuestStruct tz(c.mem, c.a[1], 8);  // struct timezone: always zero on Linux
    if (!tz.writable()) return -kMipsEfault;
    tz.Zero();
  }
  return 0;
}

int64_t SysTime(SyscallContext& c) {
  uint32_t now = static_cast<uint32_t>(time(nullptr));
  if (c.a[0]) {
    GuestStruct g(c.mem, c.a[0], 4);
    if (!g.writable()) return -kMipsEfault;
    g.Put32(0, now);
  }
  return now;
}

int64_t Sleep(SyscallContext& c, clockid_t clock, int flags, uint32_t req, uint32_t rem,
              TimeLayout l) {
  struct timespec in;
  if (!ReadTimespec(c, req, l, &in)) return -kMipsEfault;
  if (in.tv_sec < 0 || in.tv_nsec < 0 || in.tv_nsec >= 1000000000L) return -kMipsEinval;
  if (flags & TIMER_ABSTIME) {
    return GuestResultFromNegErrno(
        SafeSyscall(SYS_clock_nanosleep, clock, flags, reinterpret_cast<long>(&in), 0));
  }
  // A relative sleep runs to an absolute end, which its restart after a signal keeps.
  struct timespec probe;
  if (clock_gettime(clock, &probe) != 0) return GuestResult(-1);
  struct timespec end = WaitEnd(c, clock, in);
  long r = SafeSyscall(SYS_clock_nanosleep, clock, TIMER_ABSTIME, reinterpret_cast<long>(&end), 0);
  if (r == -EINTR) {
    NoteInterruptedWait(c, end);
    if (rem) WriteTimespec(c, rem, l, TimeUntil(clock, end));
  }
  return GuestResultFromNegErrno(r);
}
int64_t SysNanosleep(SyscallContext& c) {
  return Sleep(c, CLOCK_MONOTONIC, 0, c.a[0], c.a[1], TimeLayout::k32);
}
int64_t SysClockNanosleep(SyscallContext& c) {
  return Sleep(c, static_cast<clockid_t>(c.a[0]), static_cast<int>(c.a[1]), c.a[2], c.a[3],
               TimeLayout::k32);
}
int64_t SysClockNanosleep64(SyscallContext& c) {
  return Sleep(c, static_cast<clockid_t>(c.a[0]), static_cast<int>(c.a[1]), c.a[2], c.a[3],
               TimeLayout::k64);
}

constexpr SyscallDef kDefs[] = {
    {kNr_clock_gettime, SysClockGettime, "dp"},
    {kNr_clock_gettime64, SysClockGettime64, "dp"},
    {kNr_clock_getres, SysClockGetres, "dp"},
    {kNr_clock_getres_time64, SysClockGetres64, "dp"},
    {kNr_gettimeofday, SysGettimeofday, "pp"},
    {kNr_time, SysTime, "p"},
    // A handler ends a sleep with EINTR (and the time left); the kernel restarts it
    // only when no handler ran.
    {kNr_nanosleep, SysNanosleep, "pp", 'd', false},
    {kNr_clock_nanosleep, SysClockNanosleep, "ddpp", 'd', false},
    {kNr_clock_nanosleep_time64, SysClockNanosleep64, "ddpp", 'd', false},
};

}  // namespace

std::span<const SyscallDef> TimeSyscalls() { return kDefs; }

}  // namespace mipsrun
