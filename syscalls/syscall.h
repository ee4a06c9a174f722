// The o32 syscall layer: how a guest `syscall` becomes host calls.
//
// Convention (arch/mips/kernel/scall32-o32.S): v0 holds the number (4000 + n), a0-a3
// the first four arguments and the guest stack at sp+16..sp+28 the next four. On
// return v0 holds the result and a3 is 0, or v0 holds a positive MIPS errno and a3 is 1.
// Handlers return the result, or a negative *MIPS* errno.
#ifndef MIPSRUN_SYSCALLS_SYSCALL_H_
#define MIPSRUN_SYSCALLS_SYSCALL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/cpu_state.h"
#include "runtime/guest_memory.h"
#include "runtime/process.h"

namespace mipsrun {

// Syscall numbers relative to __NR_Linux, named as in asm/unistd_o32.h.
enum O32Syscall : uint32_t {
#define O32_SYSCALL(name, n) kNr_##name = n,
#include "syscalls/o32_syscall_numbers.inc"
#undef O32_SYSCALL
};

struct SyscallContext {
  SyscallContext(CpuState& c, Process& p) : cpu(c), proc(p), mem(*p.mem) {}
  CpuState& cpu;
  Process& proc;
  GuestMemory& mem;
  uint32_t nr = 0;            // relative to kMipsSyscallBase
  uint32_t a[8] = {};         // arguments; 5..8 come from the guest stack
  std::optional<int> exit_status;  // set by exit/exit_group
  std::optional<uint32_t> v1;      // a second result register (pipe)
  std::string note;                // extra words for --strace, e.g. "not implemented"
  // sigreturn: the registers (v0 and a3 too) and pc are the frame's, not a result.
  bool registers_restored = false;

  // A 64-bit argument passed in an aligned pair of argument slots, first at `i`.
  uint64_t Arg64(int i) const {
    return mem.big_endian() ? (uint64_t{a[i]} << 32) | a[i + 1]
                            : (uint64_t{a[i + 1]} << 32) | a[i];
  }
  // Host pointer for a guest buffer, or nullptr when the range is not user memory
  // (the handler then returns EFAULT). A null guest pointer maps to nullptr too.
  void* Ptr(uint32_t addr, uint64_t len) const {
    if (addr == 0 || !GuestMemory::AccessOk(addr, len)) return nullptr;
    return mem.Host(addr);
  }
  // Reads a guest path (NUL-terminated, at most PATH_MAX); false means EFAULT or
  // ENAMETOOLONG, already stored in *err as a negative MIPS errno.
  bool Path(uint32_t addr, std::string* out, int64_t* err) const;
};

using SyscallFn = int64_t (*)(SyscallContext&);

// One implemented syscall. `args` drives --strace, a letter per argument:
//   d signed  u unsigned  x hex  p pointer  s string  f fd  o octal mode
//   b buffer whose length is the next argument (printed after the call)
// `ret` is the result's letter: d, x (addresses), or f.
// When a host signal interrupts the call (EINTR), it starts again after a handler with
// SA_RESTART or when no handler runs (the kernel's ERESTARTSYS); the sleeps and waits
// that say `restart_after_handler = false` fail with EINTR once a handler ran
// (ERESTARTNOHAND).
struct SyscallDef {
  uint32_t nr;
  SyscallFn fn;
  std::string_view args;
  char ret = 'd';
  bool restart_after_handler = true;
};

// Runs the syscall the guest is stopped at (cpu.pc is the syscall instruction) and
// moves pc past it. Returns the exit status when the guest called exit/exit_group.
std::optional<int> HandleSyscall(CpuState& cpu, Process& proc);

// The name from asm/unistd_o32.h, or "" for an unassigned number.
std::string_view SyscallName(uint32_t nr);

}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_SYSCALL_H_
