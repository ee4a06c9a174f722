// Decoding from the one spec (frontend/mips_insns.def) and the facts about each row
// that the other layers query: mnemonic, operand format, flags, semantics group.
#ifndef MIPSRUN_FRONTEND_DECODER_H_
#define MIPSRUN_FRONTEND_DECODER_H_

#include <cstdint>
#include <string_view>

#include "frontend/insn.h"

namespace mipsrun {

struct InsnInfo {
  std::string_view mnemonic;
  uint32_t match;
  uint32_t mask;
  std::string_view operands;  // operand letters, see mips_insns.def
  uint32_t flags;             // InsnFlags
  std::string_view semantics; // name of the semantics it runs (aliases share one)
};

// Facts about a spec row; kInvalid has mnemonic "(reserved)" and no flags.
const InsnInfo& GetInsnInfo(InsnId id);

// Decodes `raw` found at guest address `pc`. Never fails: an encoding that is not in
// the spec decodes as InsnId::kInvalid.
Insn Decode(uint32_t raw, uint32_t pc);

inline uint32_t InsnFlagsOf(const Insn& insn) { return GetInsnInfo(insn.id).flags; }

// The GPR that `insn`'s one result goes to (by kDestRd or kDestRt), or -1 when its flags
// name none.
inline int DestGprOf(const Insn& insn) {
  uint32_t flags = InsnFlagsOf(insn);
  if (flags & kDestRd) return insn.rd;
  if (flags & kDestRt) return insn.rt;
  return -1;
}

// The GPRs that `insn` names (its operands, and $ra for a linking branch or jump), a bit
// per register.
uint32_t GprsNamed(const Insn& insn);

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_DECODER_H_
