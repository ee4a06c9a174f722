// Instruction semantics as the interpreter runs them, in both byte orders, checked
// against definitions written independently of frontend/semantics.h.
#include <csignal>
#include <cstring>
#include <memory>
#include <vector>

#include "frontend/block.h"
#include "frontend/decoder.h"
#include "frontend/disasm.h"
#include "gtest/gtest.h"
#include "runtime/guest_exception.h"
#include "runtime/guest_memory.h"
#include "runtime/interp_pairs.h"
#include "runtime/interpreter.h"

namespace mipsrun {
namespace {

constexpr uint32_t kCode = 0x10000;
constexpr uint32_t kData = 0x20000;

uint32_t R(uint32_t funct, uint32_t rs, uint32_t rt, uint32_t rd, uint32_t sa = 0) {
  return rs << 21 | rt << 16 | rd << 11 | sa << 6 | funct;
}
uint32_t I(uint32_t op, uint32_t rs, uint32_t rt, uint32_t imm) {
  return op << 26 | rs << 21 | rt << 16 | (imm & 0xffff);
}
uint32_t Special2(uint32_t funct, uint32_t rs, uint32_t rt, uint32_t rd = 0) {
  return 0x1cu << 26 | rs << 21 | rt << 16 | rd << 11 | funct;
}

class InterpTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    big_ = GetParam();
    mem_ = *GuestMemory::Create(big_);
    ASSERT_EQ(mem_->Map(kCode, 0x20000, kProtRead | kProtWrite | kProtExec, false, -1, 0), 0);
    cpu_.mem = mem_->base();
  }

  // Runs one instruction word as if at `pc`, as a block of its own; true when it left
  // for the runtime (an exception, a syscall).
  bool Exec(uint32_t word, uint32_t pc = kCode) {
    DecodedBlock one;
    one.start = pc;
    one.end = pc + 4;
    one.insns.push_back(Decode(word, pc));
    auto block = BuildBlock(one, big_);
    return RunBlock(cpu_, *block);
  }

  // Places `words` at kCode and runs blocks from there until pc leaves the code or an
  // instruction exits to the runtime. Returns true on such an exit.
  bool RunCode(const std::vector<uint32_t>& words) {
    for (size_t i = 0; i < words.size(); ++i) mem_->Write32(kCode + 4 * i, words[i]);
    uint32_t end = kCode + 4 * static_cast<uint32_t>(words.size());
    auto fetch = [&](uint32_t a, uint32_t* w) {
      if (a < kCode || a >= end) return false;
      *w = mem_->Read32(a);
      return true;
    };
    cpu_.pc = kCode;
    for (int guard = 0; guard < 1000 && cpu_.pc >= kCode && cpu_.pc < end; ++guard) {
      auto block = BuildBlock(DiscoverBlock(cpu_.pc, fetch), big_);
      if (RunBlock(cpu_, *block)) return true;
    }
    return false;
  }

  // FR=1, FCSR clear, $f0 = 0.1, $f2 = 3.0, $f8 = 1.0.
  void SetUpFpuOperands() {
    cpu_.fr = true;
    cpu_.fcsr = 0;
    cpu_.fpr[0] = 0x3fb999999999999aull;
    cpu_.fpr[2] = 0x4008000000000000ull;
    cpu_.fpr[8] = 0x3ff0000000000000ull;
  }

  // The register byte lane (0 = least significant) that holds memory byte `addr` when
  // the 4 bytes at `start` are read as a word in the guest's byte order.
  int LaneOf(uint32_t start, uint32_t addr) const {
    int k = static_cast<int>(addr - start);
    return big_ ? 3 - k : k;
  }

  bool big_ = false;
  std::unique_ptr<GuestMemory> mem_;
  CpuState cpu_;
};

