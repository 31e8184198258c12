// Helpers shared by the engine's tests: a trace sink that keeps every event (with its text
// copied, since TraceEvent's views die with the call), scenario loading for the test "ping"
// protocol and for the registered protocols, and one-call runs.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "protocols/registry.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"
#include "sim/simulator.h"
#include "sim/trace.h"
#include "sim/trace_jsonl.h"
#include "tests/sim/ping_protocol.h"

namespace txsim::test {

// A TraceEvent whose text fields are owned.
struct Captured {
  Micros time = 0;
  TraceKind kind = TraceKind::observe;
  NodeId node = kNoNode;
  NodeId peer = kNoNode;
  std::uint64_t msg_id = 0;
  TxId tx = kNoTx;
  std::string type;
  std::string text;
  Observation obs{};
  std::int64_t value = 0;
};

class CaptureSink final : public TraceSink {
 public:
  explicit CaptureSink(bool states = false) : states_(states) {}
  void begin(const TraceHeader& h) override {
    ++begins;
    seed = h.seed;
    protocol = h.protocol;
  }
  void event(const TraceEvent& e) override {
    events.push_back(Captured{e.time, e.kind, e.node, e.peer, e.msg_id, e.tx, std::string(e.type),
                              std::string(e.text), e.obs, e.value});
  }
  void end(Micros time) override {
    ++ends;
    end_time = time;
  }
  bool wants_states() const override { return states_; }

  std::vector<Captured> of(TraceKind kind) const {
    std::vector<Captured> out;
    for (const Captured& e : events)
      if (e.kind == kind) out.push_back(e);
    return out;
  }
  std::size_t count(TraceKind kind) const { return of(kind).size(); }

  std::vector<Captured> events;
  int begins = 0, ends = 0;
  std::uint64_t seed = 0;
  std::string protocol;
  Micros end_time = -1;

 private:
  bool states_;
};

// Loads scenarios that say `protocols: [ping]`.
inline LoadContext ping_context() {
  static const OptionSchema schema = PingProtocol::schema();  // immutable once built
  LoadContext ctx;
  ctx.schema = [](std::string_view name) -> const OptionSchema* {
    return name == PingProtocol::kName ? &schema : nullptr;
  };
  ctx.known_protocols = {std::string(PingProtocol::kName)};
  ctx.invariant_ids = standard_invariant_ids();
  return ctx;
}

// Loads scenarios for the registered protocols (two_phase, ...).
inline LoadContext registry_context() {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  return ctx;
}

// Loads or throws (GoogleTest reports the exception with the loader's message).
inline Scenario must_load(const std::string& text, const LoadContext& ctx,
                          const std::string& label = "test.yaml") {
  Result<Scenario> sc = load_scenario_text(text, label, ctx);
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

inline Result<RunResult> run_ping(const Scenario& sc, std::uint64_t seed, TraceSink* sink) {
  const PingProtocol proto(sc, sc.options.at(std::string(PingProtocol::kName)));
  return Simulator<PingProtocol>::run(sc, proto, RunOptions{seed, sink});
}

// Runs or throws.
inline RunResult must_run_ping(const Scenario& sc, std::uint64_t seed, TraceSink* sink) {
  Result<RunResult> r = run_ping(sc, seed, sink);
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

// A ping scenario: requester A and peers B, C, D (so three links out of A), `txs`
// transactions submitted `spacing_us` apart, and the given `network:` and extra top-level
// text (faults, run, options).
inline std::string ping_yaml(const std::string& network, int txs = 1, Micros spacing_us = 0,
                             const std::string& extra = "") {
  std::string s =
      "name: ping-test\n"
      "protocols: [ping]\n"
      "nodes: {coordinator: A, participants: [B, C, D]}\n"
      "accounts: {B: {x: 0}}\n"
      "workload:\n"
      "  transactions:\n";
  for (int i = 0; i < txs; ++i)
    s += "    - {id: t" + std::to_string(i + 1) + ", at: " + std::to_string(i * spacing_us) +
         "us, transfers: [{at: B, account: x, amount: 0}]}\n";
  s += "network: " + network + "\n" + extra;
  return s;
}

inline constexpr NodeId kA = 0, kB = 1, kC = 2, kD = 3;

// Runs `sc` through the JSON Lines writer into memory; returns the file's bytes.
template <class RunFnT>
std::string jsonl_of(RunFnT&& run) {
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  if (f == nullptr) throw std::runtime_error("open_memstream failed");
  {
    JsonlTraceWriter w(f);
    run(static_cast<TraceSink*>(&w));
  }
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  return out;
}

}  // namespace txsim::test
