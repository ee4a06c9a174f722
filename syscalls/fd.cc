// File-descriptor syscalls: I/O on open descriptors, duplication, pipes, fcntl, ioctl.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/fd_kinds.h"
#include "syscalls/flags.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMaxIov = 1024;  // UIO_MAXIOV

int64_t SysRead(SyscallContext& c) {
  int fd = static_cast<int>(c.a[0]);
  if (IsSignalfd(c.proc, fd)) return SignalfdRead(c, fd, c.a[1], c.a[2]);
  if (IsSwappedEventfd(c.proc, fd)) return EventfdRead(c, fd, c.a[1], c.a[2]);
  void* buf = c.Ptr(c.a[1], c.a[2]);
  if (!buf && c.a[2]) return -kMipsEfault;
  return GuestResultFromNegErrno(SafeSyscall(SYS_read, static_cast<int>(c.a[0]), reinterpret_cast<long>(buf), c.a[2]));
}

int64_t SysWrite(SyscallContext& c) {
  int fd = static_cast<int>(c.a[0]);
  if (IsSwappedEventfd(c.proc, fd)) return EventfdWrite(c, fd, c.a[1], c.a[2]);
  void* buf = c.Ptr(c.a[1], c.a[2]);
  if (!buf && c.a[2]) return -kMipsEfault;
  return GuestResultFromNegErrno(SafeSyscall(SYS_write, static_cast<int>(c.a[0]), reinterpret_cast<long>(buf), c.a[2]));
}

int64_t SysPread64(SyscallContext& c) {
  void* buf = c.Ptr(c.a[1], c.a[2]);
  if (!buf && c.a[2]) return -kMipsEfault;
  return GuestResult(pread(static_cast<int>(c.a[0]), buf, c.a[2], static_cast<off_t>(c.Arg64(4))));
}

int64_t SysPwrite64(SyscallContext& c) {
  void* buf = c.Ptr(c.a[1], c.a[2]);
  if (!buf && c.a[2]) return -kMipsEfault;
  return GuestResult(pwrite(static_cast<int>(c.a[0]), buf, c.a[2], static_cast<off_t>(c.Arg64(4))));
}

// Builds host iovecs from the guest's array of {uint32 base, uint32 len}.
int64_t LoadIov(SyscallContext& c, uint32_t addr, uint32_t count, std::vector<iovec>* out) {
  if (count > kMaxIov) return -kMipsEinval;
  if (count == 0) return 0;
  if (!c.Ptr(addr, uint64_t{count} * 8) || !c.mem.IsReadable(addr) ||
      !c.mem.IsReadable(addr + count * 8 - 1)) {
    return -kMipsEfault;
  }
  out->resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t base = c.mem.Read32(addr + 8 * i), len = c.mem.Read32(addr + 8 * i + 4);
    void* p = c.Ptr(base, len);
    if (!p && len) return -kMipsEfault;
    (*out)[i] = {p, len};
  }
  return 0;
}

int64_t SysReadv(SyscallContext& c) {
  std::vector<iovec> iov;
  if (int64_t e = LoadIov(c, c.a[1], c.a[2], &iov)) return e;
  return GuestResultFromNegErrno(SafeSyscall(SYS_readv, static_cast<int>(c.a[0]),
                                              reinterpret_cast<long>(iov.data()),
                                              static_cast<long>(iov.size())));
}

int64_t SysWritev(SyscallContext& c) {
  std::vector<iovec> iov;
  if (int64_t e = LoadIov(c, c.a[1], c.a[2], &iov)) return e;
  return GuestResultFromNegErrno(SafeSyscall(SYS_writev, static_cast<int>(c.a[0]),
                                              reinterpret_cast<long>(iov.data()),
                                              static_cast<long>(iov.size())));
}

int64_t SysClose(SyscallContext& c) {
  int fd = static_cast<int>(c.a[0]);
  int64_t r = GuestResult(close(fd));
  if (r == 0) NoteFdClosed(c.proc, fd);
  return r;
}

int64_t SysLseek(SyscallContext& c) {
  off_t r = lseek(static_cast<int>(c.a[0]), static_cast<int32_t>(c.a[1]), static_cast<int>(c.a[2]));
  if (r < 0) return GuestResult(r);
  // The 32-bit lseek cannot report offsets past 2 GiB.
  if (r > 0x7fffffff) return -HostToMipsErrno(EOVERFLOW);
  return r;
}

