// Child processes: fork and clone (a new process, not a thread), and waiting for
// children (wait4, waitpid, waitid) with MIPS signal numbers in their statuses.
//
// A child is a host fork of mipsrun: guest memory, descriptors and the runtime's state
// are copied as the kernel copies a process. clone with CLONE_VM | CLONE_VFORK (what
// glibc's posix_spawn and system() use) gets vfork's order, the parent waiting until
// the child execs or exits, but not its shared memory: what the child writes before
// exec stays in the child. Threads (CLONE_THREAD) are syscalls/threads.cc's.
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "runtime/guest_threads.h"
#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/mips_abi.h"
#include "syscalls/guest_rusage.h"
#include "syscalls/guest_struct.h"
#include "syscalls/signal_numbers.h"
#include "syscalls/signal_syscalls.h"
#include "syscalls/threads.h"

namespace mipsrun {
namespace {

constexpr uint32_t kCloneSignalMask = 0xff;  // CSIGNAL: the exit signal
// The flags a process (not a thread) clone may carry; their values are the same on
// MIPS and x86-64 (include/uapi/linux/sched.h).
constexpr uint32_t kCloneProcessFlags = CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID |
                                        CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
                                        CLONE_SETTLS | kCloneSignalMask;

bool PutWord(SyscallContext& c, uint32_t addr, uint32_t value) {
  GuestStruct g(c.mem, addr, 4);
  if (!g.writable()) return false;
  g.Put32(0, value);
  return true;
}

// The end of a pipe that is closed by exec or exit: a vfork parent reads it until EOF.
// Moved up out of the way of the descriptors the guest is about to arrange.
int HighCloexec(int fd) {
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 512);
  if (high < 0) return fd;
  close(fd);
  return high;
}

void WaitForExecOrExit(int fd) {
  char byte;
  while (read(fd, &byte, 1) < 0 && errno == EINTR) {
  }
  close(fd);
}

// The child's side of a fork: what the kernel does not copy into a new process.
void BecomeChild(SyscallContext& c) {
  ForgetHostSignals();
  if (c.proc.threads) c.proc.threads->AfterForkInChild();  // the caller alone goes on
  c.proc.signals.ResetForChild();
  if (c.proc.vfork_fd >= 0) {  // a vfork child's own pipe end is not its child's
    close(c.proc.vfork_fd);
    c.proc.vfork_fd = -1;
  }
}

// clone(flags, newsp, parent_tid, tls, child_tid): MIPS passes tls before child_tid
// (CONFIG_CLONE_BACKWARDS); child_tid is the fifth argument, from the guest stack.
int64_t Clone(SyscallContext& c, uint32_t flags, uint32_t newsp, uint32_t ptid, uint32_t tls,
              uint32_t ctid) {
  if (flags & CLONE_THREAD) return CloneThread(c, flags, newsp, ptid, tls, ctid);
  if ((flags & ~kCloneProcessFlags) != 0 || ((flags & CLONE_VM) && !(flags & CLONE_VFORK))) {
    c.note = "shared-state clones other than threads are not implemented by mipsrun";
    return -kMipsEnosys;
  }
  int exit_signal = static_cast<int>(flags & kCloneSignalMask);
  if (exit_signal != mips_sig::kChld) {
    c.note = "a child exit signal other than SIGCHLD is not implemented by mipsrun";
    return -kMipsEnosys;
  }
  int vfork_pipe[2] = {-1, -1};
  if ((flags & CLONE_VFORK) && pipe2(vfork_pipe, O_CLOEXEC) != 0) return GuestResult(-1);

  if (c.proc.on_fork) c.proc.on_fork(ForkStage::kBefore);
  pid_t pid = fork();
  int saved_errno = errno;
  if (c.proc.on_fork) c.proc.on_fork(pid == 0 ? ForkStage::kChild : ForkStage::kParent);

  if (pid == 0) {
    BecomeChild(c);
    if (vfork_pipe[1] >= 0) {
      close(vfork_pipe[0]);
      c.proc.vfork_fd = HighCloexec(vfork_pipe[1]);
    }
    if (newsp != 0) c.cpu.gpr[29] = newsp;
    if (flags & CLONE_SETTLS) c.cpu.tls = tls;
    if (flags & CLONE_CHILD_SETTID) PutWord(c, ctid, static_cast<uint32_t>(gettid()));
    if (flags & CLONE_CHILD_CLEARTID) c.proc.clear_child_tid = ctid;
    return 0;
  }
  if (vfork_pipe[1] >= 0) close(vfork_pipe[1]);
  if (pid < 0) {
    if (vfork_pipe[0] >= 0) close(vfork_pipe[0]);
    errno = saved_errno;
    return GuestResult(-1);
  }
  // The kernel stores the parent's copy only: the child's memory was copied before.
  if (flags & CLONE_PARENT_SETTID) PutWord(c, ptid, static_cast<uint32_t>(pid));
  if (vfork_pipe[0] >= 0) WaitForExecOrExit(vfork_pipe[0]);
  return pid;
}

int64_t SysClone(SyscallContext& c) { return Clone(c, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]); }
int64_t SysFork(SyscallContext& c) { return Clone(c, mips_sig::kChld, 0, 0, 0, 0); }

