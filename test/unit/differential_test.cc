// The differential tester: random MIPS programs run by the interpreter and by the LLVM
// translator from the same state must leave the same registers, exit and memory.
//
// A program is a few dozen instructions drawn from the integer ISA: ALU, shifts,
// multiply/divide and HI/LO, ext/ins and friends, overflow-trapping arithmetic and the
// trap instructions, loads and stores (aligned, unaligned, lwl/lwr/swl/swr, ll/sc)
// within a scratch buffer, now and then one to an unmapped page (a fault in the middle
// of translated code), and forward branches and jumps of every kind, likely forms and
// jr included, with random delay slots. All its blocks form one region, so that the
// translator's register caching, commits, in-region branches and indirect switch are
// all in play. A quarter of the programs enter it at a block other than the first.
// It stops at the first exit (a trap, a fault) or when it runs off its end.
//
// Every other program mixes in FPU instructions (arithmetic in S and D, the madd
// family, all conversions, compares with condition codes, conditional moves, moves to
// and from GPRs and control registers, FPU loads and stores) on FPRs filled with
// interesting values (NaNs of both encodings, infinities, subnormals, values near the
// limits of the translator's fast paths), in FR=0 or FR=1, under a random FCSR (mostly
// round-to-nearest with nothing enabled, else any rounding mode, flush-to-zero, enabled
// exceptions, NAN2008/ABS2008): FPRs and FCSR must agree too. MIPSRUN_DIFF_VERBOSE
// prints each program's FPRs and FCSR before and after.
//
// MIPSRUN_DIFF_PROGRAMS (default 400 per byte order) and MIPSRUN_DIFF_SEED set the
// budget and the seed; a failure prints the seed and the program's disassembly.
#include <setjmp.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "frontend/block.h"
#include "frontend/decoder.h"
#include "frontend/disasm.h"
#include "frontend/fpu.h"
#include "gtest/gtest.h"
#include "runtime/executor.h"
#include "runtime/guest_memory.h"
#include "runtime/interp_pairs.h"
#include "runtime/interpreter.h"
#include "runtime/lazy_fpu.h"
#include "runtime/translator_loader.h"

namespace mipsrun {
namespace {

constexpr uint32_t kCode = 0x100000;
constexpr uint32_t kData = 0x200000;   // scratch buffer, kDataSize bytes
constexpr uint32_t kDataSize = 0x2000;
constexpr uint32_t kUnmapped = 0x300000;
constexpr unsigned kBaseReg = 23;      // $s7 = kData, never written
constexpr unsigned kBadReg = 22;       // $s6 = kUnmapped, never written
constexpr unsigned kJumpReg = 26;      // $k0: written only just before a jr

CpuState* g_cpu = nullptr;
bool g_native = false;  // translated code runs: its FPU flags are in MXCSR
sigjmp_buf g_fault_jmp;
uint32_t g_held_flags = 0;  // FCSR flags of guest code that faulted (runtime/lazy_fpu.h)

// As the executor's handler: a fault in translated code goes back to be interpreted
// from cpu.pc (sigsetjmp returns 2); one in the interpreter is captured (1). Either way
// the FPU flags the code gathered are in the faulting context's MXCSR.
void OnFault(int, siginfo_t* info, void* ucontext) {
  auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  if (g_cpu && g_native && IsGuestAddress(*g_cpu, addr)) {
    g_held_flags = FaultFcsrFlags(ucontext);
    g_native = false;
    siglongjmp(g_fault_jmp, 2);
  }
  if (g_cpu && !g_native && CaptureGuestFault(*g_cpu, addr)) {
    g_held_flags = FaultFcsrFlags(ucontext);
    siglongjmp(g_fault_jmp, 1);
  }
  fprintf(stderr, "differential: a host fault outside guest accesses at %p (cpu %p, insn %p)\n",
          info->si_addr, static_cast<void*>(g_cpu),
          g_cpu ? static_cast<const void*>(g_cpu->cur_mem_insn) : nullptr);
  signal(SIGSEGV, SIG_DFL);
}

uint32_t R(uint32_t funct, uint32_t rs, uint32_t rt, uint32_t rd, uint32_t sa = 0) {
  return rs << 21 | rt << 16 | rd << 11 | sa << 6 | funct;
}
uint32_t I(uint32_t op, uint32_t rs, uint32_t rt, uint32_t imm) {
  return op << 26 | rs << 21 | rt << 16 | (imm & 0xffff);
}

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  // A program of about n instructions; `targets` gets every address a branch, jump
  // or jr in it can reach.
  std::vector<uint32_t> Program(size_t n, std::set<uint32_t>* targets, bool fp = false) {
    fp_ = fp;
    std::vector<uint32_t> words;
    // Programs must end: branches go forward, and jr goes through $k0, which only its
    // own lui/ori set just before it. A branch that would land on that ori or on the jr
    // (a stale $k0, maybe backward) lands on the lui instead.
    std::map<uint32_t, uint32_t> redirect;          // ori/jr address -> its lui
    std::vector<std::pair<size_t, uint32_t>> branches;  // index, target
    std::vector<std::pair<size_t, uint32_t>> jumps;     // index of the lui, target
    while (words.size() < n) {
      uint32_t pc = kCode + 4 * static_cast<uint32_t>(words.size());
      unsigned kind = Pick(100);
      size_t left = n - words.size();
      if (kind < 14 && left > 4) {
        // A forward branch to somewhere after its delay slot, up to the end.
        uint32_t skip = 1 + Pick(static_cast<unsigned>(std::min<size_t>(left - 2, 12)));
        uint32_t target = pc + 8 + 4 * (skip - 1);
        branches.emplace_back(words.size(), target);
        words.push_back(Branch(pc, target));
        words.push_back(Plain());
      } else if (kind < 16 && left > 6) {
        // jr through $k0, loaded with a forward address.
        const unsigned r = kJumpReg;
        redirect[pc + 4] = pc;
        redirect[pc + 8] = pc;
        uint32_t target = pc + 16 + 4 * Pick(static_cast<unsigned>(std::min<size_t>(left - 4, 8)));
        jumps.emplace_back(words.size(), target);
        words.push_back(0);  // lui, ori: set below
        words.push_back(0);
        words.push_back(Pick(2) ? R(8, r, 0, 0) : R(9, r, 0, 31));  // jr / jalr ra
        words.push_back(Plain());
      } else {
        words.push_back(Plain());
      }
    }
    for (auto [index, target] : jumps) {
      if (auto it = redirect.find(target); it != redirect.end()) target = it->second;
      words[index] = I(15, 0, kJumpReg, target >> 16);                  // lui
      words[index + 1] = I(13, kJumpReg, kJumpReg, target & 0xffff);    // ori
      targets->insert(target);
    }
    for (auto [index, target] : branches) {
      if (auto it = redirect.find(target); it != redirect.end()) target = it->second;
      uint32_t pc = kCode + 4 * static_cast<uint32_t>(index);
      words[index] = Branch(pc, target);
      targets->insert(target);
      targets->insert(pc + 8);
    }
    return words;
  }

