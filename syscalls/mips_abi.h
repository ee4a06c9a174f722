// Guest (MIPS o32) ABI constants and struct layouts. Every name here is a guest value
// and never a host one: constants carry kMips, structs live in namespace mips and have
// their size asserted. Source: the MIPS kernel UAPI headers under
// /usr/mips-linux-gnu/include/asm/ (and asm-generic/ where MIPS uses the generic one).
#ifndef MIPSRUN_SYSCALLS_MIPS_ABI_H_
#define MIPSRUN_SYSCALLS_MIPS_ABI_H_

#include <cstdint>

namespace mipsrun {

inline constexpr uint32_t kMipsSyscallBase = 4000;  // __NR_Linux for o32

// Errno values the syscall layer names directly (the full table is mips_errno.inc).
inline constexpr int kMipsEperm = 1;
inline constexpr int kMipsEnoent = 2;
inline constexpr int kMipsEsrch = 3;
inline constexpr int kMipsEintr = 4;
inline constexpr int kMipsEbadf = 9;
inline constexpr int kMipsEagain = 11;
inline constexpr int kMipsEnomem = 12;
inline constexpr int kMipsEfault = 14;
inline constexpr int kMipsEexist = 17;
inline constexpr int kMipsEinval = 22;
inline constexpr int kMipsEnotty = 25;
inline constexpr int kMipsErange = 34;
inline constexpr int kMipsEnosys = 89;

// open/fcntl flags (asm/fcntl.h; the rest are asm-generic's values).
inline constexpr uint32_t kMipsOAppend = 0x0008;
inline constexpr uint32_t kMipsODsync = 0x0010;
inline constexpr uint32_t kMipsONonblock = 0x0080;
inline constexpr uint32_t kMipsOCreat = 0x0100;
inline constexpr uint32_t kMipsOTrunc = 0x0200;
inline constexpr uint32_t kMipsOExcl = 0x0400;
inline constexpr uint32_t kMipsONoctty = 0x0800;
inline constexpr uint32_t kMipsFasync = 0x1000;
inline constexpr uint32_t kMipsOLargefile = 0x2000;
inline constexpr uint32_t kMipsOSyncBit = 0x4000;  // __O_SYNC
inline constexpr uint32_t kMipsODirect = 0x8000;
inline constexpr uint32_t kMipsODirectory = 0x10000;
inline constexpr uint32_t kMipsONofollow = 0x20000;
inline constexpr uint32_t kMipsONoatime = 0x40000;
inline constexpr uint32_t kMipsOCloexec = 0x80000;
inline constexpr uint32_t kMipsOPath = 0x200000;
inline constexpr uint32_t kMipsOTmpfileBit = 0x400000;  // __O_TMPFILE

// fcntl commands with the generic numbering (asm-generic/fcntl.h).
inline constexpr int kMipsFDupfd = 0;
inline constexpr int kMipsFGetfd = 1;
inline constexpr int kMipsFSetfd = 2;
inline constexpr int kMipsFGetfl = 3;
inline constexpr int kMipsFSetfl = 4;
inline constexpr int kMipsFDupfdCloexec = 1030;
// fcntl commands that differ from the generic numbering.
inline constexpr int kMipsFGetlk = 14;
inline constexpr int kMipsFSetlk = 6;
inline constexpr int kMipsFSetlkw = 7;
inline constexpr int kMipsFSetown = 24;
inline constexpr int kMipsFGetown = 23;
inline constexpr int kMipsFGetlk64 = 33;
inline constexpr int kMipsFSetlk64 = 34;
inline constexpr int kMipsFSetlkw64 = 35;

// mmap flags (asm/mman.h).
inline constexpr uint32_t kMipsMapShared = 0x001;
inline constexpr uint32_t kMipsMapPrivate = 0x002;
inline constexpr uint32_t kMipsMapType = 0x00f;
inline constexpr uint32_t kMipsMapFixed = 0x010;
inline constexpr uint32_t kMipsMapNoreserve = 0x0400;
inline constexpr uint32_t kMipsMapAnonymous = 0x0800;
inline constexpr uint32_t kMipsMapGrowsdown = 0x1000;
inline constexpr uint32_t kMipsMapDenywrite = 0x2000;
inline constexpr uint32_t kMipsMapExecutable = 0x4000;
inline constexpr uint32_t kMipsMapLocked = 0x8000;
inline constexpr uint32_t kMipsMapPopulate = 0x10000;
inline constexpr uint32_t kMipsMapNonblock = 0x20000;
inline constexpr uint32_t kMipsMapStack = 0x40000;
inline constexpr uint32_t kMipsMapHugetlb = 0x80000;
inline constexpr uint32_t kMipsMapFixedNoreplace = 0x100000;
inline constexpr uint32_t kMipsMremapMaymove = 1;
inline constexpr uint32_t kMipsMremapFixed = 2;

// Resource limits: MIPS numbers 5..9 differently from x86-64 (asm/resource.h).
inline constexpr int kMipsRlimitNofile = 5;
inline constexpr int kMipsRlimitAs = 6;
inline constexpr int kMipsRlimitRss = 7;
inline constexpr int kMipsRlimitNproc = 8;
inline constexpr int kMipsRlimitMemlock = 9;

// ioctl requests (asm/ioctls.h).
inline constexpr uint32_t kMipsTcgets = 0x540d;
inline constexpr uint32_t kMipsTiocgwinsz = 0x40087468;
inline constexpr uint32_t kMipsTcsets = 0x540e;
inline constexpr uint32_t kMipsTcsetsw = 0x540f;
inline constexpr uint32_t kMipsTcsetsf = 0x5410;
inline constexpr uint32_t kMipsTcsbrk = 0x5405;
inline constexpr uint32_t kMipsTcxonc = 0x5406;
inline constexpr uint32_t kMipsTcflsh = 0x5407;
inline constexpr uint32_t kMipsTiocswinsz = 0x80087467;
inline constexpr uint32_t kMipsTiocspgrp = 0x80047476;
inline constexpr uint32_t kMipsTiocgpgrp = 0x40047477;
inline constexpr uint32_t kMipsTiocoutq = 0x7472;
inline constexpr uint32_t kMipsFionread = 0x467f;
inline constexpr uint32_t kMipsFionbio = 0x667e;
inline constexpr uint32_t kMipsFioasync = 0x667d;
inline constexpr uint32_t kMipsFioclex = 0x6601;
inline constexpr uint32_t kMipsFionclex = 0x6602;

namespace mips {

// struct stat64 (asm/stat.h), used by stat64/lstat64/fstat64/fstatat64.
struct Stat64 {
  uint32_t st_dev;
  uint32_t st_pad0[3];
  uint64_t st_ino;
  uint32_t st_mode;
  uint32_t st_nlink;
  uint32_t st_uid;
  uint32_t st_gid;
  uint32_t st_rdev;
  uint32_t st_pad1[3];
  int64_t st_size;
  int32_t st_atime_sec;
  uint32_t st_atime_nsec;
  int32_t st_mtime_sec;
  uint32_t st_mtime_nsec;
  int32_t st_ctime_sec;
  uint32_t st_ctime_nsec;
  uint32_t st_blksize;
  uint32_t st_pad2;
  int64_t st_blocks;
};
static_assert(sizeof(Stat64) == 104);

// struct statx (linux/stat.h) is the same on every architecture, byte order aside.
struct StatxTimestamp {
  int64_t tv_sec;
  uint32_t tv_nsec;
  int32_t reserved;
};
struct Statx {
  uint32_t stx_mask;
  uint32_t stx_blksize;
  uint64_t stx_attributes;
  uint32_t stx_nlink;
  uint32_t stx_uid;
  uint32_t stx_gid;
  uint16_t stx_mode;
  uint16_t spare0;
  uint64_t stx_ino;
  uint64_t stx_size;
  uint64_t stx_blocks;
  uint64_t stx_attributes_mask;
  StatxTimestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
  uint32_t stx_rdev_major, stx_rdev_minor;
  uint32_t stx_dev_major, stx_dev_minor;
  uint64_t stx_mnt_id;
  uint32_t stx_dio_mem_align, stx_dio_offset_align;
  uint64_t spare3[12];
};
static_assert(sizeof(Statx) == 256);

struct Timespec32 {  // struct old_timespec32
  int32_t tv_sec;
  int32_t tv_nsec;
};
static_assert(sizeof(Timespec32) == 8);
struct Timespec64 {  // struct __kernel_timespec
  int64_t tv_sec;
  int64_t tv_nsec;
};
static_assert(sizeof(Timespec64) == 16);
struct Timeval32 {  // struct old_timeval32
  int32_t tv_sec;
  int32_t tv_usec;
};
static_assert(sizeof(Timeval32) == 8);

struct Utsname {  // struct new_utsname
  char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
static_assert(sizeof(Utsname) == 390);

struct Rlimit64 {
  uint64_t rlim_cur, rlim_max;
};
static_assert(sizeof(Rlimit64) == 16);

struct Sysinfo {  // struct sysinfo with 32-bit longs
  int32_t uptime;
  uint32_t loads[3];
  uint32_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
  uint16_t procs, pad;
  uint32_t totalhigh, freehigh;
  uint32_t mem_unit;
  char f[8];
};
static_assert(sizeof(Sysinfo) == 64);

struct Winsize {
  uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};
static_assert(sizeof(Winsize) == 8);

// struct termios as TCGETS fills it on MIPS (asm/termbits.h): NCCS is 23 and
// c_line comes before c_cc, with no speed fields.
inline constexpr int kMipsNccs = 23;
struct Termios {
  uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
  uint8_t c_line;
  uint8_t c_cc[kMipsNccs];
};
static_assert(sizeof(Termios) == 40);

}  // namespace mips
}  // namespace mipsrun

#endif  // MIPSRUN_SYSCALLS_MIPS_ABI_H_
