// Guest signal state, frames and host siginfo translation (runtime/signal_*.h).
#include <signal.h>

#include <cstring>

#include "gtest/gtest.h"
#include "runtime/guest_memory.h"
#include "runtime/host_signals.h"
#include "runtime/signal_frame.h"
#include "runtime/signal_state.h"
#include "syscalls/signal_numbers.h"

namespace mipsrun {
namespace {

GuestSiginfo Info(int sig, int32_t code = kMipsSiUser) {
  GuestSiginfo i;
  i.signo = sig;
  i.code = code;
  return i;
}

TEST(SignalStateTest, StandardSignalsCoalesceRealTimeOnesQueue) {
  SignalState st;
  st.Enqueue(Info(mips_sig::kUsr1));
  st.Enqueue(Info(mips_sig::kUsr1));
  st.Enqueue(Info(kMipsSigrtmin + 2));
  st.Enqueue(Info(kMipsSigrtmin + 2));
  GuestSiginfo out;
  int usr1 = 0, rt = 0;
  while (st.TakeDeliverable(&out)) (out.signo == mips_sig::kUsr1 ? usr1 : rt)++;
  EXPECT_EQ(usr1, 1);
  EXPECT_EQ(rt, 2);
  EXPECT_TRUE(st.pending().Empty());
}

TEST(SignalStateTest, ATimersSignalIsPendingOnceAndCountsOverruns) {
  SignalState st;
  auto expiry = [](uint32_t timer, uint32_t overrun) {
    GuestSiginfo i = Info(kMipsSigrtmin + 1, kMipsSiTimer);
    i.fields[0] = timer;
    i.fields[1] = overrun;
    return i;
  };
  st.Enqueue(expiry(7, 0));
  st.Enqueue(expiry(7, 0));
  st.Enqueue(expiry(7, 2));  // the host counted two more already
  st.Enqueue(expiry(8, 0));  // another timer on the same signal queues on its own
  GuestSiginfo out;
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.fields[0], 7u);
  EXPECT_EQ(out.fields[1], 4u);
  EXPECT_EQ(st.TimerOverrun(7), 4u);  // what timer_getoverrun reports now
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.fields[0], 8u);
  EXPECT_EQ(out.fields[1], 0u);
  EXPECT_FALSE(st.TakeDeliverable(&out));
}

TEST(SignalStateTest, FaultsFirstThenLowestNumberAndBlockedStayPending) {
  SignalState st;
  st.Enqueue(Info(mips_sig::kTerm));
  st.Enqueue(Info(mips_sig::kUsr2));
  st.Enqueue(Info(mips_sig::kSegv, 1));
  st.Enqueue(Info(mips_sig::kHup));
  st.blocked.Add(mips_sig::kHup);
  GuestSiginfo out;
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.signo, mips_sig::kSegv);
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.signo, mips_sig::kTerm);
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.signo, mips_sig::kUsr2);
  EXPECT_FALSE(st.TakeDeliverable(&out));
  EXPECT_TRUE(st.pending().Has(mips_sig::kHup));
}

TEST(SignalStateTest, ForcedSignalsAreUnblockedAndResetWhenIgnored) {
  SignalState st;
  st.actions[mips_sig::kFpe].handler = kMipsSigIgn;
  st.blocked.Add(mips_sig::kSegv);
  st.actions[mips_sig::kSegv].handler = 0x400000;
  st.Force(Info(mips_sig::kFpe, 1));
  st.Force(Info(mips_sig::kSegv, 1));
  EXPECT_EQ(st.actions[mips_sig::kFpe].handler, kMipsSigDfl);
  EXPECT_EQ(st.actions[mips_sig::kSegv].handler, kMipsSigDfl);
  EXPECT_FALSE(st.blocked.Has(mips_sig::kSegv));
  EXPECT_TRUE(st.HasDeliverable());
}

