// PaxosCommit::describe_action and describe_state: TLA+ action names with their bindings, and
// the state as a JSON object mirroring the variables rmState, aState and msgs.
#include <array>

#include "protocols/textbook/paxos_commit.h"
#include "sim/json.h"

namespace txsim::textbook {
namespace {

std::string_view val_name(int val) {
  return val == PaxosCommit::kPrepared ? "prepared" : "aborted";
}

// {a1, a3}
std::string acceptor_set(std::uint32_t mask) {
  std::string out = "{";
  for (int ac = 0; mask >> ac != 0; ++ac) {
    if (((mask >> ac) & 1U) == 0) continue;
    if (out.size() > 1) out += ", ";
    out += acceptor_name(ac);
  }
  return out + "}";
}

std::string vote_json(JsonLine& obj, int vote) {
  obj.num("bal", PaxosCommit::vote_bal(vote));
  obj.str("val", vote == 0 ? std::string_view("none") : val_name(PaxosCommit::vote_val(vote)));
  return obj.finish();
}

}  // namespace

std::string PaxosCommit::describe_action(const State& from, const check::Action& a) const {
  const int x = static_cast<int>(a.a);
  const int y = static_cast<int>(a.b);
  const int z = static_cast<int>(a.c);
  const auto nmaj = static_cast<int>(majorities_.size());
  switch (a.kind) {
    case kRMPrepare:
      return "RMPrepare(" + rm_name(x) + ")";
    case kRMChooseToAbort:
      return "RMChooseToAbort(" + rm_name(x) + ")";
    case kRMRcvCommitMsg:
      return "RMRcvCommitMsg(" + rm_name(x) + ")";
    case kRMRcvAbortMsg:
      return "RMRcvAbortMsg(" + rm_name(x) + ")";
    case kPhase1a:
      return "Phase1a(" + std::to_string(x) + ", " + rm_name(y) + ")";
    case kPhase2a:
      return "Phase2a(" + std::to_string(x) + ", " + rm_name(y) +
             ") with MS = " + acceptor_set(majorities_[z]);
    case kDecideCommit: {
      std::string out = "Decide [Commit]";
      long rest = x;
      for (int rm = 0; rm < rms_; ++rm) {
        std::array<std::uint8_t, kMaxBallots * 16> w{};
        const int n = decided_witnesses(from.ins[rm], kPrepared, w);
        if (n == 0) return out + " (not enabled)";
        const int pick = w[static_cast<std::size_t>(rest % n)];
        rest /= n;
        out += (rm == 0 ? " with " : ", ") + std::string("Decided(") + rm_name(rm) +
               ", \"prepared\") by b = " + std::to_string(pick / nmaj) +
               ", MS = " + acceptor_set(majorities_[pick % nmaj]);
      }
      return out;
    }
    case kDecideAbort:
      return "Decide [Abort] with Decided(" + rm_name(x) +
             ", \"aborted\") by b = " + std::to_string(y) +
             ", MS = " + acceptor_set(majorities_[z]);
    case kPhase1b:
      return "Phase1b(" + acceptor_name(x) + ") with m = [type |-> \"phase1a\", ins |-> " +
             rm_name(y) + ", bal |-> " + std::to_string(z) + "]";
    case kPhase2b:
      return "Phase2b(" + acceptor_name(x) + ") with m = [type |-> \"phase2a\", ins |-> " +
             rm_name(y) + ", bal |-> " + std::to_string(z / 2) + ", val |-> \"" +
             std::string(val_name(z & 1)) + "\"]";
    default:
      return "?";
  }
}

std::string PaxosCommit::describe_state(const State& s) const {
  JsonLine rm_state;
  JsonLine a_state;
  std::string msgs = "[";
  auto add = [&msgs](std::string m) {
    if (msgs.size() > 1) msgs.push_back(',');
    msgs += m;
  };
  for (int r = 0; r < rms_; ++r) {
    const Instance& in = s.ins[r];
    rm_state.str(rm_name(r), rm_state_name(in.rm_state));
    JsonLine per_acc;
    for (int ac = 0; ac < acceptors_; ++ac) {
      JsonLine st;
      st.num("mbal", mbal_of(in.a_state[ac]));
      per_acc.raw(acceptor_name(ac), vote_json(st, vote_in(in.a_state[ac])));
    }
    a_state.raw(rm_name(r), per_acc.finish());
  }
  // msgs, in the order of Message: phase1a, phase1b, phase2a, phase2b, then Commit and Abort.
  for (int r = 0; r < rms_; ++r) {
    for (int bal = 1; bal < ballots_; ++bal) {
      if (((s.ins[r].phase1a >> bal) & 1U) == 0) continue;
      add(JsonLine().str("type", "phase1a").str("ins", rm_name(r)).num("bal", bal).finish());
    }
  }
  for (int r = 0; r < rms_; ++r) {
    for (int ac = 0; ac < acceptors_; ++ac) {
      for (int bit = 0; bit < 16; ++bit) {
        if (((s.ins[r].phase1b[ac] >> bit) & 1U) == 0) continue;
        JsonLine m;
        m.str("type", "phase1b").str("ins", rm_name(r)).num("mbal", 1 + bit / kVoteCodes);
        vote_json(m, bit % kVoteCodes);
        add(m.str("acc", acceptor_name(ac)).finish());
      }
    }
  }
  for (int r = 0; r < rms_; ++r) {
    for (int bv = 0; bv < 2 * ballots_; ++bv) {
      if (((s.ins[r].phase2a >> bv) & 1U) == 0) continue;
      add(JsonLine()
              .str("type", "phase2a")
              .str("ins", rm_name(r))
              .num("bal", bv / 2)
              .str("val", val_name(bv & 1))
              .finish());
    }
  }
  for (int r = 0; r < rms_; ++r) {
    for (int ac = 0; ac < acceptors_; ++ac) {
      for (int bv = 0; bv < 2 * ballots_; ++bv) {
        if (((s.ins[r].phase2b[ac] >> bv) & 1U) == 0) continue;
        add(JsonLine()
                .str("type", "phase2b")
                .str("acc", acceptor_name(ac))
                .str("ins", rm_name(r))
                .num("bal", bv / 2)
                .str("val", val_name(bv & 1))
                .finish());
      }
    }
  }
  if ((s.msgs_decision & kCommitMsg) != 0) add(JsonLine().str("type", "Commit").finish());
  if ((s.msgs_decision & kAbortMsg) != 0) add(JsonLine().str("type", "Abort").finish());
  msgs.push_back(']');
  JsonLine obj;
  obj.raw("rmState", rm_state.finish());
  obj.raw("aState", a_state.finish());
  obj.raw("msgs", msgs);
  return obj.finish();
}

}  // namespace txsim::textbook
