// The decode spec, the decoder and the disassembler.
#include <random>
#include <string>
#include <vector>

#include "frontend/block.h"
#include "frontend/decoder.h"
#include "frontend/disasm.h"
#include "gtest/gtest.h"

namespace mipsrun {
namespace {

constexpr size_t kRows = static_cast<size_t>(InsnId::kInvalid);

// Every row, with random values in every field its mask leaves free, decodes to a row
// that accepts the word and runs the same semantics (an alias such as `move` may win
// over `addu`, but it must mean the same thing).
TEST(DecoderTest, EveryRowDecodesWithAnyFreeFields) {
  std::mt19937 rng(1234);
  for (size_t row = 0; row < kRows; ++row) {
    const InsnInfo& info = GetInsnInfo(static_cast<InsnId>(row));
    for (int trial = 0; trial < 200; ++trial) {
      uint32_t word = info.match | (rng() & ~info.mask);
      Insn insn = Decode(word, 0x400000);
      const InsnInfo& got = GetInsnInfo(insn.id);
      ASSERT_NE(insn.id, InsnId::kInvalid) << info.mnemonic << std::hex << " 0x" << word;
      EXPECT_EQ(word & got.mask, got.match) << info.mnemonic;
      EXPECT_EQ(got.semantics, info.semantics) << info.mnemonic << " decoded as " << got.mnemonic;
      EXPECT_EQ(got.flags, info.flags) << info.mnemonic << " decoded as " << got.mnemonic;
    }
  }
}

// The decoder's index (by primary opcode and low six bits) picks what the spec's order
// says: the first row that accepts the word, or none. Words are random, and random
// words in the most crowded opcodes (SPECIAL, REGIMM, COP1, COP1X, SPECIAL2/3).
TEST(DecoderTest, DecodesToTheFirstRowThatAccepts) {
  std::mt19937 rng(99);
  const uint32_t crowded[] = {0, 1, 17, 19, 28, 31};
  for (int trial = 0; trial < 200000; ++trial) {
    uint32_t word = rng();
    if (trial % 2) word = (word & 0x03ffffffu) | crowded[trial / 2 % std::size(crowded)] << 26;
    InsnId want = InsnId::kInvalid;
    for (size_t row = 0; row < kRows; ++row) {
      const InsnInfo& info = GetInsnInfo(static_cast<InsnId>(row));
      if ((word & info.mask) == info.match) {
        want = static_cast<InsnId>(row);
        break;
      }
    }
    ASSERT_EQ(Decode(word, 0x400000).id, want) << std::hex << "0x" << word;
  }
}

// Each row's own match word decodes to the row itself, or to an alias listed before it.
TEST(DecoderTest, RowsAreReachable) {
  for (size_t row = 0; row < kRows; ++row) {
    const InsnInfo& info = GetInsnInfo(static_cast<InsnId>(row));
    Insn insn = Decode(info.match, 0);
    EXPECT_LE(static_cast<size_t>(insn.id), row) << info.mnemonic;
    EXPECT_EQ(GetInsnInfo(insn.id).semantics, info.semantics) << info.mnemonic;
  }
}

TEST(DecoderTest, EveryRowDisassemblesWithItsMnemonic) {
  for (size_t row = 0; row < kRows; ++row) {
    const InsnInfo& info = GetInsnInfo(static_cast<InsnId>(row));
    Insn insn = Decode(info.match | (0x5a5a5a5a & ~info.mask), 0x400000);
    std::string text = Disassemble(insn);
    std::string mnemonic(GetInsnInfo(insn.id).mnemonic);
    EXPECT_EQ(text.substr(0, mnemonic.size()), mnemonic) << text;
  }
}

struct Known {
  uint32_t word;
  const char* text;
};

// Encodings taken from binutils' assembler output for the same source line.
constexpr Known kKnown[] = {
    {0x00000000, "nop"},
    {0x27bdffe0, "addiu sp, sp, -32"},
    {0x8fbf001c, "lw ra, 28(sp)"},
    {0xafbf001c, "sw ra, 28(sp)"},
    {0x03e00008, "jr ra"},
    {0x0320f809, "jalr ra, t9"},
    {0x00851021, "addu v0, a0, a1"},
    {0x00801021, "move v0, a0"},
    {0x00051023, "negu v0, a1"},
    {0x00a01027, "not v0, a1"},
    {0x3c02004a, "lui v0, 0x4a"},
    {0x34420100, "ori v0, v0, 0x100"},
    {0x2402ffff, "li v0, -1"},
    {0x00021080, "sll v0, v0, 2"},
    {0x00221082, "rotr v0, v0, 2"},
    {0x00021043, "sra v0, v0, 1"},
    {0x0085001a, "div a0, a1"},
    {0x00001012, "mflo v0"},
    {0x00a001f4, "teq a1, zero, 0x7"},
    {0x0000000c, "syscall 0x0"},
    {0x0007000d, "break 0x7"},
    {0x70851002, "mul v0, a0, a1"},
    {0x70850000, "madd a0, a1"},
    {0x70821020, "clz v0, a0"},
    {0x7c8258c0, "ext v0, a0, 3, 12"},
    {0x7c8258c4, "ins v0, a0, 3, 9"},
    {0x7c0210a0, "wsbh v0, v0"},
    {0x7c021420, "seb v0, v0"},
    {0x7c03e83b, "rdhwr v1, $29"},
    {0xc0820000, "ll v0, 0(a0)"},
    {0xe0820000, "sc v0, 0(a0)"},
    {0x88820003, "lwl v0, 3(a0)"},
    {0x98820000, "lwr v0, 0(a0)"},
    {0xd7a00010, "ldc1 $f0, 16(sp)"},
    {0x44800000, "mtc1 zero, $f0"},
    {0x4442f800, "cfc1 v0, $31"},
    {0x0000000f, "sync"},
    {0x041f0000, "synci 0(zero)"},
};

TEST(DisassemblerTest, KnownEncodings) {
  for (const Known& k : kKnown) {
    EXPECT_EQ(Disassemble(Decode(k.word, 0x400000)), k.text) << std::hex << k.word;
  }
}

TEST(DisassemblerTest, BranchTargetsArePcRelative) {
  // beq a0, a1, .+8 at 0x400100: target = pc + 4 + 1 * 4.
  EXPECT_EQ(Disassemble(Decode(0x10850001, 0x400100)), "beq a0, a1, 0x400108");
  // bnez with a negative offset.
  EXPECT_EQ(Disassemble(Decode(0x1440fffe, 0x400100)), "bnez v0, 0x4000fc");
  // b and bal are the aliases of beq zero, zero and bgezal zero.
  EXPECT_EQ(Disassemble(Decode(0x10000003, 0x400000)), "b 0x400010");
  EXPECT_EQ(Disassemble(Decode(0x04110003, 0x400000)), "bal 0x400010");
  // jal keeps the upper four bits of the delay slot's address.
  EXPECT_EQ(Disassemble(Decode(0x0c100040, 0x400000)), "jal 0x400100");
}

TEST(DecoderTest, GprsNamedAreTheOperandRegisters) {
  auto named = [](uint32_t word) { return GprsNamed(Decode(word, 0x400000)); };
  auto bits = [](std::initializer_list<unsigned> regs) {
    uint32_t b = 0;
    for (unsigned r : regs) b |= 1u << r;
    return b;
  };
  EXPECT_EQ(named(0x00851021u), bits({2, 4, 5}));   // addu v0, a0, a1
  EXPECT_EQ(named(0x8fbf001cu), bits({29, 31}));    // lw ra, 28(sp)
  EXPECT_EQ(named(0x0c100000u), bits({31}));        // jal: writes ra
  EXPECT_EQ(named(0x03e00008u), bits({31}));        // jr ra
  EXPECT_EQ(named(0x00001021u), bits({2}));         // move v0, zero: $zero is none
  EXPECT_EQ(named(0x4c850001u), bits({4, 5}));      // ldxc1 $f0, a1(a0)
  EXPECT_EQ(named(0x0000000cu), 0u);                // syscall
  EXPECT_EQ(named(0x24420001u), bits({2}));         // addiu v0, v0, 1
}

TEST(DecoderTest, ReservedAndPrivilegedEncodingsAreInvalid) {
  for (uint32_t word : {0x42000018u /* eret */, 0x40026000u /* mfc0 */, 0xbc800000u /* cache */,
                        0x00851061u /* addu with sa != 0 */, 0xfc000000u /* sdc3 */,
                        0x7000003fu /* sdbbp */, 0x0000003fu /* SPECIAL funct 63 */}) {
    Insn insn = Decode(word, 0);
    EXPECT_EQ(insn.id, InsnId::kInvalid) << std::hex << word;
    EXPECT_EQ(Disassemble(insn).substr(0, 5), ".word");
  }
}

TEST(BlockTest, EndsAfterTheDelaySlot) {
  const uint32_t code[] = {0x24020001, 0x10400002, 0x24030002, 0x24040003};
  auto fetch = [&](uint32_t addr, uint32_t* w) {
    if (addr < 0x1000 || addr >= 0x1000 + sizeof code) return false;
    *w = code[(addr - 0x1000) / 4];
    return true;
  };
  DecodedBlock b = DiscoverBlock(0x1000, fetch);
  ASSERT_EQ(b.insns.size(), 3u);
  EXPECT_TRUE(b.ends_in_branch);
  EXPECT_TRUE(b.insns[2].delay_slot);
  EXPECT_FALSE(b.insns[1].delay_slot);
  EXPECT_EQ(b.end, 0x100cu);
}

TEST(BlockTest, StopsAtSyscallAndAtUnfetchableCode) {
  const uint32_t code[] = {0x24020fa1, 0x0000000c, 0x24040003};
  auto fetch = [&](uint32_t addr, uint32_t* w) {
    if (addr < 0x1000 || addr >= 0x1000 + sizeof code) return false;
    *w = code[(addr - 0x1000) / 4];
    return true;
  };
  EXPECT_EQ(DiscoverBlock(0x1000, fetch).insns.size(), 2u);
  DecodedBlock tail = DiscoverBlock(0x1008, fetch);
  EXPECT_EQ(tail.insns.size(), 1u);
  EXPECT_EQ(tail.end, 0x100cu);
  DecodedBlock none = DiscoverBlock(0x2000, fetch);
  EXPECT_TRUE(none.insns.empty());
  EXPECT_EQ(none.fetch_fault_addr, 0x2000u);
}

TEST(BlockTest, StaticSuccessorsOfBranchesAndJumps) {
  auto successors = [](uint32_t branch) {
    Insn insns[2] = {Decode(branch, 0x1000), Decode(0, 0x1004)};
    insns[1].delay_slot = true;
    uint32_t out[2] = {};
    size_t n = StaticSuccessors(insns, 2, 0x1008, out);
    return std::vector<uint32_t>(out, out + n);
  };
  using V = std::vector<uint32_t>;
  EXPECT_EQ(successors(0x10430003), (V{0x1010, 0x1008}));  // beq v0,v1: both ways
  EXPECT_EQ(successors(0x10000003), V{0x1010});            // b: always taken
  EXPECT_EQ(successors(0x04110003), V{0x1010});            // bal: always taken
  EXPECT_EQ(successors(0x08000404), V{0x1010});            // j
  EXPECT_EQ(successors(0x03e00008), V{});                  // jr ra
  Insn plain[1] = {Decode(0x24020001, 0x1000)};
  uint32_t out[2] = {};
  ASSERT_EQ(StaticSuccessors(plain, 1, 0x1004, out), 1u);  // no transfer: falls through
  EXPECT_EQ(out[0], 0x1004u);
}

TEST(BlockTest, EndsInCallForLinkingTransfersOnly) {
  auto ends_in_call = [](uint32_t transfer) {
    Insn insns[2] = {Decode(transfer, 0x1000), Decode(0, 0x1004)};
    insns[1].delay_slot = true;
    return EndsInCall(insns, 2);
  };
  EXPECT_TRUE(ends_in_call(0x0c000410));   // jal
  EXPECT_TRUE(ends_in_call(0x04110003));   // bal
  EXPECT_TRUE(ends_in_call(0x0320f809));   // jalr t9
  EXPECT_FALSE(ends_in_call(0x08000404));  // j
  EXPECT_FALSE(ends_in_call(0x10000003));  // b
  EXPECT_FALSE(ends_in_call(0x03e00008));  // jr ra
  Insn plain[2] = {Decode(0x24020001, 0x1000), Decode(0x24030001, 0x1004)};
  EXPECT_FALSE(EndsInCall(plain, 2));
  EXPECT_FALSE(EndsInCall(plain, 1));
}

TEST(BlockTest, BranchInADelaySlotIsReserved) {
  const uint32_t code[] = {0x10000002, 0x10000002, 0x00000000};
  auto fetch = [&](uint32_t addr, uint32_t* w) {
    if (addr < 0x1000 || addr >= 0x1000 + sizeof code) return false;
    *w = code[(addr - 0x1000) / 4];
    return true;
  };
  DecodedBlock b = DiscoverBlock(0x1000, fetch);
  ASSERT_EQ(b.insns.size(), 2u);
  EXPECT_EQ(b.insns[1].id, InsnId::kInvalid);
}

}  // namespace
}  // namespace mipsrun