INSTANTIATE_TEST_SUITE_P(ByteOrder, InterpTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

// lwl/lwr by the architecture's definition: each loads the part of an unaligned word
// that lies inside the aligned word holding the addressed byte. lwl's unaligned word
// starts at the address on big-endian and ends there on little-endian; lwr's the
// other way round.
TEST_P(InterpTest, LwlLwrLoadThePartInsideTheAlignedWord) {
  for (int i = 0; i < 16; ++i) *mem_->Host(kData + i) = static_cast<uint8_t>(0x10 + i);
  for (uint32_t addr = kData + 4; addr < kData + 8; ++addr) {
    for (bool left : {true, false}) {
      uint32_t start = (left == big_) ? addr : addr - 3;
      uint32_t aligned = addr & ~3u;
      uint32_t want = 0xaabbccdd;
      for (uint32_t a = start; a < start + 4; ++a) {
        if (a < aligned || a > aligned + 3) continue;
        int lane = LaneOf(start, a);
        want = (want & ~(0xffu << 8 * lane)) | uint32_t{*mem_->Host(a)} << 8 * lane;
      }
      cpu_.gpr[4] = addr;
      cpu_.gpr[2] = 0xaabbccdd;
      Exec(I(left ? 0x22 : 0x26, 4, 2, 0));
      EXPECT_EQ(cpu_.gpr[2], want) << (left ? "lwl" : "lwr") << " at +" << (addr & 3);
    }
  }
}

TEST_P(InterpTest, SwlSwrStoreThePartInsideTheAlignedWord) {
  for (uint32_t addr = kData + 4; addr < kData + 8; ++addr) {
    for (bool left : {true, false}) {
      uint8_t want[16];
      for (int i = 0; i < 16; ++i) *mem_->Host(kData + i) = want[i] = static_cast<uint8_t>(0x10 + i);
      uint32_t value = 0xa1b2c3d4;
      uint32_t start = (left == big_) ? addr : addr - 3;
      uint32_t aligned = addr & ~3u;
      for (uint32_t a = start; a < start + 4; ++a) {
        if (a >= aligned && a <= aligned + 3) want[a - kData] = static_cast<uint8_t>(value >> 8 * LaneOf(start, a));
      }
      cpu_.gpr[4] = addr;
      cpu_.gpr[2] = value;
      Exec(I(left ? 0x2a : 0x2e, 4, 2, 0));
      EXPECT_EQ(memcmp(mem_->Host(kData), want, 16), 0) << (left ? "swl" : "swr") << " at +" << (addr & 3);
    }
  }
}

TEST_P(InterpTest, UnalignedWordAccessIsFixedUp) {
  for (int i = 0; i < 8; ++i) *mem_->Host(kData + i) = static_cast<uint8_t>(i + 1);
  cpu_.gpr[4] = kData + 1;
  Exec(I(0x23, 4, 2, 0));  // lw v0, 0(a0)
  EXPECT_EQ(cpu_.gpr[2], big_ ? 0x02030405u : 0x05040302u);
  cpu_.gpr[2] = 0xcafef00d;
  Exec(I(0x2b, 4, 2, 2));  // sw v0, 2(a0)
  EXPECT_EQ(mem_->Read32(kData + 3), 0xcafef00du);
}

TEST_P(InterpTest, BranchLikelyAnnulsItsDelaySlotOnlyWhenNotTaken) {
  // b??l zero, at, +2 ; addiu v0, v0, 1 ; addiu v0, v0, 100 ; (end)
  cpu_.gpr[1] = 5;  // not equal: not taken
  cpu_.gpr[2] = 0;
  EXPECT_FALSE(RunCode({I(0x15, 0, 1, 2) /* bnel */, 0x24420001, 0x24420064}));
  EXPECT_EQ(cpu_.gpr[2], 1u);  // bnel taken (0 != 5): slot ran, skipped the +100
  cpu_.gpr[2] = 0;
  EXPECT_FALSE(RunCode({I(0x14, 0, 1, 2), 0x24420001, 0x24420064}));  // beql: not taken
  EXPECT_EQ(cpu_.gpr[2], 100u);  // slot annulled, fell through to +100
  cpu_.gpr[2] = 0;
  EXPECT_FALSE(RunCode({I(0x05, 0, 1, 2), 0x24420001, 0x24420064}));  // bne, taken
  EXPECT_EQ(cpu_.gpr[2], 1u);
  cpu_.gpr[2] = 0;
  EXPECT_FALSE(RunCode({I(0x04, 0, 1, 2), 0x24420001, 0x24420064}));  // beq, not taken
  EXPECT_EQ(cpu_.gpr[2], 101u);  // an ordinary slot always runs
}

TEST_P(InterpTest, DivisionByZeroAndOverflowDoNotTrap) {
  cpu_.gpr[4] = 1234;
  cpu_.gpr[5] = 0;
  Exec(R(0x1a, 4, 5, 0));  // div a0, a1
  EXPECT_EQ(cpu_.gpr[kRegLo], 1234u);
  EXPECT_EQ(cpu_.gpr[kRegHi], 0u);
  Exec(R(0x1b, 4, 5, 0));  // divu
  EXPECT_EQ(cpu_.gpr[kRegLo], 1234u);
  cpu_.gpr[4] = 0x80000000u;
  cpu_.gpr[5] = 0xffffffffu;
  Exec(R(0x1a, 4, 5, 0));
  EXPECT_EQ(cpu_.gpr[kRegLo], 0x80000000u);
  EXPECT_EQ(cpu_.gpr[kRegHi], 0u);
  cpu_.gpr[4] = static_cast<uint32_t>(-7);
  cpu_.gpr[5] = 2;
  Exec(R(0x1a, 4, 5, 0));
  EXPECT_EQ(static_cast<int32_t>(cpu_.gpr[kRegLo]), -3);  // truncates toward zero
  EXPECT_EQ(static_cast<int32_t>(cpu_.gpr[kRegHi]), -1);  // remainder has the dividend's sign
}

TEST_P(InterpTest, MaddCarriesIntoHi) {
  cpu_.gpr[kRegHi] = 0;
  cpu_.gpr[kRegLo] = 0xffffffffu;
  cpu_.gpr[4] = 1;
  cpu_.gpr[5] = 1;
  Exec(Special2(0x00, 4, 5));  // madd
  EXPECT_EQ(cpu_.gpr[kRegHi], 1u);
  EXPECT_EQ(cpu_.gpr[kRegLo], 0u);
  cpu_.gpr[4] = static_cast<uint32_t>(-2);
  Exec(Special2(0x00, 4, 5));  // madd with a negative product borrows back
  EXPECT_EQ(cpu_.gpr[kRegHi], 0u);
  EXPECT_EQ(cpu_.gpr[kRegLo], 0xfffffffeu);
  cpu_.gpr[4] = 0xffffffffu;
  cpu_.gpr[5] = 0xffffffffu;
  cpu_.gpr[kRegHi] = cpu_.gpr[kRegLo] = 0;
  Exec(Special2(0x05, 4, 5));  // msubu: 0 - (2^32-1)^2
  uint64_t want = 0 - 0xffffffffull * 0xffffffffull;
  EXPECT_EQ(cpu_.gpr[kRegHi], static_cast<uint32_t>(want >> 32));
  EXPECT_EQ(cpu_.gpr[kRegLo], static_cast<uint32_t>(want));
}

TEST_P(InterpTest, OverflowTrapLeavesTheDestinationUntouched) {
  cpu_.gpr[4] = 0x7fffffff;
  cpu_.gpr[5] = 1;
  cpu_.gpr[2] = 77;
  EXPECT_EQ(Exec(R(0x20, 4, 5, 2), kCode + 8), true);  // add v0, a0, a1
  EXPECT_EQ(cpu_.gpr[2], 77u);
  EXPECT_EQ(cpu_.exit, ExitReason::kException);
  EXPECT_EQ(cpu_.exception, Exception::kOverflow);
  EXPECT_EQ(cpu_.pc, kCode + 8);
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kFpe);
  cpu_.gpr[4] = 0x7ffffffe;
  EXPECT_EQ(Exec(R(0x21, 4, 5, 2)), false);  // addu wraps silently
  EXPECT_EQ(cpu_.gpr[2], 0x7fffffffu);
}

