// A decoded MIPS32 instruction: the id from the decode spec plus its fields, with the
// immediate forms and the branch/jump target precomputed (the pc is known when a
// block is decoded). Plain data: the interpreter, the translator and the tests share it.
#ifndef MIPSRUN_FRONTEND_INSN_H_
#define MIPSRUN_FRONTEND_INSN_H_

#include <cstdint>

namespace mipsrun {

enum InsnFlags : uint32_t {
  kBranch = 1u << 0,      // conditional, PC-relative, has a delay slot
  kJump = 1u << 1,        // unconditional, has a delay slot
  kLikely = 1u << 2,      // delay slot annulled when the branch is not taken
  kLink = 1u << 3,        // writes the return address
  kIndirect = 1u << 4,    // target comes from a register
  kEndsBlock = 1u << 5,   // always leaves to the runtime (syscall, break, synci)
  kMayTrap = 1u << 6,     // may raise a guest exception (no memory access)
  kMemory = 1u << 7,      // accesses guest memory: may fault
  kDestRd = 1u << 8,      // its only GPR result goes to rd
  kDestRt = 1u << 9,      // its only GPR result goes to rt
};

inline constexpr uint32_t kHasDelaySlot = kBranch | kJump;

enum class InsnId : uint16_t {
#define INSN(id, mnem, match, mask, ops, sem, flags) id,
#include "frontend/mips_insns.def"
#undef INSN
  kInvalid,  // reserved or privileged encoding: a guest SIGILL
  kCount,
};

struct Insn {
  uint32_t raw = 0;     // the instruction word, in host order
  uint32_t pc = 0;      // guest address of the instruction
  uint32_t target = 0;  // branch or j/jal target; 0 for other instructions
  InsnId id = InsnId::kInvalid;
  uint8_t rs = 0, rt = 0, rd = 0, sa = 0;
  bool delay_slot = false;  // set by block discovery: runs in a branch's delay slot

  int32_t simm() const { return static_cast<int16_t>(raw & 0xffff); }
  uint32_t uimm() const { return raw & 0xffff; }
  uint32_t code20() const { return (raw >> 6) & 0xfffff; }  // syscall/break code
  uint32_t trap_code() const { return (raw >> 6) & 0x3ff; }  // tge..tne code
  // The code of `break n`: assemblers put n in the upper ten bits of the 20-bit field;
  // the kernel swaps the halves back when they are not zero (traps.c, do_bp).
  uint32_t break_code() const {
    uint32_t c = code20();
    return c >= (1u << 10) ? ((c & 0x3ff) << 10) | (c >> 10) : c;
  }
  uint8_t ft() const { return rt; }
  uint8_t fs() const { return rd; }
  uint8_t fd() const { return sa; }
};

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_INSN_H_
