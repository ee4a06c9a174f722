// The one statement of MIPS32 instruction semantics (design brief, decision 1).
//
// Each instruction's meaning is written once, as a function template over an emitter
// E. The interpreter instantiates it with an emitter whose values are uint32_t and
// whose operations execute at once; the translator instantiates it with one whose
// values are llvm::Value* and whose operations emit IR. Nothing here may branch on a
// guest *value* with C++ control flow: data-dependent choices go through E::Select,
// E::Branch or E::RaiseIf. Branching on decode-time fields (i.rd, i.sa, ...) is fine.
//
// The emitter concept, as used below:
//   using V, V64                          32- and 64-bit guest values
//   static constexpr bool kBigEndian      guest byte order
//   V Const(uint32_t)                     V64 Const64(uint64_t)
//   V Gpr(unsigned) / SetGpr(unsigned, V) $0 reads 0 and ignores writes
//   V Hi(), Lo() / SetHi(V), SetLo(V)
//   V Add Sub And Or Xor Mul(V, V)        low 32 bits, wrapping
//   V Shl Shr Sar(V, V amount)            amount must already be in 0..31
//   V CmpEq CmpNe CmpLtS CmpLtU(V, V)     0 or 1
//   V Select(V cond, V if_true, V if_false)
//   V DivS DivU RemS RemU(V, V)           the divisor is never 0 and never -1 for
//                                         INT_MIN: the semantics rule those out first
//   V Clz(V)                              32 for 0
//   V64 MulS64 MulU64(V, V), Pair(V hi, V lo), Add64 Sub64(V64, V64)
//   V HiOf(V64), LoOf(V64)
//   V Load8S Load8U Load16S Load16U Load32(V addr), V64 Load64(V addr)
//   Store8 Store16 Store32(V addr, V value), Store64(V addr, V64 value)
//   V LoadLinked(V addr), V StoreConditional(V addr, V value) -> 1 on success
//   Branch(V cond, uint32_t target)       conditional; the spec's flags say likely
//   Jump(uint32_t target), JumpIndirect(V target)
//   bool RaiseIf(V cond, Exception, uint32_t code)  true: stop, the rest must not run
//   Raise(Exception, uint32_t code)       unconditional; the rest must not run
//   Syscall(), Synci(V addr), Fence()
//   V ReadHwr(unsigned reg)               reg in {0,1,2,3,29}
//   bool Fr()                                      Status.FR (fixed while code runs)
//   V64 FprRaw(unsigned) / SetFprRaw(unsigned, V64)  an FPR's 64-bit storage word; the
//                                  views (32-bit, upper half, double) are sem::FprW etc.
//   V ReadFcr(unsigned) / WriteFcr(unsigned, V)    FPU control registers
//   V Fcsr() / SetFcsr(V)                          FCSR itself (condition codes)
//   V FcsrTraps()                                  1 if FCSR's Cause hits an Enable
//   V64 Zext64(V), V64 Select64(V cond, V64, V64)
//   V64 FpCompute(FpOp, FpFmt in, FpFmt out, V64 a, V64 b, V64 c)   see fpu.h
//   V FpCompare(unsigned cond, FpFmt, V64 a, V64 b)                 see fpu.h
//   V FpTrapped()                  1 if the last FpCompute/FpCompare raised an
//                                  enabled exception (then its result is not used)
#ifndef MIPSRUN_FRONTEND_SEMANTICS_H_
#define MIPSRUN_FRONTEND_SEMANTICS_H_

#include <cstdint>

#include "frontend/fpu.h"
#include "frontend/insn.h"

namespace mipsrun {

// Guest exceptions that semantics can raise. The runtime turns each into the signal
// the MIPS Linux kernel would send (runtime/guest_exception.cc).
enum class Exception : uint8_t {
  kNone,
  kOverflow,       // add/sub/addi overflow: SIGFPE, FPE_INTOVF
  kTrap,           // tge..tnei fired, code = trap code: SIGFPE or SIGTRAP by code
  kBreak,          // break, code = Insn::break_code()
  kReserved,       // reserved or privileged instruction: SIGILL
  kAddressError,   // misaligned ll/sc or fetch: SIGBUS
  kFloatingPoint,  // an enabled FPU exception (FCSR Cause says which): SIGFPE
};

inline constexpr unsigned kRegHi = 32;
inline constexpr unsigned kRegLo = 33;
inline constexpr unsigned kRegRa = 31;

#define MIPSRUN_SEM(Name)                                  \
  struct Sem##Name {                                       \
    template <class E>                                     \
    static void Run(E& e, const Insn& i);                  \
  };                                                       \
  template <class E>                                       \
  inline void Sem##Name::Run([[maybe_unused]] E& e, [[maybe_unused]] const Insn& i)

namespace sem {

template <class E>
auto EffectiveAddress(E& e, const Insn& i) {
  return e.Add(e.Gpr(i.rs), e.Const(static_cast<uint32_t>(i.simm())));
}

// Signed overflow of a + b (or a - b) as a 0/1 value, from the sign bits alone.
template <class E>
auto AddOverflow(E& e, typename E::V a, typename E::V b, typename E::V sum) {
  return e.Shr(e.And(e.Xor(sum, a), e.Xor(sum, b)), e.Const(31));
}
template <class E>
auto SubOverflow(E& e, typename E::V a, typename E::V b, typename E::V diff) {
  return e.Shr(e.And(e.Xor(a, b), e.Xor(a, diff)), e.Const(31));
}

template <class E>
auto Not1(E& e, typename E::V bit) {
  return e.Xor(bit, e.Const(1));
}

}  // namespace sem

