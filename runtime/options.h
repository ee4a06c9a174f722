// mipsrun's command line: `mipsrun [options] PROG [ARGS...]`. Options stop at the
// first argument that is not one, so the guest's own options pass through untouched.
#ifndef MIPSRUN_RUNTIME_OPTIONS_H_
#define MIPSRUN_RUNTIME_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mipsrun {

// How guest code runs: interpreted only; every block translated before its first run
// (a test mode); interpreted until hot, then translated on a background thread; or
// like that but translated on the spot (a test mode: translated regions certainly run).
enum class JitMode { kOff, kEager, kTiered, kSync };
inline constexpr uint64_t kDefaultJitThreshold = 1000;

struct Options {
  std::string program;              // PROG as given
  std::vector<std::string> args;    // guest argv[1..]
  std::string argv0;                // -0: guest argv[0] (default: PROG)
  std::string sysroot;              // -L
  bool strace = false;              // --strace
  bool stats = false;               // --stats
  JitMode jit = JitMode::kTiered;   // --jit=MODE
  uint64_t jit_threshold = kDefaultJitThreshold;  // --jit-threshold=N: runs before hot
  // --code-cache=DIR, or "" for --code-cache=off; unset: DefaultCodeCacheDir().
  std::optional<std::string> code_cache;
  std::vector<std::string> set_env;    // -E VAR=VALUE
  std::vector<std::string> unset_env;  // -U VAR
  bool help = false;
  bool version = false;
};

absl::StatusOr<Options> ParseOptions(int argc, char** argv);
extern const char kUsage[];

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_OPTIONS_H_
