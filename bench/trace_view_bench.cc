// What opening a big run in the GUI costs: parsing a 1,000,000-event trace into a TraceDocument
// and laying out its timeline (the budget is 2 s for both), then the per-frame queries the
// timeline painter makes: a zoomed-in window, and the whole run bundled per pixel column.
//
// The trace is generated in memory with realistic 2PC lines (request, phase changes, Prepare,
// Vote, Commit, Ack, state-free), about 20 events per transaction over 4 nodes, some messages
// lost and duplicated, so the document, messages and layout have a real trace's proportions.
//
// Needs txsim_reports, which txsim_bench links only once bench/CMakeLists.txt says so:
//   target_link_libraries(txsim_bench PRIVATE txsim_reports)
//   target_compile_definitions(txsim_bench PRIVATE TXSIM_BENCH_HAS_REPORTS)
// Until then this file compiles to nothing, so it cannot break the other benchmarks' link.
#ifdef TXSIM_BENCH_HAS_REPORTS

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/timeline_layout.h"
#include "reports/trace_document.h"

namespace txsim::report {
namespace {

constexpr std::size_t kEvents = 1'000'000;
constexpr int kTransactionNames = 1000;

class TraceText {
 public:
  std::string make() {
    out_ = R"({"format":"txsim-trace","version":1,"scenario":"bench","file":"bench.yaml",)"
           R"("protocol":"two_phase","seed":1,"nodes":[{"name":"C","role":"coordinator"},)"
           R"({"name":"P1","role":"participant"},{"name":"P2","role":"participant"},)"
           R"({"name":"P3","role":"participant"}],"transactions":[)";
    for (int i = 0; i < kTransactionNames; ++i)
      out_ += (i ? ",\"t" : "\"t") + std::to_string(i + 1) + "\"";
    out_ += R"(],"accounts":["P1.a","P2.b","P3.c"],)"
            R"("phases":["working","prepared","committed","aborted","collecting"]})"
            "\n";
    out_.reserve(kEvents * 95);
    for (std::int64_t round = 0; events_ < kEvents; ++round) transaction(round);
    out_ += R"({"t":)" + std::to_string(now_ + 1000) + R"(,"ev":"end"})" + "\n";
    return std::move(out_);
  }

 private:
  void line(std::int64_t t, const std::string& rest) {
    out_ += R"({"t":)" + std::to_string(t) + R"(,"ev":)" + rest + "}\n";
    ++events_;
  }
  // One 2PC transaction, started every 500 us, so many overlap in flight.
  void transaction(std::int64_t round) {
    const std::string tx = "\"t" + std::to_string(round % kTransactionNames + 1) + "\"";
    const std::int64_t t0 = round * 500;
    now_ = t0;
    line(t0, R"("request","node":"C","tx":)" + tx);
    line(t0, R"("observe","node":"C","what":"phase","tx":)" + tx + R"(,"phase":"collecting")");
    for (int p = 1; p <= 3; ++p) message(t0, 0, p, "Prepare", tx, round, p);
    const std::int64_t decided = t0 + 3000;
    line(decided, R"("observe","node":"C","what":"phase","tx":)" + tx + R"(,"phase":"committed")");
    for (int p = 1; p <= 3; ++p) message(decided, 0, p, "Commit", tx, round, p + 3);
    now_ = decided + 2500;
  }
  void message(std::int64_t t, int from, int to, const char* type, const std::string& tx,
               std::int64_t round, int k) {
    static const char* kNames[] = {"C", "P1", "P2", "P3"};
    const std::string id = std::to_string(++message_id_);
    const std::string ids = R"(,"id":)" + id + R"(,"type":")" + type + R"(","tx":)" + tx;
    line(t, R"("send","node":")" + std::string(kNames[from]) + R"(","to":")" + kNames[to] + "\"" +
                ids + R"(,"msg":{})");
    const std::int64_t arrive = t + 300 + (round * 37 + k * 101) % 900;
    if ((round + k) % 97 == 0) {  // about 1% lost
      line(arrive, R"("drop","node":")" + std::string(kNames[to]) + R"(","from":")" +
                       kNames[from] + "\"" + ids + R"(,"reason":"loss")");
      return;
    }
    line(arrive, R"("deliver","node":")" + std::string(kNames[to]) + R"(","from":")" +
                     kNames[from] + "\"" + ids);
    if (type[0] == 'P') {  // the participant prepares and votes
      line(arrive, R"("observe","node":")" + std::string(kNames[to]) +
                       R"(","what":"phase","tx":)" + tx + R"(,"phase":"prepared")");
      line(arrive, R"("send","node":")" + std::string(kNames[to]) + R"(","to":"C","id":)" +
                       std::to_string(++message_id_) + R"(,"type":"Vote","tx":)" + tx +
                       R"(,"msg":{"yes":true})");
      // The votes' deliveries are left out on purpose: in flight at the end (open arrows).
    } else {
      line(arrive, R"("observe","node":")" + std::string(kNames[to]) +
                       R"(","what":"phase","tx":)" + tx + R"(,"phase":"committed")");
    }
  }

  std::string out_;
  std::size_t events_ = 0;
  std::uint64_t message_id_ = 0;
  std::int64_t now_ = 0;
};

