// The interpreter's emitter: instantiates the semantics of frontend/semantics.h with
// values that are plain uint32_t, so each operation executes on the spot. Guest memory
// keeps the guest's byte order; loads and stores swap for a big-endian guest.
#ifndef MIPSRUN_RUNTIME_INTERP_EMITTER_H_
#define MIPSRUN_RUNTIME_INTERP_EMITTER_H_

#include <x86intrin.h>

#include <atomic>
#include <cstdint>
#include <cstring>

#include "frontend/fpu.h"
#include "frontend/fpu_control.h"
#include "frontend/insn.h"
#include "frontend/semantics.h"
#include "runtime/cpu_state.h"
#include "runtime/interpreter.h"
#include "runtime/lazy_fpu.h"

namespace mipsrun {

// kCheckZero: whether a GPR write must test for $zero. The block builder passes false
// when the instruction's destination field (kDestRd/kDestRt) is known not to be $zero.
// kForward: the second instruction of a superinstruction that names the GPR the first
// one wrote (runtime/interp_pairs.cc): it reads that GPR from the host register the
// value is still in (Forward), not from CpuState just after the store, which would
// make it wait for the store to be forwarded to the load: the cost of most dependent
// instructions in the interpreter.
template <bool kBig, uint32_t kFlags, bool kCheckZero = true, bool kForward = false>
class InterpEmitter {
 public:
  using V = uint32_t;
  using V64 = uint64_t;
  static constexpr bool kBigEndian = kBig;
  static constexpr unsigned kNoGpr = ~0u;

  InterpEmitter(CpuState& cpu, const Insn& insn) : cpu_(cpu), insn_(insn) {}
  int result() const { return result_; }

  static V Const(uint32_t v) { return v; }
  static V64 Const64(uint64_t v) { return v; }
  V Gpr(unsigned r) const {  // gpr[0] is kept 0
    if constexpr (kForward) {
      if (r == forward_gpr_) return forward_value_;
    }
    return cpu_.gpr[r];
  }
  void SetGpr(unsigned r, V v) {
    if (!kCheckZero || r != 0) {
      cpu_.gpr[r] = v;
      written_gpr_ = r;
      written_value_ = v;
      if constexpr (kForward) {
        if (r == forward_gpr_) forward_value_ = v;
      }
    }
  }
  // The GPR this instruction wrote last and its value (kNoGpr: none), for Forward.
  unsigned written_gpr() const { return written_gpr_; }
  V written_value() const { return written_value_; }
  // kForward: GPR `r` holds `v` (what the instruction before wrote).
  void Forward(unsigned r, V v) {
    forward_gpr_ = r;
    forward_value_ = v;
  }
  V Hi() const { return cpu_.gpr[kRegHi]; }
  V Lo() const { return cpu_.gpr[kRegLo]; }
  void SetHi(V v) { cpu_.gpr[kRegHi] = v; }
  void SetLo(V v) { cpu_.gpr[kRegLo] = v; }

  static V Add(V a, V b) { return a + b; }
  static V Sub(V a, V b) { return a - b; }
  static V And(V a, V b) { return a & b; }
  static V Or(V a, V b) { return a | b; }
  static V Xor(V a, V b) { return a ^ b; }
  static V Mul(V a, V b) { return a * b; }
  static V Shl(V a, V n) { return a << n; }
  static V Shr(V a, V n) { return a >> n; }
  static V Sar(V a, V n) { return static_cast<uint32_t>(static_cast<int32_t>(a) >> n); }
  static V CmpEq(V a, V b) { return a == b; }
  static V CmpNe(V a, V b) { return a != b; }
  static V CmpLtS(V a, V b) { return static_cast<int32_t>(a) < static_cast<int32_t>(b); }
  static V CmpLtU(V a, V b) { return a < b; }
  static V Select(V c, V t, V f) { return c ? t : f; }
  static V DivS(V a, V b) {
    return static_cast<uint32_t>(static_cast<int32_t>(a) / static_cast<int32_t>(b));
  }
  static V RemS(V a, V b) {
    return static_cast<uint32_t>(static_cast<int32_t>(a) % static_cast<int32_t>(b));
  }
  static V DivU(V a, V b) { return a / b; }
  static V RemU(V a, V b) { return a % b; }
  static V Clz(V a) { return a ? __builtin_clz(a) : 32; }
  static V64 MulS64(V a, V b) {
    return static_cast<uint64_t>(int64_t{static_cast<int32_t>(a)} * static_cast<int32_t>(b));
  }
  static V64 MulU64(V a, V b) { return uint64_t{a} * b; }
  static V64 Pair(V hi, V lo) { return (uint64_t{hi} << 32) | lo; }
  static V64 Add64(V64 a, V64 b) { return a + b; }
  static V64 Sub64(V64 a, V64 b) { return a - b; }
  static V HiOf(V64 v) { return static_cast<uint32_t>(v >> 32); }
  static V LoOf(V64 v) { return static_cast<uint32_t>(v); }