TEST_P(InterpTest, TrapInADelaySlotReportsTheBranch) {
  // beq zero, zero, +1 ; teq zero, zero, 7 (slot)
  EXPECT_TRUE(RunCode({I(0x04, 0, 0, 1), R(0x34, 0, 0, 0, 0) | 7u << 6, 0}));
  EXPECT_EQ(cpu_.exit, ExitReason::kException);
  EXPECT_EQ(cpu_.exception, Exception::kTrap);
  EXPECT_EQ(cpu_.exception_code, 7u);
  EXPECT_TRUE(cpu_.in_delay_slot);
  EXPECT_EQ(cpu_.pc, kCode);  // the branch, as EPC with Cause.BD
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kFpe);
}

TEST_P(InterpTest, TrapAndBreakCodesChooseTheSignal) {
  cpu_.gpr[4] = 3;
  Exec(R(0x34, 4, 4, 0) | 6u << 6);  // teq a0, a0, 6: BRK_OVERFLOW
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kFpe);
  Exec(R(0x34, 4, 4, 0) | 3u << 6);
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kTrap);
  Exec(0x0007000d);  // break 7, as assemblers encode it
  EXPECT_EQ(cpu_.exception, Exception::kBreak);
  EXPECT_EQ(cpu_.exception_code, 7u);
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kFpe);
  Exec(0x0000000d);  // break 0
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kTrap);
  Exec(0x42000018);  // eret: privileged
  EXPECT_EQ(cpu_.exception, Exception::kReserved);
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kIll);
}

