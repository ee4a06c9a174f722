// Waiting for descriptors: poll, ppoll, select (_newselect), pselect6, epoll and the
// time64 forms. The waits go through SafeSyscall so a signal cannot be slept past; ppoll and
// pselect6 wait under the guest mask they are given, as sigsuspend does.
//
// struct pollfd is the same everywhere but for two event bits: MIPS defines POLLWRNORM
// as POLLOUT (4) and POLLWRBAND as 0x100, where x86-64 has 0x100 and 0x200. An fd_set is
// an array of 32-bit words in the guest's byte order, bit i of word n for fd 32n+i.
// epoll's event bits are the generic ones on every architecture; struct epoll_event is
// packed on x86-64 (12 bytes) but not on MIPS (16: events, padding, then data).
#include <poll.h>
#include <sys/epoll.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "runtime/host_signals.h"
#include "syscalls/domains.h"
#include "syscalls/errno.h"
#include "syscalls/fd_kinds.h"
#include "syscalls/guest_struct.h"
#include "syscalls/guest_time.h"
#include "syscalls/mips_abi.h"
#include "syscalls/signal_syscalls.h"

namespace mipsrun {
namespace {

constexpr uint16_t kMipsPollWrband = 0x100;
constexpr uint16_t kSameBits = 0x00ff | 0x0400 | 0x1000 | 0x2000;  // IN..RDBAND, MSG, REMOVE, RDHUP

short HostEvents(uint16_t g) {
  short h = static_cast<short>(g & kSameBits);
  if (g & kMipsPollWrband) h |= POLLWRBAND;
  return h;
}
uint16_t GuestEvents(short h) {
  uint16_t g = static_cast<uint16_t>(h) & kSameBits;
  if (h & POLLWRNORM) g |= POLLOUT;
  if (h & POLLWRBAND) g |= kMipsPollWrband;
  return g;
}

// A guest timeout: how long (`none`: for ever), and once the wait starts its absolute
// end on CLOCK_MONOTONIC, which a restart after a signal keeps.
struct Timeout {
  struct timespec length {};
  bool none = true;
  struct timespec end {};
};

// Installs the mask a ppoll/pselect6 caller passes (mask_addr 0: none) for the wait.
int64_t UseCallMask(SyscallContext& c, uint32_t mask_addr, uint32_t size, bool* used) {
  *used = false;
  if (mask_addr == 0) return 0;
  if (size != kMipsSigsetSize) return -kMipsEinval;
  GuestSigset mask;
  if (!ReadMask(c, mask_addr, &mask)) return -kMipsEfault;
  SignalState& st = c.proc.signals;
  st.saved_mask = st.blocked;
  st.has_saved_mask = true;
  SetBlocked(st, mask);
  *used = true;
  return 0;
}

// Ends a wait: the caller's mask comes back now, unless a signal interrupted the call,
// in which case it comes back after the signal's handler (or at once when none runs).
int64_t EndCallMask(SyscallContext& c, bool used, int64_t result) {
  SignalState& st = c.proc.signals;
  if (used && result != -kMipsEintr) {
    SetBlocked(st, st.saved_mask);
    st.has_saved_mask = false;
  }
  return result;
}

// Starts a wait: returns the host call's relative timeout (in *rel, or null for none),
// zero when the guest already has a deliverable signal (the call then only polls, and
// fails with EINTR when nothing is ready).
const struct timespec* StartWait(SyscallContext& c, Timeout& t, struct timespec* rel,
                                 bool* signal_due) {
  SignalState& st = c.proc.signals;
  DrainHostSignals(st);
  SyncSignalfds(c);
  *signal_due = st.HasDeliverable();
  if (!t.none) {
    t.end = WaitEnd(c, CLOCK_MONOTONIC, t.length);
    *rel = TimeUntil(CLOCK_MONOTONIC, t.end);
  }
  if (*signal_due) {
    *rel = {};
    return rel;
  }
  return t.none ? nullptr : rel;
}

// Ends a wait with host result `r`: an interrupted one keeps its end for the restart;
// t.length becomes the time left.
void EndWait(SyscallContext& c, Timeout& t, long r) {
  if (t.none) return;
  if (r == -EINTR) NoteInterruptedWait(c, t.end);
  t.length = TimeUntil(CLOCK_MONOTONIC, t.end);
}

int64_t DoPoll(SyscallContext& c, uint32_t addr, uint32_t nfds, Timeout& t) {
  if (nfds > 65536) return -kMipsEinval;
  GuestStruct g(c.mem, addr, nfds * 8);
  if (nfds != 0 && !g.writable()) return -kMipsEfault;
  std::vector<struct pollfd> fds(nfds);
  for (uint32_t i = 0; i < nfds; ++i) {
    fds[i].fd = static_cast<int>(g.Get32(8 * i));
    fds[i].events = HostEvents(g.Get16(8 * i + 4));
  }
  bool signal_due;
  struct timespec rel;
  const struct timespec* tp = StartWait(c, t, &rel, &signal_due);
  long r = SafeSyscall(SYS_ppoll, reinterpret_cast<long>(fds.data()), nfds,
                       reinterpret_cast<long>(tp), 0, 8);
  if (r == 0 && signal_due) r = -EINTR;
  EndWait(c, t, r);
  if (r < 0) return GuestResultFromNegErrno(r);
  for (uint32_t i = 0; i < nfds; ++i) g.Put16(8 * i + 6, GuestEvents(fds[i].revents));
  return r;
}

// A timeout in milliseconds; negative: none.
Timeout MsTimeout(uint32_t ms_arg) {
  Timeout t;
  int32_t ms = static_cast<int32_t>(ms_arg);
  if (ms >= 0) {
    t.none = false;
    t.length.tv_sec = ms / 1000;
    t.length.tv_nsec = (ms % 1000) * 1000000L;
  }
  return t;
}

int64_t SysPoll(SyscallContext& c) {
  Timeout t = MsTimeout(c.a[2]);
  return DoPoll(c, c.a[0], c.a[1], t);
}

// Reads an optional timespec argument; false: EFAULT.
bool ReadTimeout(SyscallContext& c, uint32_t addr, TimeLayout l, Timeout* t) {
  if (addr == 0) return true;
  t->none = false;
  return ReadTimespec(c, addr, l, &t->length);
}

int64_t Ppoll(SyscallContext& c, TimeLayout l) {
  Timeout t;
  if (!ReadTimeout(c, c.a[2], l, &t)) return -kMipsEfault;
  bool used;
  if (int64_t e = UseCallMask(c, c.a[3], c.a[4], &used)) return e;
  int64_t r = DoPoll(c, c.a[0], c.a[1], t);
  if (!t.none) WriteTimespec(c, c.a[2], l, t.length);  // the kernel writes back the time left
  return EndCallMask(c, used, r);
}
int64_t SysPpoll(SyscallContext& c) { return Ppoll(c, TimeLayout::k32); }
int64_t SysPpoll64(SyscallContext& c) { return Ppoll(c, TimeLayout::k64); }

// The three guest fd_sets of a select, copied to host ones and back.
struct FdSets {
  uint32_t addr[3] = {};
  std::vector<uint64_t> host[3];
};

bool LoadFdSets(SyscallContext& c, uint32_t n, const uint32_t addrs[3], FdSets* s) {
  uint32_t words = (n + 31) / 32;
  for (int k = 0; k < 3; ++k) {
    s->addr[k] = addrs[k];
    if (addrs[k] == 0) continue;
    GuestStruct g(c.mem, addrs[k], words * 4);
    if (words != 0 && !g.writable()) return false;
    s->host[k].assign((n + 63) / 64, 0);
    for (uint32_t w = 0; w < words; ++w) {
      s->host[k][w / 2] |= uint64_t{g.Get32(4 * w)} << (32 * (w % 2));
    }
  }
  return true;
}

void StoreFdSets(SyscallContext& c, uint32_t n, const FdSets& s) {
  uint32_t words = (n + 31) / 32;
  for (int k = 0; k < 3; ++k) {
    if (s.addr[k] == 0) continue;
    GuestStruct g(c.mem, s.addr[k], words * 4);
    for (uint32_t w = 0; w < words; ++w) {
      g.Put32(4 * w, static_cast<uint32_t>(s.host[k][w / 2] >> (32 * (w % 2))));
    }
  }
}

int64_t DoSelect(SyscallContext& c, uint32_t n, const uint32_t addrs[3], Timeout& t) {
  if (static_cast<int32_t>(n) < 0) return -kMipsEinval;
  FdSets sets;
  if (!LoadFdSets(c, n, addrs, &sets)) return -kMipsEfault;
  long ptrs[3];
  for (int k = 0; k < 3; ++k) {
    ptrs[k] = sets.host[k].empty() ? 0 : reinterpret_cast<long>(sets.host[k].data());
  }
  bool signal_due;
  struct timespec rel;
  const struct timespec* tp = StartWait(c, t, &rel, &signal_due);
  long r = SafeSyscall(SYS_pselect6, n, ptrs[0], ptrs[1], ptrs[2], reinterpret_cast<long>(tp), 0);
  if (r == 0 && signal_due) r = -EINTR;
  EndWait(c, t, r);
  if (r < 0) return GuestResultFromNegErrno(r);
  StoreFdSets(c, n, sets);
  return r;
}

// _newselect(n, in, out, ex, struct old_timeval32 *): the time left is written back.
int64_t SysNewselect(SyscallContext& c) {
  Timeout t;
  if (c.a[4] != 0) {
    GuestStruct g(c.mem, c.a[4], sizeof(mips::Timeval32));
    if (!g.writable()) return -kMipsEfault;
    int32_t sec = static_cast<int32_t>(g.Get32(0)), usec = static_cast<int32_t>(g.Get32(4));
    if (sec < 0 || usec < 0) return -kMipsEinval;
    t.none = false;
    t.length.tv_sec = sec + usec / 1000000;
    t.length.tv_nsec = (usec % 1000000) * 1000L;
  }
  int64_t r = DoSelect(c, c.a[0], &c.a[1], t);
  if (!t.none) {
    GuestStruct g(c.mem, c.a[4], sizeof(mips::Timeval32));
    g.Put32(0, static_cast<uint32_t>(t.length.tv_sec));
    g.Put32(4, static_cast<uint32_t>(t.length.tv_nsec / 1000));
  }
  return r;
}

// pselect6(n, in, out, ex, timespec *, {const sigset_t *ss; size_t ss_len} *).
int64_t Pselect6(SyscallContext& c, TimeLayout l) {
  Timeout t;
  if (!ReadTimeout(c, c.a[4], l, &t)) return -kMipsEfault;
  uint32_t mask_addr = 0, mask_size = 0;
  if (c.a[5] != 0) {
    GuestStruct g(c.mem, c.a[5], 8);
    if (!g.readable()) return -kMipsEfault;
    mask_addr = g.Get32(0);
    mask_size = g.Get32(4);
  }
  bool used;
  if (int64_t e = UseCallMask(c, mask_addr, mask_size, &used)) return e;
  int64_t r = DoSelect(c, c.a[0], &c.a[1], t);
  if (!t.none) WriteTimespec(c, c.a[4], l, t.length);
  return EndCallMask(c, used, r);
}
int64_t SysPselect6(SyscallContext& c) { return Pselect6(c, TimeLayout::k32); }
int64_t SysPselect6Time64(SyscallContext& c) { return Pselect6(c, TimeLayout::k64); }

int64_t SysEpollCreate(SyscallContext& c) {
  if (static_cast<int32_t>(c.a[0]) <= 0) return -kMipsEinval;
  return GuestResult(epoll_create1(0));
}
int64_t SysEpollCreate1(SyscallContext& c) {
  if (c.a[0] & ~kMipsOCloexec) return -kMipsEinval;
  return GuestResult(epoll_create1((c.a[0] & kMipsOCloexec) ? EPOLL_CLOEXEC : 0));
}

constexpr uint32_t kGuestEpollEventSize = 16;

int64_t SysEpollCtl(SyscallContext& c) {
  struct epoll_event ev {};
  if (c.a[1] != EPOLL_CTL_DEL) {
    GuestStruct g(c.mem, c.a[3], kGuestEpollEventSize);
    if (!g.readable()) return -kMipsEfault;
    ev.events = g.Get32(0);
    ev.data.u64 = g.Get64(8);
  }
  return GuestResult(epoll_ctl(static_cast<int>(c.a[0]), static_cast<int>(c.a[1]),
                               static_cast<int>(c.a[2]), &ev));
}

// epoll_wait and epoll_pwait (timeout in ms, -1: for ever) and epoll_pwait2 (a
// timespec). Like the kernel, a restart after a signal that no handler takes waits
// for the whole timeout again.
int64_t EpollWait(SyscallContext& c, const Timeout& t, uint32_t mask_addr, uint32_t mask_size) {
  int32_t max = static_cast<int32_t>(c.a[2]);
  if (max <= 0 || max > 65536) return -kMipsEinval;
  GuestStruct out(c.mem, c.a[1], static_cast<uint32_t>(max) * kGuestEpollEventSize);
  if (!out.writable()) return -kMipsEfault;
  bool used;
  if (int64_t e = UseCallMask(c, mask_addr, mask_size, &used)) return e;
  std::vector<struct epoll_event> events(static_cast<size_t>(max));
  Timeout once = t;
  bool signal_due;
  struct timespec rel;
  const struct timespec* tp = StartWait(c, once, &rel, &signal_due);
  long r = SafeSyscall(SYS_epoll_pwait2, static_cast<int>(c.a[0]),
                       reinterpret_cast<long>(events.data()), max, reinterpret_cast<long>(tp), 0, 8);
  if (r == -ENOSYS) {  // a host kernel before 5.11: milliseconds, rounded up
    long ms = tp ? tp->tv_sec * 1000 + (tp->tv_nsec + 999999) / 1000000 : -1;
    r = SafeSyscall(SYS_epoll_pwait, static_cast<int>(c.a[0]),
                    reinterpret_cast<long>(events.data()), max, ms, 0, 8);
  }
  if (r == 0 && signal_due) r = -EINTR;
  if (r > 0) {
    for (long i = 0; i < r; ++i) {
      out.Put32(static_cast<uint32_t>(i) * kGuestEpollEventSize, events[i].events);
      out.Put32(static_cast<uint32_t>(i) * kGuestEpollEventSize + 4, 0);
      out.Put64(static_cast<uint32_t>(i) * kGuestEpollEventSize + 8, events[i].data.u64);
    }
  }
  return EndCallMask(c, used, r < 0 ? GuestResultFromNegErrno(r) : r);
}
int64_t SysEpollWait(SyscallContext& c) { return EpollWait(c, MsTimeout(c.a[3]), 0, 0); }
int64_t SysEpollPwait(SyscallContext& c) { return EpollWait(c, MsTimeout(c.a[3]), c.a[4], c.a[5]); }
int64_t SysEpollPwait2(SyscallContext& c) {
  Timeout t;
  if (!ReadTimeout(c, c.a[3], TimeLayout::k64, &t)) return -kMipsEfault;
  return EpollWait(c, t, c.a[4], c.a[5]);
}

// Interrupted by a handler, these fail with EINTR whatever SA_RESTART says; without one
// they start again, towards the same end.
constexpr SyscallDef kDefs[] = {
    {kNr_poll, SysPoll, "pud", 'd', false},
    {kNr_ppoll, SysPpoll, "pupxu", 'd', false},
    {kNr_ppoll_time64, SysPpoll64, "pupxu", 'd', false},
    {kNr__newselect, SysNewselect, "dpppp", 'd', false},
    {kNr_pselect6, SysPselect6, "dppppp", 'd', false},
    {kNr_pselect6_time64, SysPselect6Time64, "dppppp", 'd', false},
    {kNr_epoll_create, SysEpollCreate, "d", 'f'},
    {kNr_epoll_create1, SysEpollCreate1, "x", 'f'},
    {kNr_epoll_ctl, SysEpollCtl, "fdfp"},
    {kNr_epoll_wait, SysEpollWait, "fpdd", 'd', false},
    {kNr_epoll_pwait, SysEpollPwait, "fpddpu", 'd', false},
    {kNr_epoll_pwait2, SysEpollPwait2, "fpdppu", 'd', false},
};

}  // namespace

std::span<const SyscallDef> PollSyscalls() { return kDefs; }

}  // namespace mipsrun
