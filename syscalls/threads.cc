// Guest threads: clone with CLONE_THREAD, futex, the exit of one thread, sched_yield.
// The threads themselves and their run lock are runtime/guest_threads.h.
//
// Guest memory is host memory at a fixed offset, so a futex word is a host futex word:
// waits and wakes go to the host kernel, which compares and sleeps atomically. A
// big-endian guest's words hold their bytes in guest order, so the values compared with
// them are byte-swapped on the way.
#include "syscalls/threads.h"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>

#include "runtime/guest_threads.h"
#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/guest_time.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

constexpr uint32_t kCloneSignalMask = 0xff;
// What glibc's pthread_create passes, all of which a guest thread gets anyway (one
// address space, descriptor table, cwd and signal handlers: the host process's).
constexpr uint32_t kThreadRequired = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
constexpr uint32_t kThreadAllowed = kThreadRequired | CLONE_SYSVSEM | CLONE_SETTLS |
                                    CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
                                    CLONE_CHILD_CLEARTID | CLONE_DETACHED;

int64_t SysSchedYield(SyscallContext& c) {
  if (c.proc.threads) c.proc.threads->Yield();
  return sched_yield() == 0 ? 0 : GuestResult(-1);
}

uint32_t FutexWord(const SyscallContext& c, uint32_t v) {
  return c.mem.big_endian() ? __builtin_bswap32(v) : v;
}

// futex(uaddr, op, val, timeout or val2, uaddr2, val3).
int64_t Futex(SyscallContext& c, TimeLayout layout) {
  const uint32_t addr = c.a[0], op = c.a[1], val = c.a[2], arg3 = c.a[3], addr2 = c.a[4],
                 val3 = c.a[5];
  const uint32_t cmd = op & ~static_cast<uint32_t>(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  if (addr & 3) return -kMipsEinval;
  if (!c.mem.CheckRange(addr, 4, false)) return -kMipsEfault;
  void* host = c.mem.Host(addr);
  auto second = [&c, addr2]() -> void* {
    return (addr2 & 3) == 0 && c.mem.CheckRange(addr2, 4, false) ? c.mem.Host(addr2) : nullptr;
  };
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      struct timespec ts;
      if (arg3 != 0) {
        if (!ReadTimespec(c, arg3, layout, &ts)) return -kMipsEfault;
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return -kMipsEinval;
      }
      long r = SafeSyscall(SYS_futex, reinterpret_cast<long>(host), op, FutexWord(c, val),
                           arg3 != 0 ? reinterpret_cast<long>(&ts) : 0, 0, val3);
      return GuestResultFromNegErrno(r);
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
      return GuestResult(syscall(SYS_futex, host, op, val, nullptr, nullptr, val3));
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
      void* host2 = second();
      if (!host2) return addr2 & 3 ? -kMipsEinval : -kMipsEfault;
      // The timeout slot carries the number of waiters to requeue.
      return GuestResult(syscall(SYS_futex, host, op, val, static_cast<long>(arg3), host2,
                                 FutexWord(c, val3)));
    }
    case FUTEX_WAKE_OP: {
      if (c.mem.big_endian()) {
        // The host would do the operation on the word's bytes in its own order.
        c.note = "FUTEX_WAKE_OP on a big-endian guest is not implemented by mipsrun";
        return -kMipsEnosys;
      }
      void* host2 = second();
      if (!host2) return addr2 & 3 ? -kMipsEinval : -kMipsEfault;
      return GuestResult(syscall(SYS_futex, host, op, val, static_cast<long>(arg3), host2, val3));
    }
    default:
      c.note = "priority-inheritance futexes are not implemented by mipsrun";
      return -kMipsEnosys;
  }
}

int64_t SysFutex(SyscallContext& c) { return Futex(c, TimeLayout::k32); }
int64_t SysFutexTime64(SyscallContext& c) { return Futex(c, TimeLayout::k64); }

constexpr SyscallDef kSyscalls[] = {
    {kNr_sched_yield, SysSchedYield, ""},
    {kNr_futex, SysFutex, "pxxpxx"},
    {kNr_futex_time64, SysFutexTime64, "pxxpxx"},
};

}  // namespace

int64_t CloneThread(SyscallContext& c, uint32_t flags, uint32_t newsp, uint32_t ptid,
                    uint32_t tls, uint32_t ctid) {
  if ((flags & kThreadRequired) != kThreadRequired || (flags & ~kThreadAllowed) != 0 ||
      (flags & kCloneSignalMask) != 0) {
    c.note = "this combination of clone flags is not implemented by mipsrun";
    return -kMipsEnosys;
  }
  if (!c.proc.threads) c.proc.threads = new GuestThreads(c.proc, c.cpu);
  // The child starts where the parent returns (pc is past the syscall already), with
  // clone's result 0 and its own stack and TLS.
  auto cpu = std::make_unique<CpuState>(c.cpu);
  cpu->gpr[2] = 0;
  cpu->gpr[7] = 0;
  if (newsp != 0) cpu->gpr[29] = newsp;
  if (flags & CLONE_SETTLS) cpu->tls = tls;
  cpu->interrupt = 0;
  cpu->ll_valid = false;
  cpu->cur_block = nullptr;
  long tid = c.proc.threads->Start(std::move(cpu), flags & CLONE_CHILD_CLEARTID ? ctid : 0,
                                   flags & CLONE_CHILD_SETTID ? ctid : 0);
  if (tid < 0) return -HostToMipsErrno(static_cast<int>(-tid));
  if (flags & CLONE_PARENT_SETTID) {
    GuestStruct g(c.mem, ptid, 4);
    if (g.writable()) g.Put32(0, static_cast<uint32_t>(tid));
  }
  return tid;
}

std::span<const SyscallDef> ThreadSyscalls() { return kSyscalls; }

}  // namespace mipsrun