// _llseek(fd, offset_high, offset_low, loff_t *result, whence)
int64_t SysLlseek(SyscallContext& c) {
  int64_t off = static_cast<int64_t>((uint64_t{c.a[1]} << 32) | c.a[2]);
  if (!c.Ptr(c.a[3], 8)) return -kMipsEfault;
  off_t r = lseek(static_cast<int>(c.a[0]), off, static_cast<int>(c.a[4]));
  if (r < 0) return GuestResult(r);
  if (!c.mem.IsReadable(c.a[3])) return -kMipsEfault;
  c.mem.Write64(c.a[3], static_cast<uint64_t>(r));
  return 0;
}

// The new descriptor of a dup: a signalfd's copy is one too.
int64_t Duplicated(SyscallContext& c, int64_t r) {
  if (r >= 0) NoteFdDuplicated(c.proc, static_cast<int>(c.a[0]), static_cast<int>(r));
  return r;
}
int64_t SysDup(SyscallContext& c) {
  return Duplicated(c, GuestResult(dup(static_cast<int>(c.a[0]))));
}
int64_t SysDup2(SyscallContext& c) {
  return Duplicated(c, GuestResult(dup2(static_cast<int>(c.a[0]), static_cast<int>(c.a[1]))));
}
int64_t SysDup3(SyscallContext& c) {
  return Duplicated(c, GuestResult(dup3(static_cast<int>(c.a[0]), static_cast<int>(c.a[1]),
                                        OpenFlagsToHost(c.a[2]))));
}

// MIPS pipe() returns the read end in v0 and the write end in v1; no pointer.
int64_t SysPipe(SyscallContext& c) {
  int fds[2];
  if (pipe(fds) != 0) return GuestResult(-1);
  c.v1 = static_cast<uint32_t>(fds[1]);
  return fds[0];
}

int64_t SysPipe2(SyscallContext& c) {
  if (!c.Ptr(c.a[0], 8)) return -kMipsEfault;
  int fds[2];
  if (pipe2(fds, OpenFlagsToHost(c.a[1])) != 0) return GuestResult(-1);
  GuestStruct out(c.mem, c.a[0], 8);
  if (!out.writable()) {
    close(fds[0]);
    close(fds[1]);
    return -kMipsEfault;
  }
  out.Put32(0, static_cast<uint32_t>(fds[0]));
  out.Put32(4, static_cast<uint32_t>(fds[1]));
  return 0;
}

// struct flock64 (asm-generic/fcntl.h on o32): short type, whence; 4 bytes of
// padding; int64 start, len; int32 pid; padding to 32 bytes.
int64_t FcntlLock(SyscallContext& c, int host_cmd) {
  GuestStruct g(c.mem, c.a[2], 32);
  if (!g.readable()) return -kMipsEfault;
  struct flock fl = {};
  fl.l_type = static_cast<short>(g.Get16(0));
  fl.l_whence = static_cast<short>(g.Get16(2));
  fl.l_start = static_cast<off_t>(g.Get64(8));
  fl.l_len = static_cast<off_t>(g.Get64(16));
  fl.l_pid = static_cast<pid_t>(g.Get32(24));
  if (fcntl(static_cast<int>(c.a[0]), host_cmd, &fl) != 0) return GuestResult(-1);
  if (host_cmd == F_GETLK) {
    if (!g.writable()) return -kMipsEfault;
    g.Put16(0, static_cast<uint16_t>(fl.l_type));
    g.Put16(2, static_cast<uint16_t>(fl.l_whence));
    g.Put64(8, static_cast<uint64_t>(fl.l_start));
    g.Put64(16, static_cast<uint64_t>(fl.l_len));
    g.Put32(24, static_cast<uint32_t>(fl.l_pid));
  }
  return 0;
}

int64_t SysFcntl64(SyscallContext& c) {
  int fd = static_cast<int>(c.a[0]);
  int cmd = static_cast<int>(c.a[1]);
  switch (cmd) {
    case kMipsFDupfd:
      return Duplicated(c, GuestResult(fcntl(fd, F_DUPFD, static_cast<int>(c.a[2]))));
    case kMipsFDupfdCloexec:
      return Duplicated(c, GuestResult(fcntl(fd, F_DUPFD_CLOEXEC, static_cast<int>(c.a[2]))));
    case kMipsFGetfd:  // FD_CLOEXEC is 1 on both sides
      return GuestResult(fcntl(fd, F_GETFD));
    case kMipsFSetfd:
      return GuestResult(fcntl(fd, F_SETFD, static_cast<int>(c.a[2])));
    case kMipsFGetfl: {
      int r = fcntl(fd, F_GETFL);
      return r < 0 ? GuestResult(r) : OpenFlagsFromHost(r);
    }
    case kMipsFSetfl:
      return GuestResult(fcntl(fd, F_SETFL, OpenFlagsToHost(c.a[2])));
    case kMipsFGetown:
      return GuestResult(fcntl(fd, F_GETOWN));
    case kMipsFSetown:
      return GuestResult(fcntl(fd, F_SETOWN, static_cast<int>(c.a[2])));
    case kMipsFGetlk64:
      return FcntlLock(c, F_GETLK);
    case kMipsFSetlk64:
      return FcntlLock(c, F_SETLK);
    case kMipsFSetlkw64:
      return FcntlLock(c, F_SETLKW);
  }
  c.note = "fcntl command not supported by mipsrun";
  return -kMipsEinval;
}

