// Text form of a decoded instruction, driven by the operand letters of the decode spec.
// Style: "addiu sp, sp, -32", "lw ra, 28(sp)", "beq v0, zero, 0x400120".
#ifndef MIPSRUN_FRONTEND_DISASM_H_
#define MIPSRUN_FRONTEND_DISASM_H_

#include <string>


#include "frontend/insn.h"

namespace mipsrun {

const char* GprName(unsigned reg);  // ABI name: "zero", "at", "v0", ... "ra"
std::string Disassemble(const Insn& insn);

}  // namespace mipsrun

#endif  // MIPSRUN_FRONTEND_DISASM_H_
