// Process identity and limits: exit, ids, uname, TLS, rlimits, sysinfo, getrandom.
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "runtime/guest_threads.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/flags.h"
#include "syscalls/guest_rusage.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

// RLIM_INFINITY of the 32-bit getrlimit on MIPS (asm/resource.h).
constexpr uint32_t kMipsRlimInfinity32 = 0x7fffffff;

int64_t SysExit(SyscallContext& c) {
  int status = static_cast<int>(c.a[0] & 0xff);
  // exit ends only the calling thread (the process when it is the last one).
  if (c.nr == kNr_exit && c.proc.threads) c.proc.threads->Exit(status);
  c.exit_status = status;
  return 0;
}

int64_t SysUname(SyscallContext& c) {
  GuestStruct g(c.mem, c.a[0], sizeof(mips::Utsname));
  if (!g.writable()) return -kMipsEfault;
  struct utsname u;
  if (uname(&u) != 0) return GuestResult(-1);
  mips::Utsname out = {};
  auto copy = [](char (&dst)[65], const char* src) { snprintf(dst, sizeof dst, "%s", src); };
  copy(out.sysname, u.sysname);
  copy(out.nodename, u.nodename);
  copy(out.release, u.release);
  copy(out.version, u.version);
  copy(out.machine, "mips");  // what a MIPS kernel of either byte order reports
  copy(out.domainname, u.domainname);
  g.PutBytes(0, &out, sizeof out);
  return 0;
}

int64_t SysGetpid(SyscallContext&) { return getpid(); }
int64_t SysGettid(SyscallContext&) { return gettid(); }
int64_t SysGetppid(SyscallContext&) { return getppid(); }
int64_t SysGetuid(SyscallContext&) { return getuid(); }
int64_t SysGeteuid(SyscallContext&) { return geteuid(); }
int64_t SysGetgid(SyscallContext&) { return getgid(); }
int64_t SysGetegid(SyscallContext&) { return getegid(); }

int64_t SysSetThreadArea(SyscallContext& c) {
  c.cpu.tls = c.a[0];
  return 0;
}

int64_t SysSetTidAddress(SyscallContext& c) {
  c.proc.clear_child_tid = c.a[0];
  return gettid();
}

// The robust-futex list matters when a thread dies holding a lock: the kernel then
// marks the lock's owner dead for the next one to take it. mipsrun accepts the list and
// does not walk it (a thread that exits holding a robust mutex leaves it held).
int64_t SysSetRobustList(SyscallContext& c) {
  return c.a[1] == 12 ? 0 : -kMipsEinval;  // sizeof(struct robust_list_head) on o32
}

int64_t SysPrlimit64(SyscallContext& c) {
  int resource = RlimitResourceToHost(c.a[1]);
  if (resource < 0) return -kMipsEinval;
  struct rlimit64 new_limit, old_limit;
  struct rlimit64* new_ptr = nullptr;
  if (c.a[2]) {
    GuestStruct in(c.mem, c.a[2], sizeof(mips::Rlimit64));
    if (!in.readable()) return -kMipsEfault;
    new_limit.rlim_cur = in.Get64(0);
    new_limit.rlim_max = in.Get64(8);
    new_ptr = &new_limit;
  }
  GuestStruct out(c.mem, c.a[3], sizeof(mips::Rlimit64));
  if (c.a[3] && !out.writable()) return -kMipsEfault;
  if (prlimit64(static_cast<pid_t>(c.a[0]), static_cast<__rlimit_resource>(resource), new_ptr,
                &old_limit) != 0) {
    return GuestResult(-1);
  }
  if (c.a[3]) {
    out.Put64(0, old_limit.rlim_cur);
    out.Put64(8, old_limit.rlim_max);
  }
  return 0;
}

int64_t SysGetrlimit(SyscallContext& c) {
  int resource = RlimitResourceToHost(c.a[0]);
  if (resource < 0) return -kMipsEinval;
  GuestStruct out(c.mem, c.a[1], 8);
  if (!out.writable()) return -kMipsEfault;
  struct rlimit64 lim;
  if (getrlimit64(static_cast<__rlimit_resource>(resource), &lim) != 0) return GuestResult(-1);
  auto clamp = [](uint64_t v) {
    return v >= kMipsRlimInfinity32 ? kMipsRlimInfinity32 : static_cast<uint32_t>(v);
  };
  out.Put32(0, clamp(lim.rlim_cur));
  out.Put32(4, clamp(lim.rlim_max));
  return 0;
}

int64_t SysSysinfo(SyscallContext& c) {
  GuestStruct g(c.mem, c.a[0], sizeof(mips::Sysinfo));
  if (!g.writable()) return -kMipsEfault;
  struct sysinfo si;
  if (sysinfo(&si) != 0) return GuestResult(-1);
  // Memory sizes are counted in mem_unit; scale them into 32 bits as a 32-bit kernel
  // with much memory does.
  uint64_t unit = si.mem_unit ? si.mem_unit : 1;
  auto fits = [&](uint64_t units) { return units * unit / unit == units && units <= 0xffffffffu; };
  while (!fits(si.totalram) || !fits(si.totalswap)) {
    unit *= 2;
    si.totalram /= 2, si.freeram /= 2, si.sharedram /= 2, si.bufferram /= 2;
    si.totalswap /= 2, si.freeswap /= 2, si.totalhigh /= 2, si.freehigh /= 2;
  }
  using S = mips::Sysinfo;
  g.Zero();
  g.Put32(offsetof(S, uptime), static_cast<uint32_t>(si.uptime));
  for (int i = 0; i < 3; ++i) g.Put32(offsetof(S, loads) + 4 * i, static_cast<uint32_t>(si.loads[i]));
  g.Put32(offsetof(S, totalram), static_cast<uint32_t>(si.totalram));
  g.Put32(offsetof(S, freeram), static_cast<uint32_t>(si.freeram));
  g.Put32(offsetof(S, sharedram), static_cast<uint32_t>(si.sharedram));
  g.Put32(offsetof(S, bufferram), static_cast<uint32_t>(si.bufferram));
  g.Put32(offsetof(S, totalswap), static_cast<uint32_t>(si.totalswap));
  g.Put32(offsetof(S, freeswap), static_cast<uint32_t>(si.freeswap));
  g.Put16(offsetof(S, procs), si.procs);
  g.Put32(offsetof(S, totalhigh), static_cast<uint32_t>(si.totalhigh));
  g.Put32(offsetof(S, freehigh), static_cast<uint32_t>(si.freehigh));
  g.Put32(offsetof(S, mem_unit), static_cast<uint32_t>(unit));
  return 0;
}

