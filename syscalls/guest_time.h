// Guest time structures shared by the syscall domains that take timeouts.
#ifndef MIPSRUN_SYSCALLS_GUEST_TIME_H_
#define MIPSRUN_SYSCALLS_GUEST_TIME_H_

#include <time.h>

#include <cstdint>

#include "syscalls/syscall.h"

namespace mipsrun {

// A guest timespec in one of its two layouts: 32-bit fields (the old calls) or
// 64-bit ones (the *_time64 calls glibc 2.34+ uses first).
enum class TimeLayout { k32, k64 };

uint32_t TimespecSize(TimeLayout l);
// False when the guest memory is not readable (writable).
bool ReadTimespec(SyscallContext& c, uint32_t addr, TimeLayout l, struct timespec* ts);
bool WriteTimespec(SyscallContext& c, uint32_t addr, TimeLayout l, const struct timespec& ts);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_GUEST_TIME_H_