TEST(SignalStateTest, ThreadSignalsAreSeenOnlyByTheirThread) {
  SignalState st;
  GuestSiginfo for_other = Info(mips_sig::kUsr1, kMipsSiTkill);
  for_other.target = 200;
  // Before threads (no current tid) the one thread sees everything.
  st.Enqueue(for_other);
  EXPECT_TRUE(st.pending().Has(mips_sig::kUsr1));
  st.current_tid = 100;
  EXPECT_FALSE(st.pending().Has(mips_sig::kUsr1));
  EXPECT_TRUE(st.HasPendingForOthers());
  GuestSiginfo out;
  EXPECT_FALSE(st.TakeDeliverable(&out));
  // The same standard signal for the process pends beside the thread's one.
  st.Enqueue(Info(mips_sig::kUsr1));
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.target, 0);
  st.current_tid = 200;
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.target, 200);
  EXPECT_FALSE(st.HasPendingForOthers());
}

TEST(SignalStateTest, AThreadsOwnSignalGoesBeforeTheProcesss) {
  SignalState st;
  st.current_tid = 100;
  GuestSiginfo shared = Info(kMipsSigrtmin, kMipsSiQueue);
  shared.fields[2] = 1;
  GuestSiginfo own = Info(kMipsSigrtmin, kMipsSiTkill);
  own.target = 100;
  st.Enqueue(shared);
  st.Enqueue(own);
  GuestSiginfo out;
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.code, kMipsSiTkill);
  // A fault is the faulting thread's.
  st.Force(Info(mips_sig::kSegv, 1));
  st.current_tid = 300;
  ASSERT_TRUE(st.TakeDeliverable(&out));
  EXPECT_EQ(out.code, kMipsSiQueue);
  EXPECT_FALSE(st.TakeDeliverable(&out));
}

TEST(SignalStateTest, ASwitchSavesAndRestoresWhatIsPerThread) {
  SignalState st;
  st.current_tid = 100;
  st.blocked.Add(mips_sig::kUsr2);
  st.altstack = GuestAltStack{0x1000, 0x2000, 0};
  st.interrupted = SignalState::Interrupted::kRestartSys;
  st.interrupted_v0 = 4003;
  st.has_saved_mask = true;
  st.saved_mask.Add(mips_sig::kHup);
  ThreadSignals first = st.SaveThread();
  ThreadSignals second;
  second.tid = 200;
  st.LoadThread(second);
  EXPECT_EQ(st.current_tid, 200);
  EXPECT_TRUE(st.blocked.Empty());
  EXPECT_EQ(st.altstack.size, 0u);
  EXPECT_EQ(st.interrupted, SignalState::Interrupted::kNone);
  EXPECT_FALSE(st.has_saved_mask);
  st.LoadThread(first);
  EXPECT_EQ(st.current_tid, 100);
  EXPECT_TRUE(st.blocked.Has(mips_sig::kUsr2));
  EXPECT_EQ(st.altstack.sp, 0x1000u);
  EXPECT_EQ(st.interrupted, SignalState::Interrupted::kRestartSys);
  EXPECT_EQ(st.interrupted_v0, 4003u);
  EXPECT_TRUE(st.has_saved_mask && st.saved_mask.Has(mips_sig::kHup));
}

TEST(SignalStateTest, SigsetWordsAreTheKernelsLayout) {
  GuestSigset s;
  s.Add(1);
  s.Add(32);
  s.Add(33);
  s.Add(127);
  EXPECT_EQ(s.Word(0), 0x80000001u);
  EXPECT_EQ(s.Word(1), 0x1u);
  EXPECT_EQ(s.Word(3), 0x40000000u);
  GuestSigset t;
  for (int i = 0; i < 4; ++i) t.SetWord(i, s.Word(i));
  EXPECT_EQ(s, t);
}

TEST(SignalNumbersTest, MipsNumbersAreNotTheHosts) {
  EXPECT_EQ(MipsToHostSignal(mips_sig::kBus), SIGBUS);    // 10 on MIPS, 7 here
  EXPECT_EQ(MipsToHostSignal(mips_sig::kUsr1), SIGUSR1);  // 16 and 10
  EXPECT_EQ(MipsToHostSignal(mips_sig::kChld), SIGCHLD);  // 18 and 17
  EXPECT_EQ(MipsToHostSignal(mips_sig::kEmt), -1);
  EXPECT_EQ(HostToMipsSignal(SIGRTMIN), kMipsSigrtmin);
  EXPECT_EQ(GuestSignalName(mips_sig::kWinch), "SIGWINCH");
  EXPECT_EQ(GuestSignalName(kMipsSigrtmin + 3), "SIGRT3");
}

