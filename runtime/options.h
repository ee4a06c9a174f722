// mipsrun's command line: `mipsrun [options] PROG [ARGS...]`. Options stop at the
// first argument that is not one, so the guest's own options pass through untouched.
#ifndef MIPSRUN_RUNTIME_OPTIONS_H_
#define MIPSRUN_RUNTIME_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace mipsrun {

struct Options {
  std::string program;              // PROG as given
  std::vector<std::string> args;    // guest argv[1..]
  std::string argv0;                // -0: guest argv[0] (default: PROG)
  std::string sysroot;              // -L
  bool strace = false;              // --strace
  bool stats = false;               // --stats
  bool jit_eager = false;           // --jit=eager (default --jit=off for now)
  std::vector<std::string> set_env;    // -E VAR=VALUE
  std::vector<std::string> unset_env;  // -U VAR
  bool help = false;
  bool version = false;
};

absl::StatusOr<Options> ParseOptions(int argc, char** argv);
extern const char kUsage[];

}  // namespace mipsrun

#endif  // MIPSRUN_RUNTIME_OPTIONS_H_
