// Signal delivery: what the MIPS kernel does on the way back to user mode (do_signal,
// handle_signal in arch/mips/kernel/signal.c). The executor calls it at consistent
// points: after a syscall, when guest code came back for CpuState::interrupt, and
// after a synchronous exception made its signal pending.
#ifndef MIPSRUN_RUNTIME_SIGNALS_H_
#define MIPSRUN_RUNTIME_SIGNALS_H_

#include "runtime/cpu_state.h"
#include "runtime/host_signals.h"
#include "runtime/process.h"

namespace mipsrun {

// Whether DeliverSignals has anything to do.
inline bool SignalWorkPending(const Process& proc) {
  const SignalState& s = proc.signals;
  return HostSignalsArrived() || s.HasDeliverable() ||
         s.interrupted != SignalState::Interrupted::kNone;
}

// Delivers every pending signal that is not blocked: a handler gets a frame (cpu then
// runs the handler set up last, as on the kernel), SIG_IGN drops the signal, SIG_DFL
// takes the default action (terminating signals end mipsrun with the same host
// signal). A syscall a host signal interrupted restarts or fails with EINTR as the
// handler's SA_RESTART says. Returns whether cpu.pc changed.
bool DeliverSignals(CpuState& cpu, Process& proc);

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_SIGNALS_H_
