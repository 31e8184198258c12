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

namespace txsim::check {

using CheckFn = Result<CheckReport> (*)(const Scenario&, const CheckOptions&);

// The scenario's budget as the checker's spec; an unsupported setting is an input error.
inline Result<CheckSpec> check_spec_of(const Scenario& sc) {
  const CheckBudget& b = sc.check;
  if (b.symmetry)
    return Error{sc.file + ": error: key 'check.symmetry': symmetry reduction over protocol "
                 "participants is not implemented yet (it is for the textbook models)"};
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
  if (b.max_depth) spec.depth_max = b.max_depth;
  if (b.max_states) spec.states_max = b.max_states;
  return spec;
}

template <CheckableProtocol P>
Result<CheckReport> check_protocol(const Scenario& sc, const CheckOptions& options) {
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
  return make_report(model, std::string(P::kName) + " on " + sc.file, result);
}

}  // namespace txsim::check
