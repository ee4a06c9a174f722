// Host signals on their way to the guest. mipsrun catches the host signals the guest
// can see (all but SIGKILL/SIGSTOP, with those whose default is to be ignored left to
// the host while the guest leaves them at SIG_DFL), notes them in a ring that the
// executor drains at a consistent point (a block boundary, a loop back edge, a
// syscall's return), and asks running guest code to come back (CpuState::interrupt).
//
// A signal that arrives just before a blocking syscall must not be lost in it:
// blocking calls go through SafeSyscall, which either sees the signal before the host
// syscall instruction or is interrupted by it (EINTR), never sleeps past it.
#ifndef MIPSRUN_RUNTIME_HOST_SIGNALS_H_
#define MIPSRUN_RUNTIME_HOST_SIGNALS_H_

#include <signal.h>
#include <sys/types.h>

#include <cstdint>

#include "runtime/signal_state.h"

namespace mipsrun {

// Takes over the host's signal dispositions at start-up: signals that the host
// ignores stay ignored for the guest (SIG_IGN in `state`, as across exec), the host's
// blocked mask becomes the guest's, and mipsrun itself then blocks nothing.
// `interrupt` is the running guest's CpuState::interrupt.
void InstallHostSignals(SignalState& state, uint32_t* interrupt);

// Makes the host disposition of guest signal `sig` follow the guest's action (and
// whether the guest blocks it: a blocked signal must stay pending, so the host may not
// discard it even when the guest's SIG_DFL would).
void SetHostDisposition(int sig, const GuestSigaction& action, bool blocked);
// After the guest's mask changed from `before`: the dispositions that depend on it.
void UpdateHostForMask(const SignalState& state, const GuestSigset& before);

// The interrupt word of the guest thread that runs now (guest threads switch it):
// host signals and the compile thread set it to make guest code come back.
void SetRunningInterrupt(uint32_t* interrupt);
// Async-signal-safe.
void PokeRunningGuest();
// Once the guest has threads: SafeSyscall calls `release` before its host syscall and
// `acquire` after it, so that other guest threads run meanwhile
// (runtime/guest_threads.h). Also installs the handler of the kick signal.
void SetBlockingHooks(void (*release)(), void (*acquire)());
// Makes host thread `tid`'s SafeSyscall return EINTR (or not start): it has signals to
// look at.
void KickThread(pid_t tid);
// The calling thread has looked at the signals that arrived (a thread switch).
void ClearArrivedOnThisThread();

// Whether host signals arrived that DrainHostSignals has not taken yet.
bool HostSignalsArrived();
// Moves the host signals that arrived into `state` as guest signals.
void DrainHostSignals(SignalState& state);
// In a forked child: the signals the parent caught and had not drained are not the
// child's (a child starts with none pending).
void ForgetHostSignals();

// For the fault handler: a SIGSEGV/SIGBUS that some process sent (si_code <= 0) is a
// guest signal like any other. Async-signal-safe.
void NoteHostSignal(int host_signo, const siginfo_t* info);

// The guest's siginfo for a host one (numbers, si_code and the union translated).
GuestSiginfo GuestSiginfoFromHost(const siginfo_t& info);

// A host syscall that returns -EINTR instead of starting when a host signal has been
// handled on this thread since it last looked; else the raw result (a negative errno on
// failure). With guest threads, others run while it blocks.
long SafeSyscall(long nr, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0,
                 long a6 = 0);

// Stops mipsrun as the host's default action of `host_signo` would (SIGTSTP from the
// terminal: the shell sees a stopped job), and returns when it is continued.
void StopSelf(int host_signo);

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_HOST_SIGNALS_H_
