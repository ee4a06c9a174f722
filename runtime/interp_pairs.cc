#include "runtime/interp_pairs.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>

#include "frontend/decoder.h"
#include "runtime/interp_emitter.h"
#include "runtime/interp_exec.h"

namespace mipsrun {
namespace {

using interp::GoOn;

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
// kDep: `B` names the GPR that `A` writes, and reads it from where A's value still is
// (InterpEmitter's kForward). Only such pairs have the test of each GPR read against
// A's destination, whose outcome the host then predicts well.
template <class A, class B, bool kBig, bool kLast, bool kDep>
[[gnu::flatten]] bool ExecPair(CpuState& cpu, const ExecInsn* p) {
  InterpEmitter<kBig, A::kFlags, A::kCheckZero> a(cpu, p->insn);
  A::Sem::Run(a, p->insn);
  int r = a.result();
  if (__builtin_expect(r == kContinue, 1)) {
    ++p;
    InterpEmitter<kBig, B::kFlags, B::kCheckZero, kDep> b(cpu, p->insn);
    if constexpr (kDep) b.Forward(a.written_gpr(), a.written_value());
    B::Sem::Run(b, p->insn);
    r = b.result();
    if constexpr (kLast) {
      if (__builtin_expect(r == kContinue, 1)) return interp::EndOfBlock(cpu, p + 1);
    }
  }
  return GoOn(cpu, p, r);
}

template <bool kBig, bool kLast, bool kDep, size_t I, size_t... J>
constexpr std::array<Handler, kOps> Row(std::index_sequence<J...>) {
  return {&ExecPair<std::tuple_element_t<I, Ops>, std::tuple_element_t<J, Ops>, kBig, kLast,
                    kDep>...};
}
template <bool kBig, bool kLast, bool kDep, size_t... I>
constexpr std::array<std::array<Handler, kOps>, kOps> Table(std::index_sequence<I...>) {
  return {Row<kBig, kLast, kDep, I>(std::make_index_sequence<kOps>{})...};
}
template <bool kBig, bool kLast, bool kDep>
constexpr auto kPairs = Table<kBig, kLast, kDep>(std::make_index_sequence<kOps>{});

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
  // Whether `second` names the GPR `first` writes (in rs or rt, which is where every
  // paired instruction has its sources).
  const int d = DestGprOf(first);
  const bool dep = d > 0 && (second.rs == d || second.rt == d);
  if (dep) {
    if (last) return big_endian ? kPairs<true, true, true>[a][b] : kPairs<false, true, true>[a][b];
    return big_endian ? kPairs<true, false, true>[a][b] : kPairs<false, false, true>[a][b];
  }
  if (last) return big_endian ? kPairs<true, true, false>[a][b] : kPairs<false, true, false>[a][b];
  return big_endian ? kPairs<true, false, false>[a][b] : kPairs<false, false, false>[a][b];
}

}  // namespace mipsrun
