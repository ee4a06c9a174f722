#include "runtime/guest_exception.h"

#include <csignal>

#include "absl/strings/str_format.h"
#include "frontend/fpu.h"
#include "runtime/guest_memory.h"

namespace mipsrun {
namespace {

// Codes of asm/break.h that the kernel turns into SIGFPE (do_trap_or_bp).
constexpr uint32_t kBrkOverflow = 6;
constexpr uint32_t kBrkDivZero = 7;

GuestSignal TrapSignal(uint32_t code, const char* what) {
  if (code == kBrkOverflow) return {SIGFPE, "SIGFPE", absl::StrFormat("FPE_INTOVF (%s 6)", what)};
  if (code == kBrkDivZero) return {SIGFPE, "SIGFPE", absl::StrFormat("FPE_INTDIV (%s 7)", what)};
  return {SIGTRAP, "SIGTRAP", absl::StrFormat("%s code %u", what, code)};
}

}  // namespace

GuestSignal SignalForExit(const CpuState& cpu, int host_fault_signo, bool page_mapped) {
  switch (cpu.exit) {
    case ExitReason::kException:
      switch (cpu.exception) {
        case Exception::kOverflow:
          return {SIGFPE, "SIGFPE", "FPE_INTOVF (integer overflow)"};
        case Exception::kTrap:
          return TrapSignal(cpu.exception_code, "trap");
        case Exception::kBreak:
          return TrapSignal(cpu.exception_code, "break");
        case Exception::kReserved:
          return {SIGILL, "SIGILL", "ILL_ILLOPC (reserved instruction)"};
        case Exception::kAddressError:
          return {SIGBUS, "SIGBUS", "BUS_ADRALN (misaligned ll/sc)"};
        case Exception::kFloatingPoint: {
          // The kernel's order of precedence among the Cause bits (traps.c do_fpe).
          uint32_t cause = (cpu.fcsr >> kFcsrCauseShift) & 0x3f;
          const char* code = (cause & kFpInvalid)     ? "FPE_FLTINV"
                             : (cause & kFpDivZero)   ? "FPE_FLTDIV"
                             : (cause & kFpOverflow)  ? "FPE_FLTOVF"
                             : (cause & kFpUnderflow) ? "FPE_FLTUND"
                             : (cause & kFpInexact)   ? "FPE_FLTRES"
                                                      : "FPE_FLTUNK";
          return {SIGFPE, "SIGFPE", absl::StrFormat("%s (FCSR 0x%08x)", code, cpu.fcsr)};
        }
        case Exception::kNone:
          break;
      }
      break;
    case ExitReason::kMemoryFault:
      // Kernel addresses are an address error from user mode: SIGBUS, not SIGSEGV.
      if (cpu.fault_addr >= kGuestUserTop) {
        return {SIGBUS, "SIGBUS", absl::StrFormat("BUS_ADRERR si_addr=0x%x", cpu.fault_addr)};
      }
      if (host_fault_signo == SIGBUS) {
        return {SIGBUS, "SIGBUS", absl::StrFormat("BUS_ADRERR si_addr=0x%x", cpu.fault_addr)};
      }
      return {SIGSEGV, "SIGSEGV",
              absl::StrFormat("%s si_addr=0x%x", page_mapped ? "SEGV_ACCERR" : "SEGV_MAPERR",
                              cpu.fault_addr)};
    case ExitReason::kFetchFault:
      if ((cpu.fault_addr & 3) || cpu.fault_addr >= kGuestUserTop) {
        return {SIGBUS, "SIGBUS", absl::StrFormat("BUS_ADRERR si_addr=0x%x", cpu.fault_addr)};
      }
      return {SIGSEGV, "SIGSEGV",
              absl::StrFormat("%s si_addr=0x%x", page_mapped ? "SEGV_ACCERR" : "SEGV_MAPERR",
                              cpu.fault_addr)};
    default:
      break;
  }
  return {SIGILL, "SIGILL", "unexpected exit"};
}

}  // namespace mipsrun
