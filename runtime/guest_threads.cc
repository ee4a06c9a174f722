#include "runtime/guest_threads.h"

#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <new>

#include "runtime/host_signals.h"

namespace mipsrun {
namespace {

// How long a thread waits for the run lock before it asks the runner to yield.
constexpr auto kSlice = std::chrono::milliseconds(4);

thread_local GuestThread* t_self = nullptr;
GuestThreads* g_threads = nullptr;

void ReleaseForSyscall() { g_threads->Release(); }
void AcquireAfterSyscall() { g_threads->Acquire(); }

struct StartArgs {
  GuestThreads* threads;
  Process* proc;
  GuestThread* thread;
  uint32_t child_settid;
  sem_t started;
};

}  // namespace

GuestThreads::GuestThreads(Process& proc, CpuState& cpu) : proc_(proc) {
  auto main = std::make_unique<GuestThread>();
  main->cpu = &cpu;
  main->tid = gettid();
  proc_.signals.current_tid = main->tid;
  running_ = main.get();
  leader_ = main.get();
  t_self = main.get();
  threads_.push_back(std::move(main));
  g_threads = this;
  SetBlockingHooks(ReleaseForSyscall, AcquireAfterSyscall);
}

GuestThread* GuestThreads::Self() const { return t_self; }

size_t GuestThreads::count() {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_.size();
}

void GuestThreads::SwitchIn(GuestThread* t) {
  GuestSigset before = proc_.signals.blocked;
  proc_.signals.LoadThread(t->signals);
  UpdateHostForMask(proc_.signals, before);
  proc_.clear_child_tid = t->clear_child_tid;
  // A context switch is an exception return on the CPU: LLbit is gone.
  t->cpu->ll_valid = false;
  ClearArrivedOnThisThread();
  SetRunningInterrupt(&t->cpu->interrupt);
  // Signals and translations may have become ready while it waited: look first.
  __atomic_store_n(&t->cpu->interrupt, 1, __ATOMIC_RELEASE);
}

void GuestThreads::SwitchOut(GuestThread* t) {
  SetRunningInterrupt(nullptr);
  t->signals = proc_.signals.SaveThread();
  t->clear_child_tid = proc_.clear_child_tid;
}

void GuestThreads::AcquireLocked(std::unique_lock<std::mutex>& lock, GuestThread* t) {
  uint64_t ticket = next_ticket_++;
  while (running_ || serving_ != ticket) {
    if (cv_.wait_for(lock, kSlice) == std::cv_status::timeout && running_ &&
        serving_ == ticket) {
      preempt_.store(true, std::memory_order_relaxed);
      PokeRunningGuest();
    }
  }
  ++serving_;
  running_ = t;
  t->blocked_in_syscall = false;
  lock.unlock();
  SwitchIn(t);
}

void GuestThreads::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  AcquireLocked(lock, Self());
}

void GuestThreads::Release() {
  GuestThread* t = Self();
  SwitchOut(t);
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = nullptr;
    t->blocked_in_syscall = true;
  }
  cv_.notify_all();
}

void GuestThreads::Yield() {
  GuestThread* t = Self();
  SwitchOut(t);
  std::unique_lock<std::mutex> lock(mu_);
  running_ = nullptr;
  cv_.notify_all();
  AcquireLocked(lock, t);  // behind the threads that wait already
}

bool GuestThreads::YieldIfAsked() {
  if (!preempt_.load(std::memory_order_relaxed)) return false;
  preempt_.store(false, std::memory_order_relaxed);
  Yield();
  return true;
}

void GuestThreads::KickOthers() {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& t : threads_) {
    if (t.get() != running_ && t->blocked_in_syscall) KickThread(t->tid);
  }
}

