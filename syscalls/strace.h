// --strace output: one line per guest syscall on stderr, "name(args) = result".
#ifndef MIPSRUN_SYSCALLS_STRACE_H_
#define MIPSRUN_SYSCALLS_STRACE_H_

#include <cstdint>

#include "syscalls/syscall.h"

namespace mipsrun {

void StraceCall(const SyscallContext& ctx, const SyscallDef& def, int64_t result);
void StraceUnknown(const SyscallContext& ctx, int64_t result);
// Any runtime event worth a line in the same stream ("--- SIGSEGV ... ---").
void StraceEvent(const Process& proc, const std::string& text);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_STRACE_H_
