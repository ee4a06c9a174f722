// The o32 syscall table and the path every guest syscall takes through it.
#include <climits>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/mips_abi.h"
#include "syscalls/signal_syscalls.h"
#include "syscalls/strace.h"
#include "syscalls/syscall.h"

namespace mipsrun {
namespace {

constexpr uint32_t kTableSize = 512;

struct Table {
  std::string_view names[kTableSize] = {};
  const SyscallDef* defs[kTableSize] = {};
  Table() {
#define O32_SYSCALL(name, n) names[n] = #name;
#include "syscalls/o32_syscall_numbers.inc"
#undef O32_SYSCALL
    for (auto domain :
         {FdSyscalls(), PollSyscalls(), EventfdSyscalls(), FsSyscalls(), FileAttrSyscalls(),
          MmSyscalls(), ProcessSyscalls(), ChildSyscalls(), ExecSyscalls(), SocketSyscalls(), SocketMsgSyscalls(), SysvShmSyscalls(), CredentialSyscalls(), TimeSyscalls(), TimerSyscalls(), SignalSyscalls(),
          SignalWaitSyscalls(), SignalfdSyscalls(), ThreadSyscalls()}) {
      for (const SyscallDef& def : domain) defs[def.nr] = &def;
    }
  }
};

const Table& GetTable() {
  static const Table table;
  return table;
}

// Loads the arguments of syscall `nr` from a0-a3 and the guest stack. The indirect
// syscall(2) (number 4000) shifts everything by one.
bool LoadArgs(SyscallContext& ctx) {
  const CpuState& cpu = ctx.cpu;
  uint32_t regs[8] = {cpu.gpr[4], cpu.gpr[5], cpu.gpr[6], cpu.gpr[7]};
  uint32_t sp = cpu.gpr[29];
  bool stack_ok = GuestMemory::AccessOk(sp + 16, 16) && ctx.mem.IsReadable(sp + 16) &&
                  ctx.mem.IsReadable(sp + 31);
  for (int i = 4; i < 8; ++i) regs[i] = stack_ok ? ctx.mem.Read32(sp + 16 + 4 * (i - 4)) : 0;
  int shift = ctx.nr == kNr_syscall ? 1 : 0;
  if (shift) ctx.nr = regs[0] - kMipsSyscallBase;
  for (int i = 0; i + shift < 8; ++i) ctx.a[i] = regs[i + shift];
  return stack_ok;
}

}  // namespace

std::string_view SyscallName(uint32_t nr) {
  return nr < kTableSize ? GetTable().names[nr] : std::string_view();
}

bool SyscallContext::Path(uint32_t addr, std::string* out, int64_t* err) const {
  if (addr == 0 || !mem.ReadString(addr, out, PATH_MAX)) {
    *err = out->size() >= PATH_MAX - 1 ? -HostToMipsErrno(ENAMETOOLONG) : -kMipsEfault;
    return false;
  }
  return true;
}

std::optional<int> HandleSyscall(CpuState& cpu, Process& proc) {
  SyscallContext ctx(cpu, proc);
  const uint32_t v0 = cpu.gpr[2], a3 = cpu.gpr[7];
  ctx.nr = cpu.gpr[2] - kMipsSyscallBase;
  LoadArgs(ctx);
  cpu.ll_valid = false;  // every kernel entry clears LLbit
  cpu.pc += 4;

  const SyscallDef* def = ctx.nr < kTableSize ? GetTable().defs[ctx.nr] : nullptr;
  if (proc.strace && def && (ctx.nr == kNr_exit || ctx.nr == kNr_exit_group)) {
    StraceCall(ctx, *def, 0);  // these do not return
  }
  int64_t result;
  if (def) {
    result = def->fn(ctx);
  } else {
    result = -kMipsEnosys;
    ctx.note = "not implemented by mipsrun";
  }
  if (ctx.exit_status) return ctx.exit_status;
  if (ctx.registers_restored) {
    if (proc.strace) StraceEvent(proc, absl::StrFormat("%s() = ? <returns to 0x%x>", SyscallName(ctx.nr), cpu.pc));
    return std::nullopt;
  }
  if (result == -kMipsEintr && def) {
    // A host signal interrupted it: runtime/signals.cc restarts it or lets EINTR stand.
    SignalState& sig = proc.signals;
    sig.interrupted = def->restart_after_handler ? SignalState::Interrupted::kRestartSys
                                                 : SignalState::Interrupted::kRestartNoHandler;
    sig.interrupted_v0 = v0;
    sig.interrupted_a3 = a3;
  }

  if (result < 0 && result > -4096) {
    cpu.gpr[2] = static_cast<uint32_t>(-result);
    cpu.gpr[7] = 1;
  } else {
    cpu.gpr[2] = static_cast<uint32_t>(result);
    cpu.gpr[7] = 0;
    if (ctx.v1) cpu.gpr[3] = *ctx.v1;
  }
  if (proc.strace) {
    if (def) {
      StraceCall(ctx, *def, result);
    } else {
      StraceUnknown(ctx, result);
    }
  }
  return std::nullopt;
}

}  // namespace mipsrun