TEST_P(InterpTest, MemoryFaultSignals) {
  cpu_.exit = ExitReason::kMemoryFault;
  cpu_.fault_addr = 0x1000;
  EXPECT_EQ(SignalForExit(cpu_, SIGSEGV, false).info.signo, mips_sig::kSegv);
  cpu_.fault_addr = 0x80001000;  // kseg0 from user mode: address error
  EXPECT_EQ(SignalForExit(cpu_, SIGSEGV, false).info.signo, mips_sig::kBus);
  cpu_.exit = ExitReason::kFetchFault;
  cpu_.fault_addr = 0x400002;  // misaligned pc
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kBus);
}

TEST_P(InterpTest, LlScSucceedsOnlyWithAnIntactLink) {
  mem_->Write32(kData, 41);
  cpu_.gpr[4] = kData;
  cpu_.gpr[2] = 5;
  Exec(I(0x38, 4, 2, 0));  // sc without ll
  EXPECT_EQ(cpu_.gpr[2], 0u);
  EXPECT_EQ(mem_->Read32(kData), 41u);
  Exec(I(0x30, 4, 2, 0));  // ll
  EXPECT_EQ(cpu_.gpr[2], 41u);
  cpu_.gpr[2] = 42;
  Exec(I(0x38, 4, 2, 0));  // sc
  EXPECT_EQ(cpu_.gpr[2], 1u);
  EXPECT_EQ(mem_->Read32(kData), 42u);
  Exec(I(0x30, 4, 2, 0));
  mem_->Write32(kData, 99);  // another writer changed the word
  cpu_.gpr[2] = 43;
  Exec(I(0x38, 4, 2, 0));
  EXPECT_EQ(cpu_.gpr[2], 0u);
  EXPECT_EQ(mem_->Read32(kData), 99u);
  cpu_.gpr[4] = kData + 2;  // misaligned ll: address error, SIGBUS
  EXPECT_EQ(Exec(I(0x30, 4, 2, 0)), true);
  EXPECT_EQ(cpu_.exception, Exception::kAddressError);
  EXPECT_EQ(SignalForExit(cpu_, 0, true).info.signo, mips_sig::kBus);
}

TEST_P(InterpTest, RdhwrReadsTlsAndRejectsOtherRegisters) {
  cpu_.tls = 0x12345670;
  Exec(0x7c03e83b);  // rdhwr v1, $29
  EXPECT_EQ(cpu_.gpr[3], 0x12345670u);
  Exec(0x7c03083b);  // rdhwr v1, $1: SYNCI_Step
  EXPECT_EQ(cpu_.gpr[3], 32u);
  EXPECT_EQ(Exec(0x7c03283b), true);  // rdhwr v1, $5: not enabled for user mode
  EXPECT_EQ(cpu_.exception, Exception::kReserved);
}

TEST_P(InterpTest, RegisterZeroStaysZero) {
  cpu_.gpr[4] = 5;
  Exec(I(0x09, 4, 0, 7));  // addiu zero, a0, 7
  EXPECT_EQ(cpu_.gpr[0], 0u);
  Exec(R(0x21, 4, 4, 0));  // addu zero, a0, a0
  EXPECT_EQ(cpu_.gpr[0], 0u);
  Exec(R(0x21, 4, 4, 2));  // addu v0, a0, a0: the unchecked variant still writes
  EXPECT_EQ(cpu_.gpr[2], 10u);
  Exec(0x0080f809);        // jalr zero, a0: a link into $zero is dropped
  EXPECT_EQ(cpu_.gpr[0], 0u);
  mem_->Write32(kData, 0xffffffff);
  cpu_.gpr[4] = kData;
  Exec(I(0x23, 4, 0, 0));  // lw zero, 0(a0)
  EXPECT_EQ(cpu_.gpr[0], 0u);
}

TEST_P(InterpTest, LinkingJumpsWriteTheAddressAfterTheDelaySlot) {
  cpu_.gpr[25] = kCode + 0x100;
  Exec(0x0320f809, kCode + 0x40);  // jalr ra, t9
  EXPECT_EQ(cpu_.gpr[31], kCode + 0x48);
  EXPECT_EQ(cpu_.next_pc, kCode + 0x100u);
  cpu_.gpr[31] = kCode + 0x200;
  Exec(0x03e0f809, kCode);  // jalr ra, ra: the target is read before the link
  EXPECT_EQ(cpu_.next_pc, kCode + 0x200u);
  EXPECT_EQ(cpu_.gpr[31], kCode + 8);
}

