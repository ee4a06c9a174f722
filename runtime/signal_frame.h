// Signal frames on the guest stack, laid out as the MIPS kernel lays them out
// (arch/mips/kernel/signal.c): `struct rt_sigframe` for SA_SIGINFO handlers, the
// traditional `struct sigframe` for the others (o32 has CONFIG_TRAD_SIGNALS). A handler runs
// with a0 = signal, a1 = &siginfo, a2 = &ucontext (sigframe: a1 = 0, a2 = &sigcontext),
// sp = the frame, t9 = pc = the handler, ra = code that calls rt_sigreturn (sigreturn).
//
//   struct rt_sigframe {            struct sigframe {
//     u32 rs_ass[4], rs_pad[2];        u32 sf_ass[4], sf_pad[2];
//     siginfo_t rs_info;   // 24       struct sigcontext sf_sc;  // 24
//     struct ucontext rs_uc; // 152    sigset_t sf_mask;         // 616
//   };  // 784 bytes                 };  // 632 bytes
//   ucontext: uc_flags, uc_link, uc_stack (ss_sp, ss_size, ss_flags), then at +24
//   uc_mcontext (struct sigcontext, 592 bytes), uc_sigmask at +616.
#ifndef MIPSRUN_RUNTIME_SIGNAL_FRAME_H_
#define MIPSRUN_RUNTIME_SIGNAL_FRAME_H_

#include <cstdint>

#include "runtime/cpu_state.h"
#include "runtime/guest_memory.h"
#include "runtime/signal_state.h"

namespace mipsrun {

inline constexpr uint32_t kRtSigframeSize = 784;
inline constexpr uint32_t kSigframeSize = 632;
inline constexpr uint32_t kSigcontextSize = 592;

// Builds the frame for `info` and points cpu at the handler of `action`. `saved` is the
// mask the frame records (what sigreturn restores). False when the frame cannot be
// written (the stack is unmapped or overflows the alternate stack): the kernel then
// forces SIGSEGV.
bool PushSignalFrame(CpuState& cpu, GuestMemory& mem, SignalState& state,
                     const GuestSiginfo& info, const GuestSigaction& action,
                     const GuestSigset& saved);

// rt_sigreturn (rt) or sigreturn: restores registers, FPU state, the mask (and for rt
// the alternate stack) from the frame at cpu's sp (the handler returned with sp where
// PushSignalFrame left it). Returns 0, or the guest signal the kernel then forces:
// SIGSEGV for an unreadable frame, SIGFPE for an FCSR whose Cause bits are enabled.
int PopSignalFrame(CpuState& cpu, GuestMemory& mem, SignalState& state, bool rt);

// ss_flags of the alternate stack as seen from stack pointer `sp` (sas_ss_flags()).
int32_t AltStackFlags(const GuestAltStack& stack, uint32_t sp);

// sigaltstack's change, from code running with stack pointer `sp`: 0, or the host errno
// (EPERM while on the alternate stack, EINVAL for bad flags, ENOMEM if too small).
int ChangeAltStack(SignalState& state, uint32_t sp, uint32_t ss_sp, uint32_t ss_size,
                   int32_t ss_flags);

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_SIGNAL_FRAME_H_
