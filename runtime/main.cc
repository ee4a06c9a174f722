// mipsrun: load a MIPS32 o32 program and run it.
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "frontend/fpu.h"
#include "loader/loader.h"
#include "runtime/code_cache.h"
#include "runtime/cpu_state.h"
#include "runtime/executor.h"
#include "runtime/host_signals.h"
#include "runtime/options.h"
#include "runtime/process.h"

extern char** environ;

namespace mipsrun {
namespace {

constexpr int kExitLoadFailure = 127;
constexpr int kExitUsage = 2;

// Where the symbolic link `path` points, or "" if it cannot be read.
std::string LinkTarget(const std::string& path) {
  char buf[PATH_MAX];
  ssize_t n = readlink(path.c_str(), buf, sizeof buf);
  return n > 0 && n < static_cast<ssize_t>(sizeof buf) ? std::string(buf, n) : std::string();
}

std::vector<std::string> GuestEnvironment(const Options& o) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string var(*e);
    bool drop = false;
    for (const std::string& u : o.unset_env) {
      if (absl::StartsWith(var, u + "=")) drop = true;
    }
    for (const std::string& s : o.set_env) {
      if (absl::StartsWith(var, s.substr(0, s.find('=') + 1))) drop = true;
    }
    if (!drop) env.push_back(var);
  }
  for (const std::string& s : o.set_env) env.push_back(s);
  return env;
}

// The options a MIPS program that the guest execs runs with: the same sysroot and
// execution mode (the guest's environment replaces -E/-U's effects).
std::vector<std::string> ExecOptions(const Options& o, const Process& proc) {
  std::vector<std::string> out;
  if (!proc.sysroot.empty()) out.insert(out.end(), {"-L", proc.sysroot});
  if (o.strace) out.push_back("--strace");
  switch (o.jit) {
    case JitMode::kOff: out.push_back("--jit=off"); break;
    case JitMode::kEager: out.push_back("--jit=eager"); break;
    case JitMode::kSync: out.push_back("--jit=sync"); break;
    case JitMode::kTiered: break;
  }
  if (o.jit_threshold != kDefaultJitThreshold) {
    out.push_back(absl::StrCat("--jit-threshold=", o.jit_threshold));
  }
  if (o.code_cache) out.push_back(absl::StrCat("--code-cache=", o.code_cache->empty() ? "off" : *o.code_cache));
  return out;
}

int Main(int argc, char** argv) {
  absl::StatusOr<Options> options = ParseOptions(argc, argv);
  if (!options.ok()) {
    fprintf(stderr, "mipsrun: %s (see mipsrun --help)\n", std::string(options.status().message()).c_str());
    return kExitUsage;
  }
  if (options->help) {
    fputs(kUsage, stdout);
    return 0;
  }
  if (options->version) {
    puts("mipsrun 0.1 (interpreter)");
    return 0;
  }
  if (!options->sysroot.empty() && access(options->sysroot.c_str(), R_OK | X_OK) != 0) {
    fprintf(stderr, "mipsrun: %s: sysroot not accessible: %s\n", options->sysroot.c_str(),
            strerror(errno));
    return kExitLoadFailure;
  }

  absl::StatusOr<ElfImage> image = ReadElfImage(options->program);
  if (!image.ok()) {
    fprintf(stderr, "mipsrun: %s\n", std::string(image.status().message()).c_str());
    return kExitLoadFailure;
  }
  absl::StatusOr<std::unique_ptr<GuestMemory>> mem = GuestMemory::Create(image->info.big_endian);
  if (!mem.ok()) {
    fprintf(stderr, "mipsrun: %s\n", std::string(mem.status().message()).c_str());
    return kExitLoadFailure;
  }
  Process proc;
  proc.mem = *std::move(mem);
  proc.strace = options->strace;
  if (!options->sysroot.empty()) {
    char* root = realpath(options->sysroot.c_str(), nullptr);
    proc.sysroot = root ? root : options->sysroot;
    free(root);
    if (proc.sysroot == "/") proc.sysroot.clear();
  }
  if (!options->code_cache) {
    options->code_cache = DefaultCodeCacheDir();
  } else if (!options->code_cache->empty() && (*options->code_cache)[0] != '/') {
    // Made absolute for the programs the guest execs, which may run elsewhere.
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) options->code_cache = absl::StrCat(cwd, "/", *options->code_cache);
  }
  proc.exec_options = ExecOptions(*options, proc);
  // The kernel's links already name the resolved files: one readlink each, where
  // realpath would look at every component of the path.
  proc.self_exe = LinkTarget("/proc/self/exe");
  if (proc.self_exe.empty()) proc.self_exe = "/proc/self/exe";
  proc.exe_path = LinkTarget(absl::StrCat("/proc/self/fd/", image->fd()));
  if (proc.exe_path.empty()) {
    char* real = realpath(options->program.c_str(), nullptr);
    proc.exe_path = real ? real : options->program;
    free(real);
  }

  LoadRequest req;
  req.argv.push_back(options->argv0);
  for (const std::string& a : options->args) req.argv.push_back(a);
  req.envp = GuestEnvironment(*options);
  req.execfn = options->program;
  req.sysroot = options->sysroot;
  absl::StatusOr<LoadedProgram> loaded = LoadProgram(*image, req, *proc.mem);
  *image = ElfImage();  // closes the file: the guest's first open gets the lowest fd
  if (!loaded.ok()) {
    fprintf(stderr, "mipsrun: %s\n", std::string(loaded.status().message()).c_str());
    return kExitLoadFailure;
  }

  CpuState cpu;
  cpu.pc = loaded->entry;
  cpu.gpr[29] = loaded->sp;
  cpu.fr = loaded->fr;
  // As a kernel on an FPU with both NaN encodings sets FCSR for the program.
  if (loaded->nan2008) cpu.fcsr = kFcsrNan2008 | kFcsrAbs2008;
  // The kernel starts a program with $ra = 0 and v0 = 0 (no rtld_fini for static).
  Executor::InstallFaultHandler();
  Executor executor(proc, cpu, options->jit, options->jit_threshold, *options->code_cache);
  InstallHostSignals(proc.signals, &cpu.interrupt);
  if (options->stats) {
    // Printed at exit_group, and also when the guest dies of a signal.
    proc.on_exit = [&executor] { fputs(executor.Stats().c_str(), stderr); };
  }
  if (options->stats) executor.EnableTiming();
  int status = executor.Run();
  if (proc.on_exit) proc.on_exit();
  fflush(stdout);
#if defined(__SANITIZE_ADDRESS__)
  // Sanitizer builds return where they can, so that LeakSanitizer checks the run.
  if (!executor.must_exit_quickly()) return status;
#endif
  // Leave without running destructors: a compile thread may be inside LLVM, and
  // taking apart the guest's address space and the block cache piece by piece costs a
  // short run more than the kernel's teardown of the whole process.
  fflush(stderr);
  _exit(status);
}

}  // namespace
}  // namespace mipsrun

int main(int argc, char** argv) { return mipsrun::Main(argc, argv); }
