// Guest path arguments, shared by the syscall domains that take file names.
#ifndef MIPSRUN_SYSCALLS_GUEST_PATH_H_
#define MIPSRUN_SYSCALLS_GUEST_PATH_H_

#include <cstdint>
#include <string>

#include "syscalls/syscall.h"

namespace mipsrun {

// Reads a guest path argument and maps it to the host path to use: /proc/self/exe is
// the guest program, and with -L an absolute path that exists under the sysroot is
// taken from there (so the dynamic loader finds the guest's libraries), else from the
// host as it is (so /tmp, /dev and the guest's own files work as usual). "/" itself
// stays the host's root. False means EFAULT or ENAMETOOLONG, stored in *err.
bool GuestPath(SyscallContext& c, uint32_t addr, std::string* out, int64_t* err);

// Declares `std::string var` holding the path in argument `index`, or returns the error.
#define PATH_ARG(var, index)     \
  std::string var;               \
  if (int64_t err; !GuestPath(c, c.a[index], &var, &err)) return err

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_GUEST_PATH_H_
