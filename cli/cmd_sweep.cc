// `txsim sweep SCENARIO --seeds A..B`: every seed of a range, aggregated.
#include <charconv>
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/scenario_input.h"
#include "reports/compare_table.h"
#include "sim/json.h"
#include "sim/sweep.h"

namespace txsim::cli {

namespace {

bool parse_range(const std::string& s, std::uint64_t& a, std::uint64_t& b) {
  const auto dots = s.find("..");
  if (dots == std::string::npos) return false;
  auto num = [](std::string_view t, std::uint64_t& out) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return ec == std::errc() && p == t.data() + t.size() && !t.empty();
  };
  return num(std::string_view(s).substr(0, dots), a) &&
         num(std::string_view(s).substr(dots + 2), b) && a <= b;
}

std::string pct_json(const Percentiles& p) {
  JsonLine o;
  o.num("count", std::int64_t(p.count)).num("p50", p.p50).num("p99", p.p99).num("max", p.max);
  return o.finish();
}

void print_json(const std::string& protocol, const SweepSummary& s) {
  std::string outcomes = "{", violations = "{";
  for (const auto& [k, n] : s.outcomes) {
    if (outcomes.size() > 1) outcomes += ",";
    append_json_string(outcomes, k);
    outcomes += ":" + std::to_string(n);
  }
  for (const auto& [k, b] : s.violations) {
    if (violations.size() > 1) violations += ",";
    append_json_string(violations, k);
    JsonLine o;
    o.num("runs", std::int64_t(b.runs)).num("first_seed", std::int64_t(b.first_seed));
    violations += ":" + o.finish();
  }
  JsonLine o;
  o.str("protocol", protocol).num("seed_first", std::int64_t(s.seed_first))
      .num("seed_last", std::int64_t(s.seed_last)).num("runs", std::int64_t(s.runs))
      .raw("outcomes", outcomes + "}").raw("violations", violations + "}")
      .num("blocked_runs", std::int64_t(s.blocked_runs))
      .num("expectation_misses", std::int64_t(s.expectation_misses))
      .raw("decision_latency_us", pct_json(s.decision_latency_us))
      .raw("in_doubt_us", pct_json(s.in_doubt_us))
      .raw("decision_hops", pct_json(s.decision_hops))
      .num("messages_per_tx_milli", std::int64_t(s.messages_per_tx * 1000 + 0.5));
  std::printf("%s\n", o.finish().c_str());
}

void print_text(const Scenario& sc, const std::string& protocol, const SweepSummary& s) {
  auto d = [](std::int64_t us) { return format_duration(us); };
  std::printf("%s [%s]: %llu runs, seeds %llu..%llu\n", sc.name.c_str(), protocol.c_str(),
              static_cast<unsigned long long>(s.runs),
              static_cast<unsigned long long>(s.seed_first),
              static_cast<unsigned long long>(s.seed_last));
  std::printf("  outcomes (per transaction):");
  for (const auto& [k, n] : s.outcomes) std::printf(" %s %llu", k.c_str(), (unsigned long long)n);
  std::printf("\n  violations:%s\n", s.violations.empty() ? " none" : "");
  for (const auto& [k, b] : s.violations)
    std::printf("    %-22s in %llu runs, first at seed %llu (txsim run %s --seed %llu)\n",
                k.c_str(), (unsigned long long)b.runs, (unsigned long long)b.first_seed,
                sc.file.c_str(), (unsigned long long)b.first_seed);
  std::printf("  runs ending blocked: %llu\n", (unsigned long long)s.blocked_runs);
  std::printf("  decision latency: p50 %s  p99 %s  max %s  (%zu transactions)\n",
              d(s.decision_latency_us.p50).c_str(), d(s.decision_latency_us.p99).c_str(),
              d(s.decision_latency_us.max).c_str(), s.decision_latency_us.count);
  std::printf("  time in doubt:    p50 %s  p99 %s  max %s  (%zu participant-transactions)\n",
              d(s.in_doubt_us.p50).c_str(), d(s.in_doubt_us.p99).c_str(),
              d(s.in_doubt_us.max).c_str(), s.in_doubt_us.count);
  std::printf("  messages per transaction: %.2f\n", s.messages_per_tx);
  if (!sc.expect.for_protocol(protocol).empty())
    std::printf("  expectation missed in %llu runs%s\n", (unsigned long long)s.expectation_misses,
                s.first_miss_seed ? (", first at seed " + std::to_string(*s.first_miss_seed)).c_str()
                                  : "");
}

}  // namespace

int cmd_sweep(const SweepArgs& a) {
  std::uint64_t first = 0, last = 0;
  if (!parse_range(a.seeds, first, last)) {
    std::fprintf(stderr, "error: --seeds %s: expected A..B with integers A <= B\n",
                 a.seeds.c_str());
    return kExitBadInput;
  }
  auto sc = load_or_report(a.scenario);
  if (!sc) return kExitBadInput;
  auto protocols = select_protocols(*sc, a.protocol);
  if (!protocols) return kExitBadInput;
  const unsigned threads = a.threads ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  bool ok = true;
  std::vector<std::pair<std::string, SweepSummary>> all;
  for (const ProtocolInfo* p : *protocols) {
    SweepOptions opt{first, last, threads, {}};
    std::mutex m;
    if (stderr_is_terminal())
      opt.progress = [&](std::uint64_t done) {
        std::lock_guard lock(m);
        std::fprintf(stderr, "\r%s: %llu / %llu runs", p->name.c_str(), (unsigned long long)done,
                     (unsigned long long)(last - first + 1));
        if (done == last - first + 1) std::fprintf(stderr, "\n");
      };
    auto s = sweep(*sc, p->run, opt);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message.c_str());
      return kExitBadInput;
    }
    ok &= sc->expect.for_protocol(p->name).empty() ? s->violations.empty()
                                                   : s->expectation_misses == 0;
    if (a.json) print_json(p->name, *s);
    else print_text(*sc, p->name, *s);
    all.emplace_back(p->name, std::move(*s));
  }
  if (all.size() > 1 && !a.json) print_sweep_comparison(stdout, *sc, all);
  return ok ? kExitOk : kExitFailed;
}

}  // namespace txsim::cli
