// run_series(): step series from a hand-written trace, checked point by point.
#include "reports/run_series.h"

#include <gtest/gtest.h>

namespace txsim::report {
namespace {

const char* kHeader =
    R"({"format":"txsim-trace","version":1,"scenario":"s","file":"s.yaml","protocol":"two_phase",)"
    R"("seed":1,"nodes":[{"name":"C","role":"coordinator"},{"name":"P1","role":"participant"}],)"
    R"("transactions":["t1","t2"],"accounts":["P1.a","P1.b"],)"
    R"("phases":["working","prepared","committed"]})"
    "\n";

TraceDocument parse(const std::string& body) {
  auto doc = TraceDocument::parse(kHeader + body, "test.jsonl");
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().message);
  return std::move(*doc);
}

TEST(RunSeries, MessagesInFlightCountDuplicatesAndDrops) {
  const auto doc = parse(
      R"({"t":0,"ev":"send","node":"C","to":"P1","id":1,"type":"Prepare","tx":"t1","msg":{}})" "\n"
      R"({"t":0,"ev":"send","node":"C","to":"P1","id":2,"type":"Prepare","tx":"t2","msg":{}})" "\n"
      R"({"t":5,"ev":"duplicate","node":"P1","from":"C","id":1,"type":"Prepare","tx":"t1"})" "\n"
      R"({"t":7,"ev":"deliver","node":"P1","from":"C","id":1,"type":"Prepare","tx":"t1"})" "\n"
      R"({"t":9,"ev":"deliver","node":"P1","from":"C","id":1,"type":"Prepare","tx":"t1"})" "\n"
      R"({"t":9,"ev":"drop","node":"P1","from":"C","id":2,"type":"Prepare","tx":"t2","reason":"loss"})" "\n"
      R"({"t":12,"ev":"send","node":"P1","to":"C","id":3,"type":"Vote","tx":"t1","msg":{}})" "\n"
      R"({"t":12,"ev":"deliver","node":"C","from":"P1","id":3,"type":"Vote","tx":"t1"})" "\n"
      R"({"t":20,"ev":"end"})" "\n");
  const RunSeries r = run_series(doc);
  const StepSeries want = {{0, 2}, {5, 3}, {7, 2}, {9, 0}};  // t=12: +1 -1 folds away
  EXPECT_EQ(r.messages_in_flight, want);
  EXPECT_EQ(r.end_time_us, 20);
  EXPECT_EQ(value_at(r.messages_in_flight, 6), 3);
  EXPECT_EQ(value_at(r.messages_in_flight, 100), 0);
  EXPECT_FALSE(r.has_locks);
  EXPECT_FALSE(r.has_frozen);
}

TEST(RunSeries, PhaseTracksPerNodeAndTransaction) {
  const auto doc = parse(
      R"({"t":0,"ev":"observe","node":"P1","what":"phase","tx":"t2","phase":"working"})" "\n"
      R"({"t":1,"ev":"observe","node":"C","what":"phase","tx":"t1","phase":"working"})" "\n"
      R"({"t":3,"ev":"observe","node":"P1","what":"phase","tx":"t1","phase":"prepared"})" "\n"
      R"({"t":4,"ev":"observe","node":"P1","what":"phase","tx":"t1","phase":"prepared"})" "\n"
      R"({"t":6,"ev":"observe","node":"P1","what":"phase","tx":"t1","phase":"committed"})" "\n"
      R"({"t":8,"ev":"end"})" "\n");
  const RunSeries r = run_series(doc);
  ASSERT_EQ(r.phase_tracks.size(), 3u);  // (C,t1), (P1,t1), (P1,t2)
  EXPECT_EQ(r.phase_tracks[0].node, 0);
  EXPECT_EQ(r.phase_tracks[0].tx, 0);
  EXPECT_EQ(r.phase_tracks[1].node, 1);
  EXPECT_EQ(r.phase_tracks[1].tx, 0);
  EXPECT_EQ(r.phase_tracks[1].phases, (StepSeries{{3, 1}, {6, 2}}));  // repeat at t=4 dropped
  EXPECT_EQ(r.phase_tracks[2].tx, 1);
  EXPECT_EQ(r.phase_tracks[2].phases, (StepSeries{{0, 0}}));
}

TEST(RunSeries, LocksFollowTheLedgerRules) {
  const auto doc = parse(
      R"({"t":1,"ev":"observe","node":"P1","what":"lock","tx":"t1","account":"P1.a","value":0})" "\n"
      R"({"t":2,"ev":"observe","node":"P1","what":"lock","tx":"t2","account":"P1.b","value":0})" "\n"
      R"({"t":3,"ev":"observe","node":"C","what":"unlock","tx":"t1","account":"P1.a","value":0})" "\n"
      R"({"t":4,"ev":"observe","node":"P1","what":"unlock","tx":"t1","account":"P1.a","value":0})" "\n"
      R"({"t":5,"ev":"observe","node":"P1","what":"lock","tx":"t1","account":"P1.a","value":0})" "\n"
      R"({"t":6,"ev":"crash","node":"P1","after_effects":-1})" "\n"
      R"({"t":7,"ev":"observe","node":"P1","what":"unlock","tx":"t1","account":"P1.a","value":0})" "\n"
      R"({"t":9,"ev":"end"})" "\n");
  const RunSeries r = run_series(doc);
  EXPECT_TRUE(r.has_locks);
  // C's unlock at t=3 released nothing; the crash at t=6 released both of P1's locks.
  EXPECT_EQ(r.locks_held, (StepSeries{{0, 0}, {1, 1}, {2, 2}, {4, 1}, {5, 2}, {6, 0}}));
}

TEST(RunSeries, FreezeValuesAreSignedDeltas) {
  const auto doc = parse(
      R"({"t":1,"ev":"observe","node":"P1","what":"freeze","tx":"t1","account":"P1.a","value":30})" "\n"
      R"({"t":2,"ev":"observe","node":"P1","what":"freeze","tx":"t2","account":"P1.b","value":5})" "\n"
      R"({"t":4,"ev":"observe","node":"P1","what":"freeze","tx":"t1","account":"P1.a","value":-30})" "\n"
      R"({"t":6,"ev":"end"})" "\n");
  const RunSeries r = run_series(doc);
  EXPECT_TRUE(r.has_frozen);
  EXPECT_EQ(r.frozen_total, (StepSeries{{0, 0}, {1, 30}, {2, 35}, {4, 5}}));
  ASSERT_EQ(r.frozen_by_account.size(), 2u);
  EXPECT_EQ(r.frozen_by_account[0], (StepSeries{{0, 0}, {1, 30}, {4, 0}}));
  EXPECT_EQ(r.frozen_by_account[1], (StepSeries{{0, 0}, {2, 5}}));
}

}  // namespace
}  // namespace txsim::report
