#include "reports/sweep_summary.h"

#include "protocols/registry.h"
#include "sim/sweep.h"

namespace txsim::report {

ProtocolSweep protocol_sweep(const std::string& protocol, const SweepSummary& s) {
  ProtocolSweep p;
  p.protocol = protocol;
  p.runs = s.runs;
  p.decision_latency_us = s.decision_latency_samples_us;
  p.in_doubt_us = s.in_doubt_samples_us;
  const auto count = [&](Outcome o) {
    auto it = s.outcomes.find(std::string(to_string(o)));
    return it == s.outcomes.end() ? std::uint64_t(0) : it->second;
  };
  p.committed = count(Outcome::commit);
  p.aborted = count(Outcome::abort);
  p.undecided = count(Outcome::undecided);
  p.mixed = count(Outcome::mixed);
  for (const auto& [id, broken] : s.violations) p.violations[id] = broken.runs;
  p.blocked_runs = s.blocked_runs;
  return p;
}

Result<CompareSummary> sweep_protocols(const Scenario& sc, std::uint64_t seed_first,
                                       std::uint64_t seed_last, unsigned threads,
                                       const SweepProgress& progress,
                                       const std::atomic<bool>* cancel) {
  CompareSummary out;
  out.scenario = sc.name;
  out.seed_first = seed_first;
  out.seed_last = seed_last;
  for (std::size_t k = 0; k < sc.protocols.size(); ++k) {
    const std::string& name = sc.protocols[k];
    const ProtocolInfo* info = find_protocol(name);
    if (info == nullptr || info->run == nullptr)
      return Error{sc.file + ": error: no protocol called " + name};
    SweepOptions opt{seed_first, seed_last, threads, {}, true, cancel};
    if (progress) opt.progress = [&progress, k](std::uint64_t done) { progress(k, done); };
    auto s = sweep(sc, info->run, opt);
    if (!s) return s.error();
    out.protocols.push_back(protocol_sweep(name, *s));
  }
  return out;
}

}  // namespace txsim::report
