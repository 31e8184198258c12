// `txsim replay FILE [--trace OUT]`: re-executes a counterexample written by `txsim check
// --trace`. The trace's header names the scenario file, the protocol and the schedule (the
// checker's actions); the replay loads the scenario, runs the schedule through the simulator
// in scripted mode (sim/check/protocol_replay.h: times from the scenario's latency model),
// prints the timeline `txsim run` prints, optionally writes the run as a trace (with the
// schedule in its header, so it replays again), and says whether the trace's violation came
// back. Exit 0: reproduced; 1: not; 2: bad input (unreadable, not a trace, unknown protocol,
// an action not enabled at its step or not executable by the simulator, OUT not writable).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/scenario_input.h"
#include "reports/timeline_text.h"
#include "sim/check/schedule_trace.h"

namespace txsim::cli {

namespace {

struct TraceInput {
  std::string file;
  std::string protocol;
  std::vector<check::Action> schedule;
  std::vector<std::string> violated;  // the invariants of the trace's violation lines
};

std::optional<TraceInput> read_trace(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "%s: error: cannot open trace file\n", path.c_str());
    return std::nullopt;
  }
  auto bad = [&](const std::string& why) {
    std::fprintf(stderr, "%s: error: %s\n", path.c_str(), why.c_str());
    return std::nullopt;
  };
  std::string line;
  if (!std::getline(in, line)) return bad("empty file, not a txsim trace");
  TraceInput t;
  try {
    const auto h = nlohmann::json::parse(line);
    if (!h.is_object() || h.value("format", std::string()) != "txsim-trace")
      return bad("not a txsim trace (no \"format\":\"txsim-trace\" header)");
    if (!h.contains("schedule") || !h["schedule"].is_array())
      return bad("the trace has no schedule: only `txsim check --trace` traces can be replayed");
    if (!h.contains("file") || !h["file"].is_string() || !h.contains("protocol") ||
        !h["protocol"].is_string())
      return bad("the trace header lacks \"file\" or \"protocol\"");
    t.file = h["file"].get<std::string>();
    t.protocol = h["protocol"].get<std::string>();
    for (const auto& a : h["schedule"]) {
      auto field = [&](const char* k) { return a.at(k).get<std::uint32_t>(); };
      t.schedule.push_back(check::Action{field("kind"), field("a"), field("b"), field("c")});
    }
  } catch (const nlohmann::json::exception& e) {
    return bad(std::string("not a txsim trace header: ") + e.what());
  }
  // The expected violations: a run may break several invariants on its last step (the
  // simulator writes a line for each); the checker's verdict is one of them.
  while (std::getline(in, line)) {
    if (line.find("\"ev\":\"violation\"") == std::string::npos) continue;
    try {
      const auto ev = nlohmann::json::parse(line);
      t.violated.push_back(ev.value("invariant", std::string()));
    } catch (const nlohmann::json::exception& e) {
      return bad(std::string("bad violation line: ") + e.what());
    }
  }
  return t;
}

}  // namespace

int cmd_replay(const ReplayArgs& a) {
  auto t = read_trace(a.file);
  if (!t) return kExitBadInput;
  const ProtocolInfo* p = find_protocol(t->protocol);
  if (!p) {
    std::fprintf(stderr, "%s: error: unknown protocol '%s'\n", a.file.c_str(),
                 t->protocol.c_str());
    return kExitBadInput;
  }
  if (!p->replay) {
    std::fprintf(stderr, "%s: error: protocol %s cannot be replayed\n", a.file.c_str(),
                 p->name.c_str());
    return kExitBadInput;
  }
  auto sc = load_or_report(t->file);
  if (!sc) return kExitBadInput;
  TimelineText timeline(stdout, TimelineStyle{a.locks, true, stdout_is_terminal()});
  std::optional<check::ScheduleTrace> out;
  TraceFanout sinks;
  sinks.add(&timeline);
  if (!a.trace_file.empty()) {
    out.emplace();
    if (out->sink() == nullptr) {
      std::perror("error: cannot create a temporary file");
      return kExitBadInput;
    }
    sinks.add(out->sink());
  }
  auto r = p->replay(*sc, t->schedule, &sinks);
  std::fflush(stdout);
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", a.file.c_str(), r.error().message.c_str());
    return kExitBadInput;
  }
  if (out) {
    if (auto written = out->write(a.trace_file, t->schedule); !written) {
      std::fprintf(stderr, "%s\n", written.error().message.c_str());
      return kExitBadInput;
    }
  }
  std::printf("\nReplayed %zu steps of %s [%s] through the simulator, ending at t=%lld us.\n",
              r->steps, sc->name.c_str(), p->name.c_str(), static_cast<long long>(r->end_time));
  const std::string got = r->violation ? r->violation->invariant : "";
  const auto& violated = t->violated;
  if (!got.empty() && std::find(violated.begin(), violated.end(), got) != violated.end()) {
    std::printf("Reproduced %s: %s\n", got.c_str(), r->violation->detail.c_str());
    return kExitOk;
  }
  std::string want;
  for (const std::string& id : t->violated) want += (want.empty() ? "" : ", ") + id;
  std::printf("NOT reproduced: the trace recorded %s, the replay ended with %s\n",
              want.empty() ? "no violation" : want.c_str(),
              got.empty() ? "no violation" : (got + ": " + r->violation->detail).c_str());
  return kExitFailed;
}

}  // namespace txsim::cli
