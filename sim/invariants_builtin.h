// Internal: the files that define the standard invariants add them to the registry here.
#pragma once

#include <memory>
#include <vector>

#include "sim/invariant.h"

namespace txsim {
void add_atomicity_invariants(std::vector<std::unique_ptr<Invariant>>& out);
void add_resource_invariants(std::vector<std::unique_ptr<Invariant>>& out);
void add_effect_invariants(std::vector<std::unique_ptr<Invariant>>& out);
void add_saga_invariants(std::vector<std::unique_ptr<Invariant>>& out);
}  // namespace txsim
