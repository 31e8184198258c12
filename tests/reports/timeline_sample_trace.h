// A small hand-written trace whose every mark is known, shared by the timeline tests (layout,
// SVG, widget, table, run view), and a generator of large random traces for brute-force checks.
//
// The sample, by event index: 0 request C; 1 C collecting; 2-4 C sends Prepare #1-#3;
// 5 P1 gets #1; 6 P1 prepared; 7 P1 sends Vote #4; 8 network duplicates #2; 9 P2 gets #2;
// 10 P2 prepared; 11 P2 gets the copy of #2; 12 partition {P3} | {C, P1, P2}; 13 #3 dropped at
// P3; 14 C gets #4; 15 P1 crashes; 16 P2's timer; 17 P2 sends Query #5; 18 heal;
// 19 C committed; 20 C sends Commit #6 (never arrives); 21 P1 recovers; 22 P2 aborted;
// 23 violation AC1; 24 C gets #5. End at 10 ms.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace txsim::report::testing {

inline const char* kSampleTrace =
    R"({"format":"txsim-trace","version":1,"scenario":"sample","file":"sample.yaml",)"
    R"("protocol":"two_phase","seed":1,"nodes":[{"name":"C","role":"coordinator"},)"
    R"({"name":"P1","role":"participant"},{"name":"P2","role":"participant"},)"
    R"({"name":"P3","role":"participant"}],"transactions":["t1"],"accounts":["P1.a"],)"
    R"("phases":["working","prepared","committed","aborted","collecting"]})"
    "\n"
    R"({"t":0,"ev":"request","node":"C","tx":"t1"}
{"t":0,"ev":"observe","node":"C","what":"phase","tx":"t1","phase":"collecting"}
{"t":0,"ev":"send","node":"C","to":"P1","id":1,"type":"Prepare","tx":"t1","msg":{}}
{"t":0,"ev":"send","node":"C","to":"P2","id":2,"type":"Prepare","tx":"t1","msg":{}}
{"t":0,"ev":"send","node":"C","to":"P3","id":3,"type":"Prepare","tx":"t1","msg":{}}
{"t":1000,"ev":"deliver","node":"P1","from":"C","id":1,"type":"Prepare","tx":"t1"}
{"t":1000,"ev":"observe","node":"P1","what":"phase","tx":"t1","phase":"prepared"}
{"t":1000,"ev":"send","node":"P1","to":"C","id":4,"type":"Vote","tx":"t1","msg":{"yes":true}}
{"t":1500,"ev":"duplicate","node":"P2","from":"C","id":2,"type":"Prepare","tx":"t1"}
{"t":2000,"ev":"deliver","node":"P2","from":"C","id":2,"type":"Prepare","tx":"t1"}
{"t":2000,"ev":"observe","node":"P2","what":"phase","tx":"t1","phase":"prepared"}
{"t":2500,"ev":"deliver","node":"P2","from":"C","id":2,"type":"Prepare","tx":"t1"}
{"t":3000,"ev":"partition","detail":"{P3} | {C, P1, P2}"}
{"t":3500,"ev":"drop","node":"P3","from":"C","id":3,"type":"Prepare","tx":"t1","reason":"partition"}
{"t":4000,"ev":"deliver","node":"C","from":"P1","id":4,"type":"Vote","tx":"t1"}
{"t":4000,"ev":"crash","node":"P1","after_effects":-1}
{"t":5000,"ev":"timer","node":"P2","timer":"query t1"}
{"t":5000,"ev":"send","node":"P2","to":"C","id":5,"type":"Query","tx":"t1","msg":{}}
{"t":6000,"ev":"heal"}
{"t":6000,"ev":"observe","node":"C","what":"phase","tx":"t1","phase":"committed"}
{"t":6000,"ev":"send","node":"C","to":"P1","id":6,"type":"Commit","tx":"t1","msg":{}}
{"t":7000,"ev":"recover","node":"P1"}
{"t":7000,"ev":"observe","node":"P2","what":"phase","tx":"t1","phase":"aborted"}
{"t":7000,"ev":"violation","invariant":"AC1","detail":"t1: C decided commit but P2 decided abort"}
{"t":8000,"ev":"deliver","node":"C","from":"P2","id":5,"type":"Query","tx":"t1"}
{"t":10000,"ev":"end"}
)";

// A random but well-formed trace: `rounds` messages between `nodes` nodes with random latencies
// (some long), drops, duplicates, phase changes and timers. Deterministic in `seed`.
inline std::string random_trace(int rounds, int nodes, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out = R"({"format":"txsim-trace","version":1,"scenario":"random","file":"r.yaml",)"
                    R"("protocol":"two_phase","seed":1,"nodes":[)";
  for (int n = 0; n < nodes; ++n)
    out += std::string(n ? "," : "") + R"({"name":"N)" + std::to_string(n) +
           R"(","role":"participant"})";
  out += R"(],"transactions":["t1"],"accounts":[],"phases":["working","prepared","committed"]})";
  out += "\n";
  // Events must come in time order: collect (time, line) and sort.
  std::vector<std::pair<std::int64_t, std::string>> lines;
  const char* phases[] = {"working", "prepared", "committed"};
  for (int i = 0; i < rounds; ++i) {
    const std::int64_t t = static_cast<std::int64_t>(i) * 100 + rng() % 100;
    const int from = static_cast<int>(rng() % nodes);
    const int to = static_cast<int>((from + 1 + rng() % (nodes - 1)) % nodes);
    const std::string id = std::to_string(i + 1), a = "N" + std::to_string(from),
                      b = "N" + std::to_string(to);
    lines.emplace_back(t, R"({"t":)" + std::to_string(t) + R"(,"ev":"send","node":")" + a +
                              R"(","to":")" + b + R"(","id":)" + id +
                              R"(,"type":"M","tx":"t1","msg":{}})");
    const std::uint32_t fate = rng() % 20;
    const std::int64_t latency = fate == 0 ? 20000 + rng() % 50000 : 50 + rng() % 900;
    if (fate == 1) {
      lines.emplace_back(t + latency, R"({"t":)" + std::to_string(t + latency) +
                                          R"(,"ev":"drop","node":")" + b + R"(","from":")" + a +
                                          R"(","id":)" + id +
                                          R"(,"type":"M","tx":"t1","reason":"loss"})");
    } else if (fate != 2) {  // fate 2: never arrives (in flight at the end)
      const int copies = fate == 3 ? 2 : 1;
      for (int c = 0; c < copies; ++c)
        lines.emplace_back(t + latency + c * 7, R"({"t":)" + std::to_string(t + latency + c * 7) +
                                                    R"(,"ev":"deliver","node":")" + b +
                                                    R"(","from":")" + a + R"(","id":)" + id +
                                                    R"(,"type":"M","tx":"t1"})");
    }
    if (rng() % 3 == 0)
      lines.emplace_back(t, R"({"t":)" + std::to_string(t) + R"(,"ev":"observe","node":")" + a +
                                R"(","what":"phase","tx":"t1","phase":")" + phases[rng() % 3] +
                                R"("})");
    if (rng() % 5 == 0)
      lines.emplace_back(t, R"({"t":)" + std::to_string(t) + R"(,"ev":"timer","node":")" + a +
                                R"(","timer":"retry"})");
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [t, line] : lines) out += line + "\n";
  return out;
}

}  // namespace txsim::report::testing
