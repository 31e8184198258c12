// A literal, deliberately slow transcription of PaxosCommit.tla over ordinary containers: the
// independent oracle the packed model (protocols/textbook/paxos_commit.h) is checked against on
// small configurations. It shares no code or encoding with the model: strings for the values,
// a std::set of message records drawn from the full type Message (bal = -1, val = "none", ...),
// and each action written as the TLA+ text reads, with TLC's branching rules: one successor per
// satisfying binding of a bounded \E, a bounded \A expanded into a conjunction of its instances.
#pragma once

#include <compare>
#include <set>
#include <string>
#include <vector>

namespace txsim::textbook::testing {

struct LitMsg {  // unused fields keep their defaults
  std::string type;
  int ins = -9, bal = -9, mbal = -9, acc = -9;
  std::string val;
  auto operator<=>(const LitMsg&) const = default;
};
struct LitAcc {
  int mbal = 0, bal = -1;
  std::string val = "none";
  auto operator<=>(const LitAcc&) const = default;
};
struct LitState {
  std::vector<std::string> rm_state;         // rmState[rm]
  std::vector<std::vector<LitAcc>> a_state;  // aState[ins][acc]
  std::set<LitMsg> msgs;
  auto operator<=>(const LitState&) const = default;
};

class PaxosCommitLiteral {
 public:
  PaxosCommitLiteral(int rms, int acceptors, int ballots, std::vector<std::set<int>> majority)
      : rms_(rms), acceptors_(acceptors), ballots_(ballots), majority_(std::move(majority)) {}

  LitState init() const {  // PCInit
    LitState s;
    s.rm_state.assign(rms_, "working");
    s.a_state.assign(rms_, std::vector<LitAcc>(acceptors_));
    return s;
  }

  // Every successor TLC generates, duplicates included, in PCNext order.
  std::vector<LitState> next(const LitState& s) const {
    std::vector<LitState> out;
    for (int rm = 0; rm < rms_; ++rm) {
      if (s.rm_state[rm] == "working") {  // RMPrepare(rm)
        out.push_back(with_rm(send(s, phase2a(rm, 0, "prepared")), rm, "prepared"));
      }
      if (s.rm_state[rm] == "working") {  // RMChooseToAbort(rm)
        out.push_back(with_rm(send(s, phase2a(rm, 0, "aborted")), rm, "aborted"));
      }
      if (s.msgs.contains(LitMsg{.type = "Commit"})) out.push_back(with_rm(s, rm, "committed"));
      if (s.msgs.contains(LitMsg{.type = "Abort"})) out.push_back(with_rm(s, rm, "aborted"));
    }
    for (int bal = 1; bal < ballots_; ++bal) {
      for (int rm = 0; rm < rms_; ++rm) {
        out.push_back(send(s, LitMsg{.type = "phase1a", .ins = rm, .bal = bal}));  // Phase1a
        phase2a_action(s, bal, rm, out);
      }
    }
    decide(s, out);
    for (int acc = 0; acc < acceptors_; ++acc) {
      for (const LitMsg& m : s.msgs) {  // Phase1b(acc)
        if (m.type != "phase1a" || !(s.a_state[m.ins][acc].mbal < m.bal)) continue;
        LitState t = send(s, LitMsg{.type = "phase1b",
                                    .ins = m.ins,
                                    .bal = s.a_state[m.ins][acc].bal,
                                    .mbal = m.bal,
                                    .acc = acc,
                                    .val = s.a_state[m.ins][acc].val});
        t.a_state[m.ins][acc].mbal = m.bal;
        out.push_back(t);
      }
      for (const LitMsg& m : s.msgs) {  // Phase2b(acc)
        if (m.type != "phase2a" || !(s.a_state[m.ins][acc].mbal <= m.bal)) continue;
        LitState t = send(
            s, LitMsg{.type = "phase2b", .ins = m.ins, .bal = m.bal, .acc = acc, .val = m.val});
        t.a_state[m.ins][acc] = LitAcc{m.bal, m.bal, m.val};
        out.push_back(t);
      }
    }
    return out;
  }

 private:
  static LitMsg phase2a(int rm, int bal, std::string val) {
    return LitMsg{.type = "phase2a", .ins = rm, .bal = bal, .val = std::move(val)};
  }
  static LitState send(const LitState& s, const LitMsg& m) {
    LitState t = s;
    t.msgs.insert(m);
    return t;
  }
  static LitState with_rm(LitState s, int rm, const char* v) {
    s.rm_state[rm] = v;
    return s;
  }

  void phase2a_action(const LitState& s, int bal, int rm, std::vector<LitState>& out) const {
    for (const LitMsg& m : s.msgs) {
      if (m.type == "phase2a" && m.bal == bal && m.ins == rm) return;
    }
    for (const std::set<int>& ms : majority_) {
      std::vector<LitMsg> mset;
      for (const LitMsg& m : s.msgs) {
        if (m.type == "phase1b" && m.ins == rm && m.mbal == bal && ms.contains(m.acc)) {
          mset.push_back(m);
        }
      }
      long branches = 1;  // \A ac \in MS : \E m \in mset : m.acc = ac
      for (int ac : ms) {
        long n = 0;
        for (const LitMsg& m : mset) n += m.acc == ac;
        branches *= n;
      }
      int maxbal = -1;  // Maximum({m.bal : m \in mset})
      for (const LitMsg& m : mset) maxbal = std::max(maxbal, m.bal);
      std::string val = "aborted";
      if (maxbal != -1) {
        for (const LitMsg& m : mset) {
          if (m.bal == maxbal) {
            val = m.val;  // CHOOSE: the first in the set's order
            break;
          }
        }
      }
      for (long k = 0; k < branches; ++k) out.push_back(send(s, phase2a(rm, bal, val)));
    }
  }

  // The number of bindings (b, MS) that make Decided(rm, v) true.
  long decided(const LitState& s, int rm, const std::string& v) const {
    long n = 0;
    for (int b = 0; b < ballots_; ++b) {
      for (const std::set<int>& ms : majority_) {
        bool all = true;
        for (int ac : ms) {
          all = all && s.msgs.contains(
                           LitMsg{.type = "phase2b", .ins = rm, .bal = b, .acc = ac, .val = v});
        }
        n += all;
      }
    }
    return n;
  }
  void decide(const LitState& s, std::vector<LitState>& out) const {
    long commit = 1;
    for (int rm = 0; rm < rms_; ++rm) commit *= decided(s, rm, "prepared");
    for (long k = 0; k < commit; ++k) out.push_back(send(s, LitMsg{.type = "Commit"}));
    for (int rm = 0; rm < rms_; ++rm) {
      for (long k = decided(s, rm, "aborted"); k > 0; --k) {
        out.push_back(send(s, LitMsg{.type = "Abort"}));
      }
    }
  }

  int rms_, acceptors_, ballots_;
  std::vector<std::set<int>> majority_;
};

}  // namespace txsim::textbook::testing