// Local flag bits whose values differ between MIPS and x86-64 (asm/termbits.h).
constexpr std::pair<uint32_t, tcflag_t> kLflags[] = {
    {0x00001, ISIG},    {0x00002, ICANON},  {0x00004, XCASE},   {0x00008, ECHO},
    {0x00010, ECHOE},   {0x00020, ECHOK},   {0x00040, ECHONL},  {0x00080, NOFLSH},
    {0x00100, IEXTEN},  {0x00200, ECHOCTL}, {0x00400, ECHOPRT}, {0x00800, ECHOKE},
    {0x02000, FLUSHO},  {0x04000, PENDIN},  {0x08000, TOSTOP},  {0x10000, EXTPROC},
};
// c_cc slots: MIPS index -> host index.
constexpr std::pair<int, int> kCcSlots[] = {
    {0, VINTR},   {1, VQUIT},   {2, VERASE},    {3, VKILL},     {4, VMIN},
    {5, VTIME},   {6, VEOL2},   {7, VSWTC},     {8, VSTART},    {9, VSTOP},
    {10, VSUSP},  {12, VREPRINT}, {13, VDISCARD}, {14, VWERASE}, {15, VLNEXT},
    {16, VEOF},   {17, VEOL},
};

int64_t IoctlTcgets(SyscallContext& c) {
  GuestStruct g(c.mem, c.a[2], sizeof(mips::Termios));
  struct termios t;
  if (tcgetattr(static_cast<int>(c.a[0]), &t) != 0) return GuestResult(-1);
  if (!g.writable()) return -kMipsEfault;
  uint32_t lflag = 0;
  for (auto [m, h] : kLflags) {
    if (t.c_lflag & h) lflag |= m;
  }
  // c_iflag, c_oflag and c_cflag use the generic values on MIPS too.
  g.Put32(offsetof(mips::Termios, c_iflag), t.c_iflag);
  g.Put32(offsetof(mips::Termios, c_oflag), t.c_oflag);
  g.Put32(offsetof(mips::Termios, c_cflag), t.c_cflag);
  g.Put32(offsetof(mips::Termios, c_lflag), lflag);
  g.Put8(offsetof(mips::Termios, c_line), t.c_line);
  for (int i = 0; i < mips::kMipsNccs; ++i) g.Put8(offsetof(mips::Termios, c_cc) + i, 0);
  for (auto [m, h] : kCcSlots) g.Put8(offsetof(mips::Termios, c_cc) + m, t.c_cc[h]);
  return 0;
}

// TCSETS, TCSETSW, TCSETSF: tcsetattr with TCSANOW, TCSADRAIN, TCSAFLUSH. Control
// characters MIPS has no slot for keep the terminal's values.
int64_t IoctlTcsets(SyscallContext& c, int when) {
  GuestStruct g(c.mem, c.a[2], sizeof(mips::Termios));
  if (!g.readable()) return -kMipsEfault;
  int fd = static_cast<int>(c.a[0]);
  struct termios t;
  if (tcgetattr(fd, &t) != 0) return GuestResult(-1);
  uint32_t lflag = g.Get32(offsetof(mips::Termios, c_lflag));
  t.c_lflag = 0;
  for (auto [m, h] : kLflags) {
    if (lflag & m) t.c_lflag |= h;
  }
  t.c_iflag = g.Get32(offsetof(mips::Termios, c_iflag));
  t.c_oflag = g.Get32(offsetof(mips::Termios, c_oflag));
  t.c_cflag = g.Get32(offsetof(mips::Termios, c_cflag));
  t.c_line = g.Get8(offsetof(mips::Termios, c_line));
  for (auto [m, h] : kCcSlots) t.c_cc[h] = g.Get8(offsetof(mips::Termios, c_cc) + m);
  return GuestResult(tcsetattr(fd, when, &t));
}

int64_t IoctlSetWinsize(SyscallContext& c) {
  GuestStruct g(c.mem, c.a[2], sizeof(mips::Winsize));
  if (!g.readable()) return -kMipsEfault;
  struct winsize ws = {g.Get16(0), g.Get16(2), g.Get16(4), g.Get16(6)};
  return GuestResult(ioctl(static_cast<int>(c.a[0]), TIOCSWINSZ, &ws));
}

