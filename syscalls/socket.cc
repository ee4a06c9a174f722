// Sockets: socket, socketpair, bind, connect, listen, accept(4), getsockname,
// getpeername, send(to), recv(from), shutdown, setsockopt, getsockopt (MIPS's own
// types, SOL_SOCKET and option numbers, syscalls/socket_abi.h). sendmsg/recvmsg are in
// socket_msg.cc. Calls that can block go through SafeSyscall, so that a signal that
// arrives just before them is not lost.
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include <cstring>
#include <iterator>
#include <vector>

#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"
#include "syscalls/socket_abi.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMaxOptLen = 4096;

int64_t SysSocket(SyscallContext& c) {
  int type = SocketTypeToHost(c.a[1]);
  if (type < 0) return -kMipsEinval;
  return GuestResult(socket(static_cast<int>(c.a[0]), type, static_cast<int>(c.a[2])));
}

int64_t SysSocketpair(SyscallContext& c) {
  int type = SocketTypeToHost(c.a[1]);
  if (type < 0) return -kMipsEinval;
  GuestStruct out(c.mem, c.a[3], 8);
  if (!out.writable()) return -kMipsEfault;
  int sv[2];
  if (socketpair(static_cast<int>(c.a[0]), type, static_cast<int>(c.a[2]), sv) != 0) {
    return GuestResult(-1);
  }
  out.Put32(0, static_cast<uint32_t>(sv[0]));
  out.Put32(4, static_cast<uint32_t>(sv[1]));
  return 0;
}

int64_t SysBind(SyscallContext& c) {
  sockaddr_storage sa;
  socklen_t len;
  if (int64_t err = ReadSockaddr(c, c.a[1], c.a[2], &sa, &len)) return err;
  return GuestResult(bind(static_cast<int>(c.a[0]), reinterpret_cast<sockaddr*>(&sa), len));
}

int64_t SysConnect(SyscallContext& c) {
  sockaddr_storage sa;
  socklen_t len;
  if (int64_t err = ReadSockaddr(c, c.a[1], c.a[2], &sa, &len)) return err;
  return GuestResultFromNegErrno(SafeSyscall(SYS_connect, static_cast<int>(c.a[0]),
                                             reinterpret_cast<long>(&sa), len));
}

int64_t SysListen(SyscallContext& c) {
  return GuestResult(listen(static_cast<int>(c.a[0]), static_cast<int>(c.a[1])));
}

int64_t SysShutdown(SyscallContext& c) {
  return GuestResult(shutdown(static_cast<int>(c.a[0]), static_cast<int>(c.a[1])));
}

int64_t Accept(SyscallContext& c, uint32_t flags) {
  int host_flags = SocketTypeToHost(flags, /*flags_only=*/true);
  if (host_flags < 0) return -kMipsEinval;
  if (c.a[1] != 0 && !GuestStruct(c.mem, c.a[2], 4).writable()) return -kMipsEfault;
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  long fd = SafeSyscall(SYS_accept4, static_cast<int>(c.a[0]), reinterpret_cast<long>(&sa),
                        reinterpret_cast<long>(&len), host_flags);
  if (fd >= 0 && !WriteSockaddr(c, c.a[1], c.a[2], sa, len)) return -kMipsEfault;
  return GuestResultFromNegErrno(fd);
}

int64_t SysAccept(SyscallContext& c) { return Accept(c, 0); }
int64_t SysAccept4(SyscallContext& c) { return Accept(c, c.a[3]); }

