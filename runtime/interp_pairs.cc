#include "runtime/interp_pairs.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>

#include "frontend/decoder.h"
#include "runtime/interp_exec.h"

namespace mipsrun {
namespace {

using interp::GoOn;
using interp::RunOne;

// The instructions that pair: the most frequent ones of integer code (by perf of
// interpreted runs of the bench programs and of python3.11), and nop. Each pair has a
// handler per byte order, so the list stays short.
#define MIPSRUN_PAIRED_INSNS(X) \
  X(Lw) X(Sw) X(Addiu) X(Addu) X(Or) X(Beq) X(Bne) X(Lui) X(Sll) X(Srl) X(Andi) X(Lbu) \
  X(Jr) X(Jalr) X(Jal) X(Sltu) X(Slt) X(Subu) X(Sb) X(Sltiu) X(And) X(Xor) X(Lhu) X(Lb) \
  X(Ori) X(Slti) X(Sra) X(Ext) X(Bltz) X(Blez) X(Bgtz) X(Bgez) X(Movn) X(Movz) X(Mflo) X(J)

constexpr uint32_t kFlagsOf[] = {
#define INSN(id, mnem, match, mask, ops, sem, flags) (flags),
#include "frontend/mips_insns.def"
#undef INSN
    0,  // kInvalid
};

template <class S, InsnId kId, bool kZero = false>
struct Op {
  using Sem = S;
  static constexpr uint32_t kFlags = kFlagsOf[static_cast<size_t>(kId)];
  static constexpr bool kCheckZero = kZero;  // see InterpEmitter
};

#define MIPSRUN_OP(name) , Op<Sem##name, InsnId::name>
// Slot 0: nop and the other shifts into $zero (ssnop, ehb, pause), which write nothing.
using Ops = std::tuple<Op<SemSll, InsnId::Sll, true> MIPSRUN_PAIRED_INSNS(MIPSRUN_OP)>;
#undef MIPSRUN_OP
constexpr size_t kOps = std::tuple_size_v<Ops>;

// Which Ops entry an instruction's id is, or -1; slot 0 is chosen by SlotOf. An alias
// row of the spec (b, beqz, bnez, move, li, negu) is its general form's entry.
const std::array<int8_t, static_cast<size_t>(InsnId::kCount)>& SlotsOfIds() {
  static const auto slots = [] {
    constexpr InsnId kPaired[] = {
#define MIPSRUN_ID(name) InsnId::name,
        MIPSRUN_PAIRED_INSNS(MIPSRUN_ID)
#undef MIPSRUN_ID
    };
    std::array<int8_t, static_cast<size_t>(InsnId::kCount)> slots{};
    for (size_t id = 0; id < slots.size(); ++id) {
      const InsnInfo& info = GetInsnInfo(static_cast<InsnId>(id));
      slots[id] = -1;
      for (size_t k = 0; k < std::size(kPaired); ++k) {
        const InsnInfo& paired = GetInsnInfo(kPaired[k]);
        if (info.semantics == paired.semantics && info.flags == paired.flags) {
          slots[id] = static_cast<int8_t>(k + 1);
        }
      }
    }
    return slots;
  }();
  return slots;
}

// Each runs without the $zero test on its result unless its Op asks for it: PairHandler
// pairs other instructions only when their destination is not $zero.
// kLast: `B` is the block's last instruction (often a delay slot), so what follows is
// the end marker, whose handler is called directly rather than through the marker.
template <class A, class B, bool kBig, bool kLast>
[[gnu::flatten]] bool ExecPair(CpuState& cpu, const ExecInsn* p) {
  int r = RunOne<typename A::Sem, kBig, A::kFlags, A::kCheckZero>(cpu, p);
  if (__builtin_expect(r == kContinue, 1)) {
    ++p;
    r = RunOne<typename B::Sem, kBig, B::kFlags, B::kCheckZero>(cpu, p);
    if constexpr (kLast) {
      if (__builtin_expect(r == kContinue, 1)) return interp::EndOfBlock(cpu, p + 1);
    }
  }
  return GoOn(cpu, p, r);
}

template <bool kBig, bool kLast, size_t I, size_t... J>
constexpr std::array<Handler, kOps> Row(std::index_sequence<J...>) {
  return {&ExecPair<std::tuple_element_t<I, Ops>, std::tuple_element_t<J, Ops>, kBig, kLast>...};
}
template <bool kBig, bool kLast, size_t... I>
constexpr std::array<std::array<Handler, kOps>, kOps> Table(std::index_sequence<I...>) {
  return {Row<kBig, kLast, I>(std::make_index_sequence<kOps>{})...};
}
template <bool kBig, bool kLast>
constexpr auto kPairs = Table<kBig, kLast>(std::make_index_sequence<kOps>{});

// The pair slot of `insn`, or -1.
int SlotOf(const Insn& insn) {
  if (GetInsnInfo(insn.id).semantics == GetInsnInfo(InsnId::Sll).semantics && insn.rd == 0) {
    return 0;  // slot 0's semantics, into $zero
  }
  int slot = SlotsOfIds()[static_cast<size_t>(insn.id)];
  if (slot < 0 || DestGprOf(insn) == 0) return -1;
  return slot;
}

}  // namespace

Handler PairHandler(const Insn& first, const Insn& second, bool last, bool big_endian) {
  int a = SlotOf(first), b = SlotOf(second);
  if (a < 0 || b < 0) return nullptr;
  if (last) return big_endian ? kPairs<true, true>[a][b] : kPairs<false, true>[a][b];
  return big_endian ? kPairs<true, false>[a][b] : kPairs<false, false>[a][b];
}

}  // namespace mipsrun
