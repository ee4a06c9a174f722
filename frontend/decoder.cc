#include "frontend/decoder.h"

#include <array>

namespace mipsrun {
namespace {

constexpr InsnInfo kInfos[] = {
#define INSN(id, mnem, match, mask, ops, sem, flags) {mnem, match, mask, ops, flags, #sem},
#include "frontend/mips_insns.def"
#undef INSN
    {"(reserved)", 0, 0, "", 0, "Reserved"},
};
static_assert(std::size(kInfos) == static_cast<size_t>(InsnId::kCount));

// The rows that can match a word, by its primary opcode and its low six bits (the
// function field of SPECIAL, SPECIAL2, SPECIAL3 and COP1 arithmetic), in spec order:
// decoding tries only those. A row whose mask leaves some of the low bits open is in
// the list of every value of them it admits, so aliases still come first. The index
// is built by the compiler.
constexpr uint32_t kIndexKeys = 64 * 64;
constexpr uint32_t IndexKey(uint32_t raw) { return (raw >> 26) << 6 | (raw & 63); }

template <class Fn>
constexpr void ForEachIndexEntry(Fn fn) {
  for (size_t i = 0; i + 1 < std::size(kInfos); ++i) {
    uint32_t mask = kInfos[i].mask, match = kInfos[i].match;
    for (uint32_t low = 0; low < 64; ++low) {
      if ((low & mask & 63) == (match & mask & 63)) fn(IndexKey((match & ~63u) | low), i);
    }
  }
}

constexpr size_t CountIndexEntries() {
  size_t n = 0;
  ForEachIndexEntry([&n](uint32_t, size_t) { ++n; });
  return n;
}

// Every spec row fixes the primary opcode, so each row lands in one primary bucket.
constexpr bool EveryRowFixesThePrimaryOpcode() {
  for (size_t i = 0; i + 1 < std::size(kInfos); ++i) {
    if ((kInfos[i].mask >> 26) != 0x3f) return false;
  }
  return true;
}
static_assert(EveryRowFixesThePrimaryOpcode());

struct DecodeIndex {
  std::array<uint16_t, kIndexKeys + 1> first{};  // key k's rows: [first[k], first[k+1])
  std::array<InsnId, CountIndexEntries()> rows{};
};

constexpr DecodeIndex BuildDecodeIndex() {
  DecodeIndex index;
  std::array<uint16_t, kIndexKeys + 1> at{};
  ForEachIndexEntry([&at](uint32_t key, size_t) { ++at[key + 1]; });
  for (uint32_t k = 0; k < kIndexKeys; ++k) at[k + 1] += at[k];
  index.first = at;
  ForEachIndexEntry([&](uint32_t key, size_t row) { index.rows[at[key]++] = static_cast<InsnId>(row); });
  return index;
}

constexpr DecodeIndex kIndex = BuildDecodeIndex();

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
  const uint32_t key = IndexKey(raw);
  const InsnId* rows = kIndex.rows.data();
  for (const InsnId* row = rows + kIndex.first[key]; row != rows + kIndex.first[key + 1]; ++row) {
    const InsnInfo& info = kInfos[static_cast<size_t>(*row)];
    if ((raw & info.mask) != info.match) continue;
    insn.id = *row;
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

uint32_t GprsNamed(const Insn& insn) {
  const InsnInfo& info = GetInsnInfo(insn.id);
  uint32_t gprs = (info.flags & kLink) ? 1u << 31 : 0;
  for (char letter : info.operands) {
    switch (letter) {
      case 'd': gprs |= 1u << insn.rd; break;
      case 's': case 'o': gprs |= 1u << insn.rs; break;
      case 't': gprs |= 1u << insn.rt; break;
      case 'x': gprs |= 1u << insn.rt | 1u << insn.rs; break;
    }
  }
  return gprs & ~1u;  // $zero is no register to keep
}

}  // namespace mipsrun
