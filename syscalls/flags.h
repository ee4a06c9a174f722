// Flag and number translation between MIPS and host values, used by several domains.
#ifndef MIPSRUN_SYSCALLS_FLAGS_H_
#define MIPSRUN_SYSCALLS_FLAGS_H_

#include <cstdint>

namespace mipsrun {

int OpenFlagsToHost(uint32_t mips_flags);
uint32_t OpenFlagsFromHost(int host_flags);
// A MIPS RLIMIT_* resource as the host's, or -1 if it has none.
int RlimitResourceToHost(uint32_t mips_resource);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_FLAGS_H_
