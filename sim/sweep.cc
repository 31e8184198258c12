#include "sim/sweep.h"

#include <algorithm>
#include <mutex>
#include <thread>

namespace txsim {

Percentiles percentiles(std::vector<std::int64_t> v) {
  Percentiles p;
  p.count = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto rank = [&](double q) {
    std::size_t k = static_cast<std::size_t>(q * double(v.size()) + 0.999999);
    return v[std::min(v.size(), std::max<std::size_t>(k, 1)) - 1];
  };
  p.p50 = rank(0.50);
  p.p99 = rank(0.99);
  p.max = v.back();
  return p;
}

namespace {

// What one run contributes; kept per seed so folding happens in seed order.
struct SeedDigest {
  std::vector<Outcome> outcomes;
  std::vector<std::string> violated;
  bool blocked = false, missed = false;
  std::vector<std::int64_t> latency, doubt, hops;
  std::uint64_t messages = 0;
  std::string error;
};

SeedDigest digest(const Scenario& sc, RunFn run, std::uint64_t seed) {
  SeedDigest d;
  auto r = run(sc, RunOptions{seed, nullptr});
  if (!r) {
    d.error = r.error().message;
    return d;
  }
  for (const TxResult& t : r->txs) {
    d.outcomes.push_back(t.outcome);
    if (t.completed >= 0) d.latency.push_back(t.completed - t.submitted);
    if (t.decided >= 0) d.hops.push_back(t.decided_hops);
    d.messages += t.messages;
  }
  for (const auto& inv : r->invariants)
    if (inv.violated) d.violated.push_back(inv.id);
  for (const auto& x : r->doubt) d.doubt.push_back(x.in_doubt);
  d.blocked = r->blocked();
  d.missed = !r->expectation_misses.empty();
  return d;
}

}  // namespace

Result<SweepSummary> sweep(const Scenario& sc, RunFn run, const SweepOptions& opt) {
  if (opt.seed_last < opt.seed_first) return Error{"empty seed range"};
  const std::uint64_t n = opt.seed_last - opt.seed_first + 1;
  std::vector<SeedDigest> digests(n);
  std::atomic<std::uint64_t> next{0}, done{0};
  auto worker = [&] {
    for (std::uint64_t i; (i = next.fetch_add(1)) < n;) {
      if (opt.cancel && opt.cancel->load(std::memory_order_relaxed)) break;
      digests[i] = digest(sc, run, opt.seed_first + i);
      const std::uint64_t k = done.fetch_add(1) + 1;
      if (opt.progress) opt.progress(k);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, opt.threads); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (opt.cancel && opt.cancel->load()) return Error{"cancelled"};

  SweepSummary s;
  s.seed_first = opt.seed_first;
  s.seed_last = opt.seed_last;
  s.runs = n;
  std::vector<std::int64_t> latency, doubt, hops;
  std::uint64_t messages = 0, txs = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const SeedDigest& d = digests[i];
    if (!d.error.empty()) return Error{d.error};
    const std::uint64_t seed = opt.seed_first + i;
    for (Outcome o : d.outcomes) ++s.outcomes[std::string(to_string(o))];
    for (const auto& id : d.violated) {
      auto& b = s.violations[id];
      if (b.runs++ == 0) b.first_seed = seed;
    }
    s.blocked_runs += d.blocked;
    if (d.missed && s.expectation_misses++ == 0) s.first_miss_seed = seed;
    latency.insert(latency.end(), d.latency.begin(), d.latency.end());
    doubt.insert(doubt.end(), d.doubt.begin(), d.doubt.end());
    hops.insert(hops.end(), d.hops.begin(), d.hops.end());
    messages += d.messages;
    txs += d.outcomes.size();
  }
  if (opt.keep_samples) {
    s.decision_latency_samples_us = latency;
    s.in_doubt_samples_us = doubt;
  }
  s.decision_latency_us = percentiles(std::move(latency));
  s.in_doubt_us = percentiles(std::move(doubt));
  s.decision_hops = percentiles(std::move(hops));
  s.messages_per_tx = txs ? double(messages) / double(txs) : 0;
  return s;
}

}  // namespace txsim
