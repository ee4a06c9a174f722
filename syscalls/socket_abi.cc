#include "syscalls/socket_abi.h"

#include <fcntl.h>
#include <linux/netlink.h>

#include <cstring>
#include <utility>

#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

// MIPS's socket types: SOCK_DGRAM 1 and SOCK_STREAM 2, the other way round from the
// host; SOCK_NONBLOCK is MIPS's O_NONBLOCK (0x80); SOCK_CLOEXEC is O_CLOEXEC on both.
constexpr uint32_t kMipsSockDgram = 1, kMipsSockStream = 2;
constexpr uint32_t kMipsSockNonblock = 0x80, kMipsSockCloexec = 0x80000;
constexpr uint32_t kSockTypeMask = 0xf;

// SOL_SOCKET options whose MIPS numbers differ from the host's (asm/socket.h); the
// others are the same on both.
constexpr std::pair<uint32_t, int> kSockOpts[] = {
    {0x0004, SO_REUSEADDR}, {0x0008, SO_KEEPALIVE}, {0x0010, SO_DONTROUTE},
    {0x0011, SO_PASSCRED},  {0x0012, SO_PEERCRED},  {0x001e, SO_PEERSEC},
    {0x001f, SO_SNDBUFFORCE}, {0x0020, SO_BROADCAST}, {0x0080, SO_LINGER},
    {0x0100, SO_OOBINLINE}, {0x0200, SO_REUSEPORT}, {0x1001, SO_SNDBUF},
    {0x1002, SO_RCVBUF},    {0x1003, SO_SNDLOWAT},  {0x1004, SO_RCVLOWAT},
    {0x1005, SO_SNDTIMEO_OLD}, {0x1006, SO_RCVTIMEO_OLD}, {0x1007, SO_ERROR},
    {0x1008, SO_TYPE},      {0x1009, SO_ACCEPTCONN}, {0x1028, SO_PROTOCOL},
    {0x1029, SO_DOMAIN},
};

// The host numbers that MIPS gives to other options: a guest option with one of these
// numbers is not the host option of that number.
bool HostNumberTaken(uint32_t name) {
  for (const auto& [mips, host] : kSockOpts) {
    if (static_cast<uint32_t>(host) == name) return true;
  }
  return false;
}

// Byte order of the integers inside an address: the family, and a netlink address's
// pid and groups. `family` is the host's value.
void SwapSockaddr(uint8_t* p, socklen_t len, int family) {
  auto swap16 = [&](size_t off) { std::swap(p[off], p[off + 1]); };
  auto swap32 = [&](size_t off) {
    std::swap(p[off], p[off + 3]);
    std::swap(p[off + 1], p[off + 2]);
  };
  if (len >= 2) swap16(0);
  if (family == AF_NETLINK && len >= sizeof(sockaddr_nl)) {
    swap32(offsetof(sockaddr_nl, nl_pid));
    swap32(offsetof(sockaddr_nl, nl_groups));
  }
}

}  // namespace

int SocketTypeToHost(uint32_t type, bool flags_only) {
  int host = 0;
  if (!flags_only) {
    uint32_t base = type & kSockTypeMask;
    host = base == kMipsSockDgram ? SOCK_DGRAM : base == kMipsSockStream ? SOCK_STREAM
                                                                          : static_cast<int>(base);
    type &= ~kSockTypeMask;
  }
  if (type & kMipsSockNonblock) host |= SOCK_NONBLOCK;
  if (type & kMipsSockCloexec) host |= SOCK_CLOEXEC;
  if (type & ~(kMipsSockNonblock | kMipsSockCloexec)) return -1;
  return host;
}

uint32_t SocketTypeToGuest(int host_type) {
  if (host_type == SOCK_DGRAM) return kMipsSockDgram;
  if (host_type == SOCK_STREAM) return kMipsSockStream;
  return static_cast<uint32_t>(host_type);
}

int SockLevelToHost(uint32_t level) {
  return level == kMipsSolSocket ? SOL_SOCKET : static_cast<int>(level);
}

uint32_t SockLevelToGuest(int level) {
  return level == SOL_SOCKET ? kMipsSolSocket : static_cast<uint32_t>(level);
}

int SockOptToHost(uint32_t name) {
  for (const auto& [mips, host] : kSockOpts) {
    if (mips == name) return host;
  }
  // An unknown number that is a host option MIPS numbers otherwise: no such option.
  return HostNumberTaken(name) ? -1 : static_cast<int>(name);
}

int64_t ReadSockaddr(SyscallContext& c, uint32_t addr, uint32_t len, sockaddr_storage* out,
                     socklen_t* out_len) {
  memset(out, 0, sizeof *out);
  *out_len = 0;
  if (addr == 0) return len == 0 ? 0 : -kMipsEfault;
  if (len > sizeof *out) return -kMipsEinval;
  GuestStruct g(c.mem, addr, len);
  if (len > 0 && !g.readable()) return -kMipsEfault;
  memcpy(out, c.mem.Host(addr), len);
  *out_len = len;
  if (c.mem.big_endian()) {
    SwapSockaddr(reinterpret_cast<uint8_t*>(out), len, len >= 2 ? __builtin_bswap16(out->ss_family) : 0);
  }
  return 0;
}

bool WriteSockaddr(SyscallContext& c, uint32_t addr, uint32_t len_addr,
                   const sockaddr_storage& in, socklen_t len) {
  if (addr == 0) return true;
  GuestStruct len_field(c.mem, len_addr, 4);
  if (!len_field.readable() || !len_field.writable()) return false;
  uint32_t room = len_field.Get32(0);
  uint32_t n = room < len ? room : len;
  if (n > 0) {
    GuestStruct out(c.mem, addr, n);
    if (!out.writable()) return false;
    sockaddr_storage copy = in;
    if (c.mem.big_endian()) SwapSockaddr(reinterpret_cast<uint8_t*>(&copy), len, in.ss_family);
    out.PutBytes(0, &copy, n);
  }
  len_field.Put32(0, len);
  return true;
}

}  // namespace mipsrun
