// `txsim run SCENARIO`: one simulated run per protocol, printed as a timeline and a verdict.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/scenario_input.h"
#include "reports/compare_table.h"
#include "reports/timeline_text.h"
#include "reports/verdict_text.h"
#include "sim/trace_jsonl.h"

namespace txsim::cli {

int cmd_run(const RunArgs& a) {
  auto sc = load_or_report(a.scenario);
  if (!sc) return kExitBadInput;
  auto protocols = select_protocols(*sc, a.protocol);
  if (!protocols) return kExitBadInput;
  const std::uint64_t seed = a.seed_given ? a.seed : sc->seed;
  bool all_met = true;
  std::vector<RunResult> runs;
  for (const ProtocolInfo* p : *protocols) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
    std::unique_ptr<JsonlTraceWriter> writer;
    if (!a.trace_file.empty()) {
      const std::string path = trace_path(a.trace_file, p->name, protocols->size() > 1);
      file.reset(std::fopen(path.c_str(), "wb"));
      if (!file) {
        std::perror((path + ": error: cannot write trace").c_str());
        return kExitBadInput;
      }
      writer = std::make_unique<JsonlTraceWriter>(file.get(), a.trace_states);
    }
    TimelineText timeline(stdout, TimelineStyle{a.locks, true, stdout_is_terminal()});
    TraceFanout sinks;
    sinks.add(writer.get());
    if (!a.json && !a.quiet) sinks.add(&timeline);
    auto r = p->run(*sc, RunOptions{seed, sinks.empty() ? nullptr : &sinks});
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      return kExitBadInput;
    }
    const bool met = sc->expect.for_protocol(p->name).empty() ? !r->violated()
                                                              : r->expectation_misses.empty();
    all_met &= met;
    if (a.json) {
      std::printf("%s\n", run_summary_json(*sc, *r).c_str());
    } else if (a.quiet) {
      std::printf("%s [%s, seed %llu]: %s\n", sc->name.c_str(), p->name.c_str(),
                  static_cast<unsigned long long>(seed), met ? "as expected" : "MISSED");
      for (const auto& m : r->expectation_misses) std::printf("  - %s\n", m.c_str());
    } else {
      print_verdict(stdout, *sc, *r);
    }
    runs.push_back(std::move(*r));
  }
  if (runs.size() > 1 && !a.json && !a.quiet) print_run_comparison(stdout, *sc, runs);
  return all_met ? kExitOk : kExitFailed;
}

}  // namespace txsim::cli