  uint32_t Pick(unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(rng_); }
  uint32_t Word() { return static_cast<uint32_t>(rng_()); }
  // An interesting value: small, near a power of two, or anything.
  uint32_t Value() {
    switch (Pick(4)) {
      case 0: return Pick(16);
      case 1: return (1u << Pick(32)) + Pick(3) - 1;
      case 2: return static_cast<uint32_t>(-static_cast<int32_t>(Pick(16)));
      default: return Word();
    }
  }

  // FPU values: a double (FR=1, or a pair with FR=0), or two singles.
  uint64_t FpDouble() {
    static const uint64_t kSpecial[] = {
        0, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
        0x7ff7ffffffffffffull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
        0xfff4000000000000ull, 0x0010000000000000ull, 0x7fefffffffffffffull, 1,
        0x800fffffffffffffull, 0x3c00000000000000ull, 0x41e0000000000000ull,  // 2^-63, 2^31
        0xc1e0000000000000ull, 0x43e0000000000000ull, 0x3ff0000000000000ull};
    uint64_t sign = uint64_t{Pick(2)} << 63;
    uint64_t mant = (uint64_t{Word()} << 32 | Word()) & 0xfffffffffffffull;
    if (Pick(3) == 0) mant &= ~0ull << (4 * Pick(13));  // short mantissas: exact results
    switch (Pick(10)) {
      case 0: return kSpecial[Pick(std::size(kSpecial))];
      case 1: return sign | (mant >> Pick(52));                                    // subnormal
      case 2: return sign | uint64_t{1 + Pick(100)} << 52 | mant;                  // tiny
      case 3: return sign | uint64_t{1023 - 960 + Pick(9) - 4} << 52 | mant;       // near 2^-960
      case 4: return sign | uint64_t{2046 - Pick(60)} << 52 | mant;                // huge
      case 5: {  // an integer, some near 2^31
        double d = Pick(2) ? static_cast<int32_t>(Value()) : std::ldexp(1.0, 31) + Pick(5) - 2.0;
        uint64_t bits;
        memcpy(&bits, &d, 8);
        return bits ^ sign;
      }
      default: return sign | uint64_t{1023 + Pick(80) - 40} << 52 | mant;
    }
  }
  uint32_t FpSingle() {
    static const uint32_t kSpecial[] = {0, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fbfffffu,
                                        0x7fc00000u, 0x7f800001u, 0xffa00000u, 0x00800000u,
                                        0x7f7fffffu, 1, 0x807fffffu, 0x4f000000u, 0x3f800000u};
    uint32_t sign = Pick(2) << 31;
    uint32_t mant = Word() & 0x7fffffu;
    if (Pick(3) == 0) mant &= ~0u << (2 * Pick(12));
    switch (Pick(8)) {
      case 0: return kSpecial[Pick(std::size(kSpecial))];
      case 1: return sign | (mant >> Pick(23));
      case 2: return sign | (1 + Pick(20)) << 23 | mant;
      case 3: return sign | (254 - Pick(20)) << 23 | mant;
      case 4: {
        float f = static_cast<float>(static_cast<int32_t>(Value()));
        uint32_t bits;
        memcpy(&bits, &f, 4);
        return bits;
      }
      default: return sign | (127 + Pick(40) - 20) << 23 | mant;
    }
  }

