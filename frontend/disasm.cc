#include "frontend/disasm.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "frontend/decoder.h"

namespace mipsrun {
namespace {

constexpr const char* kGprNames[32] = {
    "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2",
    "t3",   "t4", "t5", "t6", "t7", "s0", "s1", "s2", "s3", "s4", "s5",
    "s6",   "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra"};

std::string Operand(char letter, const Insn& insn) {
  switch (letter) {
    case 'd': return GprName(insn.rd);
    case 's': return GprName(insn.rs);
    case 't': return GprName(insn.rt);
    case 'a': return absl::StrCat(insn.sa);
    case 'i': return absl::StrCat(insn.simm());
    case 'u': return absl::StrFormat("0x%x", insn.uimm());
    case 'o': return absl::StrCat(insn.simm(), "(", GprName(insn.rs), ")");
    case 'b':
    case 'j': return absl::StrFormat("0x%x", insn.target);
    case 'c': return absl::StrFormat("0x%x", insn.code20());
    case 'C': return absl::StrFormat("0x%x", insn.trap_code());
    case 'k': return absl::StrFormat("0x%x", insn.break_code());
    case 'E': return absl::StrCat(insn.sa, ", ", insn.rd + 1);            // pos, size
    case 'I': return absl::StrCat(insn.sa, ", ", insn.rd + 1 - insn.sa);  // pos, size
    case 'H': return absl::StrCat("$", insn.rd);
    case 'T': return absl::StrCat("$f", insn.ft());
    case 'F': return absl::StrCat("$f", insn.fs());
    case 'D': return absl::StrCat("$f", insn.fd());
    case 'X': return absl::StrCat("$", insn.fs());
    case 'y': return absl::StrCat(insn.sa);
    case 'R': return absl::StrCat("$f", insn.rs);
    case 'x': return absl::StrCat(GprName(insn.rt), "(", GprName(insn.rs), ")");
    case 'N': return absl::StrCat("$fcc", (insn.raw >> 8) & 7);
    case 'M': return absl::StrCat("$fcc", (insn.raw >> 18) & 7);
    case 'h': return absl::StrCat(insn.rt);
  }
  return "?";
}

}  // namespace

const char* GprName(unsigned reg) { return kGprNames[reg & 31]; }

std::string Disassemble(const Insn& insn) {
  const InsnInfo& info = GetInsnInfo(insn.id);
  if (insn.id == InsnId::kInvalid) return absl::StrFormat(".word 0x%08x", insn.raw);
  std::string out(info.mnemonic);
  const char* sep = " ";
  for (char letter : info.operands) {
    if (letter == ',') continue;
    absl::StrAppend(&out, sep, Operand(letter, insn));
    sep = ", ";
  }
  // A sync with stype 0 reads as plain "sync".
  if (insn.id == InsnId::Sync && insn.sa == 0) out = "sync";
  return out;
}

}  // namespace mipsrun