MIPSRUN_SEM(Nop) {}

// ---- Shifts ----
MIPSRUN_SEM(Sll) { e.SetGpr(i.rd, e.Shl(e.Gpr(i.rt), e.Const(i.sa))); }
MIPSRUN_SEM(Srl) { e.SetGpr(i.rd, e.Shr(e.Gpr(i.rt), e.Const(i.sa))); }
MIPSRUN_SEM(Sra) { e.SetGpr(i.rd, e.Sar(e.Gpr(i.rt), e.Const(i.sa))); }
MIPSRUN_SEM(Rotr) {
  auto v = e.Gpr(i.rt);
  e.SetGpr(i.rd, i.sa == 0 ? v
                           : e.Or(e.Shr(v, e.Const(i.sa)), e.Shl(v, e.Const(32 - i.sa))));
}
MIPSRUN_SEM(Sllv) { e.SetGpr(i.rd, e.Shl(e.Gpr(i.rt), e.And(e.Gpr(i.rs), e.Const(31)))); }
MIPSRUN_SEM(Srlv) { e.SetGpr(i.rd, e.Shr(e.Gpr(i.rt), e.And(e.Gpr(i.rs), e.Const(31)))); }
MIPSRUN_SEM(Srav) { e.SetGpr(i.rd, e.Sar(e.Gpr(i.rt), e.And(e.Gpr(i.rs), e.Const(31)))); }
MIPSRUN_SEM(Rotrv) {
  auto v = e.Gpr(i.rt);
  auto n = e.And(e.Gpr(i.rs), e.Const(31));
  // (32 - n) & 31 keeps both shift amounts in range; for n == 0 both halves are v.
  auto back = e.And(e.Sub(e.Const(32), n), e.Const(31));
  e.SetGpr(i.rd, e.Or(e.Shr(v, n), e.Shl(v, back)));
}