 private:
  unsigned Src() { return Pick(32); }
  unsigned Dest() {
    for (;;) {
      unsigned r = Pick(32);
      if (r != kBaseReg && r != kBadReg && r != kJumpReg) return r;  // $0 may be: writes vanish
    }
  }

  uint32_t Branch(uint32_t pc, uint32_t target) {
    uint32_t off = ((target - pc - 4) >> 2) & 0xffff;
    static const uint32_t kOps[] = {4, 5, 6, 7, 20, 21, 22, 23};  // beq bne blez bgtz +likely
    switch (Pick(4)) {
      case 0: return (2u << 26) | ((target >> 2) & 0x3ffffff);  // j
      case 1: {
        static const uint32_t kRegimm[] = {0, 1, 2, 3, 16, 17};  // bltz bgez ...l ...al
        return I(1, Src(), kRegimm[Pick(6)], off);
      }
      default: {
        uint32_t op = kOps[Pick(8)];
        bool one_reg = (op & 3) >= 2;  // blez, bgtz and their likely forms: rt = 0
        return I(op, Src(), one_reg ? 0 : Src(), off);
      }
    }
  }

  // Offsets into the scratch buffer: aligned for the size mostly, not always.
  uint32_t Offset(unsigned align) {
    uint32_t off = Pick(kDataSize - 8);
    return Pick(8) == 0 ? off : off & ~(align - 1);
  }

  uint32_t Memory() {
    unsigned base = Pick(24) == 0 ? kBadReg : kBaseReg;
    switch (Pick(14)) {
      case 0: return I(32, base, Dest(), Offset(1));  // lb
      case 1: return I(36, base, Dest(), Offset(1));  // lbu
      case 2: return I(33, base, Dest(), Offset(2));  // lh
      case 3: return I(37, base, Dest(), Offset(2));  // lhu
      case 4: case 5: return I(35, base, Dest(), Offset(4));  // lw
      case 6: return I(34 + 4 * Pick(2), base, Dest(), Offset(1));  // lwl lwr
      case 7: return I(40, base, Src(), Offset(1));   // sb
      case 8: return I(41, base, Src(), Offset(2));   // sh
      case 9: case 10: return I(43, base, Src(), Offset(4));  // sw
      case 11: return I(42 + 4 * Pick(2), base, Src(), Offset(1));  // swl swr
      case 12: return I(48, base, Dest(), Offset(4) & ~3u);  // ll
      default: return I(56, base, Dest(), Offset(4) & ~3u);  // sc
    }
  }

