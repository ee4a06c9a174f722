// What the socket calls translate between the o32 guest and the host: socket types
// and their flags, SOL_SOCKET and its option numbers (MIPS numbers many of them its
// own way, asm/socket.h), and socket addresses, whose family (and a netlink address's
// pid and groups) are host-order integers.
#ifndef MIPSRUN_SYSCALLS_SOCKET_ABI_H_
#define MIPSRUN_SYSCALLS_SOCKET_ABI_H_

#include <sys/socket.h>

#include <cstdint>

#include "syscalls/syscall.h"

namespace mipsrun {

inline constexpr uint32_t kMipsSolSocket = 0xffff;

// A guest `type` argument of socket/socketpair (with SOCK_NONBLOCK, SOCK_CLOEXEC), or
// accept4's flags when `flags_only`; -1 for bits the host has no meaning for.
int SocketTypeToHost(uint32_t type, bool flags_only = false);
// A host socket type (SO_TYPE) in MIPS numbering.
uint32_t SocketTypeToGuest(int host_type);

int SockLevelToHost(uint32_t level);
uint32_t SockLevelToGuest(int level);
// An option name at SOL_SOCKET; other levels number their options as the host does.
int SockOptToHost(uint32_t name);

// A guest socket address copied into `out` (which holds sizeof(sockaddr_storage));
// 0, or a negative MIPS errno (EFAULT, EINVAL). A null address gives length 0.
int64_t ReadSockaddr(SyscallContext& c, uint32_t addr, uint32_t len, sockaddr_storage* out,
                     socklen_t* out_len);
// Writes a host address of `len` bytes to a guest buffer whose size the guest's
// socklen_t at `len_addr` gives (truncating as the kernel does), and the full length
// back there. Nothing when `addr` is null. False: EFAULT.
bool WriteSockaddr(SyscallContext& c, uint32_t addr, uint32_t len_addr,
                   const sockaddr_storage& in, socklen_t len);

// sendmsg and recvmsg (syscalls/socket_msg.cc), also reached through socketcall.
int64_t SysSendmsg(SyscallContext& c);
int64_t SysRecvmsg(SyscallContext& c);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_SOCKET_ABI_H_
