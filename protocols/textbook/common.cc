#include "protocols/textbook/common.h"

#include "sim/json.h"

namespace txsim::textbook {

std::string_view rm_state_name(RmState s) {
  switch (s) {
    case RmState::working:
      return "working";
    case RmState::prepared:
      return "prepared";
    case RmState::committed:
      return "committed";
    case RmState::aborted:
      return "aborted";
  }
  return "?";
}

std::string rm_name(int r) { return "r" + std::to_string(r + 1); }
std::string acceptor_name(int a) { return "a" + std::to_string(a + 1); }

std::string rm_set_json(std::uint32_t mask, int rms) {
  std::string out = "[";
  for (int r = 0; r < rms; ++r) {
    if (((mask >> r) & 1U) == 0) continue;
    if (out.size() > 1) out.push_back(',');
    append_json_string(out, rm_name(r));
  }
  out.push_back(']');
  return out;
}

std::string rm_state_json(std::uint32_t packed, int rms) {
  JsonLine obj;
  for (int r = 0; r < rms; ++r) obj.str(rm_name(r), rm_state_name(rm_get(packed, r)));
  return obj.finish();
}

std::optional<check::Violation> tc_consistent(std::uint32_t packed, int rms) {
  // TCConsistent == \A r1, r2 \in RM : ~ /\ rmState[r1] = "aborted"
  //                                      /\ rmState[r2] = "committed"
  // First all RMs at once: aborted is 0b11 and committed 0b10 (RmState), high bit h, low bit l.
  const std::uint32_t used = rms >= 16 ? ~0U : (1U << (2 * rms)) - 1;
  const std::uint32_t low = packed & used & 0x55555555U, high = (packed & used) >> 1 & 0x55555555U;
  if ((high & low) == 0 || (high & ~low) == 0) return std::nullopt;
  int aborted = -1;
  int committed = -1;
  for (int r = 0; r < rms; ++r) {
    const RmState v = rm_get(packed, r);
    if (v == RmState::aborted && aborted < 0) aborted = r;
    if (v == RmState::committed && committed < 0) committed = r;
  }
  if (aborted < 0 || committed < 0) return std::nullopt;
  return check::Violation{"TCConsistent",
                          rm_name(aborted) + " aborted while " + rm_name(committed) + " committed"};
}

}  // namespace txsim::textbook
