#include "runtime/executor.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <x86intrin.h>

#include "absl/strings/str_format.h"
#include "frontend/block.h"
#include "frontend/decoder.h"
#include "frontend/disasm.h"
#include "frontend/fpu.h"
#include "runtime/guest_exception.h"
#include "runtime/guest_threads.h"
#include "runtime/lazy_fpu.h"
#include "runtime/regions.h"
#include "runtime/signals.h"
#include "syscalls/strace.h"
#include "syscalls/syscall.h"

namespace mipsrun {

namespace {

// The guest thread that this host thread runs, while it runs guest code; the fault
// handler's way back.
thread_local CpuState* t_cpu = nullptr;
thread_local bool t_in_guest = false;
thread_local bool t_in_native = false;  // translated code runs (runtime/lazy_fpu.h)
thread_local sigjmp_buf t_fault_jmp;
thread_local int t_fault_signo = 0;
// Dispatcher rounds left that must not run translated code (kRecoveryRounds), and the
// FCSR flags the faulting code had gathered (runtime/lazy_fpu.h, FaultFcsrFlags).
thread_local uint64_t t_recovering = 0;
thread_local uint32_t t_fault_fp_flags = 0;
constexpr int kJumpFault = 1;      // the interpreter faulted: cpu.exit says where
constexpr int kJumpRecover = 2;    // translated code faulted: interpret from cpu.pc

void WriteStderr(const char* s) { [[maybe_unused]] ssize_t n = write(STDERR_FILENO, s, strlen(s)); }

}  // namespace

bool IsGuestAddress(const CpuState& cpu, uintptr_t host_addr) {
  auto base = reinterpret_cast<uintptr_t>(cpu.mem);
  return host_addr >= base && host_addr - base < (uint64_t{1} << 32) + 65536;
}

bool CaptureGuestFault(CpuState& cpu, uintptr_t host_addr) {
  const Insn* insn = cpu.cur_mem_insn;
  if (!insn || !IsGuestAddress(cpu, host_addr)) return false;
  cpu.exit = ExitReason::kMemoryFault;
  cpu.fault_addr = static_cast<uint32_t>(host_addr - reinterpret_cast<uintptr_t>(cpu.mem));
  cpu.in_delay_slot = insn->delay_slot;
  cpu.branch_pc = insn->pc - 4;
  cpu.pc = insn->delay_slot ? insn->pc - 4 : insn->pc;
  return true;
}

void OnHostFault(int signo, siginfo_t* info, void* ucontext) {
  if (info->si_code <= 0) {
    // Sent by kill or sigqueue, not a fault: a guest signal like any other.
    NoteHostSignal(signo, info);
    return;
  }
  auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  if (t_cpu && t_in_guest && t_in_native && IsGuestAddress(*t_cpu, addr)) {
    t_fault_fp_flags = FaultFcsrFlags(ucontext);
    t_in_guest = false;
    t_in_native = false;
    siglongjmp(t_fault_jmp, kJumpRecover);
  }
  if (t_cpu && t_in_guest && !t_in_native && CaptureGuestFault(*t_cpu, addr)) {
    t_fault_fp_flags = FaultFcsrFlags(ucontext);
    t_in_guest = false;
    t_fault_signo = signo;
    siglongjmp(t_fault_jmp, kJumpFault);
  }
  // A fault of mipsrun itself, not of the guest: report it and crash for real.
  WriteStderr(signo == SIGBUS ? "mipsrun: internal error: SIGBUS\n"
                              : "mipsrun: internal error: SIGSEGV\n");
  signal(signo, SIG_DFL);
}

// The fault handler runs on a stack of its own on each thread, so that a host stack
// overflow is reported too. Mapped, not a thread_local array: static TLS is zeroed
// when a thread starts, and the main thread's 64 KiB cost every run 16 page faults.
// A guest thread's stays mapped when it ends, as its own stack does.
static void InstallFaultStack() {
  constexpr size_t kSize = 64 * 1024;
  static thread_local void* alt_stack = nullptr;
  if (!alt_stack) {
    void* p = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;  // faults are then handled on the thread's own stack
    alt_stack = p;
  }
  stack_t ss = {};
  ss.ss_sp = alt_stack;
  ss.ss_size = kSize;
  sigaltstack(&ss, nullptr);
}

void Executor::InstallFaultHandler() {
  struct sigaction sa = {};
  sa.sa_sigaction = OnHostFault;
  // SA_NODEFER: the handler leaves by siglongjmp without restoring a mask.
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
}

Executor::~Executor() {
  // A compile thread is never stopped (runtime/tier2.h): leave it what it uses.
  if (tier2_ && tier2_->has_worker()) (void)tier2_.release();
}

Executor::Executor(Process& proc, CpuState& cpu, JitMode jit, uint64_t threshold,
                   const std::string& code_cache)
    : proc_(proc), main_cpu_(cpu), jit_(jit) {
  cpu.mem = proc_.mem->base();
  if (jit_ != JitMode::kOff) {
    tier2_ = std::make_unique<Tier2>(
        proc_.mem->big_endian(), jit_ == JitMode::kTiered, kCompileDelay,
        code_cache.empty() ? nullptr : std::make_unique<CodeCache>(code_cache));
    cpu.jump_cache = tier2_->jump_cache();
    if (jit_ != JitMode::kEager) cpu.hot_threshold = threshold;
  }
  proc_.run_thread = [this](CpuState& c) { return RunThread(c); };
  proc_.invalidate_code = [this](uint32_t addr, uint32_t len) { Invalidate(addr, len); };
  proc_.on_fork = [this](ForkStage stage) {
    if (!tier2_) return;
    if (stage == ForkStage::kBefore) {
      tier2_->BeforeFork();
    } else {
      tier2_->AfterFork(stage == ForkStage::kChild);
    }
  };
}

void Executor::EnableTiming() {
  timing_ = true;
  start_cycles_ = __rdtsc();
}

void Executor::Invalidate(uint32_t addr, uint32_t len) {
  if (!cache_.Invalidate(addr, len)) return;
  cache_changed_ = true;
  if (!tier2_) return;
  // Regions whose entry block survived (another of their blocks changed) lose their
  // code; their blocks may be translated again when they get hot again.
  tier2_->Invalidate(addr, len, [this](uint32_t pc, NativeCode code) {
    Block* b = cache_.Find(pc);
    if (b && b->native == code) {
      b->native = nullptr;
      b->pending = false;
      RestartCount(*b);
    }
  });
}

Block* Executor::BlockAt(uint32_t pc, bool fr) {
  if (Block* b = cache_.Find(pc)) return b;
  const GuestMemory& mem = *proc_.mem;
  auto fetch = [&mem](uint32_t addr, uint32_t* word) {
    if ((addr & 3) || addr >= kGuestUserTop || !mem.IsExecutable(addr)) return false;
    *word = mem.Read32(addr);
    return true;
  };
  ++blocks_built_;
  Block* block = cache_.Insert(BuildBlock(DiscoverBlock(pc, fetch), mem.big_endian()));
  if (jit_ == JitMode::kEager && block->translatable()) TranslateNow(*block, fr);
  return block;
}

void Executor::TranslateNow(Block& block, bool fr) {
  Tier2& t = *tier2_;
  if (t.failed()) return;
  block.native = t.CompileNow(SingleBlockRegion(block, proc_.mem->big_endian(),
                                                fr, [&t](uint32_t pc) { return t.CellFor(pc); }));
}

// The block reached the threshold: it and the hot blocks it leads to go to the compile
// thread. They stay interpreted (and are not made heads of other regions) until the
// code comes back.
void Executor::MakeHot(Block& head, bool fr) {
  if (head.pending) return;
  head.pending = true;  // also when it cannot be translated: then it stays so
  if (!head.translatable() || tier2_->failed()) return;
  bool from_cache = false;
  std::unique_ptr<RegionSpec> region = FormRegionAt(head, fr, kMaxRegionBlocks, &from_cache);
  if (jit_ == JitMode::kSync) {
    CompileNowAndAdopt(std::move(region));
    return;
  }
  for (const RegionBlock& rb : region->blocks) cache_.Find(rb.start)->pending = true;
  tier2_->Submit(std::move(region), from_cache);
}

// A region that the code cache holds for this head, if one of them still matches the
// guest's code (blocks decoded as then, with the same instructions), takes the place
// of forming one from this run's counts: its code is then linked, not compiled, and
// the region is the same from run to run.
std::unique_ptr<RegionSpec> Executor::FromCodeCache(const Block& head, bool fr) {
  CodeCache* code_cache = tier2_->code_cache();
  if (!code_cache) return nullptr;
  bool big = proc_.mem->big_endian();
  for (const CachedRegion& cached : code_cache->RegionsAt(head.start, big, fr)) {
    auto region = std::make_unique<RegionSpec>();
    region->big_endian = big;
    region->fr = fr;
    region->inline_fp_slow_paths = cached.inline_fp_slow_paths;
    bool same = true;
    for (const CachedRegion::Block& cb : cached.blocks) {
      // Only code that is there now is decoded: a block cached for memory that is not
      // mapped (yet) would stay when it is, by an mmap that drops no blocks.
      bool mapped = cb.start < cb.end && cb.end <= kGuestUserTop;
      for (uint32_t page = cb.start & ~(kGuestPageSize - 1); mapped && page < cb.end;
           page += kGuestPageSize) {
        mapped = proc_.mem->IsExecutable(page);
      }
      if (!mapped) {
        same = false;
        break;
      }
      const Block* b = BlockAt(cb.start, fr);
      if (!b->translatable() || b->end != cb.end || b->insn_count() != cb.words.size()) {
        same = false;
        break;
      }
      RegionBlock rb;
      rb.start = cb.start;
      rb.end = cb.end;
      rb.entry = cb.entry;
      for (size_t i = 0; i < cb.words.size(); ++i) {
        const Insn& insn = b->code[i].insn;
        same &= insn.raw == cb.words[i] && insn.delay_slot == cb.delay_slot[i];
        rb.insns.push_back(insn);
      }
      if (!same) break;
      region->blocks.push_back(std::move(rb));
    }
    if (!same) continue;
    for (auto [pc, has_cell] : cached.exits) {
      region->exits.push_back(RegionExit{pc, has_cell ? tier2_->CellFor(pc) : nullptr});
    }
    return region;
  }
  return nullptr;
}

std::unique_ptr<RegionSpec> Executor::FormRegionAt(const Block& head, bool fr, size_t max_blocks,
                                                   bool* from_cache) {
  Tier2& t = *tier2_;
  std::unique_ptr<RegionSpec> region = FromCodeCache(head, fr);
  if (from_cache) *from_cache = region != nullptr;
  if (!region) {
    region = FormRegion(cache_, head, proc_.mem->big_endian(), fr, max_blocks,
                        [&t](uint32_t pc) { return t.CellFor(pc); });
  }
  static const bool debug = getenv("MIPSRUN_DEBUG_REGIONS") != nullptr;
  if (debug) {
    std::string line = absl::StrFormat("region at 0x%x (runs %u):", head.start, head.exec_count);
    for (const RegionBlock& rb : region->blocks) {
      absl::StrAppendFormat(&line, " %x%s", rb.start, rb.entry ? "" : "(inner)");
    }
    fprintf(stderr, "%s\n", line.c_str());
  }
  return region;
}

// Start-up is over (runtime/tier2.h, kCompileDelay): the regions that wait for the
// compile thread were formed when their heads first got hot, from counts too young to
// tell which paths the code takes. A region whose head has not run again as often as it
// took to get hot is start-up code that has gone cold: it is not compiled, and its
// blocks may get hot again later. The others are formed again from the counts of now,
// hottest head first and larger: blocks that a hotter one takes in do not head their own.
void Executor::ReviseStartUpRegions(const CpuState& cpu) {
  const uint64_t threshold = cpu.hot_threshold;
  tier2_->ReviseWaitingJobs([&](std::vector<std::unique_ptr<RegionSpec>>& regions) {
    std::vector<Block*> heads;
    size_t cold = 0;
    for (const std::unique_ptr<RegionSpec>& region : regions) {
      for (const RegionBlock& rb : region->blocks) {
        if (Block* b = cache_.Find(rb.start)) b->pending = false;
      }
      Block* head = cache_.Find(region->blocks[0].start);
      if (head && head->exec_count >= 2 * threshold) {
        heads.push_back(head);
        continue;
      }
      ++cold;
      for (const RegionBlock& rb : region->blocks) {
        if (Block* b = cache_.Find(rb.start)) RestartCount(*b);
      }
    }
    std::stable_sort(heads.begin(), heads.end(),
                     [](const Block* a, const Block* b) { return a->exec_count > b->exec_count; });
    regions.clear();
    for (Block* head : heads) {
      if (head->pending) continue;  // in a hotter one's region
      head->pending = true;
      regions.push_back(FormRegionAt(*head, cpu.fr, kMaxRevisedRegionBlocks));
      for (const RegionBlock& rb : regions.back()->blocks) cache_.Find(rb.start)->pending = true;
    }
    return cold;
  });
}

// Counting a block's runs afresh; --stats still counts the runs so far.
void Executor::RestartCount(Block& b) {
  retired_runs_ += b.exec_count;
  retired_insns_ += b.exec_count * b.insn_count();
  b.exec_count = 0;
}

void Executor::PublishTranslations() {
  tier2_->Publish([this](const RegionSpec& region, NativeCode code) {
    static const bool debug = getenv("MIPSRUN_DEBUG_REGIONS") != nullptr;
    if (debug) {
      fprintf(stderr, "region at 0x%x: code at %p\n", region.blocks[0].start,
              reinterpret_cast<void*>(code));
    }
    for (const RegionBlock& rb : region.blocks) {
      if (Block* b = cache_.Find(rb.start)) {
        b->pending = false;
        Adopt(b, rb.entry ? code : nullptr, region.replaces);
      }
    }
  });
}

// `code` (null if it failed, or if `b` is not one of its entries) was compiled for a
// region that `b` belongs to: b runs it from now on unless it already has code
// (heading a region of its own) other than `replaces`; its count starts afresh.
void Executor::Adopt(Block* b, NativeCode code, NativeCode replaces) {
  if (!b) return;
  RestartCount(*b);
  if (code && (!b->native || (replaces && b->native == replaces))) {
    b->native = code;
    b->runs_again = 0;
  }
}

// The code entered at `b` keeps handing guest instructions back to the interpreter
// (kRecompileAfterRunsAgain): its region is compiled again with FPU slow paths inline.
// Meanwhile the old code runs on.
void Executor::CompileAgain(const Block& b) {
  std::unique_ptr<RegionSpec> region = tier2_->ForRecompile(b.native);
  if (!region) return;
  if (jit_ == JitMode::kTiered) {
    tier2_->Submit(std::move(region));
  } else {
    CompileNowAndAdopt(std::move(region));
  }
}

// Compiles `region` on this thread, and its blocks adopt the code (--jit=sync, and
// compiling again under --jit=eager).
void Executor::CompileNowAndAdopt(std::unique_ptr<RegionSpec> region) {
  std::vector<std::pair<uint32_t, bool>> blocks;
  for (const RegionBlock& rb : region->blocks) blocks.emplace_back(rb.start, rb.entry);
  NativeCode replaces = region->replaces;
  NativeCode code = tier2_->CompileNow(std::move(region));
  for (auto [start, entry] : blocks) Adopt(cache_.Find(start), entry ? code : nullptr, replaces);
}

int Executor::Run() { return RunThread(main_cpu_); }

// The interpreter has run the guest past the point where translated code faulted.
void Executor::EndRecovery() { t_recovering = 0; }

int Executor::RunThread(CpuState& cpu) {
  t_cpu = &cpu;
  cpu.block_lookup = cache_.lookup_table();
  InstallFaultStack();
  switch (sigsetjmp(t_fault_jmp, 0)) {
    case kJumpFault:  // back from OnHostFault: the guest faulted on a memory access
      cpu.fcsr |= t_fault_fp_flags;
      t_fault_fp_flags = 0;
      SettleFpu(cpu);
      EndRecovery();
      RaiseGuestException(cpu, t_fault_signo);
      break;
    case kJumpRecover:
      SettleFpu(cpu);
      cpu.fcsr |= t_fault_fp_flags;
      t_fault_fp_flags = 0;
      t_recovering = kRecoveryRounds;
      break;
  }
  return Loop(cpu);
}

// Guest code came back for CpuState::interrupt: translations are ready, host signals
// arrived, or another guest thread waits to run. At a block boundary the guest state is
// consistent.
void Executor::HandleInterrupt(CpuState& cpu) {
  __atomic_store_n(&cpu.interrupt, 0, __ATOMIC_RELAXED);
  if (proc_.threads && proc_.threads->YieldIfAsked()) cache_changed_ = true;
  if (tier2_) {
    if (tier2_->cold_check_due()) ReviseStartUpRegions(cpu);
    PublishTranslations();
    // The guest instructions the interpreter has run in each waiting region's blocks.
    tier2_->Prioritize([this](const RegionSpec& region) {
      uint64_t heat = 0;
      for (const RegionBlock& rb : region.blocks) {
        if (const Block* b = cache_.Find(rb.start)) heat += b->exec_count * b->insn_count();
      }
      return heat;
    });
  }
  if (SignalWorkPending(proc_)) DeliverSignals(cpu, proc_);
}

// The block to run after `prev` at `pc`, through prev's successor links when they know
// it (the common case in loops), else through the cache. Translated code has no `prev`.
inline Block* Executor::NextBlock(Block* prev, uint32_t pc, bool fr) {
  if (!prev) return BlockAt(pc, fr);
  Block** succ = prev->successors();
  if (succ[0]->start == pc) return succ[0];
  if (succ[1]->start == pc) return succ[1];
  Block* b = BlockAt(pc, fr);
  if (cache_changed_) {  // building a block never drops one, but stay safe
    cache_changed_ = false;
    return b;
  }
  succ[succ[0] == NoBlock() ? 0 : 1] = b;
  return b;
}

int Executor::Loop(CpuState& cpu) {
  for (;;) {
    Block* b = BlockAt(cpu.pc, cpu.fr);
    cache_changed_ = false;
    t_in_guest = true;
    // Run blocks back to back until one leaves for the runtime.
    for (;;) {
      if (__atomic_load_n(&cpu.interrupt, __ATOMIC_ACQUIRE)) {
        uint32_t pc = cpu.pc;
        HandleInterrupt(cpu);
        if (cpu.pc != pc || cache_changed_) {
          cache_changed_ = false;
          b = BlockAt(cpu.pc, cpu.fr);  // a handler runs now
        }
      }
      if (!b->native && ++b->exec_count >= cpu.hot_threshold && !b->pending) MakeHot(*b, cpu.fr);
      bool left;
      uint64_t t0 = timing_ ? __rdtsc() : 0;
      NativeCode code = b->native;
      if (t_recovering) {
        if (--t_recovering == 0) EndRecovery();
        code = nullptr;
      }
      if (code) {
        // Later indirect jumps to here find the code without the dispatcher.
        cpu.jump_cache[JumpCacheIndex(b->start)] = JumpCacheEntry{b->start, code};
        cpu.cur_block = nullptr;
        ClearHostFpFlags();
        t_in_native = true;
        uint32_t how = code(&cpu);
        t_in_native = false;
        // First, while MXCSR's flags are still the guest's: compiling again below runs
        // LLVM on this thread under --jit=eager and sync, and its own arithmetic raises
        // flags.
        SettleFpu(cpu);
        if (how == kRunAgain) {
          // An instruction raises an exception, or an FPU operation needs fpu.cc: the
          // interpreter runs the guest again from cpu.pc, as after a fault (RunThread),
          // and that instruction with it.
          t_recovering = kRecoveryRounds;
          if (++b->runs_again == kRecompileAfterRunsAgain) CompileAgain(*b);
        }
        left = how == kExited;
        if (timing_) {
          native_cycles_ += __rdtsc() - t0;
          ++native_entries_;
        }
      } else {
        cpu.chain_budget = kChainBudget;
        left = RunBlock(cpu, *b);
        if (timing_) interp_cycles_ += __rdtsc() - t0;
      }
      if (left) break;
      b = NextBlock(static_cast<Block*>(cpu.cur_block), cpu.pc, cpu.fr);
    }
    t_in_guest = false;
    EndRecovery();  // an exit: the access that faulted is behind
    switch (cpu.exit) {
      case ExitReason::kSyscall:
        if (std::optional<int> status = HandleSyscall(cpu, proc_)) return *status;
        if (SignalWorkPending(proc_)) DeliverSignals(cpu, proc_);
        break;
      case ExitReason::kSynci:
        proc_.invalidate_code(cpu.fault_addr & ~31u, 32);
        break;
      default:
        RaiseGuestException(cpu, 0);
    }
    cpu.exit = ExitReason::kNone;
  }
}

std::string Executor::Stats() const {
  // Instructions are counted per interpreted block run, so a block left early (a
  // syscall, a fault) counts in full: an estimate good to a fraction of a percent.
  uint64_t insns = retired_insns_, runs = retired_runs_;
  cache_.ForEach([&](const Block& b) {
    insns += b.exec_count * b.insn_count();
    runs += b.exec_count;
  });
  std::string out = absl::StrFormat(
      "mipsrun: blocks decoded %u (live %u), interpreted block runs %u, "
      "interpreted guest instructions ~%u\n",
      blocks_built_, cache_.size(), runs, insns);
  if (tier2_) {
    absl::StrAppendFormat(&out, "mipsrun: regions submitted %u; entries into translated code %u\n",
                          tier2_->regions_submitted(), native_entries_);
    out += tier2_->Stats();
  }
  static const bool debug = getenv("MIPSRUN_DEBUG_REGIONS") != nullptr;
  if (debug) {
    // For whoever tunes region formation: the blocks the interpreter still runs most.
    std::vector<const Block*> top;
    cache_.ForEach([&](const Block& b) { top.push_back(&b); });
    size_t n = std::min<size_t>(top.size(), 10);
    std::partial_sort(top.begin(), top.begin() + n, top.end(),
                      [](const Block* a, const Block* b) { return a->exec_count > b->exec_count; });
    for (size_t i = 0; i < n && top[i]->exec_count > 0; ++i) {
      absl::StrAppendFormat(&out, "mipsrun: interpreted 0x%x %u times%s%s\n", top[i]->start,
                            top[i]->exec_count, top[i]->native ? " (has code)" : "",
                            top[i]->pending ? " (pending)" : "");
    }
  }
  if (timing_) {
    double total = static_cast<double>(__rdtsc() - start_cycles_);
    auto pct = [total](uint64_t c) { return total > 0 ? 100.0 * c / total : 0.0; };
    absl::StrAppendFormat(&out,
                          "mipsrun: time: interpreter %.1f%%, translated code %.1f%%, "
                          "runtime and syscalls %.1f%%\n",
                          pct(interp_cycles_), pct(native_cycles_),
                          100.0 - pct(interp_cycles_) - pct(native_cycles_));
  }
  return out;
}

// A guest instruction raised an exception or faulted (cpu.exit says how; cpu.pc is the
// instruction, or the branch when it was in a delay slot): its signal is forced on the
// guest, whose handler then runs, or which dies of it.
void Executor::RaiseGuestException(CpuState& cpu, int host_fault_signo) {
  bool mapped = proc_.mem->IsMapped(cpu.fault_addr);
  GuestSignal sig = SignalForExit(cpu, host_fault_signo, mapped);
  if (proc_.strace) {
    // The kernel reports a delay-slot fault at the branch (EPC, with Cause.BD); name
    // the instruction that faulted too.
    auto text = [&](uint32_t pc) {
      return proc_.mem->IsExecutable(pc) ? Disassemble(Decode(proc_.mem->Read32(pc), pc))
                                         : std::string("(not readable)");
    };
    std::string where = absl::StrFormat("pc=0x%08x: %s", cpu.pc, text(cpu.pc));
    if (cpu.in_delay_slot) {
      where += absl::StrFormat(" (delay slot 0x%08x: %s)", cpu.pc + 4, text(cpu.pc + 4));
    }
    StraceEvent(proc_, absl::StrFormat("--- %s {%s} %s ---", sig.name, sig.detail, where));
    sig.info.traced = true;
  }
  if (cpu.exit == ExitReason::kException && cpu.exception == Exception::kFloatingPoint) {
    // do_fpe() clears the Cause bits that trapped before the handler sees FCSR.
    uint32_t enabled = (((cpu.fcsr >> kFcsrEnablesShift) & 0x1f) | 0x20) << kFcsrCauseShift;
    cpu.fcsr &= ~(enabled & kFcsrCauseMask);
  }
  cpu.exit = ExitReason::kNone;
  proc_.signals.Force(sig.info);
  DeliverSignals(cpu, proc_);
  cache_changed_ = true;
}

}  // namespace mipsrun
