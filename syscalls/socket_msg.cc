// sendmsg and recvmsg: o32's struct msghdr (seven 32-bit words), its iovecs, and its
// control messages, whose header is 12 bytes with 4-byte alignment where the host's
// is 16 bytes with 8-byte alignment. SCM_RIGHTS and SCM_CREDENTIALS carry integers in
// the guest's byte order; other control messages are copied as bytes.
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/guest_struct.h"
#include "syscalls/mips_abi.h"
#include "syscalls/socket_abi.h"

namespace mipsrun {
namespace {

constexpr uint32_t kMsghdrSize = 28;  // name, namelen, iov, iovlen, control, controllen, flags
constexpr uint32_t kGuestCmsgHdr = 12;
constexpr uint32_t kMaxIov = 1024;           // UIO_MAXIOV
constexpr uint32_t kMaxControl = 64 * 1024;  // more than the kernel's optmem_max

uint32_t Align4(uint32_t n) { return (n + 3) & ~3u; }

bool HasIntData(int level, int type) {
  return level == SOL_SOCKET && (type == SCM_RIGHTS || type == SCM_CREDENTIALS);
}

// The guest's iovecs as host ones pointing into guest memory; 0 or a MIPS errno.
int64_t ReadIovecs(SyscallContext& c, uint32_t addr, uint32_t count, std::vector<iovec>* out) {
  if (count > kMaxIov) return -HostToMipsErrno(EMSGSIZE);
  GuestStruct g(c.mem, addr, count * 8);
  if (count > 0 && !g.readable()) return -kMipsEfault;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t base = g.Get32(8 * i), len = g.Get32(8 * i + 4);
    void* p = c.Ptr(base, len);
    if (!p && len != 0) return -kMipsEfault;
    out->push_back(iovec{p, len});
  }
  return 0;
}

// Guest control messages in host layout; 0 or a MIPS errno.
int64_t ControlToHost(SyscallContext& c, uint32_t addr, uint32_t len, std::vector<uint8_t>* out) {
  if (len == 0) return 0;
  if (len > kMaxControl) return -HostToMipsErrno(ENOBUFS);
  GuestStruct g(c.mem, addr, len);
  if (!g.readable()) return -kMipsEfault;
  for (uint32_t off = 0; off + kGuestCmsgHdr <= len;) {
    uint32_t clen = g.Get32(off);
    if (clen < kGuestCmsgHdr || clen > len - off) return -kMipsEinval;
    int level = SockLevelToHost(g.Get32(off + 4));
    int type = static_cast<int>(g.Get32(off + 8));
    uint32_t data = clen - kGuestCmsgHdr;
    size_t at = out->size();
    out->resize(at + CMSG_SPACE(data));
    auto* h = reinterpret_cast<cmsghdr*>(out->data() + at);
    h->cmsg_len = CMSG_LEN(data);
    h->cmsg_level = level;
    h->cmsg_type = type;
    uint8_t* dst = CMSG_DATA(h);
    if (HasIntData(level, type)) {
      for (uint32_t i = 0; i + 4 <= data; i += 4) {
        uint32_t v = g.Get32(off + kGuestCmsgHdr + i);
        memcpy(dst + i, &v, 4);
      }
    } else {
      memcpy(dst, c.mem.Host(addr + off + kGuestCmsgHdr), data);
    }
    off += Align4(clen);
  }
  return 0;
}

// Host control messages into the guest's buffer of `room` bytes; returns the bytes
// used, and sets MSG_CTRUNC in *flags when something did not fit (descriptors that
// did not fit are closed, as the kernel never installs them).
uint32_t ControlToGuest(SyscallContext& c, msghdr& hm, uint32_t addr, uint32_t room, int* flags) {
  uint32_t used = 0;
  for (cmsghdr* h = CMSG_FIRSTHDR(&hm); h; h = CMSG_NXTHDR(&hm, h)) {
    uint32_t data = static_cast<uint32_t>(h->cmsg_len - CMSG_LEN(0));
    bool ints = HasIntData(h->cmsg_level, h->cmsg_type);
    uint32_t fit = room - used < kGuestCmsgHdr ? 0 : room - used - kGuestCmsgHdr;
    uint32_t copy = data < fit ? data : fit;
    if (ints) copy &= ~3u;
    if (copy < data) {
      *flags |= MSG_CTRUNC;
      if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
        for (uint32_t i = copy; i + 4 <= data; i += 4) {
          int fd;
          memcpy(&fd, CMSG_DATA(h) + i, 4);
          close(fd);
        }
      }
    }
    if (room - used < kGuestCmsgHdr) break;
    GuestStruct g(c.mem, addr + used, kGuestCmsgHdr + copy);
    g.Put32(0, kGuestCmsgHdr + copy);
    g.Put32(4, SockLevelToGuest(h->cmsg_level));
    g.Put32(8, static_cast<uint32_t>(h->cmsg_type));
    if (ints) {
      for (uint32_t i = 0; i < copy; i += 4) {
        uint32_t v;
        memcpy(&v, CMSG_DATA(h) + i, 4);
        g.Put32(kGuestCmsgHdr + i, v);
      }
    } else if (copy > 0) {
      g.PutBytes(kGuestCmsgHdr, CMSG_DATA(h), copy);
    }
    used += Align4(kGuestCmsgHdr + copy);
    if (used > room) used = room;
  }
  return used;
}

}  // namespace