 private:
  // An FPU instruction: computations in every format, compares, conditional moves,
  // moves to and from GPRs and control registers, loads and stores.
  uint32_t Fp() {
    auto even = [this] { return Pick(16) == 0 ? Pick(32) : 2 * Pick(16); };
    auto cop1 = [](uint32_t fmt, uint32_t ft, uint32_t fs, uint32_t fd, uint32_t funct) {
      return 0x11u << 26 | fmt << 21 | ft << 16 | fs << 11 | fd << 6 | funct;
    };
    constexpr uint32_t kS = 16, kD = 17, kW = 20, kL = 21;
    uint32_t fmt = Pick(3) ? kD : kS;
    unsigned k = Pick(100);
    if (k < 30) {  // add sub mul div
      return cop1(fmt, even(), even(), even(), Pick(4));
    }
    if (k < 36) {  // sqrt abs mov neg recip rsqrt
      static const uint32_t kUnary[] = {4, 5, 6, 7, 21, 22, 4, 7};
      return cop1(fmt, 0, even(), even(), kUnary[Pick(8)]);
    }
    if (k < 48) {  // madd msub nmadd nmsub
      return 0x13u << 26 | even() << 21 | even() << 16 | even() << 11 | even() << 6 |
             (4 + Pick(4)) << 3 | (fmt == kD ? 1 : 0);
    }
    if (k < 62) {  // conversions
      switch (Pick(6)) {
        case 0: return cop1(fmt, 0, even(), even(), 8 + Pick(8));    // round/trunc/ceil/floor
        case 1: return cop1(fmt, 0, even(), even(), 36 + Pick(2));   // cvt.w cvt.l
        case 2: return cop1(fmt == kD ? kS : kD, 0, even(), even(), fmt == kD ? 33 : 32);
        case 3: return cop1(Pick(4) ? kW : kL, 0, even(), even(), 32 + Pick(2));  // from ints
        default: return cop1(fmt, 0, even(), even(), fmt == kD ? 32 : 33);  // cvt.s.d / cvt.d.s
      }
    }
    if (k < 72) {  // c.cond.fmt with a condition code
      return cop1(fmt, even(), even(), Pick(8) << 2, 48 + Pick(16));
    }
    if (k < 78) {  // movf/movt, movz/movn
      if (Pick(2)) return cop1(fmt, Pick(8) << 2 | Pick(2), even(), even(), 17);
      return cop1(fmt, Src(), even(), even(), 18 + Pick(2));
    }
    if (k < 88) {  // mtc1 mfc1 mthc1 mfhc1
      static const uint32_t kMove[] = {0, 4, 3, 7};
      uint32_t op = kMove[Pick(4)];
      return 0x11u << 26 | op << 21 | ((op & 4) ? Src() : Dest()) << 16 | Pick(32) << 11;
    }
    if (k < 92) {  // cfc1 / ctc1 (FCSR, and now and then the other views)
      static const uint32_t kFcr[] = {31, 31, 31, 25, 26, 28, 0};
      if (Pick(2)) return 0x11u << 26 | 2 << 21 | Dest() << 16 | kFcr[Pick(7)] << 11;
      return 0x11u << 26 | 6 << 21 | Src() << 16 | kFcr[Pick(6)] << 11;
    }
    // lwc1 ldc1 swc1 sdc1
    static const uint32_t kMem[] = {49, 53, 57, 61};
    uint32_t op = kMem[Pick(4)];
    return I(op, Pick(24) == 0 ? kBadReg : kBaseReg, even(), Offset((op & 4) ? 8 : 4));
  }

  // Any instruction without a delay slot.
  uint32_t Plain() {
    if (fp_ && Pick(100) < 45) return Fp();
    unsigned k = Pick(100);
    if (k < 28) return Memory();
    if (k < 55) {
      static const uint32_t kAlu[] = {33, 35, 36, 37, 38, 39, 42, 43, 4, 6, 7, 10, 11};
      uint32_t f = kAlu[Pick(13)];
      uint32_t sa = (f == 6 && Pick(2)) ? 1 : 0;  // rotrv
      return R(f, Src(), Src(), Dest(), sa);
    }
    if (k < 65) {
      static const uint32_t kShift[] = {0, 2, 3};  // sll srl sra
      uint32_t f = kShift[Pick(3)];
      uint32_t rs = (f == 2 && Pick(2)) ? 1 : 0;  // rotr
      return R(f, rs, Src(), Dest(), Pick(32));
    }
    if (k < 78) {
      static const uint32_t kImm[] = {9, 10, 11, 12, 13, 14, 15};  // addiu slti sltiu andi ori xori lui
      uint32_t op = kImm[Pick(7)];
      return I(op, op == 15 ? 0 : Src(), Dest(), Word());
    }
    if (k < 84) {
      static const uint32_t kMd[] = {24, 25, 26, 27, 16, 18, 17, 19};
      uint32_t f = kMd[Pick(8)];
      if (f == 16 || f == 18) return R(f, 0, 0, Dest());
      if (f == 17 || f == 19) return R(f, Src(), 0, 0);
      return R(f, Src(), Src(), 0);
    }
    if (k < 90) {
      static const uint32_t kS2[] = {0, 1, 2, 4, 5, 32, 33};  // madd maddu mul msub msubu clz clo
      uint32_t f = kS2[Pick(7)];
      unsigned d = Dest();
      if (f == 32 || f == 33) return (0x1cu << 26) | Src() << 21 | d << 16 | d << 11 | f;
      return (0x1cu << 26) | Src() << 21 | Src() << 16 | (f == 2 ? d : 0) << 11 | f;
    }
    if (k < 94) {
      unsigned lsb = Pick(32), size = 1 + Pick(32 - lsb);
      if (Pick(2)) return (0x1fu << 26) | Src() << 21 | Dest() << 16 | (size - 1) << 11 | lsb << 6;  // ext
      return (0x1fu << 26) | Src() << 21 | Dest() << 16 | (lsb + size - 1) << 11 | lsb << 6 | 4;  // ins
    }
    if (k < 96) {
      static const uint32_t kSa[] = {2, 0x10, 0x18};  // wsbh seb seh
      return (0x1fu << 26) | Src() << 16 | Dest() << 11 | kSa[Pick(3)] << 6 | 0x20;
    }
    if (k < 98) {
      static const uint32_t kOv[] = {32, 34};  // add sub
      if (Pick(3) == 0) return I(8, Src(), Dest(), Word());  // addi
      return R(kOv[Pick(2)], Src(), Src(), Dest());
    }
    static const uint32_t kTraps[] = {48, 49, 50, 51, 52, 54};
    return R(kTraps[Pick(6)], Src(), Src(), 0) | (Pick(8) << 6);
  }