long GuestThreads::Start(std::unique_ptr<CpuState> cpu, uint32_t clear_child_tid,
                         uint32_t child_settid) {
  auto thread = std::make_unique<GuestThread>();
  {
    // An exited thread's CpuState, if there is one: the compile thread or a signal
    // handler may still poke its interrupt word, so it is never freed.
    std::lock_guard<std::mutex> lock(mu_);
    if (!retired_cpus_.empty()) {
      *retired_cpus_.back() = *cpu;
      cpu = std::move(retired_cpus_.back());
      retired_cpus_.pop_back();
    }
  }
  thread->cpu = cpu.get();
  thread->owned_cpu = std::move(cpu);
  // A new thread has its creator's mask, no alternate stack and nothing in progress.
  thread->signals.blocked = proc_.signals.blocked;
  thread->clear_child_tid = clear_child_tid;
  StartArgs args{this, &proc_, thread.get(), child_settid, {}};
  sem_init(&args.started, 0, 0);
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads_.push_back(std::move(thread));
  }
  auto body = [](void* p) -> void* {
    auto* a = static_cast<StartArgs*>(p);
    GuestThreads* self = a->threads;
    Process* proc = a->proc;
    GuestThread* t = a->thread;
    t_self = t;
    t->tid = gettid();
    t->signals.tid = t->tid;
    if (a->child_settid != 0 && proc->mem->CheckRange(a->child_settid, 4, true)) {
      proc->mem->Write32(a->child_settid, static_cast<uint32_t>(t->tid));
    }
    sem_post(&a->started);  // `a` is gone from here on
    self->Acquire();
    int status = proc->run_thread(*t->cpu);
    // exit_group from this thread ends them all.
    if (proc->on_exit) proc->on_exit();
    fflush(stdout);
    fflush(stderr);
    _exit(status);
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t handle;
  int err = pthread_create(&handle, &attr, body, &args);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    std::lock_guard<std::mutex> lock(mu_);
    threads_.pop_back();
    sem_destroy(&args.started);
    return -err;
  }
  while (sem_wait(&args.started) != 0) {
  }
  sem_destroy(&args.started);
  return args.thread->tid;
}

void GuestThreads::Exit(int status) {
  GuestThread* t = Self();
  uint32_t ctid = proc_.clear_child_tid;
  if (ctid != 0 && proc_.mem->CheckRange(ctid, 4, true)) {
    // The kernel's mm_release(): pthread_join waits on this word.
    proc_.mem->Write32(ctid, 0);
    syscall(SYS_futex, proc_.mem->Host(ctid), FUTEX_WAKE, 1, nullptr, nullptr, 0);
  }
  SetRunningInterrupt(nullptr);
  std::unique_lock<std::mutex> lock(mu_);
  if (t == leader_) {
    // The leader's status is the process's when the others end by exit too.
    leader_exited_ = true;
    leader_status_ = status;
  }
  if (t->owned_cpu) retired_cpus_.push_back(std::move(t->owned_cpu));
  std::erase_if(threads_, [t](const std::unique_ptr<GuestThread>& p) { return p.get() == t; });
  running_ = nullptr;
  if (threads_.empty()) {
    int process_status = leader_exited_ ? leader_status_ : status;
    if (proc_.on_exit) proc_.on_exit();
    fflush(stdout);
    fflush(stderr);
    _exit(process_status);
  }
  lock.unlock();
  cv_.notify_all();
  // Only this host thread ends; the process goes on.
  for (;;) syscall(SYS_exit, status);
}

void GuestThreads::AfterForkInChild() {
  // Another thread may have held the mutex when the address space was copied.
  new (&mu_) std::mutex;
  new (&cv_) std::condition_variable;
  GuestThread* self = Self();
  auto it = std::find_if(threads_.begin(), threads_.end(),
                         [self](const std::unique_ptr<GuestThread>& p) { return p.get() == self; });
  std::unique_ptr<GuestThread> keep = std::move(*it);
  for (auto& t : threads_) {
    if (t && t->owned_cpu) retired_cpus_.push_back(std::move(t->owned_cpu));
  }
  threads_.clear();
  threads_.push_back(std::move(keep));
  self->tid = gettid();
  proc_.signals.current_tid = self->tid;
  running_ = self;
  leader_ = self;
  next_ticket_ = serving_ = 0;
  preempt_.store(false);
  leader_exited_ = false;
}

}  // namespace mipsrun