TEST_P(InterpTest, FpuPairsInFr0) {
  cpu_.fr = false;
  cpu_.gpr[4] = kData;
  mem_->Write64(kData, 0x0123456789abcdefull);
  Exec(0xd4820000);  // ldc1 $f2, 0(a0)
  Exec(0x44031000);  // mfc1 v1, $f2: the low word
  EXPECT_EQ(cpu_.gpr[3], 0x89abcdefu);
  Exec(0x44031800);  // mfc1 v1, $f3: the high word of the pair
  EXPECT_EQ(cpu_.gpr[3], 0x01234567u);
  Exec(0x44631000);  // mfhc1 v1, $f2
  EXPECT_EQ(cpu_.gpr[3], 0x01234567u);
  Exec(0xf4820008);  // sdc1 $f2, 8(a0)
  EXPECT_EQ(mem_->Read64(kData + 8), 0x0123456789abcdefull);
}

// Superinstructions (runtime/interp_pairs.h): a block runs its pairs as the two
// instructions would run one after the other.
TEST_P(InterpTest, PairedInstructionsRunAsTheyWouldOneByOne) {
  const std::vector<uint32_t> words = {
      0x00000000,          // nop
      I(0x23, 4, 2, 4),    // lw v0, 4(a0)
      I(0x2b, 4, 3, 8),    // sw v1, 8(a0)
      I(0x2b, 4, 2, 4),    // sw v0, 4(a0): what the lw reads
      I(0x09, 2, 2, -3),   // addiu v0, v0, -3
      R(0x21, 2, 3, 3),    // addu v1, v0, v1
      R(0x25, 3, 0, 2),    // or v0, v1, zero (move)
      I(0x0f, 0, 3, 0x8001),  // lui v1, 0x8001
      R(0x00, 0, 2, 3, 5),    // sll v1, v0, 5
      R(0x02, 0, 3, 2, 3),    // srl v0, v1, 3
      I(0x0c, 3, 2, 0xf0f0),  // andi v0, v1, 0xf0f0
      I(0x24, 4, 3, 5),       // lbu v1, 5(a0)
      R(0x2b, 2, 3, 2),       // sltu v0, v0, v1
      R(0x2a, 3, 2, 3),       // slt v1, v1, v0
      R(0x23, 3, 2, 2),       // subu v0, v1, v0
      R(0x21, 3, 0, 2),       // move v0, v1 (the spec's alias of addu)
      I(0x09, 0, 3, 0x1234),  // li v1, 0x1234 (of addiu)
      R(0x23, 0, 3, 2),       // negu v0, v1 (of subu)
  };
  auto reset = [&] {
    cpu_ = CpuState();
    cpu_.mem = mem_->base();
    cpu_.gpr[2] = 0x12345678;
    cpu_.gpr[3] = 0x9abcdef0;
    cpu_.gpr[4] = kData;
    mem_->Write32(kData + 4, 0xcafef00d);
    mem_->Write32(kData + 8, 0);
  };
  int pairs = 0;
  for (uint32_t a : words) {
    for (uint32_t b : words) {
      reset();
      Exec(a, kCode);
      Exec(b, kCode + 4);
      uint32_t want[3] = {cpu_.gpr[2], cpu_.gpr[3], mem_->Read32(kData + 8)};
      // The pair at the block's end (it goes straight to the end marker's handler), and
      // with an instruction after it.
      for (bool last : {true, false}) {
        pairs += PairHandler(Decode(a, kCode), Decode(b, kCode + 4), last, big_) != nullptr;
        reset();
        EXPECT_FALSE(last ? RunCode({a, b}) : RunCode({a, b, 0x24840000 /* addiu a0, a0, 0 */}));
        uint32_t got[3] = {cpu_.gpr[2], cpu_.gpr[3], mem_->Read32(kData + 8)};
        for (int k = 0; k < 3; ++k) {
          EXPECT_EQ(got[k], want[k]) << std::hex << a << " then " << b << ", value " << k
                                     << (last ? ", last" : "");
        }
      }
    }
  }
  EXPECT_EQ(pairs, static_cast<int>(2 * words.size() * words.size()));  // all of them paired
}

