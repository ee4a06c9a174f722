// Loading a guest program: reading and validating its ELF file (and its PT_INTERP
// interpreter), mapping the segments into guest memory, and building the initial stack
// the way the MIPS Linux kernel does (fs/binfmt_elf.c create_elf_tables).
#ifndef MIPSRUN_LOADER_LOADER_H_
#define MIPSRUN_LOADER_LOADER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loader/elf_file.h"
#include "runtime/guest_memory.h"

namespace mipsrun {

// Top of the initial stack and its size (RLIMIT_STACK's usual 8 MiB, mapped up front).
inline constexpr uint32_t kStackTop = 0x7fff0000u;
inline constexpr uint32_t kStackSize = 8u << 20;
// Where an ET_DYN main program goes: the kernel's ELF_ET_DYN_BASE (TASK_SIZE / 3 * 2)
// rounded down to 64 KiB.
inline constexpr uint32_t kEtDynBase = 0x55550000u;

struct ElfImage {
  std::string path;
  std::vector<uint8_t> bytes;
  ElfInfo info;
};

// Reads and validates `path`. Errors read "PATH: reason".
absl::StatusOr<ElfImage> ReadElfImage(const std::string& path);

struct LoadRequest {
  std::vector<std::string> argv;  // argv[0] as the guest should see it
  std::vector<std::string> envp;
  std::string execfn;             // AT_EXECFN: the program path as given
  std::string sysroot;            // -L: where PT_INTERP paths are looked up first
};

struct LoadedProgram {
  uint32_t entry = 0;     // first pc: the interpreter's entry when there is one
  uint32_t sp = 0;        // initial $sp, pointing at argc
  uint32_t load_bias = 0; // ET_DYN main program bias
  uint32_t interp_base = 0;
  bool fr = false;        // FPU register mode from .MIPS.abiflags
  bool nan2008 = false;   // EF_MIPS_NAN2008: IEEE 754-2008 NaN encoding and abs/neg
};

// Maps `main` (and its interpreter) into `mem`, which must be empty and of the
// program's byte order, and builds the stack. Sets mem's brk.
absl::StatusOr<LoadedProgram> LoadProgram(const ElfImage& main, const LoadRequest& req,
                                          GuestMemory& mem);

}  // namespace mipsrun

#endif  // MIPSRUN_LOADER_LOADER_H_
