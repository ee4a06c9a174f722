// Loading a guest program: reading and validating its ELF file (and its PT_INTERP
// interpreter), mapping the segments into guest memory, and building the initial stack
// the way the MIPS Linux kernel does (fs/binfmt_elf.c create_elf_tables).
#ifndef MIPSRUN_LOADER_LOADER_H_
#define MIPSRUN_LOADER_LOADER_H_

#include <cstdint>
#include <span>
#include <string>
#include <utility>
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

// An opened, validated ELF file: its bytes are a read-only mapping of the file, and
// the loader maps the segments from the file itself, as the kernel does, so that
// start-up copies nothing and touches only the pages the guest uses. It holds the file
// open: drop it once the program is loaded, before the guest runs.
class ElfImage {
 public:
  ElfImage() = default;
  ElfImage(ElfImage&& other) noexcept { *this = std::move(other); }
  ElfImage& operator=(ElfImage&& other) noexcept;
  ~ElfImage();

  std::string path;
  ElfInfo info;
  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  int fd() const { return fd_; }

 private:
  friend absl::StatusOr<ElfImage> ReadElfImage(const std::string& path);
  int fd_ = -1;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Opens and validates `path`. Errors read "PATH: reason".
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
