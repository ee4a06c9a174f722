// ELF32 MIPS executables: reading and validating the headers before anything is
// mapped. Every rejection is one line naming the reason; the caller adds the file name.
#ifndef MIPSRUN_LOADER_ELF_FILE_H_
#define MIPSRUN_LOADER_ELF_FILE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mipsrun {

struct ElfSegment {
  uint32_t vaddr = 0;
  uint32_t memsz = 0;
  uint32_t filesz = 0;
  uint32_t offset = 0;
  uint32_t flags = 0;  // PF_R/PF_W/PF_X
  uint32_t align = 0;
};

struct ElfInfo {
  bool big_endian = false;
  bool is_dyn = false;       // ET_DYN: PIE or shared object, loaded at a bias
  uint32_t entry = 0;
  uint32_t flags = 0;        // e_flags
  uint32_t phoff = 0;
  uint16_t phnum = 0;
  std::optional<uint32_t> phdr_vaddr;  // PT_PHDR, or phdrs inside the first load
  std::vector<ElfSegment> loads;       // PT_LOAD in file order
  std::optional<std::string> interp;   // PT_INTERP
  std::optional<uint8_t> fp_abi;       // .MIPS.abiflags fp_abi (PT_MIPS_ABIFLAGS)
  uint32_t min_vaddr() const;          // page-aligned lowest load address
  uint32_t max_vaddr() const;          // end of the highest segment in memory
};

// Validates `file` (the whole file's bytes) as an ELF32 MIPS o32 executable that
// mipsrun can run. The error message is the reason alone ("not an ELF file").
absl::StatusOr<ElfInfo> ParseElf(std::span<const uint8_t> file);

}  // namespace mipsrun

#endif  // MIPSRUN_LOADER_ELF_FILE_H_
