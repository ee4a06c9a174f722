#include "syscalls/strace.h"

#include <unistd.h>

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "syscalls/errno.h"

namespace mipsrun {
namespace {

constexpr size_t kMaxShown = 32;

std::string Quoted(std::string_view s, bool truncated) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c < 32 || c >= 127) {
          absl::StrAppendFormat(&out, "\\%o", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += truncated ? "\"..." : "\"";
  return out;
}

std::string Arg(const SyscallContext& ctx, char kind, int i, int64_t result) {
  uint32_t v = ctx.a[i];
  switch (kind) {
    case 'd': return absl::StrCat(static_cast<int32_t>(v));
    case 'u': return absl::StrCat(v);
    case 'o': return absl::StrFormat("0%o", v);
    case 'f': return static_cast<int32_t>(v) == -100 ? "AT_FDCWD" : absl::StrCat(static_cast<int32_t>(v));
    case 'p': return v ? absl::StrFormat("0x%x", v) : "NULL";
    case 's': {
      std::string s;
      if (v == 0) return "NULL";
      if (!ctx.mem.ReadString(v, &s, 256)) return absl::StrFormat("0x%x", v);
      return Quoted(s, false);
    }
    case 'b': {
      // The buffer's length is the next argument, or the result for reads.
      uint64_t len = ctx.a[i + 1];
      if (result >= 0 && static_cast<uint64_t>(result) < len) len = static_cast<uint64_t>(result);
      if (v == 0 || !GuestMemory::AccessOk(v, len)) return absl::StrFormat("0x%x", v);
      size_t shown = std::min<uint64_t>(len, kMaxShown);
      for (size_t k = 0; k < shown; ++k) {
        if (!ctx.mem.IsReadable(v + k)) return absl::StrFormat("0x%x", v);
      }
      return Quoted(std::string_view(reinterpret_cast<const char*>(ctx.mem.Host(v)), shown),
                    shown < len);
    }
    default: return absl::StrFormat("0x%x", v);
  }
}

std::string Result(const SyscallContext& ctx, char kind, int64_t result) {
  if (result < 0 && result > -4096) {
    int e = static_cast<int>(-result);
    std::string_view name = MipsErrnoName(e);
    std::string out = "-1 " + (name.empty() ? absl::StrCat("errno ", e) : std::string(name));
    if (!ctx.note.empty()) absl::StrAppend(&out, " (", ctx.note, ")");
    return out;
  }
  std::string out = kind == 'x' ? absl::StrFormat("0x%x", static_cast<uint64_t>(result))
                                : absl::StrCat(result);
  if (!ctx.note.empty()) absl::StrAppend(&out, " (", ctx.note, ")");
  return out;
}

void Emit(const std::string& line) {
  // One write per line so that lines from several processes do not interleave.
  std::string s = line + "\n";
  [[maybe_unused]] ssize_t n = write(STDERR_FILENO, s.data(), s.size());
}

}  // namespace

void StraceCall(const SyscallContext& ctx, const SyscallDef& def, int64_t result) {
  std::string line = absl::StrCat(gettid(), " ", std::string(SyscallName(def.nr)), "(");
  for (size_t i = 0; i < def.args.size(); ++i) {
    if (i) line += ", ";
    line += Arg(ctx, def.args[i], static_cast<int>(i), result);
  }
  line += ")";
  bool no_return = def.nr == kNr_exit || def.nr == kNr_exit_group;
  if (no_return) {
    line += " = ?";
  } else {
    absl::StrAppend(&line, " = ", Result(ctx, def.ret, result));
  }
  Emit(line);
}

void StraceUnknown(const SyscallContext& ctx, int64_t result) {
  std::string_view name = SyscallName(ctx.nr);
  std::string line = absl::StrCat(gettid(), " ",
                                   name.empty() ? absl::StrCat("syscall_", ctx.nr + 4000)
                                                : std::string(name),
                                   absl::StrFormat("(0x%x, 0x%x, 0x%x, 0x%x)", ctx.a[0],
                                                   ctx.a[1], ctx.a[2], ctx.a[3]),
                                   " = ", Result(ctx, 'd', result));
  Emit(line);
}

void StraceEvent(const Process& proc, const std::string& text) {
  if (proc.strace) Emit(absl::StrCat(gettid(), " ", text));
}

}  // namespace mipsrun
