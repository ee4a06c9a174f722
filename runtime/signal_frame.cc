#include "runtime/signal_frame.h"

#include <errno.h>

#include <cstring>

#include "frontend/fpu.h"

namespace mipsrun {
namespace {

// Frame offsets (see the header).
constexpr uint32_t kRtInfo = 24, kRtUc = 152;
constexpr uint32_t kUcStack = 8, kUcMcontext = 24, kUcSigmask = 616;
constexpr uint32_t kSfSc = 24, kSfMask = 616;
// struct sigcontext (asm/sigcontext.h, o32).
constexpr uint32_t kScPc = 8, kScRegs = 16, kScFpregs = 272, kScFpcCsr = 532,
                   kScUsedMath = 540, kScMdhi = 552, kScMdlo = 560;
constexpr uint32_t kUsedFp = 1, kUsedFr1 = 2;

// Where the kernel puts the frame (get_sigframe()): below the interrupted sp, leaving
// 32 bytes for the FPU emulator's trampoline, or at the top of the alternate stack,
// aligned to 8. 0 when it would overflow the alternate stack it is on.
uint32_t FrameAddress(const CpuState& cpu, const SignalState& state, const GuestSigaction& act,
                      uint32_t size) {
  uint32_t sp = cpu.gpr[29];
  const GuestAltStack& alt = state.altstack;
  if (alt.Contains(sp) && !alt.Contains(sp - size)) return 0;
  sp -= 32;
  if ((act.flags & kMipsSaOnstack) && AltStackFlags(alt, sp) == 0) sp = alt.sp + alt.size;
  return (sp - size) & ~7u;
}

// The code that handlers return to: `li v0, 4193; syscall` (rt_sigreturn) and
// `li v0, 4119; syscall` (sigreturn). The kernel keeps it in the VDSO; mipsrun maps
// one page of its own the first time a handler runs.
uint32_t Trampoline(GuestMemory& mem, SignalState& state) {
  if (state.trampoline) return state.trampoline;
  uint32_t page = mem.FindFree(kGuestPageSize);
  if (!page || mem.Map(page, kGuestPageSize, kProtRead | kProtWrite, false, -1, 0) != 0) {
    return 0;
  }
  const uint32_t code[4] = {0x24021061, 0x0000000c, 0x24021017, 0x0000000c};
  for (uint32_t i = 0; i < 4; ++i) mem.Write32(page + 4 * i, code[i]);
  mem.Protect(page, kGuestPageSize, kProtRead | kProtExec);
  state.trampoline = page;
  return page;
}

void SaveSigcontext(const CpuState& cpu, GuestMemory& mem, uint32_t sc) {
  memset(mem.Host(sc), 0, kSigcontextSize);
  mem.Write64(sc + kScPc, cpu.pc);
  // Registers as a 32-bit kernel saves them: zero-extended to the 64-bit slots.
  for (int i = 1; i < 32; ++i) mem.Write64(sc + kScRegs + 8 * i, cpu.gpr[i]);
  mem.Write64(sc + kScMdhi, cpu.gpr[kRegHi]);
  mem.Write64(sc + kScMdlo, cpu.gpr[kRegLo]);
  // With FR=0 the kernel stores the even registers as 64-bit pairs (sdc1) only.
  for (int i = 0; i < 32; ++i) {
    uint64_t v = cpu.fr ? cpu.fpr[i]
                 : (i % 2) ? 0
                           : (cpu.fpr[i + 1] << 32) | static_cast<uint32_t>(cpu.fpr[i]);
    mem.Write64(sc + kScFpregs + 8 * i, v);
  }
  mem.Write32(sc + kScFpcCsr, cpu.fcsr);
  mem.Write32(sc + kScUsedMath, kUsedFp | (cpu.fr ? kUsedFr1 : 0));
}

// restore_sigcontext(): 0, or SIGFPE when the restored FCSR has an enabled Cause bit
// (which the kernel clears and then raises, as fpcsr_pending() says).
int RestoreSigcontext(CpuState& cpu, const GuestMemory& mem, uint32_t sc) {
  cpu.pc = static_cast<uint32_t>(mem.Read64(sc + kScPc));
  for (int i = 1; i < 32; ++i) cpu.gpr[i] = static_cast<uint32_t>(mem.Read64(sc + kScRegs + 8 * i));
  cpu.gpr[kRegHi] = static_cast<uint32_t>(mem.Read64(sc + kScMdhi));
  cpu.gpr[kRegLo] = static_cast<uint32_t>(mem.Read64(sc + kScMdlo));
  cpu.ll_valid = false;
  cpu.in_delay_slot = false;
  if (!(mem.Read32(sc + kScUsedMath) & kUsedFp)) return 0;
  for (int i = 0; i < 32; ++i) {
    uint64_t v = mem.Read64(sc + kScFpregs + 8 * i);
    if (cpu.fr) {
      cpu.fpr[i] = v;
    } else if (i % 2 == 0) {
      cpu.fpr[i] = static_cast<uint32_t>(v);
      cpu.fpr[i + 1] = v >> 32;
    }
  }
  uint32_t fcsr = mem.Read32(sc + kScFpcCsr);
  if (FcsrTrapsOnWrite(fcsr)) {
    cpu.fcsr = fcsr & ~kFcsrCauseMask;
    return mips_sig::kFpe;
  }
  cpu.fcsr = fcsr;
  return 0;
}

void WriteSigset(GuestMemory& mem, uint32_t addr, const GuestSigset& set) {
  for (int i = 0; i < 4; ++i) mem.Write32(addr + 4 * i, set.Word(i));
}

GuestSigset ReadSigset(const GuestMemory& mem, uint32_t addr) {
  GuestSigset set;
  for (int i = 0; i < 4; ++i) set.SetWord(i, mem.Read32(addr + 4 * i));
  set.Remove(mips_sig::kKill);
  set.Remove(mips_sig::kStop);
  return set;
}

}  // namespace

int32_t AltStackFlags(const GuestAltStack& stack, uint32_t sp) {
  if (stack.size == 0) return kMipsSsDisable;
  return stack.Contains(sp) ? kMipsSsOnstack : 0;
}

int ChangeAltStack(SignalState& state, uint32_t sp, uint32_t ss_sp, uint32_t ss_size,
                   int32_t ss_flags) {
  constexpr int32_t kAutodisarm = static_cast<int32_t>(1u << 31);
  if (state.altstack.Contains(sp)) return EPERM;
  int32_t mode = ss_flags & ~kAutodisarm;
  if (mode != 0 && mode != kMipsSsOnstack && mode != kMipsSsDisable) return EINVAL;
  if (mode == kMipsSsDisable) {
    state.altstack = GuestAltStack{};
    return 0;
  }
  if (ss_size < kMipsMinsigstksz) return ENOMEM;
  state.altstack = GuestAltStack{ss_sp, ss_size, 0};
  return 0;
}

bool PushSignalFrame(CpuState& cpu, GuestMemory& mem, SignalState& state,
                     const GuestSiginfo& info, const GuestSigaction& action,
                     const GuestSigset& saved) {
  bool rt = action.flags & kMipsSaSiginfo;
  uint32_t size = rt ? kRtSigframeSize : kSigframeSize;
  uint32_t frame = FrameAddress(cpu, state, action, size);
  uint32_t tramp = Trampoline(mem, state);
  if (!frame || !tramp || !GuestMemory::AccessOk(frame, size) || !mem.CheckRange(frame, size, true)) {
    return false;
  }
  memset(mem.Host(frame), 0, size);
  if (rt) {
    uint32_t si = frame + kRtInfo;
    mem.Write32(si + 0, static_cast<uint32_t>(info.signo));
    mem.Write32(si + 4, static_cast<uint32_t>(info.code));
    mem.Write32(si + 8, static_cast<uint32_t>(info.err));
    for (int i = 0; i < 29; ++i) mem.Write32(si + 12 + 4 * i, info.fields[i]);
    uint32_t uc = frame + kRtUc;
    mem.Write32(uc + kUcStack + 0, state.altstack.sp);
    mem.Write32(uc + kUcStack + 4, state.altstack.size);
    mem.Write32(uc + kUcStack + 8, static_cast<uint32_t>(AltStackFlags(state.altstack, cpu.gpr[29])));
    SaveSigcontext(cpu, mem, uc + kUcMcontext);
    WriteSigset(mem, uc + kUcSigmask, saved);
    cpu.gpr[5] = si;
    cpu.gpr[6] = uc;
    cpu.gpr[31] = tramp;
  } else {
    SaveSigcontext(cpu, mem, frame + kSfSc);
    WriteSigset(mem, frame + kSfMask, saved);
    cpu.gpr[5] = 0;
    cpu.gpr[6] = frame + kSfSc;
    cpu.gpr[31] = tramp + 8;
  }
  cpu.gpr[4] = static_cast<uint32_t>(info.signo);
  cpu.gpr[29] = frame;
  cpu.gpr[25] = action.handler;
  cpu.pc = action.handler;
  cpu.ll_valid = false;
  return true;
}

int PopSignalFrame(CpuState& cpu, GuestMemory& mem, SignalState& state, bool rt) {
  uint32_t frame = cpu.gpr[29];
  uint32_t size = rt ? kRtSigframeSize : kSigframeSize;
  if (!GuestMemory::AccessOk(frame, size) || !mem.CheckRange(frame, size, false)) {
    return mips_sig::kSegv;
  }
  uint32_t sc = rt ? frame + kRtUc + kUcMcontext : frame + kSfSc;
  state.blocked = ReadSigset(mem, rt ? frame + kRtUc + kUcSigmask : frame + kSfMask);
  int sig = RestoreSigcontext(cpu, mem, sc);
  if (rt) {
    // restore_altstack(): as sigaltstack from the restored sp; errors other than
    // EFAULT are ignored.
    uint32_t ss = frame + kRtUc + kUcStack;
    ChangeAltStack(state, cpu.gpr[29], mem.Read32(ss), mem.Read32(ss + 4),
                   static_cast<int32_t>(mem.Read32(ss + 8)));
  }
  return sig;
}

}  // namespace mipsrun