  std::mt19937 rng_;
  bool fp_ = false;
};

struct Outcome {
  CpuState cpu;
  std::vector<uint8_t> data;
};

class DifferentialTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    big_ = GetParam();
    mem_ = *GuestMemory::Create(big_);
    ASSERT_EQ(mem_->Map(kCode, 0x10000, kProtRead | kProtExec, false, -1, 0), 0);
    ASSERT_EQ(mem_->Map(kData, kDataSize, kProtRead | kProtWrite, false, -1, 0), 0);
    std::string error;
    translator_ = LoadTranslatorFrom(MIPSRUN_TRANSLATOR_PATH, &error);
    ASSERT_TRUE(translator_) << error;
    struct sigaction sa = {};
    sa.sa_sigaction = OnFault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, &old_segv_);
  }
  void TearDown() override { sigaction(SIGSEGV, &old_segv_, nullptr); }

  void Load(const std::vector<uint32_t>& words) {
    mem_->Protect(kCode, 0x10000, kProtRead | kProtWrite);
    for (size_t i = 0; i < words.size(); ++i) mem_->Write32(kCode + 4 * i, words[i]);
    mem_->Protect(kCode, 0x10000, kProtRead | kProtExec);
    end_ = kCode + 4 * static_cast<uint32_t>(words.size());
  }

  DecodedBlock Discover(uint32_t pc) {
    return DiscoverBlock(pc, [this](uint32_t a, uint32_t* w) {
      if (a < kCode || a >= end_) return false;
      *w = mem_->Read32(a);
      return true;
    });
  }

  void Start(CpuState& cpu, const CpuState& initial, const std::vector<uint8_t>& data) {
    cpu = initial;
    cpu.mem = mem_->base();
    cpu.jump_cache = jump_cache_;
    memcpy(mem_->Host(kData), data.data(), kDataSize);
  }
  void Finish(CpuState& cpu, Outcome* out) {
    out->cpu = cpu;
    out->data.resize(kDataSize);
    memcpy(out->data.data(), mem_->Host(kData), kDataSize);
  }

  Outcome Interpret(const CpuState& initial, const std::vector<uint8_t>& data) {
    Outcome out;
    CpuState cpu;
    Start(cpu, initial, data);
    g_cpu = &cpu;
    RunInterpreter(cpu);
    g_cpu = nullptr;
    Finish(cpu, &out);
    return out;
  }

  // From cpu.pc until the program leaves its code (its end, or a jr whose set-up a
  // branch skipped) or exits.
  void RunInterpreter(CpuState& cpu) {
    std::map<uint32_t, std::unique_ptr<Block>> blocks;
    if (sigsetjmp(g_fault_jmp, 0) == 0) {
      while (cpu.pc >= kCode && cpu.pc < end_) {
        auto& b = blocks[cpu.pc];
        if (!b) b = BuildBlock(Discover(cpu.pc), big_);
        cpu.chain_budget = 0;
        if (RunBlock(cpu, *b)) break;
      }
    } else {
      // As the executor does where the interpreter faulted.
      cpu.fcsr |= std::exchange(g_held_flags, 0);
      SettleFpu(cpu);
    }
  }

  Outcome Translate(const CpuState& initial, const std::vector<uint8_t>& data,
                    const std::set<uint32_t>& targets, std::string* error) {
    // Every block the program can reach, as one region entered at its start.
    auto region = std::make_unique<RegionSpec>();
    region->big_endian = big_;
    region->fr = initial.fr;
    // Every other FPU program (the odd ones) with FPU slow paths inline, as code
    // compiled again has them.
    region->inline_fp_slow_paths = translations_++ / 2 % 2 == 1;
    std::set<uint32_t> todo = targets, done;
    todo.insert(kCode);
    while (!todo.empty()) {
      uint32_t pc = *todo.begin();
      todo.erase(todo.begin());
      if (!done.insert(pc).second || pc >= end_) continue;
      DecodedBlock d = Discover(pc);
      if (d.insns.empty()) continue;
      uint32_t next[2];
      size_t n = StaticSuccessors(d.insns.data(), d.insns.size(), d.end, next);
      for (size_t i = 0; i < n; ++i) todo.insert(next[i]);
      if (EndsInCall(d.insns.data(), d.insns.size())) todo.insert(d.end);
      RegionBlock rb{d.start, d.end, d.insns};
      if (pc == kCode) {
        region->blocks.insert(region->blocks.begin(), rb);
      } else {
        region->blocks.push_back(rb);
      }
    }
    // Every third program runs the code linked again from the object it compiled to,
    // for a copy of the region (other instructions in memory), as a later run takes it
    // from the code cache (runtime/code_cache.h).
    const NativeCode code = [&]() -> NativeCode {
      bool relink = relinked_candidates_++ % 3 == 2;
      std::string object;
      NativeCode compiled = translator_->Compile(*region, error, relink ? &object : nullptr);
      if (!compiled || !relink) return compiled;
      regions_.push_back(std::move(region));
      region = std::make_unique<RegionSpec>(*regions_.back());
      ++relinked_;
      return translator_->Load(*region, object, error);
    }();
    Outcome out;
    if (!code) return out;
    CpuState cpu;
    Start(cpu, initial, data);
    g_cpu = &cpu;
    int jumped = sigsetjmp(g_fault_jmp, 0);
    if (jumped == 0) {
      // With no cells and an empty jump cache, the region returns 0 only where it
      // leaves the program (the pc comparison below checks where).
      ClearHostFpFlags();
      g_native = true;
      uint32_t left = code(&cpu);
      g_native = false;
      if (left == kLeftRegion && cpu.pc >= kCode && cpu.pc < end_) {
        *error = absl::StrFormat("the region left at 0x%x, inside the program", cpu.pc);
      }
      // An exception, or an FPU operation for fpu.cc: as after a fault, the
      // interpreter goes on from cpu.pc.
      if (left == kRunAgain) jumped = 3;
    }
    SettleFpu(cpu);  // as the executor does when translated code comes back
    if (jumped == 3) ++run_again_;
    if (jumped >= 2) {
      // The code faulted: the interpreter goes on from where CpuState is exact, with
      // the flags the code gathered (runtime/lazy_fpu.h).
      if (jumped == 2) ++recoveries_;
      cpu.fcsr |= std::exchange(g_held_flags, 0);
      RunInterpreter(cpu);
      if (cpu.exit == ExitReason::kMemoryFault && jumped == 3) ++run_again_faults_;
    }
    g_cpu = nullptr;
    Finish(cpu, &out);
    regions_.push_back(std::move(region));  // faults name its instructions
    return out;
  }

  std::string Listing(const std::vector<uint32_t>& words) {
    std::string s;
    for (size_t i = 0; i < words.size(); ++i) {
      uint32_t pc = kCode + 4 * static_cast<uint32_t>(i);
      absl::StrAppendFormat(&s, "  %08x: %08x  %s\n", pc, words[i], Disassemble(Decode(words[i], pc)));
    }
    return s;
  }

  bool big_ = true;
  std::unique_ptr<GuestMemory> mem_;
  std::unique_ptr<Translator> translator_;
  std::vector<std::unique_ptr<RegionSpec>> regions_;
  JumpCacheEntry jump_cache_[1u << kJumpCacheBits];
  uint32_t end_ = 0;
  uint32_t recoveries_ = 0;  // faults in translated code that the interpreter took up
  uint32_t run_again_ = 0;   // exceptions in translated code that it took up (kRunAgain)
  uint32_t run_again_faults_ = 0;  // of those, programs that then faulted in it
  uint32_t translations_ = 0;
  uint32_t relinked_candidates_ = 0;
  uint32_t relinked_ = 0;  // programs whose code was linked again from its object
  struct sigaction old_segv_ = {};
};