// Requests whose argument is an int the kernel reads (in) or writes (out).
int64_t IoctlIntIn(SyscallContext& c, unsigned long request) {
  GuestStruct g(c.mem, c.a[2], 4);
  if (!g.readable()) return -kMipsEfault;
  int v = static_cast<int>(g.Get32(0));
  return GuestResult(ioctl(static_cast<int>(c.a[0]), request, &v));
}

int64_t IoctlIntOut(SyscallContext& c, unsigned long request) {
  GuestStruct g(c.mem, c.a[2], 4);
  if (!g.writable()) return -kMipsEfault;
  int v = 0;
  if (ioctl(static_cast<int>(c.a[0]), request, &v) != 0) return GuestResult(-1);
  g.Put32(0, static_cast<uint32_t>(v));
  return 0;
}

int64_t IoctlWinsize(SyscallContext& c) {
  GuestStruct g(c.mem, c.a[2], sizeof(mips::Winsize));
  struct winsize ws;
  if (ioctl(static_cast<int>(c.a[0]), TIOCGWINSZ, &ws) != 0) return GuestResult(-1);
  if (!g.writable()) return -kMipsEfault;
  g.Put16(0, ws.ws_row);
  g.Put16(2, ws.ws_col);
  g.Put16(4, ws.ws_xpixel);
  g.Put16(6, ws.ws_ypixel);
  return 0;
}

int64_t SysIoctl(SyscallContext& c) {
  switch (c.a[1]) {
    case kMipsTcgets: return IoctlTcgets(c);
    case kMipsTiocgwinsz: return IoctlWinsize(c);
    case kMipsTcsets: return IoctlTcsets(c, TCSANOW);
    case kMipsTcsetsw: return IoctlTcsets(c, TCSADRAIN);
    case kMipsTcsetsf: return IoctlTcsets(c, TCSAFLUSH);
    case kMipsTiocswinsz: return IoctlSetWinsize(c);
    case kMipsTiocspgrp: return IoctlIntIn(c, TIOCSPGRP);
    case kMipsTiocgpgrp: return IoctlIntOut(c, TIOCGPGRP);
    case kMipsTiocoutq: return IoctlIntOut(c, TIOCOUTQ);
    case kMipsFionread: return IoctlIntOut(c, FIONREAD);
    case kMipsFionbio: return IoctlIntIn(c, FIONBIO);
    case kMipsFioasync: return IoctlIntIn(c, FIOASYNC);
    // These take their argument by value, or none.
    case kMipsFioclex: return GuestResult(ioctl(static_cast<int>(c.a[0]), FIOCLEX));
    case kMipsFionclex: return GuestResult(ioctl(static_cast<int>(c.a[0]), FIONCLEX));
    case kMipsTcsbrk:
      return GuestResult(ioctl(static_cast<int>(c.a[0]), TCSBRK, static_cast<long>(c.a[2])));
    case kMipsTcxonc:
      return GuestResult(ioctl(static_cast<int>(c.a[0]), TCXONC, static_cast<long>(c.a[2])));
    case kMipsTcflsh:
      return GuestResult(ioctl(static_cast<int>(c.a[0]), TCFLSH, static_cast<long>(c.a[2])));
  }
  c.note = "ioctl request not supported by mipsrun";
  return -kMipsEnotty;
}

constexpr SyscallDef kDefs[] = {
    {kNr_read, SysRead, "fbu"},
    {kNr_write, SysWrite, "fbu"},
    {kNr_readv, SysReadv, "fpu"},
    {kNr_writev, SysWritev, "fpu"},
    {kNr_pread64, SysPread64, "fbuxxx"},
    {kNr_pwrite64, SysPwrite64, "fbuxxx"},
    {kNr_close, SysClose, "f"},
    {kNr_lseek, SysLseek, "fdd"},
    {kNr__llseek, SysLlseek, "fxxpd"},
    {kNr_dup, SysDup, "f", 'f'},
    {kNr_dup2, SysDup2, "ff", 'f'},
    {kNr_dup3, SysDup3, "ffx", 'f'},
    {kNr_pipe, SysPipe, ""},
    {kNr_pipe2, SysPipe2, "px"},
    {kNr_fcntl, SysFcntl64, "fdx"},
    {kNr_fcntl64, SysFcntl64, "fdx"},
    {kNr_ioctl, SysIoctl, "fxp"},
};

}  // namespace

std::span<const SyscallDef> FdSyscalls() { return kDefs; }

}  // namespace mipsrun
