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

// a + b for normalized timespecs.
struct timespec TimespecAdd(const struct timespec& a, const struct timespec& b);
// The time from now on `clock` until `end`, or zero once it has passed.
struct timespec TimeUntil(clockid_t clock, const struct timespec& end);
// The absolute end of a wait of `length` that may have been interrupted before: the
// end the interrupted wait had (SignalState::restart_deadline, taken here), else now on
// `clock` plus `length`.
struct timespec WaitEnd(SyscallContext& c, clockid_t clock, const struct timespec& length);
// Records the end of an interrupted wait for its restart.
void NoteInterruptedWait(SyscallContext& c, const struct timespec& end);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_GUEST_TIME_H_
