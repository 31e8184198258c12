#include "sim/invariant.h"

#include "sim/invariants_builtin.h"

namespace txsim {

std::string_view to_string(InvariantKind kind) {
  switch (kind) {
    case InvariantKind::always: return "always";
    case InvariantKind::quiescent: return "at quiescence";
    case InvariantKind::final: return "at the end";
  }
  return "?";
}

const std::vector<std::unique_ptr<Invariant>>& standard_invariants() {
  static const std::vector<std::unique_ptr<Invariant>> all = [] {
    std::vector<std::unique_ptr<Invariant>> v;
    add_atomicity_invariants(v);
    add_resource_invariants(v);
    add_effect_invariants(v);
    add_saga_invariants(v);
    return v;
  }();
  return all;
}

std::vector<std::string> standard_invariant_ids() {
  std::vector<std::string> ids;
  for (const auto& inv : standard_invariants()) ids.emplace_back(inv->info().id);
  return ids;
}

}  // namespace txsim
