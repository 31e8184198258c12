#include "protocols/textbook/two_phase_tla.h"

#include "sim/json.h"

namespace txsim::textbook {
namespace {

std::string_view tm_state_name(TwoPhaseTla::TmState s) {
  switch (s) {
    case TwoPhaseTla::TmState::init:
      return "init";
    case TwoPhaseTla::TmState::committed:
      return "committed";
    case TwoPhaseTla::TmState::aborted:
      return "aborted";
  }
  return "?";
}

}  // namespace

TwoPhaseTla::State TwoPhaseTla::permute(const State& s, std::span<const int> perm) const {
  TXSIM_ASSERT(static_cast<int>(perm.size()) == rms_);
  State p = s;
  p.rm_state = 0;
  p.tm_prepared = 0;
  p.msgs_prepared = 0;
  for (int r = 0; r < rms_; ++r) {
    const int to = perm[r];
    p.rm_state = rm_set(p.rm_state, to, rm_get(s.rm_state, r));
    p.tm_prepared = static_cast<std::uint16_t>(p.tm_prepared | (((s.tm_prepared >> r) & 1U) << to));
    p.msgs_prepared =
        static_cast<std::uint16_t>(p.msgs_prepared | (((s.msgs_prepared >> r) & 1U) << to));
  }
  return p;
}

std::uint64_t TwoPhaseTla::hashed_fingerprint(const State& s) const {
  check::Hasher h;
  if (symmetry_) {  // the histogram identifies canonical(s), see tuple_histogram()
    const Histogram hist = tuple_histogram(s);
    h.add(hist.low);
    h.add(hist.high);
  } else {
    h.add(s.rm_state | (std::uint64_t{s.tm_prepared} << 32) |
          (std::uint64_t{s.msgs_prepared} << 48));
  }
  h.add(static_cast<std::uint64_t>(s.tm_state) | (std::uint64_t{s.msgs_decision} << 8));
  return h.finish();
}

std::optional<check::Violation> TwoPhaseTla::check(const State& s) const {
  // TPTypeOK. rmState \in [RM -> ...] and msgs \subseteq Message hold by encoding except for
  // bits beyond the last RM; tmState must be one of its three values.
  const std::uint32_t rm_bits = rms_ == 16 ? ~0U : (1U << (2 * rms_)) - 1;
  const bool type_ok = (s.rm_state & ~rm_bits) == 0 && static_cast<unsigned>(s.tm_state) <= 2 &&
                       (s.tm_prepared & ~all_rms_) == 0 && (s.msgs_prepared & ~all_rms_) == 0 &&
                       (s.msgs_decision & ~(kCommitMsg | kAbortMsg)) == 0 && s.reserved == 0;
  if (!type_ok) return check::Violation{"TPTypeOK", describe_state(s)};
  return tc_consistent(s.rm_state, rms_);
}

std::string TwoPhaseTla::describe_action(const State&, const check::Action& a) const {
  std::string r = "(";  // appends, not "(" + s: GCC 12 warns falsely (-Wrestrict, PR105329)
  r += rm_name(static_cast<int>(a.a));
  r += ")";
  switch (a.kind) {
    case kTMCommit:
      return "TMCommit";
    case kTMAbort:
      return "TMAbort";
    case kTMRcvPrepared:
      return "TMRcvPrepared" + r;
    case kRMPrepare:
      return "RMPrepare" + r;
    case kRMChooseToAbort:
      return "RMChooseToAbort" + r;
    case kRMRcvCommitMsg:
      return "RMRcvCommitMsg" + r;
    case kRMRcvAbortMsg:
      return "RMRcvAbortMsg" + r;
    default:
      return "?";
  }
}

std::string TwoPhaseTla::describe_state(const State& s) const {
  // msgs as a set of records, in the order of Message: Prepared by RM, then Commit, Abort.
  std::string msgs = "[";
  for (int r = 0; r < rms_; ++r) {
    if (((s.msgs_prepared >> r) & 1U) == 0) continue;
    if (msgs.size() > 1) msgs.push_back(',');
    msgs += JsonLine().str("type", "Prepared").str("rm", rm_name(r)).finish();
  }
  for (auto [bit, type] : {std::pair{kCommitMsg, "Commit"}, std::pair{kAbortMsg, "Abort"}}) {
    if ((s.msgs_decision & bit) == 0) continue;
    if (msgs.size() > 1) msgs.push_back(',');
    msgs += JsonLine().str("type", type).finish();
  }
  msgs.push_back(']');
  JsonLine obj;
  obj.raw("rmState", rm_state_json(s.rm_state, rms_));
  obj.str("tmState", tm_state_name(s.tm_state));
  obj.raw("tmPrepared", rm_set_json(s.tm_prepared, rms_));
  obj.raw("msgs", msgs);
  return obj.finish();
}

}  // namespace txsim::textbook
