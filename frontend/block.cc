#include "frontend/block.h"

#include "frontend/decoder.h"

namespace mipsrun {

DecodedBlock DiscoverBlock(uint32_t pc, absl::FunctionRef<bool(uint32_t, uint32_t*)> fetch,
                           size_t max_insns) {
  DecodedBlock block;
  block.start = pc;
  uint32_t addr = pc;
  uint32_t word;
  while (block.insns.size() < max_insns && fetch(addr, &word)) {
    Insn insn = Decode(word, addr);
    uint32_t flags = InsnFlagsOf(insn);
    if (flags & kHasDelaySlot) {
      uint32_t slot_word;
      // A branch whose delay slot cannot be fetched starts the next block instead;
      // as that block's first instruction it is a fetch fault at the slot's address,
      // reported at the branch (the kernel's EPC with Cause.BD).
      if (!fetch(addr + 4, &slot_word)) {
        if (block.insns.empty()) block.fetch_fault_addr = addr + 4;
        break;
      }
      Insn slot = Decode(slot_word, addr + 4);
      if (InsnFlagsOf(slot) & kHasDelaySlot) slot.id = InsnId::kInvalid;
      slot.delay_slot = true;
      block.insns.push_back(insn);
      block.insns.push_back(slot);
      block.ends_in_branch = true;
      addr += 8;
      break;
    }
    block.insns.push_back(insn);
    addr += 4;
    if ((flags & kEndsBlock) || insn.id == InsnId::kInvalid) break;
  }
  if (block.insns.empty() && block.fetch_fault_addr == 0) block.fetch_fault_addr = pc;
  block.end = addr;
  return block;
}

size_t StaticSuccessors(const Insn* insns, size_t n, uint32_t end, uint32_t out[2]) {
  const Insn& last = insns[n - 1];
  if (!last.delay_slot) {
    out[0] = end;
    return 1;
  }
  const Insn& transfer = insns[n - 2];
  uint32_t flags = InsnFlagsOf(transfer);
  if (flags & kIndirect) return 0;
  out[0] = transfer.target;
  // b and bal, the aliases of beq $0,$0 and bgezal $0, are always taken. The decode
  // spec gives aliases their general row's flags, so it is said here.
  if ((flags & kJump) || transfer.id == InsnId::B || transfer.id == InsnId::Bal) return 1;
  out[1] = end;
  return out[1] == out[0] ? 1 : 2;
}

bool EndsInCall(const Insn* insns, size_t n) {
  return n >= 2 && insns[n - 1].delay_slot && (InsnFlagsOf(insns[n - 2]) & kLink);
}

}  // namespace mipsrun
