// clone for a new thread (syscalls/threads.cc), for children.cc's clone.
#ifndef MIPSRUN_SYSCALLS_THREADS_H_
#define MIPSRUN_SYSCALLS_THREADS_H_

#include <cstdint>

#include "syscalls/syscall.h"

namespace mipsrun {

// clone with CLONE_THREAD: a guest thread on a new host thread; returns its tid.
int64_t CloneThread(SyscallContext& c, uint32_t flags, uint32_t newsp, uint32_t ptid,
                    uint32_t tls, uint32_t ctid);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_THREADS_H_
