// Each domain file of the syscall layer exports its table; syscalls/dispatch.cc joins
// them into the one o32 table.
#ifndef MIPSRUN_SYSCALLS_DOMAINS_H_
#define MIPSRUN_SYSCALLS_DOMAINS_H_

#include <span>

#include "syscalls/syscall.h"

namespace mipsrun {

std::span<const SyscallDef> FdSyscalls();       // syscalls/fd.cc
std::span<const SyscallDef> FsSyscalls();       // syscalls/fs.cc
std::span<const SyscallDef> FileAttrSyscalls(); // syscalls/file_attrs.cc
std::span<const SyscallDef> PollSyscalls();     // syscalls/poll.cc
std::span<const SyscallDef> EventfdSyscalls();  // syscalls/eventfd.cc
std::span<const SyscallDef> MmSyscalls();       // syscalls/mm.cc
std::span<const SyscallDef> ProcessSyscalls();  // syscalls/process.cc
std::span<const SyscallDef> ChildSyscalls();    // syscalls/children.cc
std::span<const SyscallDef> ExecSyscalls();     // syscalls/exec.cc
std::span<const SyscallDef> SocketSyscalls();   // syscalls/socket.cc
std::span<const SyscallDef> SocketMsgSyscalls(); // syscalls/socket_msg.cc
std::span<const SyscallDef> SysvShmSyscalls();  // syscalls/sysv_shm.cc
std::span<const SyscallDef> CredentialSyscalls(); // syscalls/credentials.cc
std::span<const SyscallDef> TimeSyscalls();     // syscalls/time.cc
std::span<const SyscallDef> TimerSyscalls();    // syscalls/timers.cc
std::span<const SyscallDef> SignalSyscalls();   // syscalls/signal.cc
std::span<const SyscallDef> ThreadSyscalls();   // syscalls/threads.cc

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_DOMAINS_H_
