// Host errno -> MIPS errno (syscalls/mips_errno.inc, generated from the UAPI headers).
#ifndef MIPSRUN_SYSCALLS_ERRNO_H_
#define MIPSRUN_SYSCALLS_ERRNO_H_

#include <cstdint>
#include <string_view>

namespace mipsrun {

int HostToMipsErrno(int host_errno);
// The MIPS errno's name ("ENOENT"), or "" if unknown; for --strace.
std::string_view MipsErrnoName(int mips_errno);

// Result of a host call that returns -1 and sets errno: r itself, or -MIPS errno.
int64_t GuestResult(int64_t r);
// Result of a host call that returns a negative host errno (our own helpers).
int64_t GuestResultFromNegErrno(int64_t r);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_ERRNO_H_