// prctl: the FPU register mode (PR_GET/SET_FP_MODE, as MIPS kernels implement them for
// a CPU with FR=1 support and no FRE), and the thread name; other options are refused
// with EINVAL, and --strace says so.
int64_t SysPrctl(SyscallContext& c) {
  constexpr uint32_t kSetName = 15, kGetName = 16, kSetFpMode = 45, kGetFpMode = 46;
  constexpr uint32_t kFpModeFr = 1, kFpModeFre = 2;
  switch (c.a[0]) {
    case kGetFpMode:
      return c.cpu.fr ? kFpModeFr : 0;
    case kSetFpMode:
      if (c.a[1] & ~(kFpModeFr | kFpModeFre)) return -kMipsEinval;
      if (c.a[1] & kFpModeFre) {
        c.note = "FRE mode is not supported";
        return -HostToMipsErrno(EOPNOTSUPP);
      }
      if (bool fr = c.a[1] & kFpModeFr; fr != c.cpu.fr) {
        SetFpuMode(c.cpu, fr);
        // Translated code is built for one mode: drop all of it.
        if (c.proc.invalidate_code) c.proc.invalidate_code(0, UINT32_MAX);
      }
      return 0;
    case kSetName: {
      std::string name;
      if (!c.mem.ReadString(c.a[1], &name, 64)) return -kMipsEfault;
      return GuestResult(prctl(PR_SET_NAME, name.c_str(), 0, 0, 0));
    }
    case kGetName: {
      char name[16] = {};
      if (!c.mem.CheckRange(c.a[1], sizeof name, true)) return -kMipsEfault;
      if (prctl(PR_GET_NAME, name, 0, 0, 0) != 0) return GuestResult(-1);
      memcpy(c.mem.Host(c.a[1]), name, sizeof name);
      return 0;
    }
  }
  c.note = "prctl option not supported by mipsrun";
  return -kMipsEinval;
}

int64_t SysGetrandom(SyscallContext& c) {
  if (!c.mem.CheckRange(c.a[0], c.a[1], true)) return -kMipsEfault;
  // GRND_NONBLOCK (1), GRND_RANDOM (2) and GRND_INSECURE (4) are generic.
  return GuestResult(getrandom(c.mem.Host(c.a[0]), c.a[1], c.a[2]));
}

// getrusage(who, usage): o32's struct rusage (syscalls/guest_rusage.h).
int64_t SysGetrusage(SyscallContext& c) {
  struct rusage ru;
  if (getrusage(static_cast<int>(c.a[0]), &ru) != 0) return GuestResult(-1);
  if (!GuestStruct(c.mem, c.a[1], kGuestRusageSize).writable()) return -kMipsEfault;
  PutRusage(c.mem, c.a[1], ru);
  return 0;
}

// times: struct tms of four 32-bit clock_t; the result is the clock in ticks.
int64_t SysTimes(SyscallContext& c) {
  struct tms t;
  clock_t now = times(&t);
  if (c.a[0] != 0) {
    GuestStruct g(c.mem, c.a[0], 16);
    if (!g.writable()) return -kMipsEfault;
    g.Put32(0, static_cast<uint32_t>(t.tms_utime));
    g.Put32(4, static_cast<uint32_t>(t.tms_stime));
    g.Put32(8, static_cast<uint32_t>(t.tms_cutime));
    g.Put32(12, static_cast<uint32_t>(t.tms_cstime));
  }
  return static_cast<uint32_t>(now);
}

constexpr SyscallDef kDefs[] = {
    {kNr_exit, SysExit, "d"},
    {kNr_exit_group, SysExit, "d"},
    {kNr_uname, SysUname, "p"},
    {kNr_getpid, SysGetpid, ""},
    {kNr_gettid, SysGettid, ""},
    {kNr_getppid, SysGetppid, ""},
    {kNr_getuid, SysGetuid, ""},
    {kNr_geteuid, SysGeteuid, ""},
    {kNr_getgid, SysGetgid, ""},
    {kNr_getegid, SysGetegid, ""},
    {kNr_set_thread_area, SysSetThreadArea, "p"},
    {kNr_set_tid_address, SysSetTidAddress, "p"},
    {kNr_set_robust_list, SysSetRobustList, "pu"},
    {kNr_prlimit64, SysPrlimit64, "ddpp"},
    {kNr_getrlimit, SysGetrlimit, "dp"},
    {kNr_sysinfo, SysSysinfo, "p"},
    {kNr_getrusage, SysGetrusage, "dp"},
    {kNr_times, SysTimes, "p", 'x'},
    {kNr_getrandom, SysGetrandom, "pux"},
    {kNr_prctl, SysPrctl, "dxxxx"},
};

}  // namespace

std::span<const SyscallDef> ProcessSyscalls() { return kDefs; }

}  // namespace mipsrun
