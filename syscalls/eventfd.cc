// eventfd and eventfd2. The counter that read and write move is a host-order 64-bit
// value; a big-endian guest reads and writes it in its own order, so its eventfds are
// listed in Process::eventfds and their reads and writes swap it. EFD_NONBLOCK and
// EFD_CLOEXEC are MIPS's O_NONBLOCK and O_CLOEXEC; EFD_SEMAPHORE is 1 everywhere.
#include <sys/eventfd.h>
#include <sys/syscall.h>

#include <cerrno>

#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/fd_kinds.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMipsEfdSemaphore = 1;

int64_t Eventfd(SyscallContext& c, uint32_t flags) {
  if (flags & ~(kMipsEfdSemaphore | kMipsONonblock | kMipsOCloexec)) return -kMipsEinval;
  int host = ((flags & kMipsEfdSemaphore) ? EFD_SEMAPHORE : 0) |
             ((flags & kMipsONonblock) ? EFD_NONBLOCK : 0) |
             ((flags & kMipsOCloexec) ? EFD_CLOEXEC : 0);
  int fd = eventfd(c.a[0], host);
  if (fd < 0) return GuestResult(-1);
  if (c.mem.big_endian()) c.proc.eventfds.insert(fd);
  return fd;
}
int64_t SysEventfd(SyscallContext& c) { return Eventfd(c, 0); }
int64_t SysEventfd2(SyscallContext& c) { return Eventfd(c, c.a[1]); }

constexpr SyscallDef kDefs[] = {
    {kNr_eventfd, SysEventfd, "u", 'f'},
    {kNr_eventfd2, SysEventfd2, "ux", 'f'},
};

}  // namespace

// Short buffers fail with EINVAL in the host call itself, as they should.
int64_t EventfdRead(SyscallContext& c, int fd, uint32_t buf, uint32_t len) {
  GuestStruct out(c.mem, buf, 8);
  if (len >= 8 && !out.writable()) return -kMipsEfault;
  uint64_t v = 0;
  long r = SafeSyscall(SYS_read, fd, reinterpret_cast<long>(&v), len >= 8 ? 8 : len);
  if (r < 0) return GuestResultFromNegErrno(r);
  out.Put64(0, v);
  return r;
}

int64_t EventfdWrite(SyscallContext& c, int fd, uint32_t buf, uint32_t len) {
  GuestStruct in(c.mem, buf, 8);
  if (len >= 8 && !in.readable()) return -kMipsEfault;
  uint64_t v = len >= 8 ? in.Get64(0) : 0;
  long r = SafeSyscall(SYS_write, fd, reinterpret_cast<long>(&v), len >= 8 ? 8 : len);
  return GuestResultFromNegErrno(r);
}

std::span<const SyscallDef> EventfdSyscalls() { return kDefs; }

}  // namespace mipsrun
