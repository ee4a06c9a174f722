// The FPU control registers as views of FCSR (MIPS32 Release 2, volume I-A, 5.8).
// Plain functions: the interpreter calls them directly, translated code as helpers.
#ifndef MIPSRUN_FRONTEND_FPU_CONTROL_H_
#define MIPSRUN_FRONTEND_FPU_CONTROL_H_

#include <cstdint>

namespace mipsrun {

// FIR of a MIPS32r2 FPU with 64-bit registers, paired-single-free: F64, L, W, D, S,
// implementation 0x93 (the 24Kf family value that QEMU and real boards report).
inline constexpr uint32_t kFpuFir = 0x00739300;
// FCSR bits that ctc1 may change: FCC7..1, FS, FCC0, Cause, Enables, Flags, RM.
// NAN2008 and ABS2008 (bits 18, 19) are read-only.
inline constexpr uint32_t kFcsrWritable = 0xff83ffff;

inline uint32_t ReadFpuControl(uint32_t fcsr, unsigned reg) {
  switch (reg) {
    case 0: return kFpuFir;
    case 25: return ((fcsr >> 24) & 0xfe) | ((fcsr >> 23) & 1);             // FCCR
    case 26: return fcsr & 0x0003f07c;                                       // FEXR
    case 28: return (fcsr & 0xf80) | ((fcsr >> 22) & 4) | (fcsr & 3);        // FENR
    default: return fcsr;                                                    // FCSR
  }
}

// Returns the new FCSR after writing `v` to control register `reg`.
inline uint32_t WriteFpuControl(uint32_t fcsr, unsigned reg, uint32_t v) {
  switch (reg) {
    case 25: return (fcsr & ~0xfe800000u) | ((v & 0xfe) << 24) | ((v & 1) << 23);
    case 26: return (fcsr & ~0x0003f07cu) | (v & 0x0003f07c);
    case 28: return (fcsr & ~0x01000f83u) | (v & 0xf80) | ((v & 4) << 22) | (v & 3);
    case 31: return (fcsr & ~kFcsrWritable) | (v & kFcsrWritable);
    default: return fcsr;
  }
}

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_FPU_CONTROL_H_
