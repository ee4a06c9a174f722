#include "frontend/decoder.h"

#include <array>
#include <vector>

namespace mipsrun {
namespace {

constexpr InsnInfo kInfos[] = {
#define INSN(id, mnem, match, mask, ops, sem, flags) {mnem, match, mask, ops, flags, #sem},
#include "frontend/mips_insns.def"
#undef INSN
    {"(reserved)", 0, 0, "", 0, "Reserved"},
};
static_assert(std::size(kInfos) == static_cast<size_t>(InsnId::kCount));

// The rows of each primary opcode, in spec order: decoding tries only those.
struct PrimaryIndex {
  std::array<std::vector<InsnId>, 64> rows;
  PrimaryIndex() {
    for (size_t i = 0; i + 1 < std::size(kInfos); ++i) {
      uint32_t mask = kInfos[i].mask;
      // Every spec row fixes the primary opcode, so each row lands in one bucket.
      if ((mask >> 26) != 0x3f) __builtin_trap();
      rows[kInfos[i].match >> 26].push_back(static_cast<InsnId>(i));
    }
  }
};

const PrimaryIndex& Index() {
  static const PrimaryIndex index;
  return index;
}

}  // namespace

const InsnInfo& GetInsnInfo(InsnId id) { return kInfos[static_cast<size_t>(id)]; }

Insn Decode(uint32_t raw, uint32_t pc) {
  Insn insn;
  insn.raw = raw;
  insn.pc = pc;
  insn.rs = (raw >> 21) & 31;
  insn.rt = (raw >> 16) & 31;
  insn.rd = (raw >> 11) & 31;
  insn.sa = (raw >> 6) & 31;
  for (InsnId id : Index().rows[raw >> 26]) {
    const InsnInfo& info = kInfos[static_cast<size_t>(id)];
    if ((raw & info.mask) != info.match) continue;
    insn.id = id;
    if (info.flags & kBranch) {
      insn.target = pc + 4 + (static_cast<uint32_t>(insn.simm()) << 2);
    } else if ((info.flags & kJump) && !(info.flags & kIndirect)) {
      insn.target = ((pc + 4) & 0xf0000000u) | ((raw & 0x03ffffffu) << 2);
    }
    return insn;
  }
  insn.id = InsnId::kInvalid;
  return insn;
}

}  // namespace mipsrun
