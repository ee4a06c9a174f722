// signalfd and signalfd4: guest signals read from a descriptor.
//
// mipsrun catches every host signal itself and keeps the guest's pending signals in
// SignalState, so a host signalfd would never see them. A guest signalfd is a host
// eventfd standing in for it (so it can be polled, closed, inherited like any fd) and a
// mask in Process::signalfds; reads take pending guest signals of the mask and write
// struct signalfd_siginfo, and the eventfd is made readable, before each wait for
// descriptors, exactly when such a signal is pending.
//
// struct signalfd_siginfo is the same 128 bytes on every architecture, in the guest's
// byte order, with the guest's signal numbers.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/fd_kinds.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"
#include "syscalls/signal_syscalls.h"

namespace mipsrun {
namespace {

constexpr uint32_t kInfoSize = 128;

// The union fields the kernel's signalfd_copyinfo() fills, by siginfo layout, from the
// MIPS siginfo words after si_signo, si_code, si_errno.
void PutInfo(GuestStruct& g, const GuestSiginfo& info) {
  g.Zero();
  g.Put32(0, static_cast<uint32_t>(info.signo));
  g.Put32(4, static_cast<uint32_t>(info.err));
  g.Put32(8, static_cast<uint32_t>(info.code));
  const uint32_t* f = info.fields;
  auto sender = [&] {
    g.Put32(12, f[0]);  // ssi_pid
    g.Put32(16, f[1]);  // ssi_uid
  };
  auto value = [&] {
    g.Put32(44, f[2]);  // ssi_int
    g.Put64(48, f[2]);  // ssi_ptr
  };
  int sig = info.signo;
  if (info.code == 0 || info.code == kMipsSiKernel) {
    sender();
  } else if (info.code == kMipsSiTimer) {
    g.Put32(24, f[0]);  // ssi_tid: the timer id
    g.Put32(32, f[1]);  // ssi_overrun
    value();
  } else if (info.code < 0) {
    sender();
    value();
  } else if (sig == mips_sig::kSegv || sig == mips_sig::kBus || sig == mips_sig::kIll ||
             sig == mips_sig::kFpe || sig == mips_sig::kTrap) {
    g.Put64(72, f[0]);  // ssi_addr
  } else if (sig == mips_sig::kChld) {
    sender();
    g.Put32(40, f[2]);  // ssi_status
    g.Put64(56, f[3]);  // ssi_utime
    g.Put64(64, f[4]);  // ssi_stime
  } else if (sig == mips_sig::kIo) {
    g.Put32(28, f[0]);  // ssi_band
    g.Put32(20, f[1]);  // ssi_fd
  } else {
    sender();
  }
}

bool Readable(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

int64_t Signalfd(SyscallContext& c, int fd, uint32_t mask_addr, uint32_t size, uint32_t flags) {
  if (size != kMipsSigsetSize) return -kMipsEinval;
  if (flags & ~(kMipsONonblock | kMipsOCloexec)) return -kMipsEinval;
  GuestSigset mask;
  if (!ReadMask(c, mask_addr, &mask)) return -kMipsEfault;
  auto& fds = c.proc.signalfds;
  if (fd != -1) {
    auto it = fds.find(fd);
    if (it == fds.end()) return -kMipsEinval;
    it->second = mask;
    return fd;
  }
  int host_flags = ((flags & kMipsONonblock) ? EFD_NONBLOCK : 0) |
                   ((flags & kMipsOCloexec) ? EFD_CLOEXEC : 0);
  int efd = eventfd(0, host_flags);
  if (efd < 0) return GuestResult(-1);
  fds[efd] = mask;
  return efd;
}
int64_t SysSignalfd(SyscallContext& c) {
  return Signalfd(c, static_cast<int>(c.a[0]), c.a[1], c.a[2], 0);
}
int64_t SysSignalfd4(SyscallContext& c) {
  return Signalfd(c, static_cast<int>(c.a[0]), c.a[1], c.a[2], c.a[3]);
}

constexpr SyscallDef kDefs[] = {
    {kNr_signalfd, SysSignalfd, "dpu", 'f'},
    {kNr_signalfd4, SysSignalfd4, "dpux", 'f'},
};

}  // namespace

int64_t SignalfdRead(SyscallContext& c, int fd, uint32_t buf, uint32_t len) {
  const GuestSigset mask = c.proc.signalfds.at(fd);
  uint32_t count = len / kInfoSize;
  if (count == 0) return -kMipsEinval;
  GuestStruct out(c.mem, buf, count * kInfoSize);
  if (!out.writable()) return -kMipsEfault;
  SignalState& st = c.proc.signals;
  int status = fcntl(fd, F_GETFL);
  bool nonblock = status >= 0 && (status & O_NONBLOCK);
  for (;;) {
    DrainHostSignals(st);
    uint32_t n = 0;
    GuestSiginfo info;
    while (n < count && st.Take(mask, &info)) {
      GuestStruct one(c.mem, buf + n * kInfoSize, kInfoSize);
      PutInfo(one, info);
      ++n;
    }
    if (n > 0) {
      SyncSignalfds(c);
      return n * kInfoSize;
    }
    if (nonblock) return -kMipsEagain;
    // A signal the guest does not read here but handles ends the read (and restarts it).
    if (st.HasDeliverable()) return -kMipsEintr;
    SafeSyscall(SYS_ppoll, 0, 0, 0, 0, 8);
  }
}

void SyncSignalfds(SyscallContext& c) {
  if (c.proc.signalfds.empty()) return;
  DrainHostSignals(c.proc.signals);
  GuestSigset pending = c.proc.signals.pending();
  for (const auto& [fd, mask] : c.proc.signalfds) {
    bool want = !(pending & mask).Empty();
    if (want == Readable(fd)) continue;
    uint64_t v = 1;
    if (want) {
      (void)!write(fd, &v, sizeof v);
    } else {
      (void)!read(fd, &v, sizeof v);
    }
  }
}

// The guest signalfd that /proc/{self,thread-self,<pid>}/<dir>/N names, or -1.
static int SignalfdOfProcPath(const Process& p, const std::string& path, const char* dir) {
  for (const std::string& proc : {std::string("/proc/self/"), std::string("/proc/thread-self/"),
                                  "/proc/" + std::to_string(getpid()) + "/"}) {
    std::string prefix = proc + dir + "/";
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) continue;
    std::string num = path.substr(prefix.size());
    if (num.size() > 9 || num.find_first_not_of("0123456789") != std::string::npos) return -1;
    int fd = std::stoi(num);
    return IsSignalfd(p, fd) ? fd : -1;
  }
  return -1;
}

std::string SignalfdProcLink(const Process& p, const std::string& path) {
  return SignalfdOfProcPath(p, path, "fd") >= 0 ? "anon_inode:[signalfd]" : "";
}

int OpenSignalfdInfo(const Process& p, const std::string& path, int host_flags) {
  int fd = SignalfdOfProcPath(p, path, "fdinfo");
  if (fd < 0) return -1;
  // The host's lines for the eventfd, less its counter, and the kernel's signalfd line:
  // render_sigset_t() prints all _NSIG bits (128 on MIPS), highest signals first.
  std::string host_path = "/proc/self/fdinfo/" + std::to_string(fd);
  int in = open(host_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return -errno;
  std::string text, out;
  char buf[512];
  for (ssize_t n; (n = read(in, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(in);
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    end = end == std::string::npos ? text.size() : end + 1;
    std::string line = text.substr(pos, end - pos);
    if (line.rfind("eventfd-", 0) != 0) out += line;
    pos = end;
  }
  const GuestSigset& mask = p.signalfds.at(fd);
  char sigmask[64];
  snprintf(sigmask, sizeof sigmask, "sigmask:\t%016llx%016llx\n",
           static_cast<unsigned long long>(mask.bits[1]), static_cast<unsigned long long>(mask.bits[0]));
  out += sigmask;
  int mfd = memfd_create("signalfd-fdinfo", host_flags & O_CLOEXEC ? MFD_CLOEXEC : 0);
  if (mfd < 0) return -errno;
  if (write(mfd, out.data(), out.size()) != static_cast<ssize_t>(out.size())) {
    close(mfd);
    return -EIO;
  }
  lseek(mfd, 0, SEEK_SET);
  return mfd;
}

std::span<const SyscallDef> SignalfdSyscalls() { return kDefs; }

}  // namespace mipsrun
