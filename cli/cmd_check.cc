// `txsim check`: exhaustive exploration of a scenario's protocols (their own handlers) or of a
// textbook TLA+ model, with TLC-style counts and the shortest counterexample.
#include <csignal>
#include <cstdio>
#include <optional>
#include <memory>
#include <string>
#include <mutex>
#include <thread>

#include "cli/check_args.h"
#include "cli/commands.h"
#include "cli/scenario_input.h"
#include "protocols/textbook/textbook.h"
#include "sim/check/check_report.h"
#include "sim/check/explore.h"
#include "sim/check/schedule_trace.h"

namespace txsim::cli {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_sigint(int) { g_stop.store(true); }

template <class M>
check::CheckReport run_textbook(const M& model, std::string name, const check::CheckOptions& o) {
  return check::make_report(model, std::move(name), check::explore(model, o));
}

Result<check::CheckReport> check_textbook(const CheckArgs& a, const check::CheckOptions& o) {
  const std::string sym = a.symmetry ? " symmetry" : "";
  if (a.rms < 1 || a.rms > 16) return Error{"error: --rms: expected 1..16"};
  if (a.textbook == "tcommit")
    return run_textbook(textbook::TCommit(a.rms, a.symmetry),
                        "TCommit.tla rms=" + std::to_string(a.rms) + sym, o);
  if (a.textbook == "twophase")
    return run_textbook(textbook::TwoPhaseTla(a.rms, a.symmetry),
                        "TwoPhase.tla rms=" + std::to_string(a.rms) + sym, o);
  if (a.textbook == "paxoscommit") {
    if (a.acceptors < 1 || a.acceptors > 7 || a.ballots < 1 || a.ballots > 4)
      return Error{"error: --acceptors 1..7 and --ballots 1..4 for paxoscommit"};
    return run_textbook(textbook::PaxosCommit(a.rms, a.acceptors, a.ballots, a.symmetry),
                        "PaxosCommit.tla rms=" + std::to_string(a.rms) + " acceptors=" +
                            std::to_string(a.acceptors) + " ballots=" +
                            std::to_string(a.ballots) + sym,
                        o);
  }
  return Error{"error: --textbook " + a.textbook + ": expected tcommit, twophase or paxoscommit"};
}

// Exit code for one report: against the expected verdict (expect.check) when there is one.
// A search the scenario's own `check.max_depth` ended, with nothing found, is a bounded proof:
// verdict "ok" up to that depth (the report says "stopped by depth_max"). Any other limit
// (states, memory, Ctrl-C) leaves the verdict open: exit 3.
bool bounded_by_scenario(const check::CheckReport& r, const Scenario* sc) {
  return sc && sc->check.max_depth != 0 && r.verdict() == "incomplete" &&
         r.stats.stop_reason == check::StopReason::depth_max;
}

int judge(const check::CheckReport& r, const Scenario* sc,
          const std::optional<std::string>& expected, std::string& miss) {
  const bool bounded = bounded_by_scenario(r, sc);
  if (r.verdict() == "incomplete" && !bounded) return kExitLimit;
  if (expected) {
    const std::string& want = *expected;
    const std::string got = bounded                      ? "ok"
                            : r.verdict() == "violation" ? r.invariant()
                                                         : r.verdict();
    if (got == want) return kExitOk;
    miss = "expected the checker to find " + want + ", it found " + got;
    return kExitFailed;
  }
  return r.verdict() == "ok" || bounded ? kExitOk : kExitFailed;
}

int report(const check::CheckReport& r, const Scenario* sc,
           const std::optional<std::string>& expected, bool json) {
  std::string miss;
  const int code = judge(r, sc, expected, miss);
  if (json) {
    std::printf("%s\n", check::report_json(r).c_str());
  } else {
    std::printf("%s", check::format_report(r).c_str());
    if (bounded_by_scenario(r, sc))
      std::printf("\nBounded check: no violation on any path of at most %u states "
                  "(check.max_depth).\n",
                  sc->check.max_depth);
    if (expected)
      std::printf("\nVerdict: %s\n", miss.empty() ? "as expected" : ("MISSED: " + miss).c_str());
  }
  return code;
}

// Writes the counterexample of `r` to `path` as a trace (docs/trace-format.md): the schedule
// re-executed through the simulator (sim/check/protocol_replay.h), its header carrying the
// schedule so `txsim replay` can re-execute it. False (reported) on error.
bool write_counterexample(const std::string& path, const ProtocolInfo& p, const Scenario& sc,
                          const check::CheckReport& r) {
  if (!p.replay) {
    std::fprintf(stderr, "%s: error: protocol %s cannot be replayed\n", sc.file.c_str(),
                 p.name.c_str());
    return false;
  }
  check::ScheduleTrace trace;
  if (trace.sink() == nullptr) {
    std::perror("error: cannot create a temporary file");
    return false;
  }
  auto replayed = p.replay(sc, r.schedule, trace.sink());
  if (!replayed) {
    std::fprintf(stderr, "%s\n", replayed.error().message.c_str());
    return false;
  }
  if (auto written = trace.write(path, r.schedule); !written) {
    std::fprintf(stderr, "%s\n", written.error().message.c_str());
    return false;
  }
  return true;
}

}  // namespace

int cmd_check(const CheckArgs& a) {
  auto options = check_options_of(a);
  if (!options) {
    std::fprintf(stderr, "%s\n", options.error().message.c_str());
    return kExitBadInput;
  }
  g_stop.store(false);
  std::signal(SIGINT, on_sigint);
  options->stop = &g_stop;
  if (stderr_is_terminal()) options->progress = print_progress;
  if (!a.textbook.empty()) {
    auto r = check_textbook(a, *options);
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      return kExitBadInput;
    }
    return report(*r, nullptr, std::nullopt, a.json);
  }
  auto sc = load_or_report(a.scenario);
  if (!sc) return kExitBadInput;
  auto protocols = select_protocols(*sc, a.protocol);
  if (!protocols) return kExitBadInput;
  int worst = kExitOk;
  for (const ProtocolInfo* p : *protocols) {
    if (!p->check) {
      std::fprintf(stderr, "%s: error: protocol %s cannot be model-checked yet\n",
                   sc->file.c_str(), p->name.c_str());
      return kExitBadInput;
    }
    auto r = p->check(*sc, *options);
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      return kExitBadInput;
    }
    const std::string v = r->verdict();
    if (!a.trace_file.empty() && (v == "violation" || v == "blocking")) {
      const std::string path = trace_path(a.trace_file, p->name, protocols->size() > 1);
      if (!write_counterexample(path, *p, *sc, *r)) return kExitBadInput;
    }
    worst = std::max(worst, report(*r, &*sc, sc->expect.for_protocol(p->name).check, a.json));
  }
  return worst;
}

}  // namespace txsim::cli
