#include "syscalls/flags.h"

#include <fcntl.h>
#include <sys/resource.h>

#include <utility>

#include "syscalls/mips_abi.h"

namespace mipsrun {
namespace {

// O_SYNC is __O_SYNC | O_DSYNC on both sides; the bits map one to one.
constexpr std::pair<uint32_t, int> kOpenFlags[] = {
    {kMipsOAppend, O_APPEND},       {kMipsODsync, O_DSYNC},
    {kMipsONonblock, O_NONBLOCK},   {kMipsOCreat, O_CREAT},
    {kMipsOTrunc, O_TRUNC},         {kMipsOExcl, O_EXCL},
    {kMipsONoctty, O_NOCTTY},       {kMipsFasync, FASYNC},
    {kMipsOLargefile, 0100000},     {kMipsOSyncBit, 04000000},  // host __O_SYNC
    {kMipsODirect, O_DIRECT},       {kMipsODirectory, O_DIRECTORY},
    {kMipsONofollow, O_NOFOLLOW},   {kMipsONoatime, O_NOATIME},
    {kMipsOCloexec, O_CLOEXEC},     {kMipsOPath, O_PATH},
    {kMipsOTmpfileBit, 020000000},  // host __O_TMPFILE
};

}  // namespace

int OpenFlagsToHost(uint32_t mips_flags) {
  int host = static_cast<int>(mips_flags & 3);  // O_ACCMODE is the same
  for (auto [m, h] : kOpenFlags) {
    if (mips_flags & m) host |= h;
  }
  return host;
}

uint32_t OpenFlagsFromHost(int host_flags) {
  uint32_t mips = static_cast<uint32_t>(host_flags & 3);
  for (auto [m, h] : kOpenFlags) {
    if ((host_flags & h) == h) mips |= m;
  }
  return mips;
}

int RlimitResourceToHost(uint32_t r) {
  switch (r) {
    case kMipsRlimitNofile: return RLIMIT_NOFILE;
    case kMipsRlimitAs: return RLIMIT_AS;
    case kMipsRlimitRss: return RLIMIT_RSS;
    case kMipsRlimitNproc: return RLIMIT_NPROC;
    case kMipsRlimitMemlock: return RLIMIT_MEMLOCK;
  }
  // CPU, FSIZE, DATA, STACK, CORE (0-4) and LOCKS.. RTTIME (10-15) share numbers.
  return r < 16 ? static_cast<int>(r) : -1;
}

}  // namespace mipsrun