// Events must be in time order; the generator interleaves overlapping transactions, so sort the
// event lines by time once (stable: same-time lines keep their order).
std::string sorted_trace() {
  const std::string raw = TraceText().make();
  std::vector<std::pair<std::int64_t, std::string_view>> lines;
  std::size_t start = raw.find('\n') + 1;
  const std::string_view header(raw.data(), start);
  while (start < raw.size()) {
    const std::size_t stop = raw.find('\n', start);
    const std::string_view l(raw.data() + start, stop - start + 1);
    lines.emplace_back(std::stoll(std::string(l.substr(5, l.find(',') - 5))), l);
    start = stop + 1;
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out(header);
  out.reserve(raw.size());
  for (const auto& [t, l] : lines) out += l;
  return out;
}

const std::string& trace() {
  static const std::string text = sorted_trace();
  return text;
}

void BM_OpenMillionEventTrace(benchmark::State& state) {
  const std::string& text = trace();
  std::size_t events = 0, arrows = 0;
  for (auto _ : state) {
    auto doc = TraceDocument::parse(text, "bench.jsonl");
    if (!doc) state.SkipWithError(doc.error().message.c_str());
    const TimelineLayout layout(*doc);
    events = doc->events().size();
    arrows = layout.arrows().size();
    benchmark::DoNotOptimize(layout.lane_count());
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["arrows"] = static_cast<double>(arrows);
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_OpenMillionEventTrace)->Unit(benchmark::kMillisecond)->Iterations(3);

struct Opened {
  TraceDocument doc;
  TimelineLayout layout;
};
const Opened& opened() {
  static const Opened o = [] {
    auto doc = TraceDocument::parse(trace(), "bench.jsonl");
    TimelineLayout layout(*doc);
    return Opened{std::move(doc.value()), std::move(layout)};
  }();
  return o;
}

// A frame zoomed in on 5 ms in the middle: what the painter asks for.
void BM_FrameZoomedIn(benchmark::State& state) {
  const TimelineLayout& layout = opened().layout;
  const std::int64_t t0 = layout.end_time() / 2, t1 = t0 + 5000, step = 5;
  for (auto _ : state) {
    std::size_t shapes = layout.arrows_in(t0, t1).size();
    for (std::size_t lane = 0; lane < layout.lane_count(); ++lane)
      shapes += layout.sampled_segments(lane, t0, t1, step).size();
    shapes += layout.sampled_marks(t0, t1, step).size();
    benchmark::DoNotOptimize(shapes);
  }
}
BENCHMARK(BM_FrameZoomedIn)->Unit(benchmark::kMicrosecond);

// A frame showing the whole run on 1200 pixels: arrows bundled, segments sampled.
void BM_FrameWholeRun(benchmark::State& state) {
  const TimelineLayout& layout = opened().layout;
  const std::int64_t t1 = layout.end_time(), step = t1 / 1200;
  std::size_t shapes = 0;
  for (auto _ : state) {
    shapes = layout.arrow_buckets(0, t1, 300).size();
    for (std::size_t lane = 0; lane < layout.lane_count(); ++lane)
      shapes += layout.sampled_segments(lane, 0, t1, step * 2).size();
    shapes += layout.sampled_marks(0, t1, step * 3).size();
    benchmark::DoNotOptimize(shapes);
  }
  state.counters["shapes"] = static_cast<double>(shapes);
}
BENCHMARK(BM_FrameWholeRun)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace txsim::report

#endif  // TXSIM_BENCH_HAS_REPORTS