TEST(HostSiginfoTest, TranslatesNumbersCodesAndTheUnion) {
  siginfo_t h = {};
  h.si_signo = SIGCHLD;
  h.si_code = CLD_KILLED;
  h.si_pid = 4321;
  h.si_uid = 7;
  h.si_status = SIGUSR1;
  GuestSiginfo g = GuestSiginfoFromHost(h);
  EXPECT_EQ(g.signo, mips_sig::kChld);
  EXPECT_EQ(g.code, CLD_KILLED);
  EXPECT_EQ(g.fields[0], 4321u);
  EXPECT_EQ(g.fields[1], 7u);
  EXPECT_EQ(g.fields[2], static_cast<uint32_t>(mips_sig::kUsr1));  // the signal, in MIPS terms
  siginfo_t t = {};
  t.si_signo = SIGALRM;
  t.si_code = SI_TIMER;
  EXPECT_EQ(GuestSiginfoFromHost(t).code, kMipsSiTimer);  // -3 on MIPS, -2 here
}

class SignalFrameTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    auto m = GuestMemory::Create(GetParam());
    ASSERT_TRUE(m.ok());
    mem_ = *std::move(m);
    ASSERT_EQ(mem_->Map(kStack, 0x10000, kProtRead | kProtWrite, false, -1, 0), 0);
    for (int i = 1; i < 34; ++i) cpu_.gpr[i] = 0x1000 * i + 7;
    cpu_.gpr[29] = kStack + 0x8000;
    cpu_.pc = 0x400100;
    cpu_.fr = true;
    for (int i = 0; i < 32; ++i) cpu_.fpr[i] = 0x1111111100000000ull * (i + 1) + i;
    cpu_.fcsr = 0x00000003;
  }
  static constexpr uint32_t kStack = 0x10000000;
  std::unique_ptr<GuestMemory> mem_;
  CpuState cpu_;
  SignalState st_;
};

TEST_P(SignalFrameTest, RtFrameHoldsTheStateAndSigreturnRestoresIt) {
  CpuState before = cpu_;
  GuestSigaction act;
  act.handler = 0x400800;
  act.flags = kMipsSaSiginfo;
  GuestSigset saved = GuestSigset::Of(mips_sig::kUsr2);
  GuestSiginfo info = Info(mips_sig::kSegv, 2);
  info.fields[0] = 0xdead0;
  ASSERT_TRUE(PushSignalFrame(cpu_, *mem_, st_, info, act, saved));
  uint32_t frame = cpu_.gpr[29];
  EXPECT_EQ(frame % 8, 0u);
  EXPECT_LE(frame + kRtSigframeSize, before.gpr[29] - 32);
  EXPECT_EQ(cpu_.pc, 0x400800u);
  EXPECT_EQ(cpu_.gpr[25], 0x400800u);
  EXPECT_EQ(cpu_.gpr[4], static_cast<uint32_t>(mips_sig::kSegv));
  EXPECT_EQ(cpu_.gpr[5], frame + 24);    // &rs_info
  EXPECT_EQ(cpu_.gpr[6], frame + 152);   // &rs_uc
  // siginfo: si_signo, si_code, si_errno (MIPS order), si_addr.
  EXPECT_EQ(mem_->Read32(frame + 24), static_cast<uint32_t>(mips_sig::kSegv));
  EXPECT_EQ(mem_->Read32(frame + 28), 2u);
  EXPECT_EQ(mem_->Read32(frame + 36), 0xdead0u);
  // uc_mcontext: sc_pc, sc_regs[], mdhi/mdlo, FPRs, FCSR; uc_sigmask.
  uint32_t sc = frame + 152 + 24;
  EXPECT_EQ(mem_->Read64(sc + 8), 0x400100u);
  EXPECT_EQ(mem_->Read64(sc + 16 + 8 * 29), before.gpr[29]);
  EXPECT_EQ(mem_->Read64(sc + 552), before.gpr[32]);
  EXPECT_EQ(mem_->Read64(sc + 272 + 8 * 5), before.fpr[5]);
  EXPECT_EQ(mem_->Read32(sc + 532), 3u);
  EXPECT_EQ(mem_->Read32(frame + 152 + 616), 1u << (mips_sig::kUsr2 - 1));
  // The handler returns to `li v0, 4193; syscall`.
  EXPECT_EQ(mem_->Read32(cpu_.gpr[31]), 0x24021061u);
  EXPECT_EQ(mem_->Read32(cpu_.gpr[31] + 4), 0x0000000cu);
  // A handler edits the saved pc and a register.
  mem_->Write64(sc + 8, 0x400200);
  mem_->Write64(sc + 16 + 8 * 8, 0x77);
  for (int i = 1; i < 34; ++i) cpu_.gpr[i] = 0;
  cpu_.gpr[29] = frame;
  for (auto& f : cpu_.fpr) f = 0;
  EXPECT_EQ(PopSignalFrame(cpu_, *mem_, st_, true), 0);
  EXPECT_EQ(cpu_.pc, 0x400200u);
  EXPECT_EQ(cpu_.gpr[8], 0x77u);
  for (int i = 1; i < 34; ++i) {
    if (i != 8) {
      EXPECT_EQ(cpu_.gpr[i], before.gpr[i]) << i;
    }
  }
  for (int i = 0; i < 32; ++i) EXPECT_EQ(cpu_.fpr[i], before.fpr[i]) << i;
  EXPECT_EQ(st_.blocked, saved);
}

