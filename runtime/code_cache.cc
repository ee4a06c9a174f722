#include "runtime/code_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mipsrun {
namespace {

constexpr char kMagic[8] = {'M', 'I', 'P', 'S', 'C', 'C', '0', '1'};
constexpr size_t kMaxRegionsAt = 8;  // variants looked at for one head
constexpr int kTrimOneRunIn = 32;

void Put32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void Put64(std::string& out, uint64_t v) {
  Put32(out, static_cast<uint32_t>(v));
  Put32(out, static_cast<uint32_t>(v >> 32));
}

// Reads little-endian words from a description; fails (and stays failed) past its end.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  uint32_t Get32() {
    if (at_ > s_.size() || s_.size() - at_ < 4) {
      ok_ = false;
      return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(s_[at_ + i])} << (8 * i);
    at_ += 4;
    return v;
  }
  uint64_t Get64() {
    uint64_t lo = Get32();
    return lo | uint64_t{Get32()} << 32;
  }
  bool ok() const { return ok_; }
  bool done() const { return at_ == s_.size(); }
  size_t at() const { return at_; }

 private:
  std::string_view s_;
  size_t at_ = 0;
  bool ok_ = true;
};

// What a file of the system says about who made it: inode, size, modification time.
std::string Identity(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return absl::StrCat(path, ": none");
  return absl::StrFormat("%s: %u %d %d.%09d", path, st.st_ino, st.st_size, st.st_mtim.tv_sec,
                         st.st_mtim.tv_nsec);
}

std::string SelfExe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, n) : std::string();
}

// The host CPU's model and feature flags, as the kernel lists them.
std::string HostCpu() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, out;
  bool model = false, flags = false;
  while (std::getline(in, line) && !(model && flags)) {
    if (!model && line.starts_with("model name")) {
      out += line + "\n";
      model = true;
    } else if (!flags && line.starts_with("flags")) {
      out += line + "\n";
      flags = true;
    }
  }
  return out;
}

bool MakeDirs(const std::string& path) {
  for (size_t at = 1; at <= path.size(); ++at) {
    if (at != path.size() && path[at] != '/') continue;
    std::string part = path.substr(0, at);
    if (mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  return true;
}

}  // namespace

CodeCache::CodeCache(std::string dir, uint64_t limit) : dir_(std::move(dir)), limit_(limit) {}

uint64_t CodeCache::Hash(std::string_view bytes, uint64_t seed) {
  // 64-bit multiply-xorshift over 8-byte words; stable across runs and builds.
  constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;
  uint64_t h = seed ^ (bytes.size() * kMul);
  auto mix = [](uint64_t x) {
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ull;
    x ^= x >> 32;
    return x;
  };
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    memcpy(&w, bytes.data() + i, 8);
    h = mix(h ^ w) * kMul;
  }
  uint64_t tail = 0;
  if (i < bytes.size()) memcpy(&tail, bytes.data() + i, bytes.size() - i);
  return mix(h ^ tail ^ (uint64_t{bytes.size() - i} << 56));
}

std::string CodeCache::Describe(const RegionSpec& region) {
  std::string out;
  Put32(out, (region.big_endian ? 1 : 0) | (region.fr ? 2 : 0) |
                 (region.inline_fp_slow_paths ? 4 : 0));
  Put32(out, static_cast<uint32_t>(region.blocks.size()));
  for (const RegionBlock& b : region.blocks) {
    Put32(out, b.start);
    Put32(out, b.end);
    Put32(out, b.entry ? 1 : 0);
    Put32(out, static_cast<uint32_t>(b.insns.size()));
    for (const Insn& insn : b.insns) {
      Put32(out, insn.raw);
      Put32(out, insn.delay_slot ? 1 : 0);
    }
  }
  Put32(out, static_cast<uint32_t>(region.exits.size()));
  for (const RegionExit& e : region.exits) {
    Put32(out, e.pc);
    Put32(out, e.cell ? 1 : 0);
  }
  return out;
}

