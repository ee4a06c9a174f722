// The guest-ABI translation tables of the syscall layer.
#include <fcntl.h>
#include <sys/resource.h>

#include <cerrno>

#include "gtest/gtest.h"
#include "syscalls/errno.h"
#include "syscalls/flags.h"
#include "syscalls/mips_abi.h"
#include "syscalls/syscall.h"

namespace mipsrun {
namespace {

TEST(ErrnoTest, HostValuesBecomeMipsValues) {
  EXPECT_EQ(HostToMipsErrno(ENOENT), 2);       // the low numbers are shared
  EXPECT_EQ(HostToMipsErrno(EAGAIN), 11);
  EXPECT_EQ(HostToMipsErrno(ENOSYS), 89);      // 38 on x86-64
  EXPECT_EQ(HostToMipsErrno(ENAMETOOLONG), 78);
  EXPECT_EQ(HostToMipsErrno(EDEADLK), 45);     // not EDEADLOCK's 56
  EXPECT_EQ(HostToMipsErrno(ENOTEMPTY), 93);
  EXPECT_EQ(HostToMipsErrno(ELOOP), 90);
  EXPECT_EQ(HostToMipsErrno(ETIMEDOUT), 145);
  EXPECT_EQ(HostToMipsErrno(EDQUOT), 1133);
  EXPECT_EQ(kMipsEnosys, HostToMipsErrno(ENOSYS));
  EXPECT_EQ(MipsErrnoName(89), "ENOSYS");
  EXPECT_EQ(MipsErrnoName(78), "ENAMETOOLONG");
}

TEST(FlagsTest, OpenFlagsTranslateBothWays) {
  EXPECT_EQ(OpenFlagsToHost(kMipsOCreat | kMipsOTrunc | 1), O_CREAT | O_TRUNC | O_WRONLY);
  EXPECT_EQ(OpenFlagsToHost(kMipsOAppend | kMipsONonblock | kMipsOCloexec | kMipsODirectory),
            O_APPEND | O_NONBLOCK | O_CLOEXEC | O_DIRECTORY);
  EXPECT_EQ(OpenFlagsToHost(kMipsOExcl | kMipsONoctty | 2), O_EXCL | O_NOCTTY | O_RDWR);
  // O_SYNC is two bits on both sides.
  EXPECT_EQ(OpenFlagsToHost(kMipsOSyncBit | kMipsODsync), O_SYNC);
  for (int host : {O_RDONLY, O_WRONLY | O_APPEND, O_RDWR | O_NONBLOCK, O_SYNC | O_WRONLY}) {
    EXPECT_EQ(OpenFlagsToHost(OpenFlagsFromHost(host)), host);
  }
}

TEST(FlagsTest, RlimitResourcesAreRenumbered) {
  EXPECT_EQ(RlimitResourceToHost(kMipsRlimitNofile), RLIMIT_NOFILE);
  EXPECT_EQ(RlimitResourceToHost(kMipsRlimitAs), RLIMIT_AS);
  EXPECT_EQ(RlimitResourceToHost(kMipsRlimitNproc), RLIMIT_NPROC);
  EXPECT_EQ(RlimitResourceToHost(3), RLIMIT_STACK);
  EXPECT_EQ(RlimitResourceToHost(99), -1);
}

TEST(SyscallTableTest, NamesComeFromTheUapiHeader) {
  EXPECT_EQ(SyscallName(kNr_write), "write");
  EXPECT_EQ(kNr_write, 4u);
  EXPECT_EQ(kNr_exit_group, 246u);
  EXPECT_EQ(kNr_clock_gettime64, 403u);
  EXPECT_EQ(SyscallName(kNr_rseq), "rseq");
}

}  // namespace
}  // namespace mipsrun
