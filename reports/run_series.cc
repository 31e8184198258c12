#include "reports/run_series.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

namespace txsim::report {

namespace {

// Appends "from t on, the value is v", folding changes at one instant and dropping non-changes.
void push(StepSeries& s, std::int64_t t, std::int64_t v) {
  if (!s.empty() && s.back().time_us == t) {
    s.back().value = v;
    if (s.size() >= 2 && s[s.size() - 2].value == v) s.pop_back();
    return;
  }
  if (!s.empty() && s.back().value == v) return;
  s.push_back({t, v});
}

// Ledger-style lock counters per (tx, node); unlock of nothing ignored, crash releases all.
class LockCounter {
 public:
  void lock(std::int32_t tx, std::int16_t node) {
    ++held_[{tx, node}];
    ++total_;
  }
  void unlock(std::int32_t tx, std::int16_t node) {
    auto it = held_.find({tx, node});
    if (it == held_.end() || it->second == 0) return;
    --it->second;
    --total_;
  }
  void crash(std::int16_t node) {
    for (auto& [key, n] : held_)
      if (key.second == node) {
        total_ -= n;
        n = 0;
      }
  }
  std::int64_t total() const { return total_; }

 private:
  std::map<std::pair<std::int32_t, std::int16_t>, std::int64_t> held_;
  std::int64_t total_ = 0;
};

class SeriesBuilder {
 public:
  explicit SeriesBuilder(const TraceDocument& doc) : doc_(doc) {
    out_.messages_in_flight.push_back({0, 0});
    out_.locks_held.push_back({0, 0});
    out_.frozen_total.push_back({0, 0});
    out_.frozen_by_account.resize(doc.accounts().size());
    frozen_.assign(doc.accounts().size(), 0);
    out_.end_time_us = doc.end_time();
  }

  void add(const DocEvent& e) {
    switch (e.kind) {
      case EventKind::send:
      case EventKind::duplicate:
        push(out_.messages_in_flight, e.time, ++in_flight_);
        break;
      case EventKind::deliver:
      case EventKind::drop:
        push(out_.messages_in_flight, e.time, --in_flight_);
        break;
      case EventKind::crash:
        locks_.crash(e.node);
        push(out_.locks_held, e.time, locks_.total());
        break;
      case EventKind::observe:
        observe(e);
        break;
      default:
        break;
    }
  }

  RunSeries finish() {
    for (auto& [key, series] : tracks_)
      out_.phase_tracks.push_back({key.first, key.second, std::move(series)});
    return std::move(out_);
  }

 private:
  void observe(const DocEvent& e) {
    const std::string_view what = doc_.label(e.label);
    if (what == "phase" && e.phase != kNone) {
      push(tracks_[{e.node, e.tx}], e.time, e.phase);
    } else if (what == "lock" || what == "unlock") {
      out_.has_locks = true;
      if (what == "lock") locks_.lock(e.tx, e.node);
      else locks_.unlock(e.tx, e.node);
      push(out_.locks_held, e.time, locks_.total());
    } else if (what == "freeze" && e.account != kNone) {
      out_.has_frozen = true;
      const auto a = static_cast<std::size_t>(e.account);
      StepSeries& acc = out_.frozen_by_account[a];
      if (acc.empty()) acc.push_back({0, 0});
      frozen_[a] += e.value;
      frozen_sum_ += e.value;
      push(acc, e.time, frozen_[a]);
      push(out_.frozen_total, e.time, frozen_sum_);
    }
  }

  const TraceDocument& doc_;
  RunSeries out_;
  std::map<std::pair<std::int16_t, std::int32_t>, StepSeries> tracks_;
  std::int64_t in_flight_ = 0;
  LockCounter locks_;
  std::vector<std::int64_t> frozen_;
  std::int64_t frozen_sum_ = 0;
};

}  // namespace

RunSeries run_series(const TraceDocument& doc) {
  SeriesBuilder b(doc);
  for (const DocEvent& e : doc.events()) b.add(e);
  return b.finish();
}

std::int64_t value_at(const StepSeries& series, std::int64_t time_us) {
  auto it = std::upper_bound(series.begin(), series.end(), time_us,
                             [](std::int64_t t, const StepPoint& p) { return t < p.time_us; });
  return it == series.begin() ? 0 : std::prev(it)->value;
}

}  // namespace txsim::report
