// The LLVM tier: compiles a decoded block into host code with ORC LLJIT.
//
// The translator is a module of its own (libmipsrun_translator.so, next to mipsrun) that
// the runtime loads with dlopen the first time it translates: neither LLVM's libraries
// nor their relocations are on the start-up path of a program that never translates
// (design brief, decision 9). This header is the interface between the two.
//
// A translated block has the interpreter's contract: it returns 0 when it ran to its end
// (cpu.pc set to where execution continues) and 1 when an instruction left for the
// runtime (cpu.exit says why, with the state precise at that instruction).
#ifndef MIPSRUN_TRANSLATOR_TRANSLATOR_H_
#define MIPSRUN_TRANSLATOR_TRANSLATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "frontend/insn.h"
#include "runtime/cpu_state.h"

namespace mipsrun {

using NativeBlock = uint32_t (*)(CpuState*);

class Translator {
 public:
  virtual ~Translator() = default;
  // Compiles the block whose instructions are `insns` (in order; they must stay where
  // they are as long as the code lives: faults name them) and which falls through to
  // `end`. Null with *error set on failure.
  virtual NativeBlock Compile(const std::vector<const Insn*>& insns, uint32_t end,
                              bool big_endian, std::string* error) = 0;
  virtual uint64_t blocks_compiled() const = 0;
  virtual double compile_seconds() const = 0;
};

// The module's one exported function (C linkage, looked up with dlsym).
using CreateTranslatorFn = Translator* (*)(std::string* error);
inline constexpr char kCreateTranslatorSymbol[] = "MipsrunCreateTranslator";
inline constexpr char kTranslatorModule[] = "libmipsrun_translator.so";

}  // namespace mipsrun

#endif  // MIPSRUN_TRANSLATOR_TRANSLATOR_H_