// A pair whose second instruction names the GPR the first one writes has a handler of
// its own, which hands the value over in a host register (runtime/interp_pairs.cc,
// kDep); the others keep the plain one. Both run as one instruction after the other.
TEST_P(InterpTest, APairWhoseSecondReadsTheFirstsResultHasItsOwnHandler) {
  const uint32_t addiu = I(0x09, 4, 2, 7);  // addiu v0, a0, 7
  auto handler = [&](uint32_t second) {
    return PairHandler(Decode(addiu, kCode), Decode(second, kCode + 4), false, big_);
  };
  const uint32_t independent = R(0x21, 4, 5, 3);  // addu v1, a0, a1
  const uint32_t by_rs = R(0x21, 2, 5, 3);        // addu v1, v0, a1
  const uint32_t by_rt = R(0x21, 5, 2, 3);        // addu v1, a1, v0
  const uint32_t by_both = R(0x21, 2, 2, 3);      // addu v1, v0, v0
  const uint32_t load_over = I(0x23, 4, 2, 0);    // lw v0, 0(a0): writes it again
  ASSERT_NE(handler(independent), nullptr);
  for (uint32_t second : {by_rs, by_rt, by_both}) {
    EXPECT_NE(handler(second), handler(independent)) << std::hex << second;
    EXPECT_EQ(handler(second), handler(by_rs)) << std::hex << second;
  }
  for (uint32_t second : {independent, by_rs, by_rt, by_both, load_over}) {
    for (bool pair : {true, false}) {
      cpu_ = CpuState();
      cpu_.mem = mem_->base();
      cpu_.gpr[4] = kData;
      cpu_.gpr[5] = 0x100;
      mem_->Write32(kData, 0x11223344);
      if (pair) {
        EXPECT_FALSE(RunCode({addiu, second}));
      } else {
        Exec(addiu, kCode);
        Exec(second, kCode + 4);
      }
      const uint32_t v0 = second == load_over ? 0x11223344u : kData + 7;
      EXPECT_EQ(cpu_.gpr[2], v0) << std::hex << second << (pair ? " paired" : "");
      const uint32_t v1 = second == independent ? kData + 0x100
                        : second == by_both     ? 2 * (kData + 7)
                        : second == load_over   ? 0u
                                                : kData + 7 + 0x100;
      EXPECT_EQ(cpu_.gpr[3], v1) << std::hex << second << (pair ? " paired" : "");
    }
  }
}

TEST_P(InterpTest, APairsSecondAccessIsTheOneAFaultWouldName) {
  cpu_.gpr[4] = kData;
  DecodedBlock two;  // addiu v0, v0, 1 ; lw v1, 0(a0)
  two.start = kCode;
  two.end = kCode + 8;
  two.insns = {Decode(I(0x09, 2, 2, 1), kCode), Decode(I(0x23, 4, 3, 0), kCode + 4)};
  auto block = BuildBlock(two, big_);
  ASSERT_NE(block->code[0].fn, InterpreterHandler(two.insns[0], big_));  // they are a pair
  EXPECT_FALSE(RunBlock(cpu_, *block));
  EXPECT_EQ(cpu_.cur_mem_insn, &block->code[1].insn);  // the host fault handler reads this
}

TEST_P(InterpTest, ABranchAndItsDelaySlotPair) {
  ASSERT_NE(PairHandler(Decode(I(0x04, 4, 5, 2), kCode), Decode(I(0x09, 2, 2, 1), kCode + 4), true,
                        big_),
            nullptr);
  // The aliases beqz and bnez (beq a0, zero and bne a0, zero) pair too.
  for (uint32_t branch : {I(0x04, 4, 0, 2), I(0x05, 4, 0, 2)}) {
    EXPECT_NE(PairHandler(Decode(branch, kCode), Decode(I(0x09, 2, 2, 1), kCode + 4), true, big_),
              nullptr)
        << Disassemble(Decode(branch, kCode));
  }
  for (uint32_t a5 : {7u, 8u}) {
    // beq a0, a1, +2 ; addiu v0, v0, 1 (slot) ; addiu v0, v0, 100
    cpu_.gpr[2] = 0;
    cpu_.gpr[4] = 7;
    cpu_.gpr[5] = a5;
    EXPECT_FALSE(RunCode({I(0x04, 4, 5, 2), I(0x09, 2, 2, 1), I(0x09, 2, 2, 100)}));
    EXPECT_EQ(cpu_.gpr[2], a5 == 7 ? 1u : 101u);
  }
}

TEST_P(InterpTest, ABlockPairsFromItsEndSoItsBranchPairsWithItsSlot) {
  // addiu v0, v0, 1 ; beq a0, a1, +2 ; addiu v0, v0, 2 (slot): paired from the start,
  // the first two would pair and the branch's slot would run alone.
  DecodedBlock three;
  three.start = kCode;
  three.end = kCode + 12;
  three.insns = {Decode(I(0x09, 2, 2, 1), kCode), Decode(I(0x04, 4, 5, 2), kCode + 4),
                 Decode(I(0x09, 2, 2, 2), kCode + 8)};
  auto block = BuildBlock(three, big_);
  EXPECT_EQ(block->code[0].fn, InterpreterHandler(three.insns[0], big_));
  EXPECT_EQ(block->code[1].fn, PairHandler(three.insns[1], three.insns[2], true, big_));
}

