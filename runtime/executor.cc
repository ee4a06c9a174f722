#include "runtime/executor.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_format.h"
#include "frontend/block.h"
#include "frontend/decoder.h"
#include "frontend/disasm.h"
#include "runtime/guest_exception.h"
#include "runtime/translator_loader.h"
#include "syscalls/strace.h"
#include "syscalls/syscall.h"

namespace mipsrun {

namespace {

// The executor of this thread while it runs guest code; the fault handler's way back.
thread_local Executor* t_executor = nullptr;
thread_local bool t_in_guest = false;

void WriteStderr(const char* s) { [[maybe_unused]] ssize_t n = write(STDERR_FILENO, s, strlen(s)); }

}  // namespace

void OnHostFault(int signo, siginfo_t* info, void* /*ucontext*/) {
  Executor* ex = t_executor;
  if (ex && t_in_guest) {
    CpuState& cpu = ex->cpu();
    auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
    auto base = reinterpret_cast<uintptr_t>(cpu.mem);
    const Insn* insn = cpu.cur_mem_insn;
    if (insn && addr >= base && addr - base < (uint64_t{1} << 32) + 65536) {
      t_in_guest = false;
      cpu.exit = ExitReason::kMemoryFault;
      cpu.fault_addr = static_cast<uint32_t>(addr - base);
      cpu.in_delay_slot = insn->delay_slot;
      cpu.branch_pc = insn->pc - 4;
      cpu.pc = insn->delay_slot ? insn->pc - 4 : insn->pc;
      ex->fault_signo_ = signo;
      siglongjmp(ex->fault_jmp_, 1);
    }
  }
  // A fault of mipsrun itself, not of the guest: report it and crash for real.
  WriteStderr(signo == SIGBUS ? "mipsrun: internal error: SIGBUS\n"
                              : "mipsrun: internal error: SIGSEGV\n");
  signal(signo, SIG_DFL);
}

void Executor::InstallFaultHandler() {
  // The handler runs on its own stack so that a host stack overflow is reported too.
  static char alt_stack[64 * 1024];
  stack_t ss = {};
  ss.ss_sp = alt_stack;
  ss.ss_size = sizeof alt_stack;
  sigaltstack(&ss, nullptr);
  struct sigaction sa = {};
  sa.sa_sigaction = OnHostFault;
  // SA_NODEFER: the handler leaves by siglongjmp without restoring a mask.
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
}

Executor::~Executor() = default;

Executor::Executor(Process& proc, CpuState& cpu, bool jit_eager)
    : proc_(proc), cpu_(cpu), jit_eager_(jit_eager) {
  cpu_.mem = proc_.mem->base();
  proc_.invalidate_code = [this](uint32_t addr, uint32_t len) {
    if (cache_.Invalidate(addr, len)) cache_changed_ = true;
  };
}

Block* Executor::BlockAt(uint32_t pc) {
  if (Block* b = cache_.Find(pc)) return b;
  const GuestMemory& mem = *proc_.mem;
  auto fetch = [&mem](uint32_t addr, uint32_t* word) {
    if ((addr & 3) || addr >= kGuestUserTop || !mem.IsExecutable(addr)) return false;
    *word = mem.Read32(addr);
    return true;
  };
  ++blocks_built_;
  Block* block = cache_.Insert(BuildBlock(DiscoverBlock(pc, fetch), mem.big_endian()));
  if (jit_eager_ && block->code.size() >= 2) Translate(*block);
  return block;
}

void Executor::Translate(Block& block) {
  if (translator_failed_) return;
  if (!translator_) {
    std::string error;
    translator_ = LoadTranslator(&error);
    if (!translator_) {
      fprintf(stderr, "mipsrun: the translator is not available (%s); interpreting\n",
              error.c_str());
      translator_failed_ = true;
      return;
    }
  }
  // The instructions stay in the block's code array, which lives as long as the code.
  std::vector<const Insn*> insns;
  for (size_t i = 0; i + 1 < block.code.size(); ++i) insns.push_back(&block.code[i].insn);
  std::string error;
  NativeBlock native = translator_->Compile(insns, block.end, proc_.mem->big_endian(), &error);
  if (!native) {
    fprintf(stderr, "mipsrun: cannot translate the block at 0x%x: %s\n", block.start,
            error.c_str());
    return;
  }
  block.native = native;
}

int Executor::Run() {
  t_executor = this;
  if (sigsetjmp(fault_jmp_, 0) != 0) {
    // Back from OnHostFault: the guest faulted on a memory access.
    DieOfGuestSignal(fault_signo_);
  }
  return Loop();
}

// The block to run after `prev` at `pc`, through prev's successor links when they know
// it (the common case in loops), else through the cache.
inline Block* Executor::NextBlock(Block* prev, uint32_t pc) {
  Block* const* succ = prev->successor;
  if (succ[0]->start == pc) return succ[0];
  if (succ[1]->start == pc) return succ[1];
  Block* b = BlockAt(pc);
  if (cache_changed_) {  // building a block never drops one, but stay safe
    cache_changed_ = false;
    return b;
  }
  prev->successor[succ[0] == NoBlock() ? 0 : 1] = b;
  return b;
}

int Executor::Loop() {
  for (;;) {
    Block* b = BlockAt(cpu_.pc);
    cache_changed_ = false;
    t_in_guest = true;
    // Run blocks back to back until one leaves for the runtime.
    for (;;) {
      ++b->exec_count;
      cpu_.chain_budget = kChainBudget;
      if (RunBlock(cpu_, *b)) break;
      b = NextBlock(static_cast<Block*>(cpu_.cur_block), cpu_.pc);
    }
    t_in_guest = false;
    switch (cpu_.exit) {
      case ExitReason::kSyscall:
        if (std::optional<int> status = HandleSyscall(cpu_, proc_)) return *status;
        break;
      case ExitReason::kSynci:
        proc_.invalidate_code(cpu_.fault_addr & ~31u, 32);
        break;
      default:
        DieOfGuestSignal(0);
    }
    cpu_.exit = ExitReason::kNone;
  }
}

std::string Executor::Stats() const {
  // Instructions are counted per block run, so a block left early (a syscall, a
  // fault) counts in full: an estimate good to a fraction of a percent.
  uint64_t insns = 0, runs = 0;
  cache_.ForEach([&](const Block& b) {
    insns += b.exec_count * (b.code.size() - 1);
    runs += b.exec_count;
  });
  std::string out = absl::StrFormat(
      "mipsrun: blocks decoded %u (live %u), block runs %u, guest instructions ~%u\n",
      blocks_built_, cache_.size(), runs, insns);
  if (translator_) {
    absl::StrAppendFormat(&out, "mipsrun: blocks translated %u, compile time %.3f s\n",
                          translator_->blocks_compiled(), translator_->compile_seconds());
  }
  return out;
}

void Executor::DieOfGuestSignal(int host_fault_signo) {
  bool mapped = proc_.mem->IsMapped(cpu_.fault_addr);
  GuestSignal sig = SignalForExit(cpu_, host_fault_signo, mapped);
  if (proc_.strace) {
    // The kernel reports a delay-slot fault at the branch (EPC, with Cause.BD); name
    // the instruction that faulted too.
    auto text = [&](uint32_t pc) {
      return proc_.mem->IsExecutable(pc) ? Disassemble(Decode(proc_.mem->Read32(pc), pc))
                                         : std::string("(not readable)");
    };
    std::string where = absl::StrFormat("pc=0x%08x: %s", cpu_.pc, text(cpu_.pc));
    if (cpu_.in_delay_slot) {
      where += absl::StrFormat(" (delay slot 0x%08x: %s)", cpu_.pc + 4, text(cpu_.pc + 4));
    }
    StraceEvent(proc_, absl::StrFormat("--- %s {%s} %s ---", sig.name, sig.detail, where));
    StraceEvent(proc_, absl::StrFormat("+++ killed by %s +++", sig.name));
  }
  // Die of the same signal so that the parent sees the same wait status.
  proc_.DieOfSignal(sig.host_signo);
}

}  // namespace mipsrun