int64_t SysSendmsg(SyscallContext& c) {
  GuestStruct m(c.mem, c.a[1], kMsghdrSize);
  if (!m.readable()) return -kMipsEfault;
  sockaddr_storage sa;
  socklen_t sa_len;
  if (int64_t err = ReadSockaddr(c, m.Get32(0), m.Get32(4), &sa, &sa_len)) return err;
  std::vector<iovec> iov;
  if (int64_t err = ReadIovecs(c, m.Get32(8), m.Get32(12), &iov)) return err;
  std::vector<uint8_t> control;
  if (int64_t err = ControlToHost(c, m.Get32(16), m.Get32(20), &control)) return err;
  msghdr hm{};
  hm.msg_name = sa_len ? &sa : nullptr;
  hm.msg_namelen = sa_len;
  hm.msg_iov = iov.data();
  hm.msg_iovlen = iov.size();
  hm.msg_control = control.empty() ? nullptr : control.data();
  hm.msg_controllen = control.size();
  return GuestResultFromNegErrno(SafeSyscall(SYS_sendmsg, static_cast<int>(c.a[0]),
                                             reinterpret_cast<long>(&hm), static_cast<int>(c.a[2])));
}

int64_t SysRecvmsg(SyscallContext& c) {
  GuestStruct m(c.mem, c.a[1], kMsghdrSize);
  if (!m.readable() || !m.writable()) return -kMipsEfault;
  uint32_t name = m.Get32(0), control = m.Get32(16), room = m.Get32(20);
  std::vector<iovec> iov;
  if (int64_t err = ReadIovecs(c, m.Get32(8), m.Get32(12), &iov)) return err;
  if (room > kMaxControl) room = kMaxControl;
  if (room > 0 && !GuestStruct(c.mem, control, room).writable()) return -kMipsEfault;
  sockaddr_storage sa{};
  // Room for as many host messages as the guest's buffer could hold guest ones.
  std::vector<uint8_t> host_control(room ? 2 * room + CMSG_SPACE(0) : 0);
  msghdr hm{};
  hm.msg_name = name ? &sa : nullptr;
  hm.msg_namelen = name ? sizeof sa : 0;
  hm.msg_iov = iov.data();
  hm.msg_iovlen = iov.size();
  hm.msg_control = host_control.empty() ? nullptr : host_control.data();
  hm.msg_controllen = host_control.size();
  long n = SafeSyscall(SYS_recvmsg, static_cast<int>(c.a[0]), reinterpret_cast<long>(&hm),
                       static_cast<int>(c.a[2]));
  if (n < 0) return GuestResultFromNegErrno(n);
  if (name && !WriteSockaddr(c, name, c.a[1] + 4, sa, hm.msg_namelen)) return -kMipsEfault;
  int flags = hm.msg_flags;
  m.Put32(20, hm.msg_controllen ? ControlToGuest(c, hm, control, room, &flags) : 0);
  m.Put32(24, static_cast<uint32_t>(flags));
  return n;
}

namespace {

constexpr SyscallDef kSyscalls[] = {
    {kNr_sendmsg, SysSendmsg, "fpx"},
    {kNr_recvmsg, SysRecvmsg, "fpx"},
};

}  // namespace

std::span<const SyscallDef> SocketMsgSyscalls() { return kSyscalls; }

}  // namespace mipsrun
