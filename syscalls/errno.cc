#include "syscalls/errno.h"

#include <cerrno>
#include <string_view>

namespace mipsrun {
namespace {

constexpr int kMaxHostErrno = 256;
constexpr int kMaxMipsErrno = 1134;

struct ErrnoTables {
  int to_mips[kMaxHostErrno] = {};
  std::string_view names[kMaxMipsErrno + 1] = {};
  ErrnoTables() {
#define MIPS_ERRNO(name, mips)                               \
  if (name < kMaxHostErrno && to_mips[name] == 0) to_mips[name] = mips; \
  if (names[mips].empty()) names[mips] = #name;
#include "syscalls/mips_errno.inc"
#undef MIPS_ERRNO
  }
};

const ErrnoTables& Tables() {
  static const ErrnoTables tables;
  return tables;
}

}  // namespace

int HostToMipsErrno(int host_errno) {
  if (host_errno <= 0 || host_errno >= kMaxHostErrno) return 5;  // EIO: cannot happen
  int m = Tables().to_mips[host_errno];
  return m ? m : 5;
}

std::string_view MipsErrnoName(int mips_errno) {
  if (mips_errno <= 0 || mips_errno > kMaxMipsErrno) return "";
  return Tables().names[mips_errno];
}

int64_t GuestResult(int64_t r) { return r < 0 ? -HostToMipsErrno(errno) : r; }

int64_t GuestResultFromNegErrno(int64_t r) { return r < 0 ? -HostToMipsErrno(static_cast<int>(-r)) : r; }

}  // namespace mipsrun