  // ---- Memory. A host fault here is turned into a guest fault at insn_. ----
  V Load8U(V a) { return LoadRaw<uint8_t>(a); }
  V Load8S(V a) { return static_cast<uint32_t>(static_cast<int8_t>(LoadRaw<uint8_t>(a))); }
  V Load16U(V a) { return Swap(LoadRaw<uint16_t>(a)); }
  V Load16S(V a) { return static_cast<uint32_t>(static_cast<int16_t>(Load16U(a))); }
  V Load32(V a) { return Swap(LoadRaw<uint32_t>(a)); }
  V64 Load64(V a) { return Swap(LoadRaw<uint64_t>(a)); }
  void Store8(V a, V v) { *Addr(a) = static_cast<uint8_t>(v); }
  void Store16(V a, V v) { StoreRaw<uint16_t>(a, Swap(static_cast<uint16_t>(v))); }
  void Store32(V a, V v) { StoreRaw<uint32_t>(a, Swap(v)); }
  void Store64(V a, V64 v) { StoreRaw<uint64_t>(a, Swap(v)); }

  V LoadLinked(V a) {
    V v = Load32(a);
    cpu_.ll_valid = true;
    cpu_.ll_addr = a;
    cpu_.ll_value = v;
    return v;
  }
  // sc succeeds when the link is intact and memory still holds what ll read: a host
  // compare-and-swap, which stays right once guest threads run on host threads.
  V StoreConditional(V a, V v) {
    bool linked = cpu_.ll_valid && cpu_.ll_addr == a;
    cpu_.ll_valid = false;
    if (!linked) return 0;
    uint32_t expected = Swap(cpu_.ll_value);
    auto* word = reinterpret_cast<uint32_t*>(Addr(a));
    return __atomic_compare_exchange_n(word, &expected, Swap(v), false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
  }

  // ---- Control ----
  void Branch(V cond, uint32_t target) {
    if (cond) {
      cpu_.next_pc = target;
    } else if constexpr ((kFlags & kLikely) != 0) {
      result_ = kAnnulSlot;
    }
  }
  void Jump(uint32_t target) { cpu_.next_pc = target; }
  void JumpIndirect(V target) { cpu_.next_pc = target; }
  bool RaiseIf(V cond, Exception ex, uint32_t code) {
    if (__builtin_expect(cond != 0, 0)) {
      Raise(ex, code);
      return true;
    }
    return false;
  }
  void Raise(Exception ex, uint32_t code) {
    Exit(ExitReason::kException, insn_.pc);
    cpu_.exception = ex;
    cpu_.exception_code = code;
  }
  void Syscall() { Exit(ExitReason::kSyscall, insn_.pc); }
  void Synci(V a) {
    Exit(ExitReason::kSynci, insn_.delay_slot ? cpu_.next_pc : insn_.pc + 4);
    cpu_.fault_addr = a;
  }
  static void Fence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
  V ReadHwr(unsigned reg) const {
    switch (reg) {
      case 0: return 0;                                     // CPUNum
      case 1: return 32;                                    // SYNCI_Step: line size
      case 2: return static_cast<uint32_t>(__rdtsc());      // CC
      case 3: return 1;                                     // CCRes
      default: return cpu_.tls;                             // 29: UserLocal
    }
  }

  // ---- FPU registers: storage words (the FR views are sem::FprW and friends) ----
  bool Fr() const { return cpu_.fr; }
  V64 FprRaw(unsigned r) const { return cpu_.fpr[r]; }
  void SetFprRaw(unsigned r, V64 v) { cpu_.fpr[r] = v; }
  // FCSR's Flags and Cause are lazy (runtime/lazy_fpu.h): settled where the guest
  // reads or writes it. Fcsr() and SetFcsr() are for its condition codes only.
  V ReadFcr(unsigned reg) {
    SettleFpu(cpu_);
    return ReadFpuControl(cpu_.fcsr, reg);
  }
  void WriteFcr(unsigned reg, V v) {
    SettleFpu(cpu_);
    cpu_.fcsr = WriteFpuControl(cpu_.fcsr, reg, v);
  }
  V Fcsr() const { return cpu_.fcsr; }
  void SetFcsr(V v) { cpu_.fcsr = v; }
  V FcsrTraps() {
    SettleFpu(cpu_);
    return FcsrTrapsOnWrite(cpu_.fcsr);
  }
  static V64 Zext64(V v) { return v; }
  static V64 Select64(V c, V64 t, V64 f) { return c ? t : f; }

  // ---- FPU computation: the host's arithmetic where it is the architecture's, with
  // Flags and Cause left lazy, and comparisons of operands that are not NaNs
  // (runtime/lazy_fpu.h); frontend/fpu.cc for the rest ----
  V64 FpCompute(FpOp op, FpFmt in, FpFmt out, V64 a, V64 b, V64 c) {
    uint64_t r = 0;
    if (LazyFpCompute(cpu_, op, in, out, a, b, c, &r)) {
      fp_trapped_ = false;
      return r;
    }
    fp_trapped_ = !ExactFp([&] { return FpuCompute(op, in, out, a, b, c, &cpu_.fcsr, &r); });
    return r;
  }
  V FpCompare(unsigned cond, FpFmt fmt, V64 a, V64 b) {
    bool r = false;
    if (LazyFpCompare(cpu_, cond, fmt, a, b, &r)) {
      fp_trapped_ = false;
      return r;
    }
    fp_trapped_ = !ExactFp([&] { return FpuCompare(cond, fmt, a, b, &cpu_.fcsr, &r); });
    return r;
  }
  V FpTrapped() const { return fp_trapped_; }

 private:
  uint8_t* Addr(V a) {
    cpu_.cur_mem_insn = &insn_;
    // The host fault handler reads it: it must be in place before the access, which
    // the compiler would otherwise be free to move it past, or to drop it when another
    // access follows in the same handler (a superinstruction: the differential tester
    // saw a fault in a pair's first store reported at the instruction before).
    std::atomic_signal_fence(std::memory_order_seq_cst);
    return cpu_.mem + a;
  }
  // Every guest load happens, even into $0: it may fault, and the fault is the guest's
  // business (a volatile access the compiler may not drop). Unaligned is fine: the
  // kernel fixes those up, and x86 needs no help.
  template <class T>
  T LoadRaw(V a) {
    struct [[gnu::packed, gnu::may_alias]] Unaligned { T v; };
    return reinterpret_cast<const volatile Unaligned*>(Addr(a))->v;
  }
  template <class T>
  void StoreRaw(V a, T v) {
    memcpy(Addr(a), &v, sizeof v);
  }
  template <class T>
  static T Swap(T v) {
    if constexpr (!kBig) {
      return v;
    } else if constexpr (sizeof(T) == 2) {
      return __builtin_bswap16(v);
    } else if constexpr (sizeof(T) == 4) {
      return __builtin_bswap32(v);
    } else {
      return __builtin_bswap64(v);
    }
  }
  // A computation of frontend/fpu.cc, which sets FCSR's Cause and Flags itself: the
  // flags gathered so far go into FCSR first (its host arithmetic would clear them),
  // the record of the lazy operation before is dropped (this one's Cause replaces it),
  // and what its own host arithmetic leaves in MXCSR is not the guest's (an enabled
  // exception sets no Flag).
  template <class F>
  bool ExactFp(F compute) {
    FoldHostFpFlags(cpu_);
    cpu_.fp_pending = 0;
    bool ok = compute();
    ClearHostFpFlags();
    return ok;
  }
  void Exit(ExitReason why, uint32_t pc) {
    cpu_.exit = why;
    cpu_.pc = pc;
    result_ = kExitBlock;
  }

  CpuState& cpu_;
  const Insn& insn_;
  int result_ = kContinue;
  unsigned written_gpr_ = kNoGpr;
  V written_value_ = 0;
  unsigned forward_gpr_ = kNoGpr;
  V forward_value_ = 0;
  bool fp_trapped_ = false;
};

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_INTERP_EMITTER_H_
