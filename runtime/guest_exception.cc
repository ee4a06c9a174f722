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

// si_code values (asm-generic/siginfo.h).
constexpr int32_t kFpeIntdiv = 1, kFpeIntovf = 2, kFpeFltdiv = 3,
                  kFpeFltovf = 4, kFpeFltund = 5, kFpeFltres = 6, kFpeFltinv = 7,
                  kFpeFltunk = 14, kSegvMaperr = 1, kSegvAccerr = 2, kBusAdrerr = 2,
                  kTrapBrkpt = 1;

GuestSignal Make(int sig, int32_t code, uint32_t addr, const char* name, std::string detail) {
  GuestSignal s;
  s.info.signo = sig;
  s.info.code = code;
  s.info.fields[0] = addr;
  s.name = name;
  s.detail = std::move(detail);
  return s;
}

// do_trap_or_bp(): codes 6 and 7 are SIGFPE at the instruction; others SIGTRAP, with
// TRAP_BRKPT for break and SI_KERNEL for the trap instructions.
GuestSignal TrapSignal(const CpuState& cpu, bool is_break) {
  const char* what = is_break ? "break" : "trap";
  uint32_t code = cpu.exception_code;
  if (code == kBrkOverflow) {
    return Make(mips_sig::kFpe, kFpeIntovf, cpu.pc, "SIGFPE", absl::StrFormat("FPE_INTOVF (%s 6)", what));
  }
  if (code == kBrkDivZero) {
    return Make(mips_sig::kFpe, kFpeIntdiv, cpu.pc, "SIGFPE", absl::StrFormat("FPE_INTDIV (%s 7)", what));
  }
  return Make(mips_sig::kTrap, is_break ? kTrapBrkpt : kMipsSiKernel, 0, "SIGTRAP",
              absl::StrFormat("%s code %u", what, code));
}

GuestSignal Segv(uint32_t addr, bool page_mapped) {
  return Make(mips_sig::kSegv, page_mapped ? kSegvAccerr : kSegvMaperr, addr, "SIGSEGV",
              absl::StrFormat("%s si_addr=0x%x", page_mapped ? "SEGV_ACCERR" : "SEGV_MAPERR", addr));
}

// An address error (do_ade): SIGBUS, sent without fault details.
GuestSignal AddressError(uint32_t addr) {
  return Make(mips_sig::kBus, kMipsSiKernel, 0, "SIGBUS", absl::StrFormat("BUS_ADRERR si_addr=0x%x", addr));
}

}  // namespace

GuestSignal SignalForExit(const CpuState& cpu, int host_fault_signo, bool page_mapped) {
  switch (cpu.exit) {
    case ExitReason::kException:
      switch (cpu.exception) {
        case Exception::kOverflow:
          return Make(mips_sig::kFpe, kFpeIntovf, cpu.pc, "SIGFPE", "FPE_INTOVF (integer overflow)");
        case Exception::kTrap:
          return TrapSignal(cpu, false);
        case Exception::kBreak:
          return TrapSignal(cpu, true);
        case Exception::kReserved:
          return Make(mips_sig::kIll, kMipsSiKernel, 0, "SIGILL", "ILL_ILLOPC (reserved instruction)");
        case Exception::kAddressError:
          return Make(mips_sig::kBus, kMipsSiKernel, 0, "SIGBUS", "BUS_ADRALN (misaligned ll/sc)");
        case Exception::kFloatingPoint: {
          // The kernel's order of precedence among the Cause bits (traps.c do_fpe).
          uint32_t cause = (cpu.fcsr >> kFcsrCauseShift) & 0x3f;
          struct { uint32_t bit; int32_t code; const char* name; } const kOrder[] = {
              {kFpInvalid, kFpeFltinv, "FPE_FLTINV"}, {kFpDivZero, kFpeFltdiv, "FPE_FLTDIV"},
              {kFpOverflow, kFpeFltovf, "FPE_FLTOVF"}, {kFpUnderflow, kFpeFltund, "FPE_FLTUND"},
              {kFpInexact, kFpeFltres, "FPE_FLTRES"}, {0x20, kFpeFltunk, "FPE_FLTUNK"}};
          for (const auto& o : kOrder) {
            if (cause & o.bit) {
              return Make(mips_sig::kFpe, o.code, cpu.pc, "SIGFPE",
                          absl::StrFormat("%s (FCSR 0x%08x)", o.name, cpu.fcsr));
            }
          }
          return Make(mips_sig::kFpe, kFpeFltunk, cpu.pc, "SIGFPE",
                      absl::StrFormat("FPE_FLTUNK (FCSR 0x%08x)", cpu.fcsr));
        }
        case Exception::kNone:
          break;
      }
      break;
    case ExitReason::kMemoryFault:
      // Kernel addresses are an address error from user mode: SIGBUS, not SIGSEGV.
      if (cpu.fault_addr >= kGuestUserTop) return AddressError(cpu.fault_addr);
      if (host_fault_signo == SIGBUS) {
        // A file mapping beyond the end of its file (the kernel's do_sigbus).
        return Make(mips_sig::kBus, kBusAdrerr, cpu.fault_addr, "SIGBUS",
                    absl::StrFormat("BUS_ADRERR si_addr=0x%x", cpu.fault_addr));
      }
      return Segv(cpu.fault_addr, page_mapped);
    case ExitReason::kFetchFault:
      if ((cpu.fault_addr & 3) || cpu.fault_addr >= kGuestUserTop) return AddressError(cpu.fault_addr);
      return Segv(cpu.fault_addr, page_mapped);
    default:
      break;
  }
  return Make(mips_sig::kIll, kMipsSiKernel, 0, "SIGILL", "unexpected exit");
}

}  // namespace mipsrun