TEST_P(InterpTest, NoPairWritesZero) {
  // addu zero, a0, a0 then nop: paired, it would run without the $zero test.
  EXPECT_EQ(PairHandler(Decode(R(0x21, 4, 4, 0), kCode), Decode(0, kCode + 4), false, big_),
            nullptr);
  cpu_.gpr[4] = 5;
  EXPECT_FALSE(RunCode({R(0x21, 4, 4, 0), 0}));
  EXPECT_EQ(cpu_.gpr[0], 0u);
}

TEST_P(InterpTest, AShiftIntoZeroPairsAsANopAndWritesNothing) {
  // sll zero, a0, 3 then addiu v0, v0, 1; and ssnop (sll zero, zero, 1) then the same.
  for (uint32_t shift : {R(0x00, 0, 4, 0, 3), 0x00000040u}) {
    ASSERT_NE(PairHandler(Decode(shift, kCode), Decode(I(0x09, 2, 2, 1), kCode + 4), true, big_),
              nullptr);
    cpu_.gpr[2] = 1;
    cpu_.gpr[4] = 5;
    EXPECT_FALSE(RunCode({shift, I(0x09, 2, 2, 1)}));
    EXPECT_EQ(cpu_.gpr[0], 0u);
    EXPECT_EQ(cpu_.gpr[2], 2u);
  }
}

// FPU arithmetic runs as the host's operation with FCSR's Flags and Cause left lazy
// (runtime/lazy_fpu.h): a cfc1 in the same block, and the state after the block, see
// them exact; an operation that sets Cause itself (a comparison) replaces the lazy one's.
constexpr uint32_t Cop1D(uint32_t funct, uint32_t fd, uint32_t fs, uint32_t ft) {
  return 0x46200000u | ft << 16 | fs << 11 | fd << 6 | funct;
}
constexpr uint32_t Cfc1Fcsr(uint32_t rt) { return 0x4440f800u | rt << 16; }
constexpr uint32_t kCauseI = 1u << 12, kFlagI = 1u << 2;

TEST_P(InterpTest, FcsrShowsTheCauseAndFlagsOfLazyArithmetic) {
  SetUpFpuOperands();
  EXPECT_FALSE(RunCode({
      Cop1D(0x02, 4, 0, 2),   // mul.d $f4, $f0, $f2: 0.1 * 3 is inexact
      Cfc1Fcsr(8),            // cfc1 t0, FCSR
      Cop1D(0x00, 6, 8, 8),   // add.d $f6, $f8, $f8: 1 + 1 is exact
      Cfc1Fcsr(9),            // cfc1 t1, FCSR
      Cop1D(0x02, 4, 0, 2),   // mul.d again: inexact
      Cop1D(0x32, 0, 0, 2),   // c.eq.d $f0, $f2: ordered, no exception
      Cfc1Fcsr(10),           // cfc1 t2, FCSR
      Cop1D(0x03, 12, 8, 2),  // div.d $f12, $f8, $f2: 1 / 3 is inexact
  }));
  EXPECT_EQ(cpu_.fpr[4], 0x3fd3333333333334ull);  // 0.30000000000000004
  EXPECT_EQ(cpu_.fpr[6], 0x4000000000000000ull);
  EXPECT_EQ(cpu_.gpr[8], kCauseI | kFlagI);
  EXPECT_EQ(cpu_.gpr[9], kFlagI);
  EXPECT_EQ(cpu_.gpr[10], kFlagI);
  EXPECT_EQ(cpu_.fcsr, kCauseI | kFlagI);  // the division's, settled after the block
  EXPECT_EQ(cpu_.fp_pending, 0u);
}

