#include "sim/observation.h"

namespace txsim {

std::string_view to_string(ObsKind kind) {
  switch (kind) {
    case ObsKind::vote: return "vote";
    case ObsKind::decide: return "decide";
    case ObsKind::phase: return "phase";
    case ObsKind::balance: return "balance";
    case ObsKind::freeze: return "freeze";
    case ObsKind::lock: return "lock";
    case ObsKind::unlock: return "unlock";
    case ObsKind::effect: return "effect";
    case ObsKind::forget: return "forget";
  }
  return "?";
}

}  // namespace txsim
