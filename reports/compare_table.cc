#include "reports/compare_table.h"

#include <algorithm>

namespace txsim {
namespace {

// A plain text table: columns sized to their widest cell, the first left-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void print(std::FILE* out) const {
    std::vector<std::size_t> width(rows_[0].size(), 0);
    for (const auto& r : rows_)
      for (std::size_t c = 0; c < r.size() && c < width.size(); ++c)
        width[c] = std::max(width[c], r[c].size());
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      std::string line = " ";
      for (std::size_t c = 0; c < width.size(); ++c) {
        const std::string& cell = c < rows_[i].size() ? rows_[i][c] : std::string();
        const std::string pad(width[c] - cell.size(), ' ');
        line += ' ';
        line += c == 0 ? cell + pad : pad + cell;
        line += "  ";
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      std::fprintf(out, "%s\n", line.c_str());
      if (i == 0) {
        std::size_t total = 1;
        for (std::size_t w : width) total += w + 3;
        std::fprintf(out, "  %s\n", std::string(total - 3, '-').c_str());
      }
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string outcome_counts(const RunResult& r) {
  std::size_t n[4] = {0, 0, 0, 0};
  for (const TxResult& t : r.txs) ++n[static_cast<int>(t.outcome)];
  std::string s;
  for (Outcome o : {Outcome::commit, Outcome::abort, Outcome::undecided, Outcome::mixed}) {
    if (n[static_cast<int>(o)] == 0) continue;
    if (!s.empty()) s += ", ";
    s += std::to_string(n[static_cast<int>(o)]);
    s += ' ';
    s += to_string(o);
  }
  return s.empty() ? "-" : s;
}

std::string broken(const RunResult& r) {
  std::string s;
  for (const InvariantResult& i : r.invariants) {
    if (!i.violated) continue;
    if (!s.empty()) s += ",";
    s += i.id;
  }
  return s.empty() ? "none" : s;
}

// Mean over the transactions that reached the point, "-" when none did.
template <class Get>
std::string mean_of(const RunResult& r, Get get, int decimals) {
  double sum = 0;
  std::size_t n = 0;
  for (const TxResult& t : r.txs) {
    if (auto v = get(t); v >= 0) {
      sum += v;
      ++n;
    }
  }
  return n ? fixed(sum / double(n), decimals) : "-";
}

}  // namespace

void print_run_comparison(std::FILE* out, const Scenario& sc, const std::vector<RunResult>& runs) {
  std::fprintf(out, "\nSide by side: %s (same workload, same faults, seed %llu)\n",
               sc.name.c_str(), runs.empty() ? 0ULL : (unsigned long long)runs[0].seed);
  Table t({"protocol", "outcomes", "broken", "msgs/tx", "delays->decision", "delays->all",
           "latency(ms)", "in doubt(ms)", "locks held(ms)", "blocked"});
  for (const RunResult& r : runs) {
    double doubt = 0, locked = 0;
    std::size_t blocked = 0;
    for (const DoubtResult& d : r.doubt) {
      doubt += double(d.in_doubt) / 1000.0;
      locked += double(d.locked) / 1000.0;
      blocked += d.unresolved;
    }
    const double msgs = r.txs.empty() ? 0 : double(r.sent) / double(r.txs.size());
    t.row({r.protocol, outcome_counts(r), broken(r), fixed(msgs, 1),
           mean_of(r, [](const TxResult& x) { return x.decided >= 0 ? double(x.decided_hops) : -1.0; }, 1),
           mean_of(r, [](const TxResult& x) { return x.completed >= 0 ? double(x.completed_hops) : -1.0; }, 1),
           mean_of(r, [](const TxResult& x) { return x.decided >= 0 ? double(x.decided - x.submitted) / 1000.0 : -1.0; }, 2),
           fixed(doubt, 2), fixed(locked, 2), blocked ? std::to_string(blocked) + " still in doubt" : "no"});
  }
  t.print(out);
  if (sc.transactions.size() > 1 || !runs.empty()) {
    std::vector<std::string> header{"transaction"};
    for (const RunResult& r : runs) header.push_back(r.protocol);
    Table per_tx(std::move(header));
    for (TxId x = 0; x < sc.transactions.size(); ++x) {
      std::vector<std::string> row{sc.transactions[x].name};
      for (const RunResult& r : runs)
        row.push_back(x < r.txs.size() ? std::string(to_string(r.txs[x].outcome)) : "-");
      per_tx.row(std::move(row));
    }
    std::fprintf(out, "\n");
    per_tx.print(out);
  }
  std::fprintf(out,
               "\n  delays: messages on the causal chain from the request to the first decision "
               "(->decision) and to the last participant's (->all).\n");
}

void print_sweep_comparison(std::FILE* out, const Scenario& sc,
                            const std::vector<std::pair<std::string, SweepSummary>>& sweeps) {
  std::fprintf(out, "\nSide by side: %s over seeds %llu..%llu\n", sc.name.c_str(),
               sweeps.empty() ? 0ULL : (unsigned long long)sweeps[0].second.seed_first,
               sweeps.empty() ? 0ULL : (unsigned long long)sweeps[0].second.seed_last);
  Table t({"protocol", "commit", "abort", "undecided", "mixed", "violating runs", "blocked runs",
           "msgs/tx", "delays p50", "latency p50/p99(ms)", "in doubt p50/p99(ms)"});
  auto count = [](const SweepSummary& s, const char* k) {
    auto it = s.outcomes.find(k);
    return std::to_string(it == s.outcomes.end() ? 0 : it->second);
  };
  auto ms = [](std::int64_t us) { return fixed(double(us) / 1000.0, 1); };
  for (const auto& [name, s] : sweeps) {
    std::uint64_t violating = 0;
    for (const auto& [id, b] : s.violations) violating = std::max(violating, b.runs);
    std::string broken = std::to_string(violating);
    for (const auto& [id, b] : s.violations) broken += (broken.find('(') == std::string::npos ? " (" : ",") + id;
    if (!s.violations.empty()) broken += ")";
    t.row({name, count(s, "commit"), count(s, "abort"), count(s, "undecided"), count(s, "mixed"),
           broken, std::to_string(s.blocked_runs), fixed(s.messages_per_tx, 1),
           s.decision_hops.count ? std::to_string(s.decision_hops.p50) : "-",
           ms(s.decision_latency_us.p50) + " / " + ms(s.decision_latency_us.p99),
           ms(s.in_doubt_us.p50) + " / " + ms(s.in_doubt_us.p99)});
  }
  t.print(out);
}

}  // namespace txsim