// recip, rsqrt and the multiply-adds run lazily too, with the architecture's roundings:
// rsqrt.s of 1 + 2^-23 rounds the root to 1.0 and then the quotient (the exact
// reciprocal square root would round below 1), and msub.d rounds the product first.
TEST_P(InterpTest, LazyRecipRsqrtAndMultiplyAddRoundLikeTheArchitecture) {
  SetUpFpuOperands();
  cpu_.fpr[10] = 0x3f800001u;            // 1 + 2^-23, single
  cpu_.fpr[12] = 0x3ff0000000400000ull;  // 1 + 2^-30
  cpu_.fpr[14] = 0x3fefffffff800000ull;  // 1 - 2^-30
  EXPECT_FALSE(RunCode({
      0x46005596u,            // rsqrt.s $f22, $f10
      Cfc1Fcsr(8),            // cfc1 t0, FCSR: inexact
      Cop1D(0x15, 16, 2, 0),  // recip.d $f16, $f2: 1/3, inexact
      Cop1D(0x16, 18, 8, 0),  // rsqrt.d $f18, $f8: 1/sqrt(1) = 1, exact
      Cfc1Fcsr(9),            // cfc1 t1, FCSR: no Cause
      0x4d0e6429u,            // msub.d $f16, $f8, $f12, $f14: (1+e)(1-e) - 1
  }));
  EXPECT_EQ(cpu_.fpr[22] & 0xffffffffu, 0x3f800000u);
  EXPECT_EQ(cpu_.gpr[8], kCauseI | kFlagI);
  EXPECT_EQ(cpu_.gpr[9], kFlagI);
  EXPECT_EQ(cpu_.fpr[18], 0x3ff0000000000000ull);
  EXPECT_EQ(cpu_.fpr[16], 0u);  // the product rounded to 1.0; fused would be -2^-60
  EXPECT_EQ(cpu_.fcsr, kCauseI | kFlagI);
  EXPECT_EQ(cpu_.fp_pending, 0u);
}

// A comparison sets Cause to its own exceptions: none for operands that are not NaNs
// (compared lazily, without the exact path), Invalid for a NaN under a signalling
// condition; Flags keep what came before.
TEST_P(InterpTest, AComparisonSetsCauseToItsOwnExceptions) {
  SetUpFpuOperands();
  cpu_.fpr[10] = 0x7ff7ffffffffffffull;  // the legacy quiet NaN
  constexpr uint32_t kFcc0 = 1u << 23, kCauseV = 1u << 16, kFlagV = 1u << 6;
  EXPECT_FALSE(RunCode({
      Cop1D(0x03, 12, 8, 2),  // div.d $f12, $f8, $f2: 1 / 3 is inexact
      Cfc1Fcsr(8),            // cfc1 t0, FCSR: its Cause
      Cop1D(0x3c, 0, 0, 2),   // c.lt.d $f0, $f2: 0.1 < 3
      Cfc1Fcsr(9),            // cfc1 t1, FCSR: no Cause
      Cop1D(0x03, 12, 8, 2),  // div.d again
      Cop1D(0x3c, 0, 0, 10),  // c.lt.d $f0, NaN: false, Invalid
      Cfc1Fcsr(10),           // cfc1 t2, FCSR
      Cop1D(0x32, 0, 0, 0),   // c.eq.d $f0, $f0
  }));
  EXPECT_EQ(cpu_.gpr[8], kCauseI | kFlagI);
  EXPECT_EQ(cpu_.gpr[9], kFlagI | kFcc0);
  EXPECT_EQ(cpu_.gpr[10], kCauseV | kFlagV | kFlagI);
  EXPECT_EQ(cpu_.fcsr, kFlagV | kFlagI | kFcc0);
  EXPECT_EQ(cpu_.fp_pending, 0u);
}

// Under another rounding mode the host's operation (which rounds to nearest) is not
// the architecture's: frontend/fpu.cc computes it.
TEST_P(InterpTest, ArithmeticUnderAnotherRoundingModeIsNotLazy) {
  SetUpFpuOperands();
  cpu_.gpr[4] = 1;  // round toward zero
  EXPECT_FALSE(RunCode({
      Cop1D(0x02, 4, 0, 2),  // mul.d $f4, $f0, $f2: to nearest
      0x44c4f800u,           // ctc1 a0, FCSR
      Cop1D(0x02, 6, 0, 2),  // mul.d $f6, $f0, $f2: toward zero
  }));
  EXPECT_EQ(cpu_.fpr[4], 0x3fd3333333333334ull);
  EXPECT_EQ(cpu_.fpr[6], 0x3fd3333333333333ull);
  // ctc1 replaced the Flags the first gathered; the second set Cause and Flags again.
  EXPECT_EQ(cpu_.fcsr, 1u | kCauseI | kFlagI);
}

// What frontend/fpu.cc computes sets Cause itself, and keeps the Flags that lazy
// arithmetic gathered before it.
TEST_P(InterpTest, AComputationOfFpuCcKeepsTheFlagsGatheredBefore) {
  SetUpFpuOperands();
  EXPECT_FALSE(RunCode({
      Cop1D(0x02, 4, 0, 2),   // mul.d $f4, $f0, $f2: inexact
      Cop1D(0x24, 16, 8, 0),  // cvt.w.d $f16, $f8: exact
  }));
  EXPECT_EQ(cpu_.fpr[16] & 0xffffffffu, 1u);
  EXPECT_EQ(cpu_.fcsr, kFlagI);
}

}  // namespace
}  // namespace mipsrun