uint32_t EnvOr(const char* name, uint32_t fallback) {
  const char* v = getenv(name);
  return v ? static_cast<uint32_t>(strtoul(v, nullptr, 0)) : fallback;
}

TEST_P(DifferentialTest, RandomProgramsAgree) {
  const uint32_t programs = EnvOr("MIPSRUN_DIFF_PROGRAMS", 400);
  const uint32_t seed = EnvOr("MIPSRUN_DIFF_SEED", 20261122) + (big_ ? 0 : 1);
  Generator gen(seed);
  uint32_t faults = 0, exceptions = 0, ran_off = 0;
  for (uint32_t p = 0; p < programs; ++p) {
    std::set<uint32_t> targets;
    // Half the programs have FPU instructions too, under a random FPU set-up.
    const bool fp = p % 2 == 1;
    std::vector<uint32_t> words = gen.Program(8 + gen.Pick(56), &targets, fp);
    Load(words);
    CpuState initial;
    for (unsigned r = 1; r < 34; ++r) initial.gpr[r] = gen.Value();
    initial.gpr[kBaseReg] = kData;
    initial.gpr[kBadReg] = kUnmapped;
    initial.gpr[kJumpReg] = kUnmapped;  // a jr whose set-up a branch skipped leaves
    initial.pc = kCode;
    // A region's code can be entered at any of its blocks: a quarter of the programs
    // start at one of their branch targets instead of the first instruction.
    if (gen.Pick(4) == 0 && !targets.empty()) {
      auto it = targets.begin();
      std::advance(it, gen.Pick(static_cast<unsigned>(targets.size())));
      if (*it < kCode + 4 * words.size()) initial.pc = *it;
    }
    initial.ll_valid = gen.Pick(2);
    initial.ll_addr = kData + (gen.Pick(kDataSize) & ~3u);
    std::vector<uint8_t> data(kDataSize);
    for (uint8_t& b : data) b = static_cast<uint8_t>(gen.Word());
    initial.ll_value = data[initial.ll_addr - kData];  // sometimes matches
    if (fp) {
      initial.fr = gen.Pick(2);
      for (unsigned n = 0; n < 32; n += 2) {
        uint64_t d = gen.FpDouble();
        if (gen.Pick(4) == 0) d = uint64_t{gen.FpSingle()} << 32 | gen.FpSingle();
        initial.fpr[n] = initial.fr ? d : static_cast<uint32_t>(d);
        initial.fpr[n + 1] = initial.fr ? gen.FpDouble() : d >> 32;
      }
      // Mostly round-to-nearest with nothing enabled (the fast path), else anything.
      uint32_t fcsr = gen.Pick(4) ? 0 : gen.Word() & 0x0183ffff;
      if (gen.Pick(4) == 0) fcsr |= kFcsrNan2008 | (gen.Pick(2) ? kFcsrAbs2008 : 0);
      if (FcsrTrapsOnWrite(fcsr)) fcsr &= ~kFcsrCauseMask;
      initial.fcsr = fcsr;
    }

    // MIPSRUN_DIFF_ONLY=N runs program N alone (to debug it).
    if (const char* only = getenv("MIPSRUN_DIFF_ONLY"); only && strtoul(only, nullptr, 0) != p) {
      continue;
    }
    if (getenv("MIPSRUN_DIFF_VERBOSE")) fprintf(stderr, "program %u\n", p);
    Outcome want = Interpret(initial, data);
    std::string error;
    Outcome got = Translate(initial, data, targets, &error);
    ASSERT_TRUE(error.empty()) << error << "; seed " << seed << ", program " << p;

    std::string where =
        absl::StrFormat("seed %u, program %u (entered at %08x, FR=%d, FCSR %08x):\n%s", seed, p,
                        initial.pc, initial.fr, initial.fcsr, Listing(words));
    for (unsigned r = 0; r < 34; ++r) {
      ASSERT_EQ(got.cpu.gpr[r], want.cpu.gpr[r]) << "register " << r << "; " << where;
    }
    if (getenv("MIPSRUN_DIFF_VERBOSE")) {
      for (unsigned n = 0; n < 32; ++n) {
        fprintf(stderr, "f%-2u %016llx -> want %016llx got %016llx\n", n,
                (unsigned long long)initial.fpr[n], (unsigned long long)want.cpu.fpr[n],
                (unsigned long long)got.cpu.fpr[n]);
      }
      fprintf(stderr, "fcsr %08x -> want %08x got %08x; exit %d/%d\n", initial.fcsr, want.cpu.fcsr,
              got.cpu.fcsr, (int)want.cpu.exit, (int)got.cpu.exit);
    }
    for (unsigned n = 0; n < 32; ++n) {
      ASSERT_EQ(got.cpu.fpr[n], want.cpu.fpr[n]) << "FPR " << n << "; " << where;
    }
    ASSERT_EQ(got.cpu.fcsr, want.cpu.fcsr) << "FCSR; " << where;
    ASSERT_EQ(static_cast<int>(got.cpu.exit), static_cast<int>(want.cpu.exit)) << where;
    ASSERT_EQ(got.cpu.pc, want.cpu.pc) << where;
    ASSERT_EQ(got.cpu.ll_valid, want.cpu.ll_valid) << where;
    if (want.cpu.exit != ExitReason::kNone) {
      ASSERT_EQ(static_cast<int>(got.cpu.exception), static_cast<int>(want.cpu.exception)) << where;
      ASSERT_EQ(got.cpu.exception_code, want.cpu.exception_code) << where;
      ASSERT_EQ(got.cpu.in_delay_slot, want.cpu.in_delay_slot) << where;
      ASSERT_EQ(got.cpu.fault_addr, want.cpu.fault_addr) << where;
    }
    ASSERT_EQ(got.data, want.data) << "scratch memory; " << where;
    if (want.cpu.exit == ExitReason::kMemoryFault) ++faults;
    else if (want.cpu.exit == ExitReason::kException) ++exceptions;
    else ++ran_off;
  }
  // The mix is what makes the test worth running: all three endings must occur.
  EXPECT_GT(faults, programs / 50);
  EXPECT_GT(exceptions, programs / 50);
  EXPECT_GT(ran_off, programs / 50);
  EXPECT_GE(recoveries_ + run_again_faults_, faults);
  EXPECT_GT(run_again_, exceptions / 2);
  EXPECT_GT(relinked_, programs / 4);
  printf("differential: %u programs (seed %u): %u ran to the end, %u faulted, %u trapped; "
         "translated code faulted in %u and handed back to the interpreter in %u (%u of "
         "which then faulted); %u ran code linked again from its object\n",
         programs, seed, ran_off, faults, exceptions, recoveries_, run_again_, run_again_faults_,
         relinked_);
}

