#include "loader/loader.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace mipsrun {
namespace {

absl::Status FileError(const std::string& path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

int ProtOf(uint32_t pflags) {
  return ((pflags & PF_R) ? kProtRead : 0) | ((pflags & PF_W) ? kProtWrite : 0) |
         ((pflags & PF_X) ? kProtExec : 0);
}

// Maps every PT_LOAD of `image` at `bias`: zeroed pages first; then each segment's file
// pages from the file itself (private, as the kernel's elf_map does), or, for a segment
// that shares a page with another, its bytes read into the zeroed pages; then each page
// gets the union of the protections of the segments that share it.
absl::Status MapSegments(const ElfImage& image, uint32_t bias, GuestMemory& mem) {
  std::map<uint32_t, int> page_prot;
  std::map<uint32_t, int> page_users;  // how many segments lie on each page
  for (const ElfSegment& s : image.info.loads) {
    uint32_t start = PageDown(s.vaddr + bias);
    uint64_t end = PageUp(uint64_t{s.vaddr} + bias + s.memsz);
    for (uint64_t p = start; p < end; p += kGuestPageSize) {
      page_prot[static_cast<uint32_t>(p)] |= ProtOf(s.flags);
      ++page_users[static_cast<uint32_t>(p)];
    }
  }
  // Runs of consecutive pages are mapped, and later protected, with one call each.
  auto for_each_run = [&](auto key, auto fn) -> int {
    for (auto it = page_prot.begin(); it != page_prot.end();) {
      uint32_t start = it->first;
      auto k = key(*it);
      uint32_t end = start;
      while (it != page_prot.end() && it->first == end && key(*it) == k) {
        end += kGuestPageSize;
        ++it;
      }
      if (int r = fn(start, end - start, k); r < 0) return r;
    }
    return 0;
  };
  auto map_error = [&](int r) {
    return FileError(image.path, absl::StrCat("cannot map segment: ", strerror(-r)));
  };
  int r = for_each_run(
      [&](const auto& page) { return mem.IsMapped(page.first); },
      [&](uint32_t start, uint32_t len, bool mapped) {
        return mapped ? 0 : mem.Map(start, len, kProtRead | kProtWrite, false, -1, 0);
      });
  if (r < 0) return map_error(r);
  for (const ElfSegment& s : image.info.loads) {
    if (s.filesz == 0) continue;
    uint32_t vaddr = s.vaddr + bias;
    uint32_t first = PageDown(vaddr);
    uint32_t last = static_cast<uint32_t>(PageUp(uint64_t{vaddr} + s.filesz));
    bool alone = true;
    for (uint32_t p = first; p < last; p += kGuestPageSize) alone &= page_users[p] == 1;
    if (alone && mem.Map(first, last - first, kProtRead | kProtWrite, false, image.fd(),
                         s.offset - (vaddr - first)) == 0) {
      // The page's bytes before the segment come from the file too, as on the kernel
      // (the ELF header at the start of the text segment's first page); .bss that
      // begins inside the last file page starts zeroed (padzero).
      if (s.memsz > s.filesz) memset(mem.Host(vaddr + s.filesz), 0, last - (vaddr + s.filesz));
      continue;
    }
    if (alone) {
      // A file that cannot be mapped (some file systems): zero pages again (a failed
      // MAP_FIXED may have dropped them), and its bytes read in.
      r = mem.Map(first, last - first, kProtRead | kProtWrite, false, -1, 0);
      if (r < 0) return map_error(r);
    }
    for (uint32_t done = 0; done < s.filesz;) {
      ssize_t n = pread(image.fd(), mem.Host(vaddr + done), s.filesz - done, s.offset + done);
      if (n <= 0) {
        return FileError(image.path, n < 0 ? strerror(errno) : "file shrank while being read");
      }
      done += static_cast<uint32_t>(n);
    }
  }
  for_each_run([](const auto& page) { return page.second; },
               [&](uint32_t start, uint32_t len, int prot) { return mem.Protect(start, len, prot); });
  return absl::OkStatus();
}

// The FPU register mode the kernel picks for an object on an R2 CPU with a 64-bit FPU
// (arch/mips/kernel/elf.c, fpu_reqs): FR=1 for the "any", FPXX, FP64 and FP64A ABIs of
// .MIPS.abiflags; FR=0 for FP32 ("double"), single and soft float, and for objects
// without abiflags (which the kernel reads as FP32).
bool AllowsFr1(const ElfInfo& info) {
  if (!info.fp_abi) return false;
  switch (*info.fp_abi) {
    case 0: case 5: case 6: case 7: return true;
    default: return false;
  }
}

// Copies `s` with its NUL below `*sp` and returns its guest address.
uint32_t PushString(GuestMemory& mem, uint32_t* sp, const std::string& s) {
  *sp -= static_cast<uint32_t>(s.size() + 1);
  memcpy(mem.Host(*sp), s.c_str(), s.size() + 1);
  return *sp;
}

}  // namespace

ElfImage& ElfImage::operator=(ElfImage&& other) noexcept {
  std::swap(path, other.path);
  std::swap(info, other.info);
  std::swap(fd_, other.fd_);
  std::swap(data_, other.data_);
  std::swap(size_, other.size_);
  return *this;
}

ElfImage::~ElfImage() {
  if (data_) munmap(const_cast<uint8_t*>(data_), size_);
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<ElfImage> ReadElfImage(const std::string& path) {
  ElfImage image;
  image.path = path;
  image.fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (image.fd_ < 0) return FileError(path, strerror(errno));
  struct stat st;
  if (fstat(image.fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    return FileError(path, S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
  }
  if (st.st_size > 0) {
    void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, image.fd_, 0);
    if (p == MAP_FAILED) return FileError(path, strerror(errno));
    image.data_ = static_cast<const uint8_t*>(p);
    image.size_ = static_cast<size_t>(st.st_size);
  }
  absl::StatusOr<ElfInfo> info = ParseElf(image.bytes());
  if (!info.ok()) return FileError(path, info.status().message());
  image.info = *std::move(info);
  return image;
}

absl::StatusOr<LoadedProgram> LoadProgram(const ElfImage& main, const LoadRequest& req,
                                          GuestMemory& mem) {
  LoadedProgram out;
  const ElfInfo& info = main.info;
  if (info.is_dyn) out.load_bias = kEtDynBase - info.min_vaddr();
  if (absl::Status s = MapSegments(main, out.load_bias, mem); !s.ok()) return s;
  mem.brk_start = mem.brk_current =
      static_cast<uint32_t>(PageUp(uint64_t{info.max_vaddr()} + out.load_bias));
  out.entry = info.entry + out.load_bias;
  out.fr = AllowsFr1(info);
  out.nan2008 = info.flags & 0x400;  // EF_MIPS_NAN2008

  if (info.interp) {
    std::string path = *info.interp;
    if (!req.sysroot.empty()) {
      std::string rooted = req.sysroot + (path[0] == '/' ? "" : "/") + path;
      if (access(rooted.c_str(), F_OK) == 0) path = rooted;
    }
    absl::StatusOr<ElfImage> interp = ReadElfImage(path);
    if (!interp.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          main.path, ": cannot load its interpreter (", interp.status().message(), ")",
          req.sysroot.empty() ? "; give the guest's sysroot with -L DIR" : ""));
    }
    if (interp->info.big_endian != info.big_endian) {
      return FileError(main.path, absl::StrCat("interpreter ", path, " has the other byte order"));
    }
    uint32_t span = static_cast<uint32_t>(PageUp(interp->info.max_vaddr()) - interp->info.min_vaddr());
    uint32_t base = mem.FindFree(span);
    if (base == 0) return FileError(main.path, "no room for the interpreter");
    uint32_t bias = interp->info.is_dyn ? base - interp->info.min_vaddr() : 0;
    if (absl::Status s = MapSegments(*interp, bias, mem); !s.ok()) return s;
    out.interp_base = bias + interp->info.min_vaddr();
    out.fr = out.fr && AllowsFr1(interp->info);  // the kernel combines both objects' needs
    out.entry = interp->info.entry + bias;
  }

  // ---- The stack (fs/binfmt_elf.c create_elf_tables, exec.c copy_strings) ----
  uint32_t stack_low = kStackTop - kStackSize;
  if (int r = mem.Map(stack_low, kStackSize, kProtRead | kProtWrite, false, -1, 0); r < 0) {
    return FileError(main.path, absl::StrCat("cannot map the stack: ", strerror(-r)));
  }
  uint32_t sp = kStackTop - 4;  // the kernel leaves one word at the very top
  // Strings, highest first: the file name, then the environment, then the arguments.
  uint32_t execfn = PushString(mem, &sp, req.execfn);
  std::vector<uint32_t> envp(req.envp.size()), argv(req.argv.size());
  for (size_t i = req.envp.size(); i-- > 0;) envp[i] = PushString(mem, &sp, req.envp[i]);
  for (size_t i = req.argv.size(); i-- > 0;) argv[i] = PushString(mem, &sp, req.argv[i]);
  uint32_t platform = PushString(mem, &sp, "mips");
  sp &= ~3u;
  sp -= 16;
  uint32_t random = sp;
  uint8_t bytes[16];
  if (getrandom(bytes, sizeof bytes, 0) != sizeof bytes) memset(bytes, 0x5a, sizeof bytes);
  memcpy(mem.Host(random), bytes, sizeof bytes);

  uint32_t phdr = info.phdr_vaddr ? *info.phdr_vaddr + out.load_bias : 0;
  const std::pair<uint32_t, uint32_t> auxv[] = {
      {AT_HWCAP, 0},  // no R6, MSA or CRC32 (asm/hwcap.h)
      {AT_PAGESZ, kGuestPageSize},
      {AT_CLKTCK, 100},
      {AT_PHDR, phdr},
      {AT_PHENT, sizeof(Elf32_Phdr)},
      {AT_PHNUM, info.phnum},
      {AT_BASE, out.interp_base},
      {AT_FLAGS, 0},
      {AT_ENTRY, info.entry + out.load_bias},
      {AT_UID, getuid()},
      {AT_EUID, geteuid()},
      {AT_GID, getgid()},
      {AT_EGID, getegid()},
      {AT_SECURE, 0},
      {AT_RANDOM, random},
      {AT_EXECFN, execfn},
      {AT_PLATFORM, platform},
      {AT_NULL, 0},
  };
  size_t words = 1 + argv.size() + 1 + envp.size() + 1 + 2 * std::size(auxv);
  sp = (sp - static_cast<uint32_t>(words * 4)) & ~15u;  // STACK_ROUND: 16-byte aligned
  uint32_t w = sp;
  auto put = [&](uint32_t v) {
    mem.Write32(w, v);
    w += 4;
  };
  put(static_cast<uint32_t>(argv.size()));
  for (uint32_t a : argv) put(a);
  put(0);
  for (uint32_t e : envp) put(e);
  put(0);
  for (auto [key, value] : auxv) {
    put(key);
    put(value);
  }
  out.sp = sp;
  return out;
}

}  // namespace mipsrun
