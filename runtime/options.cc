#include "runtime/options.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace mipsrun {

const char kUsage[] =
    "usage: mipsrun [options] PROG [ARGS...]\n"
    "Runs a Linux MIPS32 (o32) program, big- or little-endian, on this machine.\n"
    "\n"
    "options:\n"
    "  -L DIR            guest sysroot: the program's interpreter (PT_INTERP) and\n"
    "                    absolute paths the guest opens are looked up under DIR first\n"
    "  -0 ARGV0          argv[0] for the guest (default: PROG)\n"
    "  -E VAR=VALUE      set VAR in the guest's environment\n"
    "  -U VAR            remove VAR from the guest's environment\n"
    "  --strace          log every guest system call to stderr\n"
    "  --stats           print execution statistics to stderr when the guest exits\n"
    "  --jit=MODE        tiered (default): interpret, and translate hot code with\n"
    "                    LLVM on a background thread; off: interpret everything;\n"
    "                    eager: translate every block before its first run; sync:\n"
    "                    tiered, but hot code waits for its translation (both for\n"
    "                    testing)\n"
    "  --jit-threshold=N runs of a block before it counts as hot (default 1000)\n"
    "  --code-cache=DIR  keep translated code in DIR and use it in later runs\n"
    "                    (default: $MIPSRUN_CODE_CACHE, else ~/.cache/mipsrun);\n"
    "                    --code-cache=off keeps none\n"
    "  --help            show this help\n"
    "  --version         show the version\n"
    "\n"
    "exit status: the guest's; 127 when PROG cannot be loaded; 2 for bad options.\n";

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  Options o;
  int i = 1;
  auto value = [&](std::string_view opt) -> absl::StatusOr<std::string> {
    if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat("option ", std::string(opt), " needs a value"));
    return std::string(argv[++i]);
  };
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.empty() || a[0] != '-') break;
    if (a == "--help" || a == "-h") {
      o.help = true;
      return o;
    } else if (a == "--version") {
      o.version = true;
      return o;
    } else if (a == "--strace" || a == "-strace") {
      o.strace = true;
    } else if (a == "--stats") {
      o.stats = true;
    } else if (a == "--jit=off") {
      o.jit = JitMode::kOff;
    } else if (a == "--jit=eager") {
      o.jit = JitMode::kEager;
    } else if (a == "--jit=tiered") {
      o.jit = JitMode::kTiered;
    } else if (a == "--jit=sync") {
      o.jit = JitMode::kSync;
    } else if (a.starts_with("--jit=")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown --jit mode ", std::string(a.substr(6)), " (tiered, off, eager, sync)"));
    } else if (a.starts_with("--jit-threshold=")) {
      std::string n(a.substr(16));
      if (!absl::SimpleAtoi(n, &o.jit_threshold) || o.jit_threshold == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("--jit-threshold needs a positive number, not '", n, "'"));
      }
    } else if (a.starts_with("--code-cache=")) {
      std::string dir(a.substr(13));
      if (dir.empty()) return absl::InvalidArgumentError("--code-cache needs a directory or off");
      o.code_cache = dir == "off" ? "" : dir;
    } else if (a == "-L") {
      absl::StatusOr<std::string> v = value(a);
      if (!v.ok()) return v.status();
      o.sysroot = *v;
    } else if (a == "-0") {
      absl::StatusOr<std::string> v = value(a);
      if (!v.ok()) return v.status();
      o.argv0 = *v;
    } else if (a == "-E") {
      absl::StatusOr<std::string> v = value(a);
      if (!v.ok()) return v.status();
      if (!absl::StrContains(*v, '=')) return absl::InvalidArgumentError("-E takes VAR=VALUE");
      o.set_env.push_back(*v);
    } else if (a == "-U") {
      absl::StatusOr<std::string> v = value(a);
      if (!v.ok()) return v.status();
      o.unset_env.push_back(*v);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown option ", std::string(a)));
    }
  }
  if (i >= argc) return absl::InvalidArgumentError("no program given");
  o.program = argv[i++];
  for (; i < argc; ++i) o.args.emplace_back(argv[i]);
  if (o.argv0.empty()) o.argv0 = o.program;
  return o;
}

}  // namespace mipsrun