std::optional<CachedRegion> CodeCache::Parse(std::string_view description) {
  Reader r(description);
  CachedRegion c;
  uint32_t flags = r.Get32();
  c.big_endian = flags & 1;
  c.fr = flags & 2;
  c.inline_fp_slow_paths = flags & 4;
  uint32_t blocks = r.Get32();
  if (!r.ok() || blocks == 0 || blocks > description.size() / 16) return std::nullopt;
  for (uint32_t i = 0; i < blocks && r.ok(); ++i) {
    CachedRegion::Block b;
    b.start = r.Get32();
    b.end = r.Get32();
    b.entry = r.Get32() != 0;
    uint32_t n = r.Get32();
    if (!r.ok() || n == 0 || n > (description.size() - r.at()) / 8) return std::nullopt;
    for (uint32_t k = 0; k < n; ++k) {
      b.words.push_back(r.Get32());
      b.delay_slot.push_back(r.Get32() != 0);
    }
    c.blocks.push_back(std::move(b));
  }
  uint32_t exits = r.Get32();
  if (!r.ok() || exits > description.size() / 8) return std::nullopt;
  for (uint32_t i = 0; i < exits; ++i) {
    uint32_t pc = r.Get32();
    c.exits.emplace_back(pc, r.Get32() != 0);
  }
  if (!r.ok() || !r.done()) return std::nullopt;
  return c;
}

const std::string& CodeCache::SaltDir() {
  std::call_once(salt_once_, [this] {
    std::string exe = SelfExe();
    std::string module = exe.substr(0, exe.rfind('/') + 1) + kTranslatorModule;
    std::string salt = absl::StrCat("mipsrun code cache 1\n", Identity(exe), "\n",
                                    Identity(module), "\n", HostCpu());
    for (const char* var : {"MIPSRUN_JIT_CPU", "MIPSRUN_CG_LEVEL", "MIPSRUN_LLVM_OPTS"}) {
      const char* v = getenv(var);
      absl::StrAppend(&salt, var, "=", v ? v : "(unset)", "\n");
    }
    salt_dir_ = absl::StrFormat("%s/%016x", dir_, Hash(salt));
  });
  return salt_dir_;
}

std::string CodeCache::PathOf(uint32_t head, std::string_view description) {
  return absl::StrFormat("%s/%08x/%016x", SaltDir(), head, Hash(description));
}

std::optional<std::pair<std::string, std::string>> CodeCache::ReadEntry(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string bytes;
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size < (int64_t{1} << 30)) {
    bytes.resize(st.st_size);
    size_t got = 0;
    while (got < bytes.size()) {
      ssize_t n = read(fd, bytes.data() + got, bytes.size() - got);
      if (n <= 0) break;
      got += n;
    }
    bytes.resize(got);
  }
  close(fd);
  // magic, description length and bytes, object length and bytes, checksum of all that.
  if (bytes.size() < sizeof kMagic + 4 + 8 + 8 || memcmp(bytes.data(), kMagic, sizeof kMagic)) {
    return std::nullopt;
  }
  std::string_view body(bytes.data(), bytes.size() - 8);
  Reader tail(std::string_view(bytes).substr(body.size()));
  if (tail.Get64() != Hash(body)) return std::nullopt;
  Reader r(body.substr(sizeof kMagic));
  uint32_t dlen = r.Get32();
  size_t at = sizeof kMagic + 4;
  if (!r.ok() || dlen > body.size() - at) return std::nullopt;
  std::string description(body.substr(at, dlen));
  at += dlen;
  Reader o(body.substr(at));
  uint64_t olen = o.Get64();
  at += 8;
  if (!o.ok() || olen != body.size() - at) return std::nullopt;
  return std::make_pair(std::move(description), std::string(body.substr(at)));
}

std::optional<std::string> CodeCache::Find(const RegionSpec& region) {
  if (region.blocks.empty()) return std::nullopt;
  std::string description = Describe(region);
  std::string path = PathOf(region.blocks[0].start, description);
  auto entry = ReadEntry(path);
  if (!entry || entry->first != description) return std::nullopt;
  // Used now: trimming takes the files unused longest first.
  utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
  ++hits_;
  return std::move(entry->second);
}