template <int (*Name)(int, sockaddr*, socklen_t*)>
int64_t SysName(SyscallContext& c) {
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  if (Name(static_cast<int>(c.a[0]), reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    return GuestResult(-1);
  }
  if (c.a[1] == 0 || !WriteSockaddr(c, c.a[1], c.a[2], sa, len)) return -kMipsEfault;
  return 0;
}

int64_t SendTo(SyscallContext& c, uint32_t addr, uint32_t addr_len) {
  const void* buf = c.Ptr(c.a[1], c.a[2]);
  if (!buf && c.a[2] != 0) return -kMipsEfault;
  sockaddr_storage sa;
  socklen_t len;
  if (int64_t err = ReadSockaddr(c, addr, addr_len, &sa, &len)) return err;
  return GuestResultFromNegErrno(SafeSyscall(
      SYS_sendto, static_cast<int>(c.a[0]), reinterpret_cast<long>(buf), c.a[2],
      static_cast<int>(c.a[3]), len ? reinterpret_cast<long>(&sa) : 0, len));
}

int64_t SysSend(SyscallContext& c) { return SendTo(c, 0, 0); }
int64_t SysSendto(SyscallContext& c) { return SendTo(c, c.a[4], c.a[5]); }

int64_t RecvFrom(SyscallContext& c, uint32_t addr, uint32_t len_addr) {
  void* buf = c.Ptr(c.a[1], c.a[2]);
  if (!buf && c.a[2] != 0) return -kMipsEfault;
  if (addr != 0 && !GuestStruct(c.mem, len_addr, 4).writable()) return -kMipsEfault;
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  long n = SafeSyscall(SYS_recvfrom, static_cast<int>(c.a[0]), reinterpret_cast<long>(buf),
                       c.a[2], static_cast<int>(c.a[3]), addr ? reinterpret_cast<long>(&sa) : 0,
                       addr ? reinterpret_cast<long>(&len) : 0);
  if (n >= 0 && addr != 0 && !WriteSockaddr(c, addr, len_addr, sa, len)) return -kMipsEfault;
  return GuestResultFromNegErrno(n);
}

int64_t SysRecv(SyscallContext& c) { return RecvFrom(c, 0, 0); }
int64_t SysRecvfrom(SyscallContext& c) { return RecvFrom(c, c.a[4], c.a[5]); }

// Option values: integers are in the guest's byte order, a few options are structs
// of integers, o32's old timeouts are a 32-bit struct timeval; anything else (names,
// addresses in network order) is bytes.
bool IsOldTimeout(int level, int name) {
  return level == SOL_SOCKET && (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD);
}
bool IsIntArray(int level, int name, uint32_t len) {
  if (level == SOL_SOCKET && (name == SO_LINGER || name == SO_PEERCRED)) return true;
  return len == 4;
}

int64_t SysSetsockopt(SyscallContext& c) {
  int level = SockLevelToHost(c.a[1]);
  int name = level == SOL_SOCKET ? SockOptToHost(c.a[2]) : static_cast<int>(c.a[2]);
  if (name < 0) return -HostToMipsErrno(ENOPROTOOPT);
  uint32_t len = c.a[4];
  if (len > kMaxOptLen) return -kMipsEinval;
  GuestStruct in(c.mem, c.a[3], len);
  if (len > 0 && !in.readable()) return -kMipsEfault;
  std::vector<uint8_t> host(len);
  if (IsOldTimeout(level, name)) {
    if (len < 8) return -kMipsEinval;
    struct timeval tv = {static_cast<int32_t>(in.Get32(0)), static_cast<int32_t>(in.Get32(4))};
    return GuestResult(setsockopt(static_cast<int>(c.a[0]), level, name, &tv, sizeof tv));
  }
  if (len % 4 == 0 && IsIntArray(level, name, len)) {
    for (uint32_t i = 0; i < len; i += 4) {
      uint32_t v = in.Get32(i);
      memcpy(&host[i], &v, 4);
    }
  } else if (len > 0) {
    memcpy(host.data(), c.mem.Host(c.a[3]), len);
  }
  return GuestResult(setsockopt(static_cast<int>(c.a[0]), level, name, host.data(), len));
}

int64_t SysGetsockopt(SyscallContext& c) {
  int level = SockLevelToHost(c.a[1]);
  int name = level == SOL_SOCKET ? SockOptToHost(c.a[2]) : static_cast<int>(c.a[2]);
  if (name < 0) return -HostToMipsErrno(ENOPROTOOPT);
  GuestStruct len_field(c.mem, c.a[4], 4);
  if (!len_field.readable() || !len_field.writable()) return -kMipsEfault;
  uint32_t room = len_field.Get32(0);
  if (static_cast<int32_t>(room) < 0) return -kMipsEinval;
  if (room > kMaxOptLen) room = kMaxOptLen;
  std::vector<uint8_t> host(kMaxOptLen);
  socklen_t host_len = IsOldTimeout(level, name) ? sizeof(struct timeval) : room;
  if (getsockopt(static_cast<int>(c.a[0]), level, name, host.data(), &host_len) != 0) {
    return GuestResult(-1);
  }
  // The value in guest form.
  std::vector<uint8_t> out;
  auto put32 = [&](uint32_t v) {
    uint32_t g = c.mem.big_endian() ? __builtin_bswap32(v) : v;
    const uint8_t* p = reinterpret_cast<const uint8_t*>(&g);
    out.insert(out.end(), p, p + 4);
  };
  if (IsOldTimeout(level, name)) {
    struct timeval tv;
    memcpy(&tv, host.data(), sizeof tv);
    put32(static_cast<uint32_t>(tv.tv_sec));
    put32(static_cast<uint32_t>(tv.tv_usec));
  } else if (host_len % 4 == 0 && IsIntArray(level, name, host_len)) {
    for (socklen_t i = 0; i < host_len; i += 4) {
      uint32_t v;
      memcpy(&v, &host[i], 4);
      if (level == SOL_SOCKET && name == SO_TYPE) v = SocketTypeToGuest(static_cast<int>(v));
      if (level == SOL_SOCKET && name == SO_ERROR && v != 0) {
        v = static_cast<uint32_t>(HostToMipsErrno(static_cast<int>(v)));
      }
      put32(v);
    }
  } else {
    out.assign(host.begin(), host.begin() + host_len);
  }
  uint32_t n = out.size() < room ? static_cast<uint32_t>(out.size()) : room;
  if (n > 0) {
    GuestStruct dst(c.mem, c.a[3], n);
    if (!dst.writable()) return -kMipsEfault;
    dst.PutBytes(0, out.data(), n);
  }
  len_field.Put32(0, n);
  return 0;
}

// socketcall(call, args): the multiplexer older C libraries use; `args` points to the
// call's arguments as words.
int64_t SysSocketcall(SyscallContext& c) {
  struct Call {
    int64_t (*fn)(SyscallContext&);
    uint32_t nargs;
  };
  static constexpr Call kCalls[] = {
      {nullptr, 0},       {SysSocket, 3},      {SysBind, 3},        {SysConnect, 3},
      {SysListen, 2},     {SysAccept, 3},      {SysName<getsockname>, 3},
      {SysName<getpeername>, 3}, {SysSocketpair, 4}, {SysSend, 4},  {SysRecv, 4},
      {SysSendto, 6},     {SysRecvfrom, 6},    {SysShutdown, 2},    {SysSetsockopt, 5},
      {SysGetsockopt, 5}, {SysSendmsg, 3},     {SysRecvmsg, 3},     {SysAccept4, 4},
  };
  uint32_t call = c.a[0];
  if (call == 0 || call >= std::size(kCalls)) {
    c.note = "socketcall number not implemented by mipsrun";
    return call == 0 || call > 20 ? -kMipsEinval : -kMipsEnosys;
  }
  GuestStruct args(c.mem, c.a[1], 4 * kCalls[call].nargs);
  if (!args.readable()) return -kMipsEfault;
  // The call sees its own arguments; --strace shows socketcall's.
  SyscallContext inner = c;
  for (uint32_t i = 0; i < kCalls[call].nargs; ++i) inner.a[i] = args.Get32(4 * i);
  int64_t r = kCalls[call].fn(inner);
  c.note = inner.note;
  return r;
}

constexpr SyscallDef kSyscalls[] = {
    {kNr_socketcall, SysSocketcall, "dp"},
    {kNr_socket, SysSocket, "dxd", 'f'},
    {kNr_socketpair, SysSocketpair, "dxdp"},
    {kNr_bind, SysBind, "fpu"},
    {kNr_connect, SysConnect, "fpu"},
    {kNr_listen, SysListen, "fd"},
    {kNr_shutdown, SysShutdown, "fd"},
    {kNr_accept, SysAccept, "fpp", 'f'},
    {kNr_accept4, SysAccept4, "fppx", 'f'},
    {kNr_getsockname, SysName<getsockname>, "fpp"},
    {kNr_getpeername, SysName<getpeername>, "fpp"},
    {kNr_send, SysSend, "fbux"},
    {kNr_sendto, SysSendto, "fbuxpu"},
    {kNr_recv, SysRecv, "fpux"},
    {kNr_recvfrom, SysRecvfrom, "fpuxpp"},
    {kNr_setsockopt, SysSetsockopt, "fxxpu"},
    {kNr_getsockopt, SysGetsockopt, "fxxpp"},
};

}  // namespace

std::span<const SyscallDef> SocketSyscalls() { return kSyscalls; }

}  // namespace mipsrun