// The interpreter's record of the access under way (CpuState::cur_mem_insn) is what
// names the instruction of a host fault; in a superinstruction of two accesses the
// compiler would drop the first record as a dead store without the fence after it.
TEST_P(DifferentialTest, AFaultInEitherAccessOfAPairNamesThatAccess) {
  for (uint32_t op : {0x23u, 0x2bu}) {  // lw, sw
    const uint32_t bad = I(op, kBadReg, 2, 0);    // v0, 0(s6): unmapped
    const uint32_t good = I(op, kBaseReg, 3, 4);  // v1, 4(s7)
    for (bool bad_first : {true, false}) {
      std::vector<uint32_t> words = {bad_first ? bad : good, bad_first ? good : bad,
                                     I(0x09, 2, 2, 1)};  // addiu v0, v0, 1
      ASSERT_NE(PairHandler(Decode(words[0], kCode), Decode(words[1], kCode + 4), false, big_),
                nullptr);
      Load(words);
      CpuState initial;
      initial.pc = kCode;
      initial.gpr[3] = 0x01020304;
      initial.gpr[kBaseReg] = kData;
      initial.gpr[kBadReg] = kUnmapped;
      Outcome out = Interpret(initial, std::vector<uint8_t>(kDataSize, 0x5a));
      SCOPED_TRACE(Listing(words));
      EXPECT_EQ(out.cpu.exit, ExitReason::kMemoryFault);
      EXPECT_EQ(out.cpu.pc, bad_first ? kCode : kCode + 4);
      EXPECT_EQ(out.cpu.fault_addr, kUnmapped);
      // The good access happened only when it came first.
      if (op == 0x23) {
        EXPECT_EQ(out.cpu.gpr[3], bad_first ? 0x01020304u : 0x5a5a5a5au);
      } else {
        EXPECT_EQ(out.data[4] == 0x5a, bad_first);
      }
    }
  }
}

