// What the MIPS Linux kernel does when a guest instruction raises an exception or
// faults: which signal (arch/mips/kernel/traps.c, unaligned.c, mm/fault.c).
#ifndef MIPSRUN_RUNTIME_GUEST_EXCEPTION_H_
#define MIPSRUN_RUNTIME_GUEST_EXCEPTION_H_

#include <string>

#include "runtime/cpu_state.h"
#include "runtime/signal_state.h"

namespace mipsrun {

struct GuestSignal {
  GuestSiginfo info;   // what the guest's handler gets (signal, si_code, si_addr)
  std::string name;    // "SIGSEGV"
  std::string detail;  // for --strace: si_code and address
};

// The signal for a block exit of kind kException, kMemoryFault or kFetchFault.
// `host_fault_signo` is the host signal of a kMemoryFault (SIGSEGV or SIGBUS).
GuestSignal SignalForExit(const CpuState& cpu, int host_fault_signo, bool page_mapped);

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_GUEST_EXCEPTION_H_
