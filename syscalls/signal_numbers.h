// MIPS signal numbers (asm/signal.h) against the host's: they agree only up to 9 and
// for a few others (SIGBUS is 10 on MIPS and 7 on x86-64, SIGUSR1 16 and 10, ...).
#ifndef MIPSRUN_SYSCALLS_SIGNAL_NUMBERS_H_
#define MIPSRUN_SYSCALLS_SIGNAL_NUMBERS_H_

#include "runtime/signal_state.h"

namespace mipsrun {

// The host number for a MIPS signal, or -1 where the host has none (SIGEMT, and
// real-time signals beyond the host's range). 0 stays 0.
int MipsToHostSignal(int mips_signo);
// The MIPS number for a host signal, or -1.
int HostToMipsSignal(int host_signo);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_SIGNAL_NUMBERS_H_