// Guest stores forwarded to the loads that read them (translator/forward_stores.h): the
// translated code leaves what the interpreter does, and the region's optimized IR
// (MIPSRUN_DUMP_IR) keeps only the loads that must stay: one of another address, and
// one with another store between it and the store of its address.
TEST_P(DifferentialTest, ALoadOfWhatAStoreJustWroteTakesTheStoredValue) {
  const std::vector<uint32_t> words = {
      I(0x2b, kBaseReg, 2, 8),    // sw v0, 8(s7)
      I(0x23, kBaseReg, 3, 8),    // lw v1, 8(s7): forwarded
      I(0x23, kBaseReg, 4, 12),   // lw a0, 12(s7): stays
      I(0x28, kBaseReg, 5, 17),   // sb a1, 17(s7)
      I(0x24, kBaseReg, 6, 17),   // lbu a2, 17(s7): forwarded
      I(0x2b, kBaseReg, 7, 24),   // sw a3, 24(s7)
      I(0x2b, kBaseReg, 8, 28),   // sw t0, 28(s7)
      I(0x23, kBaseReg, 9, 24),   // lw t1, 24(s7): stays
      I(0x23, kBaseReg, 10, 28),  // lw t2, 28(s7): forwarded
  };
  Load(words);
  CpuState initial;
  initial.pc = kCode;
  for (unsigned r = 2; r <= 8; ++r) initial.gpr[r] = 0x11223300u * r + 0x80 + r;
  initial.gpr[kBaseReg] = kData;
  std::vector<uint8_t> data(kDataSize, 0xa5);
  // A file of this process's own: ctest runs the two byte orders' instances at once.
  const std::string ir = ::testing::TempDir() + "forward_stores_" + std::to_string(getpid()) +
                         (GetParam() ? "_be.ll" : "_le.ll");
  std::remove(ir.c_str());
  setenv("MIPSRUN_DUMP_IR", ir.c_str(), 1);
  Outcome want = Interpret(initial, data);
  std::string error;
  Outcome got = Translate(initial, data, {}, &error);
  unsetenv("MIPSRUN_DUMP_IR");
  ASSERT_TRUE(error.empty()) << error;
  for (unsigned r = 0; r < 34; ++r) EXPECT_EQ(got.cpu.gpr[r], want.cpu.gpr[r]) << "register " << r;
  EXPECT_EQ(got.data, want.data);
  EXPECT_EQ(want.cpu.gpr[3], initial.gpr[2]);
  EXPECT_EQ(want.cpu.gpr[6], initial.gpr[5] & 0xff);
  std::ifstream in(ir);
  std::string line;
  int loads = 0;
  while (std::getline(in, line)) loads += line.find("load volatile") != std::string::npos;
  EXPECT_EQ(loads, 2);
  std::remove(ir.c_str());
}

INSTANTIATE_TEST_SUITE_P(ByteOrder, DifferentialTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

}  // namespace
}  // namespace mipsrun