TEST_P(SignalFrameTest, TraditionalFrameForHandlersWithoutSiginfoAndFr0Pairs) {
  cpu_.fr = false;
  for (int i = 0; i < 32; ++i) cpu_.fpr[i] = 0x100 + i;
  CpuState before = cpu_;
  GuestSigaction act;
  act.handler = 0x400800;
  ASSERT_TRUE(PushSignalFrame(cpu_, *mem_, st_, Info(mips_sig::kUsr1), act, GuestSigset{}));
  uint32_t frame = cpu_.gpr[29];
  EXPECT_EQ(cpu_.gpr[5], 0u);
  EXPECT_EQ(cpu_.gpr[6], frame + 24);  // &sf_sc
  EXPECT_EQ(mem_->Read32(cpu_.gpr[31]), 0x24021017u);  // li v0, 4119 (sigreturn)
  // FR=0: the even registers hold the pairs, as sdc1 stores them.
  EXPECT_EQ(mem_->Read64(frame + 24 + 272 + 16), (uint64_t{0x103} << 32) | 0x102);
  for (auto& f : cpu_.fpr) f = 0;
  cpu_.gpr[29] = frame;
  EXPECT_EQ(PopSignalFrame(cpu_, *mem_, st_, false), 0);
  for (int i = 0; i < 32; ++i) EXPECT_EQ(cpu_.fpr[i], before.fpr[i]) << i;
  EXPECT_EQ(cpu_.pc, before.pc);
}

TEST_P(SignalFrameTest, AlternateStackAndItsLimits) {
  GuestSigaction act;
  act.handler = 0x400800;
  act.flags = kMipsSaSiginfo | kMipsSaOnstack;
  ASSERT_EQ(ChangeAltStack(st_, cpu_.gpr[29], kStack + 0x1000, 0x2000, 0), 0);
  EXPECT_EQ(ChangeAltStack(st_, cpu_.gpr[29], kStack, 100, 0), ENOMEM);
  EXPECT_EQ(ChangeAltStack(st_, cpu_.gpr[29], kStack, 0x2000, 5), EINVAL);
  ASSERT_TRUE(PushSignalFrame(cpu_, *mem_, st_, Info(mips_sig::kSegv), act, GuestSigset{}));
  uint32_t frame = cpu_.gpr[29];
  EXPECT_TRUE(st_.altstack.Contains(frame));
  EXPECT_EQ(AltStackFlags(st_.altstack, frame), kMipsSsOnstack);
  // On the alternate stack it cannot be changed.
  EXPECT_EQ(ChangeAltStack(st_, frame, kStack, 0x4000, 0), EPERM);
  // A frame that would run off the alternate stack is refused (the kernel's SIGSEGV).
  cpu_.gpr[29] = kStack + 0x1000 + 100;
  EXPECT_FALSE(PushSignalFrame(cpu_, *mem_, st_, Info(mips_sig::kSegv), act, GuestSigset{}));
}

INSTANTIATE_TEST_SUITE_P(ByteOrder, SignalFrameTest, ::testing::Bool(),
                         [](const auto& p) { return p.param ? "BigEndian" : "LittleEndian"; });

}  // namespace
}  // namespace mipsrun
