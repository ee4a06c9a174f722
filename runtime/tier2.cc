#include "runtime/tier2.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <new>
#include <thread>
#include <utility>
#include <vector>
#include <cstdio>

#include "absl/strings/str_format.h"
#include "runtime/host_signals.h"
#include "runtime/translator_loader.h"

namespace mipsrun {

Tier2::Tier2(bool big_endian, bool background, std::chrono::milliseconds compile_delay,
             std::unique_ptr<CodeCache> code_cache)
    : big_endian_(big_endian),
      background_(background),
      start_after_(std::chrono::steady_clock::now() + compile_delay),
      jump_cache_(new JumpCacheEntry[size_t{1} << kJumpCacheBits]),
      code_cache_(std::move(code_cache)) {}

Tier2::~Tier2() = default;

bool Tier2::EnsureTranslator() {
  if (translator_) return true;
  if (failed_) return false;
  std::string error;
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Translator> loaded = LoadTranslator(&error);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  {
    std::lock_guard<std::mutex> lock(mu_);
    translator_load_seconds_ = seconds;
  }
  translator_ = std::move(loaded);
  if (!translator_) {
    ReportFailure(absl::StrFormat("the translator is not available (%s); interpreting", error));
    failed_ = true;
  }
  return translator_ != nullptr;
}

void Tier2::ReportFailure(const std::string& what) {
  fprintf(stderr, "mipsrun: %s\n", what.c_str());
}

// From the code cache when it has the region (a file that does not link, say a damaged
// one, is compiled anew), else compiled, and then kept there.
NativeCode Tier2::Compile(const RegionSpec& region, std::string* error) {
  auto start = std::chrono::steady_clock::now();
  NativeCode code = nullptr;
  if (code_cache_) {
    if (std::optional<std::string> object = code_cache_->Find(region)) {
      std::string ignored;
      code = translator_->Load(region, *object, &ignored);
    }
  }
  bool loaded = code != nullptr;
  if (!loaded) {
    std::string object;
    code = translator_->Compile(region, error, code_cache_ ? &object : nullptr);
    if (code && code_cache_) code_cache_->Store(region, object);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::lock_guard<std::mutex> lock(mu_);
  if (loaded) {
    ++loaded_regions_;
    load_seconds_ += seconds;
  } else {
    if (code) {
      ++compiled_regions_;
      compiled_blocks_ += region.blocks.size();
    }
    compile_seconds_ += seconds;
  }
  return code;
}

NativeCode Tier2::CompileNow(std::unique_ptr<RegionSpec> region) {
  if (!EnsureTranslator()) return nullptr;
  std::string error;
  NativeCode code = Compile(*region, &error);
  if (!code) {
    ReportFailure(absl::StrFormat("cannot translate the code at 0x%x: %s",
                                  region->blocks[0].start, error));
    return nullptr;
  }
  ++submitted_;
  ++published_;
  Record(std::move(region), code);
  return code;
}

// The code becomes the entry of each of its entry blocks that has none yet (a block
// that heads a region of its own keeps that one), or the code it replaces. Translated
// code that was compiled before finds the new code through the cells; the jump cache
// forgets the old.
void Tier2::Record(std::unique_ptr<RegionSpec> spec, NativeCode code) {
  for (const RegionBlock& b : spec->blocks) {
    if (!b.entry) continue;
    EntryCell& cell = cells_[b.start];
    NativeCode old = cell.code.load(std::memory_order_relaxed);
    if (!old || (spec->replaces && old == spec->replaces)) {
      cell.code.store(code, std::memory_order_release);
    }
  }
  if (spec->replaces) {
    for (size_t i = 0; i < (size_t{1} << kJumpCacheBits); ++i) {
      if (jump_cache_[i].code == spec->replaces) jump_cache_[i] = JumpCacheEntry{};
    }
  }
  regions_.push_back(Region{std::move(spec), code, true});
}

std::unique_ptr<RegionSpec> Tier2::ForRecompile(NativeCode code) {
  for (const Region& r : regions_) {
    if (!r.live || r.code != code || r.spec->inline_fp_slow_paths) continue;
    auto copy = std::make_unique<RegionSpec>(*r.spec);
    copy->inline_fp_slow_paths = true;
    copy->replaces = code;
    ++recompiles_;
    return copy;
  }
  return nullptr;
}

void Tier2::Submit(std::unique_ptr<RegionSpec> region, bool from_cache) {
  auto job = std::make_unique<Job>();
  job->region = std::move(region);
  job->from_cache = from_cache;
  job->generation = generation_;
  ++submitted_;
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(job));
  StartWorkerLocked();
  wake_.notify_one();
}

void Tier2::ReviseWaitingJobs(Reviser revise) {
  std::lock_guard<std::mutex> lock(mu_);
  // The compile thread waits for this: every job formed from counts is still in the
  // queue; those from the code cache may be done already, and are not revised.
  std::vector<std::unique_ptr<RegionSpec>> regions;
  std::deque<std::unique_ptr<Job>> kept;
  for (std::unique_ptr<Job>& job : queue_) {
    if (job->from_cache) {
      kept.push_back(std::move(job));
    } else {
      regions.push_back(std::move(job->region));
    }
  }
  queue_ = std::move(kept);
  dropped_cold_ += revise(regions);
  for (std::unique_ptr<RegionSpec>& region : regions) {
    auto job = std::make_unique<Job>();
    job->region = std::move(region);
    job->generation = generation_;
    queue_.push_back(std::move(job));
  }
  cold_check_due_.store(false, std::memory_order_relaxed);
  start_up_over_ = true;
  wake_.notify_all();
}

void Tier2::Prioritize(absl::FunctionRef<uint64_t(const RegionSpec& region)> heat) {
  std::lock_guard<std::mutex> lock(mu_);
  if (queue_.size() < 2) return;
  std::vector<std::pair<uint64_t, std::unique_ptr<Job>>> jobs;
  for (std::unique_ptr<Job>& job : queue_) {
    uint64_t h = job->from_cache ? UINT64_MAX : heat(*job->region);
    jobs.emplace_back(h, std::move(job));
  }
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  queue_.clear();
  for (auto& [h, job] : jobs) queue_.push_back(std::move(job));
}

void Tier2::StartWorkerLocked() {
  if (!worker_started_) {
    worker_started_ = true;
    // Created with every signal blocked, so that no host signal is ever handled on it,
    // not even before WorkerMain runs: its handler would not wake a guest sleeping in
    // a safe syscall on the main thread.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pthread_create(&worker_, nullptr, &Tier2::WorkerMain, this);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
}

void Tier2::BeforeFork() {
  fork_lock_ = std::unique_lock<std::mutex>(mu_);
  idle_.wait(fork_lock_, [this] { return !busy_; });
}

void Tier2::AfterFork(bool child) {
  if (child) {
    // The parent's compile thread is not here: whatever it left in the condition
    // variables' state is meaningless, so they start afresh.
    new (&wake_) std::condition_variable();
    new (&idle_) std::condition_variable();
    worker_started_ = false;
    worker_ = pthread_t{};
    if (!queue_.empty()) StartWorkerLocked();
  }
  fork_lock_.unlock();
  fork_lock_.release();
}

void* Tier2::WorkerMain(void* self) {
  // Host signals are the guest thread's business (they become guest signals); this
  // thread starts with all of them blocked (Submit).
  pthread_setname_np(pthread_self(), "mipsrun-jit");
  static_cast<Tier2*>(self)->Work();
  return nullptr;
}

template <class Eligible>
bool Tier2::RunOneJob(std::unique_lock<std::mutex>& lock, Eligible eligible) {
  auto it = std::find_if(queue_.begin(), queue_.end(),
                         [&](const std::unique_ptr<Job>& j) { return eligible(*j); });
  if (it == queue_.end()) return false;
  std::unique_ptr<Job> job = std::move(*it);
  queue_.erase(it);
  busy_ = true;
  lock.unlock();
  if (EnsureTranslator()) {
    job->code = Compile(*job->region, &job->error);
  } else {
    job->error = "no translator";
  }
  lock.lock();
  done_.push_back(std::move(job));
  busy_ = false;
  lock.unlock();
  idle_.notify_all();
  PokeRunningGuest();
  lock.lock();
  return true;
}

void Tier2::Work() {
  if (std::chrono::steady_clock::now() < start_after_) {
    // Start-up (kCompileDelay): only regions from the code cache are linked; then the
    // dispatcher drops what has gone cold since.
    {
      std::unique_lock<std::mutex> lock(mu_);
      while (std::chrono::steady_clock::now() < start_after_) {
        if (!RunOneJob(lock, [](const Job& j) { return j.from_cache; })) {
          wake_.wait_until(lock, start_after_);
        }
      }
    }
    // Sequentially consistent, as is the running guest's pointer that the poke reads:
    // a guest thread that switches in just as the poke finds none still sees the flag
    // (it always looks at its interrupt work when it switches in).
    cold_check_due_.store(true, std::memory_order_seq_cst);
    PokeRunningGuest();
    std::unique_lock<std::mutex> lock(mu_);
    wake_.wait(lock, [this] { return start_up_over_; });
  }
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return !queue_.empty(); });
    RunOneJob(lock, [](const Job&) { return true; });
  }
}