// A host wait status with the guest's signal numbers: the terminating signal in bits
// 0-6 (bit 7: core dumped), a stop signal in bits 8-15 under 0x7f.
uint32_t GuestWaitStatus(int status) {
  auto map = [](int host) {
    int mips = HostToMipsSignal(host);
    return mips > 0 ? mips : host;
  };
  if (WIFSIGNALED(status)) return static_cast<uint32_t>((status & ~0x7f) | map(WTERMSIG(status)));
  if (WIFSTOPPED(status)) {
    return static_cast<uint32_t>((status & ~0xff00) | (map(WSTOPSIG(status)) << 8));
  }
  return static_cast<uint32_t>(status);  // exited, or continued (0xffff)
}

// The host pid argument: a pid, 0 (the caller's group), -1 (any) or -pgid.
int64_t Wait4(SyscallContext& c, uint32_t pid, uint32_t status_addr, uint32_t options,
              uint32_t rusage_addr) {
  if (status_addr != 0 && !GuestStruct(c.mem, status_addr, 4).writable()) return -kMipsEfault;
  if (rusage_addr != 0 && !GuestStruct(c.mem, rusage_addr, kGuestRusageSize).writable()) {
    return -kMipsEfault;
  }
  int status = 0;
  struct rusage ru;
  long r = SafeSyscall(SYS_wait4, static_cast<int32_t>(pid), reinterpret_cast<long>(&status),
                       static_cast<int>(options), rusage_addr ? reinterpret_cast<long>(&ru) : 0);
  if (r > 0) {
    if (status_addr != 0) PutWord(c, status_addr, GuestWaitStatus(status));
    if (rusage_addr != 0) PutRusage(c.mem, rusage_addr, ru);
  }
  return GuestResultFromNegErrno(r);
}

int64_t SysWait4(SyscallContext& c) { return Wait4(c, c.a[0], c.a[1], c.a[2], c.a[3]); }
int64_t SysWaitpid(SyscallContext& c) { return Wait4(c, c.a[0], c.a[1], c.a[2], 0); }

// waitid(idtype, id, infop, options, rusage): the child's state as a SIGCHLD siginfo.
int64_t SysWaitid(SyscallContext& c) {
  constexpr uint32_t kSiginfoSize = 128;
  if (c.a[2] != 0 && !GuestStruct(c.mem, c.a[2], kSiginfoSize).writable()) return -kMipsEfault;
  if (c.a[4] != 0 && !GuestStruct(c.mem, c.a[4], kGuestRusageSize).writable()) {
    return -kMipsEfault;
  }
  siginfo_t info{};
  struct rusage ru;
  long r = SafeSyscall(SYS_waitid, static_cast<int>(c.a[0]), static_cast<int32_t>(c.a[1]),
                       reinterpret_cast<long>(&info), static_cast<int>(c.a[3]),
                       c.a[4] ? reinterpret_cast<long>(&ru) : 0);
  if (r == 0) {
    if (c.a[2] != 0) {
      GuestStruct out(c.mem, c.a[2], kSiginfoSize);
      if (info.si_signo == 0) {
        out.Zero();  // WNOHANG and no child ready: the kernel clears it
      } else {
        WriteSiginfo(out, GuestSiginfoFromHost(info));
      }
    }
    if (c.a[4] != 0) PutRusage(c.mem, c.a[4], ru);
  }
  return GuestResultFromNegErrno(r);
}

constexpr SyscallDef kSyscalls[] = {
    {kNr_fork, SysFork, ""},
    {kNr_clone, SysClone, "xppxp"},
    {kNr_wait4, SysWait4, "dpxp"},
    {kNr_waitpid, SysWaitpid, "dpx"},
    {kNr_waitid, SysWaitid, "ddpxp"},
};

}  // namespace

std::span<const SyscallDef> ChildSyscalls() { return kSyscalls; }

}  // namespace mipsrun
