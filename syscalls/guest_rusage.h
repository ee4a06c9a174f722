// struct rusage as o32 lays it out: 32-bit longs, so two old_timeval32 and then the
// fourteen counters, 72 bytes. Written by getrusage and by the waits.
#ifndef MIPSRUN_SYSCALLS_GUEST_RUSAGE_H_
#define MIPSRUN_SYSCALLS_GUEST_RUSAGE_H_

#include <sys/resource.h>

#include <cstdint>

#include "syscalls/guest_struct.h"

namespace mipsrun {

inline constexpr uint32_t kGuestRusageSize = 72;

// The caller checked that [addr, addr + kGuestRusageSize) is writable.
inline void PutRusage(GuestMemory& mem, uint32_t addr, const struct rusage& ru) {
  GuestStruct g(mem, addr, kGuestRusageSize);
  g.Put32(0, static_cast<uint32_t>(ru.ru_utime.tv_sec));
  g.Put32(4, static_cast<uint32_t>(ru.ru_utime.tv_usec));
  g.Put32(8, static_cast<uint32_t>(ru.ru_stime.tv_sec));
  g.Put32(12, static_cast<uint32_t>(ru.ru_stime.tv_usec));
  const long counters[14] = {ru.ru_maxrss, ru.ru_ixrss,  ru.ru_idrss,    ru.ru_isrss, ru.ru_minflt,
                             ru.ru_majflt, ru.ru_nswap,  ru.ru_inblock,  ru.ru_oublock,
                             ru.ru_msgsnd, ru.ru_msgrcv, ru.ru_nsignals, ru.ru_nvcsw, ru.ru_nivcsw};
  for (int i = 0; i < 14; ++i) g.Put32(16 + 4 * i, static_cast<uint32_t>(counters[i]));
}

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_GUEST_RUSAGE_H_