// ---- Arithmetic and logic ----
MIPSRUN_SEM(Add) {
  auto a = e.Gpr(i.rs), b = e.Gpr(i.rt), sum = e.Add(a, b);
  if (e.RaiseIf(sem::AddOverflow(e, a, b, sum), Exception::kOverflow, 0)) return;
  e.SetGpr(i.rd, sum);
}
MIPSRUN_SEM(Addi) {
  auto a = e.Gpr(i.rs), b = e.Const(static_cast<uint32_t>(i.simm())), sum = e.Add(a, b);
  if (e.RaiseIf(sem::AddOverflow(e, a, b, sum), Exception::kOverflow, 0)) return;
  e.SetGpr(i.rt, sum);
}
MIPSRUN_SEM(Sub) {
  auto a = e.Gpr(i.rs), b = e.Gpr(i.rt), diff = e.Sub(a, b);
  if (e.RaiseIf(sem::SubOverflow(e, a, b, diff), Exception::kOverflow, 0)) return;
  e.SetGpr(i.rd, diff);
}
MIPSRUN_SEM(Addu) { e.SetGpr(i.rd, e.Add(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Subu) { e.SetGpr(i.rd, e.Sub(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Addiu) {
  e.SetGpr(i.rt, e.Add(e.Gpr(i.rs), e.Const(static_cast<uint32_t>(i.simm()))));
}
MIPSRUN_SEM(And) { e.SetGpr(i.rd, e.And(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Or) { e.SetGpr(i.rd, e.Or(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Xor) { e.SetGpr(i.rd, e.Xor(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Nor) {
  e.SetGpr(i.rd, e.Xor(e.Or(e.Gpr(i.rs), e.Gpr(i.rt)), e.Const(0xffffffffu)));
}
MIPSRUN_SEM(Andi) { e.SetGpr(i.rt, e.And(e.Gpr(i.rs), e.Const(i.uimm()))); }
MIPSRUN_SEM(Ori) { e.SetGpr(i.rt, e.Or(e.Gpr(i.rs), e.Const(i.uimm()))); }
MIPSRUN_SEM(Xori) { e.SetGpr(i.rt, e.Xor(e.Gpr(i.rs), e.Const(i.uimm()))); }
MIPSRUN_SEM(Lui) { e.SetGpr(i.rt, e.Const(i.uimm() << 16)); }
MIPSRUN_SEM(Slt) { e.SetGpr(i.rd, e.CmpLtS(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Sltu) { e.SetGpr(i.rd, e.CmpLtU(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Slti) {
  e.SetGpr(i.rt, e.CmpLtS(e.Gpr(i.rs), e.Const(static_cast<uint32_t>(i.simm()))));
}
MIPSRUN_SEM(Sltiu) {
  e.SetGpr(i.rt, e.CmpLtU(e.Gpr(i.rs), e.Const(static_cast<uint32_t>(i.simm()))));
}
MIPSRUN_SEM(Movz) {
  e.SetGpr(i.rd, e.Select(e.CmpEq(e.Gpr(i.rt), e.Const(0)), e.Gpr(i.rs), e.Gpr(i.rd)));
}
MIPSRUN_SEM(Movn) {
  e.SetGpr(i.rd, e.Select(e.CmpNe(e.Gpr(i.rt), e.Const(0)), e.Gpr(i.rs), e.Gpr(i.rd)));
}
MIPSRUN_SEM(Clz) { e.SetGpr(i.rd, e.Clz(e.Gpr(i.rs))); }
MIPSRUN_SEM(Clo) { e.SetGpr(i.rd, e.Clz(e.Xor(e.Gpr(i.rs), e.Const(0xffffffffu)))); }
MIPSRUN_SEM(Seb) { e.SetGpr(i.rd, e.Sar(e.Shl(e.Gpr(i.rt), e.Const(24)), e.Const(24))); }
MIPSRUN_SEM(Seh) { e.SetGpr(i.rd, e.Sar(e.Shl(e.Gpr(i.rt), e.Const(16)), e.Const(16))); }
MIPSRUN_SEM(Wsbh) {
  auto v = e.Gpr(i.rt);
  e.SetGpr(i.rd, e.Or(e.And(e.Shl(v, e.Const(8)), e.Const(0xff00ff00u)),
                      e.And(e.Shr(v, e.Const(8)), e.Const(0x00ff00ffu))));
}
// ext rt, rs, pos, size: the field is decode-time constant. pos + size > 32 is
// UNPREDICTABLE in the architecture; the mask below just takes what is there.
MIPSRUN_SEM(Ext) {
  unsigned pos = i.sa, size = i.rd + 1u;
  uint32_t mask = size >= 32 ? 0xffffffffu : (1u << size) - 1;
  e.SetGpr(i.rt, e.And(e.Shr(e.Gpr(i.rs), e.Const(pos)), e.Const(mask)));
}
// ins rt, rs, pos, size with msb = rd. msb < pos is UNPREDICTABLE: rt is left as is.
MIPSRUN_SEM(Ins) {
  unsigned pos = i.sa, msb = i.rd;
  if (msb < pos) return;
  unsigned size = msb - pos + 1;
  uint32_t field = (size >= 32 ? 0xffffffffu : (1u << size) - 1) << pos;
  auto inserted = e.And(e.Shl(e.Gpr(i.rs), e.Const(pos)), e.Const(field));
  e.SetGpr(i.rt, e.Or(e.And(e.Gpr(i.rt), e.Const(~field)), inserted));
}

// ---- HI/LO, multiply and divide ----
MIPSRUN_SEM(Mfhi) { e.SetGpr(i.rd, e.Hi()); }
MIPSRUN_SEM(Mflo) { e.SetGpr(i.rd, e.Lo()); }
MIPSRUN_SEM(Mthi) { e.SetHi(e.Gpr(i.rs)); }
MIPSRUN_SEM(Mtlo) { e.SetLo(e.Gpr(i.rs)); }
MIPSRUN_SEM(Mul) { e.SetGpr(i.rd, e.Mul(e.Gpr(i.rs), e.Gpr(i.rt))); }

namespace sem {
template <class E>
void SetHiLo(E& e, typename E::V64 v) {
  e.SetHi(e.HiOf(v));
  e.SetLo(e.LoOf(v));
}
}  // namespace sem

MIPSRUN_SEM(Mult) { sem::SetHiLo(e, e.MulS64(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Multu) { sem::SetHiLo(e, e.MulU64(e.Gpr(i.rs), e.Gpr(i.rt))); }
MIPSRUN_SEM(Madd) {
  sem::SetHiLo(e, e.Add64(e.Pair(e.Hi(), e.Lo()), e.MulS64(e.Gpr(i.rs), e.Gpr(i.rt))));
}
MIPSRUN_SEM(Maddu) {
  sem::SetHiLo(e, e.Add64(e.Pair(e.Hi(), e.Lo()), e.MulU64(e.Gpr(i.rs), e.Gpr(i.rt))));
}
MIPSRUN_SEM(Msub) {
  sem::SetHiLo(e, e.Sub64(e.Pair(e.Hi(), e.Lo()), e.MulS64(e.Gpr(i.rs), e.Gpr(i.rt))));
}
MIPSRUN_SEM(Msubu) {
  sem::SetHiLo(e, e.Sub64(e.Pair(e.Hi(), e.Lo()), e.MulU64(e.Gpr(i.rs), e.Gpr(i.rt))));
}
// Division by zero (and INT_MIN / -1) leaves HI/LO UNPREDICTABLE and never traps; the
// compiler guards it with `teq rt, zero, 7`. Dividing by 1 instead gives LO = rs and
// HI = 0, which is what QEMU gives too, so test output matches the reference.
MIPSRUN_SEM(Div) {
  auto a = e.Gpr(i.rs), b = e.Gpr(i.rt);
  auto bad = e.Or(e.CmpEq(b, e.Const(0)),
                  e.And(e.CmpEq(a, e.Const(0x80000000u)), e.CmpEq(b, e.Const(0xffffffffu))));
  auto d = e.Select(bad, e.Const(1), b);
  e.SetLo(e.DivS(a, d));
  e.SetHi(e.RemS(a, d));
}
MIPSRUN_SEM(Divu) {
  auto a = e.Gpr(i.rs), b = e.Gpr(i.rt);
  auto d = e.Select(e.CmpEq(b, e.Const(0)), e.Const(1), b);
  e.SetLo(e.DivU(a, d));
  e.SetHi(e.RemU(a, d));
}

// ---- Traps ----
MIPSRUN_SEM(Tge) {
  e.RaiseIf(sem::Not1(e, e.CmpLtS(e.Gpr(i.rs), e.Gpr(i.rt))), Exception::kTrap, i.trap_code());
}
MIPSRUN_SEM(Tgeu) {
  e.RaiseIf(sem::Not1(e, e.CmpLtU(e.Gpr(i.rs), e.Gpr(i.rt))), Exception::kTrap, i.trap_code());
}
MIPSRUN_SEM(Tlt) { e.RaiseIf(e.CmpLtS(e.Gpr(i.rs), e.Gpr(i.rt)), Exception::kTrap, i.trap_code()); }
MIPSRUN_SEM(Tltu) { e.RaiseIf(e.CmpLtU(e.Gpr(i.rs), e.Gpr(i.rt)), Exception::kTrap, i.trap_code()); }
MIPSRUN_SEM(Teq) { e.RaiseIf(e.CmpEq(e.Gpr(i.rs), e.Gpr(i.rt)), Exception::kTrap, i.trap_code()); }
MIPSRUN_SEM(Tne) { e.RaiseIf(e.CmpNe(e.Gpr(i.rs), e.Gpr(i.rt)), Exception::kTrap, i.trap_code()); }
// The immediate forms carry no code; the kernel reports them with code 0 (SIGTRAP).
MIPSRUN_SEM(Tgei) {
  auto imm = e.Const(static_cast<uint32_t>(i.simm()));
  e.RaiseIf(sem::Not1(e, e.CmpLtS(e.Gpr(i.rs), imm)), Exception::kTrap, 0);
}
MIPSRUN_SEM(Tgeiu) {
  auto imm = e.Const(static_cast<uint32_t>(i.simm()));
  e.RaiseIf(sem::Not1(e, e.CmpLtU(e.Gpr(i.rs), imm)), Exception::kTrap, 0);
}
MIPSRUN_SEM(Tlti) {
  e.RaiseIf(e.CmpLtS(e.Gpr(i.rs), e.Const(static_cast<uint32_t>(i.simm()))), Exception::kTrap, 0);
}
MIPSRUN_SEM(Tltiu) {
  e.RaiseIf(e.CmpLtU(e.Gpr(i.rs), e.Const(static_cast<uint32_t>(i.simm()))), Exception::kTrap, 0);
}
MIPSRUN_SEM(Teqi) {
  e.RaiseIf(e.CmpEq(e.Gpr(i.rs), e.Const(static_cast<uint32_t>(i.simm()))), Exception::kTrap, 0);
}
MIPSRUN_SEM(Tnei) {
  e.RaiseIf(e.CmpNe(e.Gpr(i.rs), e.Const(static_cast<uint32_t>(i.simm()))), Exception::kTrap, 0);
}

// ---- Branches and jumps (delay slots: design brief, decision 3) ----
// The condition is read before the delay slot runs; a link register is written even
// when a conditional branch is not taken, as the architecture says.
MIPSRUN_SEM(Beq) { e.Branch(e.CmpEq(e.Gpr(i.rs), e.Gpr(i.rt)), i.target); }
MIPSRUN_SEM(Bne) { e.Branch(e.CmpNe(e.Gpr(i.rs), e.Gpr(i.rt)), i.target); }
MIPSRUN_SEM(Blez) { e.Branch(sem::Not1(e, e.CmpLtS(e.Const(0), e.Gpr(i.rs))), i.target); }
MIPSRUN_SEM(Bgtz) { e.Branch(e.CmpLtS(e.Const(0), e.Gpr(i.rs)), i.target); }
MIPSRUN_SEM(Bltz) { e.Branch(e.CmpLtS(e.Gpr(i.rs), e.Const(0)), i.target); }
MIPSRUN_SEM(Bgez) { e.Branch(sem::Not1(e, e.CmpLtS(e.Gpr(i.rs), e.Const(0))), i.target); }
MIPSRUN_SEM(Bltzal) {
  auto cond = e.CmpLtS(e.Gpr(i.rs), e.Const(0));
  e.SetGpr(kRegRa, e.Const(i.pc + 8));
  e.Branch(cond, i.target);
}
MIPSRUN_SEM(Bgezal) {
  auto cond = sem::Not1(e, e.CmpLtS(e.Gpr(i.rs), e.Const(0)));
  e.SetGpr(kRegRa, e.Const(i.pc + 8));
  e.Branch(cond, i.target);
}
MIPSRUN_SEM(J) { e.Jump(i.target); }
MIPSRUN_SEM(Jal) {
  e.SetGpr(kRegRa, e.Const(i.pc + 8));
  e.Jump(i.target);
}
MIPSRUN_SEM(Jr) { e.JumpIndirect(e.Gpr(i.rs)); }
MIPSRUN_SEM(Jalr) {
  auto target = e.Gpr(i.rs);  // read before the link: `jalr ra, ra` is legal in effect
  e.SetGpr(i.rd, e.Const(i.pc + 8));
  e.JumpIndirect(target);
}

// ---- System ----
MIPSRUN_SEM(Syscall) { e.Syscall(); }
MIPSRUN_SEM(Break) { e.Raise(Exception::kBreak, i.break_code()); }
MIPSRUN_SEM(Sync) { e.Fence(); }
MIPSRUN_SEM(Synci) { e.Synci(sem::EffectiveAddress(e, i)); }
// rdhwr: the registers the kernel enables (or emulates) for user mode.
MIPSRUN_SEM(Rdhwr) {
  switch (i.rd) {
    case 0: case 1: case 2: case 3: case 29:
      e.SetGpr(i.rt, e.ReadHwr(i.rd));
      return;
  }
  e.Raise(Exception::kReserved, 0);
}

// ---- Loads and stores ----
MIPSRUN_SEM(Lb) { e.SetGpr(i.rt, e.Load8S(sem::EffectiveAddress(e, i))); }
MIPSRUN_SEM(Lbu) { e.SetGpr(i.rt, e.Load8U(sem::EffectiveAddress(e, i))); }
MIPSRUN_SEM(Lh) { e.SetGpr(i.rt, e.Load16S(sem::EffectiveAddress(e, i))); }
MIPSRUN_SEM(Lhu) { e.SetGpr(i.rt, e.Load16U(sem::EffectiveAddress(e, i))); }
MIPSRUN_SEM(Lw) { e.SetGpr(i.rt, e.Load32(sem::EffectiveAddress(e, i))); }
MIPSRUN_SEM(Sb) { e.Store8(sem::EffectiveAddress(e, i), e.Gpr(i.rt)); }
MIPSRUN_SEM(Sh) { e.Store16(sem::EffectiveAddress(e, i), e.Gpr(i.rt)); }
MIPSRUN_SEM(Sw) { e.Store32(sem::EffectiveAddress(e, i), e.Gpr(i.rt)); }

// lwl/lwr/swl/swr work on the aligned word that holds the addressed byte. `skip` is
// how many bytes of that word, counted from its most significant end, lie before the
// addressed byte in the word's *value*: the byte offset itself on big-endian, its
// complement on little-endian (that is the whole difference between the orders).
namespace sem {
template <class E>
auto ValueOffsetBytes(E& e, typename E::V addr, bool from_top) {
  auto b = e.And(addr, e.Const(3));
  return (E::kBigEndian == from_top) ? b : e.Xor(b, e.Const(3));
}
}  // namespace sem

MIPSRUN_SEM(Lwl) {
  auto addr = sem::EffectiveAddress(e, i);
  auto word = e.Load32(e.And(addr, e.Const(~3u)));
  auto sh = e.Shl(sem::ValueOffsetBytes(e, addr, true), e.Const(3));
  auto keep = e.Sub(e.Shl(e.Const(1), sh), e.Const(1));  // low bits of rt that stay
  e.SetGpr(i.rt, e.Or(e.Shl(word, sh), e.And(e.Gpr(i.rt), keep)));
}
MIPSRUN_SEM(Lwr) {
  auto addr = sem::EffectiveAddress(e, i);
  auto word = e.Load32(e.And(addr, e.Const(~3u)));
  auto sh = e.Shl(sem::ValueOffsetBytes(e, addr, false), e.Const(3));
  auto replaced = e.Shr(e.Const(0xffffffffu), sh);  // low bits of rt that are loaded
  e.SetGpr(i.rt, e.Or(e.Shr(word, sh), e.And(e.Gpr(i.rt), e.Xor(replaced, e.Const(~0u)))));
}
MIPSRUN_SEM(Swl) {
  auto addr = sem::EffectiveAddress(e, i);
  auto aligned = e.And(addr, e.Const(~3u));
  auto word = e.Load32(aligned);
  auto sh = e.Shl(sem::ValueOffsetBytes(e, addr, true), e.Const(3));
  auto written = e.Shr(e.Const(0xffffffffu), sh);
  auto merged = e.Or(e.And(word, e.Xor(written, e.Const(~0u))), e.Shr(e.Gpr(i.rt), sh));
  e.Store32(aligned, merged);
}
MIPSRUN_SEM(Swr) {
  auto addr = sem::EffectiveAddress(e, i);
  auto aligned = e.And(addr, e.Const(~3u));
  auto word = e.Load32(aligned);
  auto sh = e.Shl(sem::ValueOffsetBytes(e, addr, false), e.Const(3));
  auto kept = e.Sub(e.Shl(e.Const(1), sh), e.Const(1));
  e.Store32(aligned, e.Or(e.And(word, kept), e.Shl(e.Gpr(i.rt), sh)));
}
// ll/sc are not fixed up when misaligned: the kernel sends SIGBUS.
MIPSRUN_SEM(Ll) {
  auto addr = sem::EffectiveAddress(e, i);
  if (e.RaiseIf(e.CmpNe(e.And(addr, e.Const(3)), e.Const(0)), Exception::kAddressError, 0))
    return;
  e.SetGpr(i.rt, e.LoadLinked(addr));
}
MIPSRUN_SEM(Sc) {
  auto addr = sem::EffectiveAddress(e, i);
  if (e.RaiseIf(e.CmpNe(e.And(addr, e.Const(3)), e.Const(0)), Exception::kAddressError, 0))
    return;
  e.SetGpr(i.rt, e.StoreConditional(addr, e.Gpr(i.rt)));
}

// ---- FPU register views. Each of the 32 FPRs is a 64-bit storage word. With FR=1
// each is a 64-bit register; with FR=0 each holds a 32-bit word in its low half and a
// double is an even/odd pair (low word in the even register). Fr() is a mode, not a
// guest value: translated code is built for one mode and dropped when it changes.
namespace sem {
template <class E>
typename E::V FprW(E& e, unsigned r) { return e.LoOf(e.FprRaw(r)); }
template <class E>
void SetFprW(E& e, unsigned r, typename E::V v) { e.SetFprRaw(r, e.Zext64(v)); }
template <class E>
typename E::V FprHi(E& e, unsigned r) {
  return e.Fr() ? e.HiOf(e.FprRaw(r)) : e.LoOf(e.FprRaw(r | 1));
}
template <class E>
void SetFprHi(E& e, unsigned r, typename E::V v) {
  if (e.Fr()) {
    e.SetFprRaw(r, e.Pair(v, e.LoOf(e.FprRaw(r))));
  } else {
    e.SetFprRaw(r | 1, e.Zext64(v));
  }
}
template <class E>
typename E::V64 FprD(E& e, unsigned r) {
  if (e.Fr()) return e.FprRaw(r);
  return e.Pair(e.LoOf(e.FprRaw(r | 1)), e.LoOf(e.FprRaw(r & ~1u)));
}
template <class E>
void SetFprD(E& e, unsigned r, typename E::V64 v) {
  if (e.Fr()) {
    e.SetFprRaw(r, v);
  } else {
    e.SetFprRaw(r & ~1u, e.Zext64(e.LoOf(v)));
    e.SetFprRaw(r | 1, e.Zext64(e.HiOf(v)));
  }
}
}  // namespace sem

// ---- FPU register file and control ----
MIPSRUN_SEM(Mfc1) { e.SetGpr(i.rt, sem::FprW(e, i.fs())); }
MIPSRUN_SEM(Mtc1) { sem::SetFprW(e, i.fs(), e.Gpr(i.rt)); }
MIPSRUN_SEM(Mfhc1) { e.SetGpr(i.rt, sem::FprHi(e, i.fs())); }
MIPSRUN_SEM(Mthc1) { sem::SetFprHi(e, i.fs(), e.Gpr(i.rt)); }
MIPSRUN_SEM(MovS) { sem::SetFprW(e, i.fd(), sem::FprW(e, i.fs())); }
MIPSRUN_SEM(MovD) { sem::SetFprD(e, i.fd(), sem::FprD(e, i.fs())); }
MIPSRUN_SEM(Lwc1) { sem::SetFprW(e, i.ft(), e.Load32(sem::EffectiveAddress(e, i))); }
MIPSRUN_SEM(Swc1) { e.Store32(sem::EffectiveAddress(e, i), sem::FprW(e, i.ft())); }
MIPSRUN_SEM(Ldc1) { sem::SetFprD(e, i.ft(), e.Load64(sem::EffectiveAddress(e, i))); }
MIPSRUN_SEM(Sdc1) { e.Store64(sem::EffectiveAddress(e, i), sem::FprD(e, i.ft())); }
// FPU control registers: FIR (0), FCCR (25), FEXR (26), FENR (28), FCSR (31).
MIPSRUN_SEM(Cfc1) {
  switch (i.fs()) {
    case 0: case 25: case 26: case 28: case 31:
      e.SetGpr(i.rt, e.ReadFcr(i.fs()));
      return;
  }
  e.Raise(Exception::kReserved, 0);
}
// A write that makes a Cause bit meet its Enable raises that exception at once.
MIPSRUN_SEM(Ctc1) {
  switch (i.fs()) {
    case 25: case 26: case 28: case 31:
      e.WriteFcr(i.fs(), e.Gpr(i.rt));
      e.RaiseIf(e.FcsrTraps(), Exception::kFloatingPoint, 0);
      return;
  }
  e.Raise(Exception::kReserved, 0);
}

// ---- FPU arithmetic, conversions and compares (the rules are in fpu.h/fpu.cc) ----
namespace sem {
inline bool IsWordFmt(FpFmt f) { return f == FpFmt::kS || f == FpFmt::kW; }

// ReadFp, WriteFp, FpCompute and FpCompare are inlined into each instruction's
// semantics, where the formats and the operation are constants (GCC would otherwise
// share one out-of-line copy between all the interpreter's FPU handlers, which then
// test them at run time, and its fast path picks its host operation by them).
template <class E>
[[gnu::always_inline]] inline typename E::V64 ReadFp(E& e, FpFmt f, unsigned r) {
  return IsWordFmt(f) ? e.Zext64(sem::FprW(e, r)) : sem::FprD(e, r);
}
template <class E>
[[gnu::always_inline]] inline void WriteFp(E& e, FpFmt f, unsigned r, typename E::V64 v) {
  if (IsWordFmt(f)) {
    sem::SetFprW(e, r, e.LoOf(v));
  } else {
    sem::SetFprD(e, r, v);
  }
}
// fd = op(a, b, c); nothing is written when an enabled exception is raised.
template <class E>
[[gnu::always_inline]] inline void FpCompute(E& e, FpOp op, FpFmt in, FpFmt out, unsigned fd,
                                             typename E::V64 a, typename E::V64 b,
                                             typename E::V64 c) {
  auto r = e.FpCompute(op, in, out, a, b, c);
  if (e.RaiseIf(e.FpTrapped(), Exception::kFloatingPoint, 0)) return;
  WriteFp(e, out, fd, r);
}
template <class E>
auto Fcc(E& e, unsigned cc) {
  return e.And(e.Shr(e.Fcsr(), e.Const(FccBit(cc))), e.Const(1));
}
template <class E>
void SetFcc(E& e, unsigned cc, typename E::V bit) {
  uint32_t mask = 1u << FccBit(cc);
  e.SetFcsr(e.Or(e.And(e.Fcsr(), e.Const(~mask)), e.Shl(bit, e.Const(FccBit(cc)))));
}
inline unsigned CompareCc(const Insn& i) { return (i.raw >> 8) & 7; }   // c.cond
inline unsigned BranchCc(const Insn& i) { return (i.raw >> 18) & 7; }   // bc1, movf/movt
inline bool MoveOnTrue(const Insn& i) { return (i.raw >> 16) & 1; }    // movt vs movf
template <class E>
[[gnu::always_inline]] inline void FpCompare(E& e, const Insn& i, FpFmt f) {
  auto r = e.FpCompare(i.raw & 0xf, f, ReadFp(e, f, i.fs()), ReadFp(e, f, i.ft()));
  if (e.RaiseIf(e.FpTrapped(), Exception::kFloatingPoint, 0)) return;
  SetFcc(e, CompareCc(i), r);
}
}  // namespace sem

#define MIPSRUN_FP_BINARY(Name, Fmt)                                                 \
  MIPSRUN_SEM(F##Name##Fmt) {                                                       \
    sem::FpCompute(e, FpOp::k##Name, FpFmt::k##Fmt, FpFmt::k##Fmt, i.fd(),          \
                   sem::ReadFp(e, FpFmt::k##Fmt, i.fs()),                           \
                   sem::ReadFp(e, FpFmt::k##Fmt, i.ft()), e.Const64(0));            \
  }
#define MIPSRUN_FP_UNARY(Name, Fmt)                                                  \
  MIPSRUN_SEM(F##Name##Fmt) {                                                       \
    sem::FpCompute(e, FpOp::k##Name, FpFmt::k##Fmt, FpFmt::k##Fmt, i.fd(),          \
                   sem::ReadFp(e, FpFmt::k##Fmt, i.fs()), e.Const64(0), e.Const64(0)); \
  }
// fd = fs * ft +- fr, with fr in the rs field.
#define MIPSRUN_FP_MADD(Name, Fmt)                                                   \
  MIPSRUN_SEM(F##Name##Fmt) {                                                       \
    sem::FpCompute(e, FpOp::k##Name, FpFmt::k##Fmt, FpFmt::k##Fmt, i.fd(),          \
                   sem::ReadFp(e, FpFmt::k##Fmt, i.fs()),                           \
                   sem::ReadFp(e, FpFmt::k##Fmt, i.ft()),                           \
                   sem::ReadFp(e, FpFmt::k##Fmt, i.rs));                            \
  }
// Name##To##From: cvt.to.from, round.to.from, ...
#define MIPSRUN_FP_CONVERT(Sem, Op, To, From)                                        \
  MIPSRUN_SEM(Sem) {                                                                \
    sem::FpCompute(e, FpOp::k##Op, FpFmt::k##From, FpFmt::k##To, i.fd(),            \
                   sem::ReadFp(e, FpFmt::k##From, i.fs()), e.Const64(0), e.Const64(0)); \
  }

MIPSRUN_FP_BINARY(Add, S) MIPSRUN_FP_BINARY(Add, D)
MIPSRUN_FP_BINARY(Sub, S) MIPSRUN_FP_BINARY(Sub, D)
MIPSRUN_FP_BINARY(Mul, S) MIPSRUN_FP_BINARY(Mul, D)
MIPSRUN_FP_BINARY(Div, S) MIPSRUN_FP_BINARY(Div, D)
MIPSRUN_FP_UNARY(Sqrt, S) MIPSRUN_FP_UNARY(Sqrt, D)
MIPSRUN_FP_UNARY(Abs, S) MIPSRUN_FP_UNARY(Abs, D)
MIPSRUN_FP_UNARY(Neg, S) MIPSRUN_FP_UNARY(Neg, D)
MIPSRUN_FP_UNARY(Recip, S) MIPSRUN_FP_UNARY(Recip, D)
MIPSRUN_FP_UNARY(Rsqrt, S) MIPSRUN_FP_UNARY(Rsqrt, D)
MIPSRUN_FP_MADD(Madd, S) MIPSRUN_FP_MADD(Madd, D)
MIPSRUN_FP_MADD(Msub, S) MIPSRUN_FP_MADD(Msub, D)
MIPSRUN_FP_MADD(Nmadd, S) MIPSRUN_FP_MADD(Nmadd, D)
MIPSRUN_FP_MADD(Nmsub, S) MIPSRUN_FP_MADD(Nmsub, D)
MIPSRUN_FP_CONVERT(CvtSD, Cvt, S, D) MIPSRUN_FP_CONVERT(CvtSW, Cvt, S, W)
MIPSRUN_FP_CONVERT(CvtSL, Cvt, S, L) MIPSRUN_FP_CONVERT(CvtDS, Cvt, D, S)
MIPSRUN_FP_CONVERT(CvtDW, Cvt, D, W) MIPSRUN_FP_CONVERT(CvtDL, Cvt, D, L)
MIPSRUN_FP_CONVERT(CvtWS, Cvt, W, S) MIPSRUN_FP_CONVERT(CvtWD, Cvt, W, D)
MIPSRUN_FP_CONVERT(CvtLS, Cvt, L, S) MIPSRUN_FP_CONVERT(CvtLD, Cvt, L, D)
MIPSRUN_FP_CONVERT(RoundWS, Round, W, S) MIPSRUN_FP_CONVERT(RoundWD, Round, W, D)
MIPSRUN_FP_CONVERT(RoundLS, Round, L, S) MIPSRUN_FP_CONVERT(RoundLD, Round, L, D)
MIPSRUN_FP_CONVERT(TruncWS, Trunc, W, S) MIPSRUN_FP_CONVERT(TruncWD, Trunc, W, D)
MIPSRUN_FP_CONVERT(TruncLS, Trunc, L, S) MIPSRUN_FP_CONVERT(TruncLD, Trunc, L, D)
MIPSRUN_FP_CONVERT(CeilWS, Ceil, W, S) MIPSRUN_FP_CONVERT(CeilWD, Ceil, W, D)
MIPSRUN_FP_CONVERT(CeilLS, Ceil, L, S) MIPSRUN_FP_CONVERT(CeilLD, Ceil, L, D)
MIPSRUN_FP_CONVERT(FloorWS, Floor, W, S) MIPSRUN_FP_CONVERT(FloorWD, Floor, W, D)
MIPSRUN_FP_CONVERT(FloorLS, Floor, L, S) MIPSRUN_FP_CONVERT(FloorLD, Floor, L, D)

MIPSRUN_SEM(FCmpS) { sem::FpCompare(e, i, FpFmt::kS); }
MIPSRUN_SEM(FCmpD) { sem::FpCompare(e, i, FpFmt::kD); }

MIPSRUN_SEM(Bc1f) { e.Branch(sem::Not1(e, sem::Fcc(e, sem::BranchCc(i))), i.target); }
MIPSRUN_SEM(Bc1t) { e.Branch(sem::Fcc(e, sem::BranchCc(i)), i.target); }

namespace sem {
// The condition of movf/movt (GPR or FPR forms): FCC[cc] equals the tf bit.
template <class E>
auto MoveCondition(E& e, const Insn& i) {
  auto cc = Fcc(e, BranchCc(i));
  return MoveOnTrue(i) ? cc : Not1(e, cc);
}
}  // namespace sem

MIPSRUN_SEM(Movf) { e.SetGpr(i.rd, e.Select(sem::MoveCondition(e, i), e.Gpr(i.rs), e.Gpr(i.rd))); }
MIPSRUN_SEM(Movt) { e.SetGpr(i.rd, e.Select(sem::MoveCondition(e, i), e.Gpr(i.rs), e.Gpr(i.rd))); }
MIPSRUN_SEM(MovfS) { sem::SetFprW(e, i.fd(), e.Select(sem::MoveCondition(e, i), sem::FprW(e, i.fs()), sem::FprW(e, i.fd()))); }
MIPSRUN_SEM(MovtS) { sem::SetFprW(e, i.fd(), e.Select(sem::MoveCondition(e, i), sem::FprW(e, i.fs()), sem::FprW(e, i.fd()))); }
MIPSRUN_SEM(MovfD) { sem::SetFprD(e, i.fd(), e.Select64(sem::MoveCondition(e, i), sem::FprD(e, i.fs()), sem::FprD(e, i.fd()))); }
MIPSRUN_SEM(MovtD) { sem::SetFprD(e, i.fd(), e.Select64(sem::MoveCondition(e, i), sem::FprD(e, i.fs()), sem::FprD(e, i.fd()))); }
MIPSRUN_SEM(MovzS) {
  sem::SetFprW(e, i.fd(), e.Select(e.CmpEq(e.Gpr(i.rt), e.Const(0)), sem::FprW(e, i.fs()), sem::FprW(e, i.fd())));
}
MIPSRUN_SEM(MovnS) {
  sem::SetFprW(e, i.fd(), e.Select(e.CmpNe(e.Gpr(i.rt), e.Const(0)), sem::FprW(e, i.fs()), sem::FprW(e, i.fd())));
}
MIPSRUN_SEM(MovzD) {
  sem::SetFprD(e, i.fd(), e.Select64(e.CmpEq(e.Gpr(i.rt), e.Const(0)), sem::FprD(e, i.fs()), sem::FprD(e, i.fd())));
}
MIPSRUN_SEM(MovnD) {
  sem::SetFprD(e, i.fd(), e.Select64(e.CmpNe(e.Gpr(i.rt), e.Const(0)), sem::FprD(e, i.fs()), sem::FprD(e, i.fd())));
}

// COP1X indexed accesses: the address is base (rs) + index (rt); luxc1/suxc1 ignore
// its low three bits.
namespace sem {
template <class E>
auto IndexedAddress(E& e, const Insn& i) {
  return e.Add(e.Gpr(i.rs), e.Gpr(i.rt));
}
}  // namespace sem
MIPSRUN_SEM(Lwxc1) { sem::SetFprW(e, i.fd(), e.Load32(sem::IndexedAddress(e, i))); }
MIPSRUN_SEM(Ldxc1) { sem::SetFprD(e, i.fd(), e.Load64(sem::IndexedAddress(e, i))); }
MIPSRUN_SEM(Luxc1) { sem::SetFprD(e, i.fd(), e.Load64(e.And(sem::IndexedAddress(e, i), e.Const(~7u)))); }
MIPSRUN_SEM(Swxc1) { e.Store32(sem::IndexedAddress(e, i), sem::FprW(e, i.fs())); }
MIPSRUN_SEM(Sdxc1) { e.Store64(sem::IndexedAddress(e, i), sem::FprD(e, i.fs())); }
MIPSRUN_SEM(Suxc1) { e.Store64(e.And(sem::IndexedAddress(e, i), e.Const(~7u)), sem::FprD(e, i.fs())); }

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_SEMANTICS_H_