std::vector<CachedRegion> CodeCache::RegionsAt(uint32_t head, bool big_endian, bool fr) {
  std::vector<CachedRegion> out;
  std::string dir = absl::StrFormat("%s/%08x", SaltDir(), head);
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.' || strchr(e->d_name, '.')) continue;  // ., .., temporaries
    auto entry = ReadEntry(dir + "/" + e->d_name);
    if (!entry) continue;
    std::optional<CachedRegion> region = Parse(entry->first);
    if (!region || region->big_endian != big_endian || region->fr != fr ||
        region->blocks[0].start != head) {
      continue;
    }
    out.push_back(std::move(*region));
    if (out.size() == kMaxRegionsAt) break;
  }
  closedir(d);
  // The largest first: it was formed from the most that ran.
  std::stable_sort(out.begin(), out.end(), [](const CachedRegion& a, const CachedRegion& b) {
    return a.blocks.size() > b.blocks.size();
  });
  return out;
}

void CodeCache::Store(const RegionSpec& region, std::string_view object) {
  if (region.blocks.empty() || object.empty()) return;
  std::string description = Describe(region);
  std::string path = PathOf(region.blocks[0].start, description);
  if (!MakeDirs(path.substr(0, path.rfind('/')))) return;
  std::string bytes(kMagic, sizeof kMagic);
  Put32(bytes, static_cast<uint32_t>(description.size()));
  bytes += description;
  Put64(bytes, object.size());
  bytes += object;
  Put64(bytes, Hash(bytes));
  std::string temp = absl::StrFormat("%s.%d.%d", path, getpid(), gettid());
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  size_t put = 0;
  while (put < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + put, bytes.size() - put);
    if (n <= 0) break;
    put += n;
  }
  close(fd);
  if (put != bytes.size() || rename(temp.c_str(), path.c_str()) != 0) {
    unlink(temp.c_str());
    return;
  }
  // Counting the whole cache is a walk of all its files: not on every store, nor in
  // every process (a test suite runs thousands), but in about one run in
  // kTrimOneRunIn that stores something, when it first does.
  if (stores_++ == 0 && (trim_always_ || getpid() % kTrimOneRunIn == 0)) TrimIfLarge();
}

// Removes the files used longest ago, of any salt (other builds' go first, being
// older), until the cache is under three quarters of its limit.
void CodeCache::TrimIfLarge() {
  struct File {
    std::string path;
    int64_t mtime;
    uint64_t size;
  };
  std::vector<File> files;
  uint64_t total = 0;
  auto walk = [&](auto& self, const std::string& dir, int depth) -> void {
    DIR* d = opendir(dir.c_str());
    if (!d) return;
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::string path = dir + "/" + e->d_name;
      struct stat st;
      if (lstat(path.c_str(), &st) != 0) continue;
      if (S_ISDIR(st.st_mode) && depth < 2) {
        self(self, path, depth + 1);
      } else if (S_ISREG(st.st_mode) && depth == 2) {
        files.push_back(File{path, st.st_mtim.tv_sec * 1000000000ll + st.st_mtim.tv_nsec,
                             static_cast<uint64_t>(st.st_size)});
        total += st.st_size;
      }
    }
    closedir(d);
  };
  walk(walk, dir_, 0);
  if (total <= limit_) return;
  std::sort(files.begin(), files.end(), [](const File& a, const File& b) { return a.mtime < b.mtime; });
  for (const File& f : files) {
    if (total <= limit_ / 4 * 3) break;
    if (unlink(f.path.c_str()) == 0) total -= f.size;
  }
}

std::string DefaultCodeCacheDir() {
  if (const char* v = getenv("MIPSRUN_CODE_CACHE")) {
    return std::string_view(v) == "off" ? std::string() : std::string(v);
  }
  if (const char* xdg = getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') {
    return absl::StrCat(xdg, "/mipsrun");
  }
  if (const char* home = getenv("HOME"); home && *home == '/') {
    return absl::StrCat(home, "/.cache/mipsrun");
  }
  return std::string();
}

}  // namespace mipsrun
