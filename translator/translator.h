// The LLVM tier: compiles a region of hot guest code into host code with ORC LLJIT.
//
// The translator is a module of its own (libmipsrun_translator.so, next to mipsrun) that
// the runtime loads with dlopen the first time it translates: neither LLVM's libraries
// nor their relocations are on the start-up path of a program that never translates
// (design brief, decision 9). This header is the interface between the two; it
// includes no LLVM.
//
// A region is a group of decoded blocks. Its code is entered at cpu.pc, which must be
// the start of one of its entry blocks (the first is the region's head, which made it
// hot; others are entries too, so that a call's return point or a loop reached from
// outside runs translated). It returns kLeftRegion when control left the region
// normally (cpu.pc set to where execution continues), kExited when an instruction left
// for the runtime (cpu.exit says why, with the state precise at that instruction), and
// kRunAgain where an instruction raises a guest exception, or an FPU operation needs
// what only the interpreter's rules give (RegionSpec::inline_fp_slow_paths): the
// interpreter then runs the guest from cpu.pc, reaches that instruction in the same
// state and runs it itself, as after a fault. Between those it keeps guest registers in host registers,
// writing them back where translator/region_ir.h says, so that a fault or exception
// sees exactly the state the interpreter would have at that instruction (design brief,
// decision 7).
//
// Regions go on into each other without the dispatcher: an exit to a guest address
// that has an entry cell sets cpu.pc and calls the cell's code, when there is some, as
// a tail call; an
// indirect jump looks in the thread's jump cache (CpuState::jump_cache). Both give up
// and return to the dispatcher when cpu.interrupt is set.
#ifndef MIPSRUN_TRANSLATOR_TRANSLATOR_H_
#define MIPSRUN_TRANSLATOR_TRANSLATOR_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/insn.h"
#include "runtime/cpu_state.h"

namespace mipsrun {

// The translated code that starts at one guest address, shared by every guest thread;
// null while there is none (not yet compiled, or dropped by invalidation). Cells never
// move or die, so translated code holds their addresses.
struct EntryCell {
  std::atomic<NativeCode> code{nullptr};
};
static_assert(sizeof(EntryCell) == sizeof(NativeCode));

struct RegionBlock {
  uint32_t start = 0;
  uint32_t end = 0;          // the fall-through address
  std::vector<Insn> insns;   // at least one
  // The code can be entered here from outside (the head always is). A block reached
  // only from inside the region is not: it then has no edge from the function's entry,
  // and LLVM no merge of every guest register there.
  bool entry = true;
};

struct RegionExit {
  uint32_t pc = 0;                  // a direct branch target outside the region
  const EntryCell* cell = nullptr;  // where its code will be
};

struct RegionSpec {
  bool big_endian = true;
  // The FPU register mode (Status.FR) the code is built for; a mode switch drops every
  // translation (prctl PR_SET_FP_MODE invalidates all code).
  bool fr = false;
  std::vector<RegionBlock> blocks;  // blocks[0] is the entry
  std::vector<RegionExit> exits;    // exits without a cell return to the dispatcher
  // Where an inlined FPU operation meets what only fpu.cc's rules give (a NaN, another
  // rounding mode: translator/fp_fast.h), the code leaves for the interpreter, which
  // runs that instruction itself (kRunAgain), unless this is set: then it calls them as
  // a helper and goes on. Leaving keeps the code small and quick to compile; the
  // runtime compiles a region again with this set once it leaves that way often.
  bool inline_fp_slow_paths = false;
  // A region compiled again: the code that this one replaces where that was entered.
  NativeCode replaces = nullptr;
};

class Translator {
 public:
  virtual ~Translator() = default;
  // Compiles `region`, whose instructions and exit cells must stay where they are as
  // long as the code lives (faults and helpers name them). Null with *error set on
  // failure. One caller at a time. With `object`, the relocatable object that was linked
  // is copied there: it names nothing of this process (helpers, cells and instructions
  // are symbols), so Load() can link it again for the same region in another run.
  virtual NativeCode Compile(const RegionSpec& region, std::string* error,
                             std::string* object) = 0;
  NativeCode Compile(const RegionSpec& region, std::string* error) {
    return Compile(region, error, nullptr);
  }
  // Links `object`, which Compile() made for a region equal to `region` (the same
  // blocks, instructions, entries, exits and flags; runtime/code_cache.h checks that),
  // with this process's helpers, `region`'s instructions and its exit cells.
  virtual NativeCode Load(const RegionSpec& region, std::string_view object,
                          std::string* error) = 0;
  virtual uint64_t regions_compiled() const = 0;
  virtual uint64_t blocks_compiled() const = 0;
  virtual double compile_seconds() const = 0;
};

// The module's one exported function (C linkage, looked up with dlsym).
using CreateTranslatorFn = Translator* (*)(std::string* error);
inline constexpr char kCreateTranslatorSymbol[] = "MipsrunCreateTranslator";
inline constexpr char kTranslatorModule[] = "libmipsrun_translator.so";

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_TRANSLATOR_H_
