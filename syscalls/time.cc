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
  struct timespec in, left = {};
  if (!ReadTimespec(c, req, l, &in)) return -kMipsEfault;
  long r = SafeSyscall(SYS_clock_nanosleep, clock, flags, reinterpret_cast<long>(&in),
                       reinterpret_cast<long>(&left));
  if (r == -EINTR && rem && !(flags & TIMER_ABSTIME)) WriteTimespec(c, rem, l, left);
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
