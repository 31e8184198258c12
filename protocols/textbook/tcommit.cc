#include "protocols/textbook/tcommit.h"

#include "sim/json.h"

namespace txsim::textbook {

TCommit::State TCommit::permute(const State& s, std::span<const int> perm) const {
  TXSIM_ASSERT(static_cast<int>(perm.size()) == rms_);
  State p;
  for (int r = 0; r < rms_; ++r) p.rm_state = rm_set(p.rm_state, perm[r], rm_get(s.rm_state, r));
  return p;
}

std::optional<check::Violation> TCommit::check(const State& s) const {
  // TCTypeOK: rmState \in [RM -> {...}]; every 2-bit value names a state, so only the bits
  // beyond the last RM can be wrong.
  const std::uint32_t used = rms_ == 16 ? ~0U : (1U << (2 * rms_)) - 1;
  if ((s.rm_state & ~used) != 0) return check::Violation{"TCTypeOK", "rmState has extra RMs"};
  return tc_consistent(s.rm_state, rms_);
}

std::string TCommit::describe_action(const State&, const check::Action& a) const {
  const std::string r = rm_name(static_cast<int>(a.a));
  switch (a.kind) {
    case kPrepare:
      return "Prepare(" + r + ")";
    case kDecideCommit:
      return "Decide(" + r + ") [commit]";
    case kDecideAbort:
      return "Decide(" + r + ") [abort]";
    default:
      return "?";
  }
}

std::string TCommit::describe_state(const State& s) const {
  JsonLine obj;
  obj.raw("rmState", rm_state_json(s.rm_state, rms_));
  return obj.finish();
}

}  // namespace txsim::textbook
