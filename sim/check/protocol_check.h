// check_protocol<P>: the type-erased entry point a protocol registers for `txsim check`, like
// run_protocol<P> (sim/runner.h) for `txsim run`. It turns the scenario's `check:` block into
// the checker's budget, builds ProtocolModel<P> over the protocol's own handlers, explores it
// and returns a printable report.
#pragma once

#include <string>

#include "sim/check/check_report.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_model.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/yaml_tree.h"

namespace txsim::check {

using CheckFn = Result<CheckReport> (*)(const Scenario&, const CheckOptions&);

// The scenario's budget as the checker's spec; an unsupported setting is an input error.
inline Result<CheckSpec> check_spec_of(const Scenario& sc) {
  const CheckBudget& b = sc.check;
  if (b.timeouts == CheckBudget::Timeouts::synchronous && sc.nodes.size() > 64)
    return Error{sc.file + ": error: key 'check.timeouts': the synchronous timing model "
                 "handles at most 64 nodes"};
  CheckSpec spec;
  spec.crashes = b.crashes;
  spec.drops = b.drops;
  spec.duplicates = b.duplicates;
  spec.partitions = b.partitions;
  spec.partition_groups = b.partition_choices;
  spec.timeouts = b.timeouts == CheckBudget::Timeouts::synchronous ? TimeoutModel::synchronous
                                                                  : TimeoutModel::asynchronous;
  spec.liveness_depth = b.liveness_depth;
  spec.symmetry = b.symmetry;
  if (b.max_depth) spec.depth_max = b.max_depth;
  if (b.max_states) spec.states_max = b.max_states;
  return spec;
}

// `check.symmetry: true` for a protocol without the renaming hooks (sim/protocol.h,
// RenamesNodes): an input error at the key, or "" when the protocol can do it.
template <CheckableProtocol P>
std::string symmetry_refusal(const Scenario& sc) {
  if (!sc.check.symmetry || RenamesNodes<P>) return "";
  return located_error(sc.file, sc.check.symmetry_line, sc.check.symmetry_col, "check.symmetry",
                       "protocol " + std::string(P::kName) +
                           " does not offer symmetry reduction (it has no node renaming hook, "
                           "sim/protocol.h RenamesNodes; two_phase, tcc and paxos_commit have "
                           "one); remove the key");
}

// What the report says about symmetry ("" without it): the classes and what a count means.
template <CheckableProtocol P>
std::string symmetry_summary(const ProtocolModel<P>& model) {
  if (!model.spec().symmetry) return "";
  const auto& sym = model.symmetry();
  if (!sym.active())
    return "no interchangeable nodes in this scenario: nothing reduced, every world counted";
  return "interchangeable nodes " + sym.classes().describe(model.scenario()) + ", " +
         std::to_string(sym.renaming_count()) +
         " renamings per world: distinct states are orbits (one world per renaming class)";
}

template <CheckableProtocol P>
Result<CheckReport> check_protocol(const Scenario& sc, const CheckOptions& options) {
  if (std::string refusal = symmetry_refusal<P>(sc); !refusal.empty()) return Error{refusal};
  auto spec = check_spec_of(sc);
  if (!spec) return spec.error();
  auto proto = protocol_for<P>(sc);
  if (!proto) return proto.error();
  CheckOptions opt = options;
  if (spec->states_max < opt.states_max) opt.states_max = spec->states_max;
  if (spec->depth_max < opt.depth_max) opt.depth_max = spec->depth_max;
  const ProtocolModel<P> model(sc, std::move(*proto), *spec,
                               ProtocolModelOptions{.check_blocking = sc.check.blocking});
  const auto result = explore(model, opt);
  CheckReport report = make_report(model, std::string(P::kName) + " on " + sc.file, result);
  report.symmetry = symmetry_summary(model);
  return report;
}

}  // namespace txsim::check