void Tier2::Publish(absl::FunctionRef<void(const RegionSpec& region, NativeCode code)> done) {
  std::vector<std::unique_ptr<Job>> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished.swap(done_);
  }
  for (std::unique_ptr<Job>& job : finished) {
    const RegionSpec& region = *job->region;
    if (!job->code) {
      if (!failed_) {
        ReportFailure(absl::StrFormat("cannot translate the code at 0x%x: %s",
                                      region.blocks[0].start, job->error));
      }
      done(region, nullptr);
      continue;
    }
    if (job->generation != generation_) {
      // Guest code changed while it compiled: the code may be stale and never runs.
      // Its instructions stay alive with it.
      ++discarded_;
      done(region, nullptr);
      regions_.push_back(Region{std::move(job->region), nullptr, false});
      continue;
    }
    ++published_;
    done(region, job->code);
    Record(std::move(job->region), job->code);
  }
}

void Tier2::Invalidate(uint32_t addr, uint32_t len,
                       absl::FunctionRef<void(uint32_t pc, NativeCode code)> dropped) {
  uint64_t lo = addr, hi = uint64_t{addr} + len;
  bool any = false;
  for (Region& r : regions_) {
    if (!r.live) continue;
    bool overlaps = false;
    for (const RegionBlock& b : r.spec->blocks) overlaps |= b.start < hi && b.end > lo;
    if (!overlaps) continue;
    r.live = false;
    any = true;
    for (const RegionBlock& b : r.spec->blocks) {
      EntryCell& cell = cells_[b.start];
      if (cell.code.load(std::memory_order_relaxed) == r.code) {
        cell.code.store(nullptr, std::memory_order_release);
      }
      dropped(b.start, r.code);
    }
  }
  // Jobs in flight may hold code from before the change: a new generation discards
  // them when they come back.
  ++generation_;
  if (any) {
    for (size_t i = 0; i < (size_t{1} << kJumpCacheBits); ++i) jump_cache_[i] = JumpCacheEntry{};
  }
}

std::string Tier2::Stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return absl::StrFormat(
      "mipsrun: regions compiled %u (%u blocks), published %u, discarded %u, "
      "dropped as cold %u, compiled again with FPU slow paths %u, compile time %.3f s, "
      "translator load %.3f s\n"
      "mipsrun: code cache %s: regions loaded %u (%.3f s), stored %u\n",
      compiled_regions_, compiled_blocks_, published_, discarded_, dropped_cold_, recompiles_,
      compile_seconds_, translator_load_seconds_, code_cache_ ? code_cache_->dir() : "off",
      loaded_regions_, load_seconds_, code_cache_ ? code_cache_->stores() : 0);
}

}  // namespace mipsrun
