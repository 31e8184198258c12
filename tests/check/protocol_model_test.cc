// ProtocolModel<P> step by step, on the test "ping" protocol (tests/sim/ping_protocol.h): which
// successors a world has (requests, deliveries, timers, crashes before and inside a handler,
// recoveries, drops, duplicates, partitions, choices), what each does to the world, how steps
// are described, and that equal runs give equal worlds and fingerprints.
#include "sim/check/protocol_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/check/explore.h"
#include "tests/sim/sim_test_support.h"

namespace txsim::check {
namespace {

using test::kA;
using test::kB;
using test::kC;
using test::kD;
using test::Ping;
using test::PingProtocol;
using PingModel = ProtocolModel<PingProtocol>;
using W = PingModel::State;
static_assert(Model<PingModel>);

struct Succ {
  Action action;
  std::string text;
  W world;
};

class PingModelTest : public ::testing::Test {
 protected:
  // Requester A, peers B, C, D; `txs` transactions.
  PingModel model(CheckSpec spec, int txs = 1, const std::string& links = "fifo") const {
    const Scenario sc =
        test::must_load(test::ping_yaml("{latency: {fixed: 1ms}, links: " + links + "}", txs),
                        test::ping_context());
    return PingModel(sc, PingProtocol(sc, sc.options.at("ping")), std::move(spec));
  }
  static std::vector<Succ> successors(const PingModel& m, const W& w) {
    std::vector<Succ> out;
    m.successors(w, [&](const Action& a, W&& next) {
      out.push_back(Succ{a, m.describe_action(w, a), std::move(next)});
    });
    return out;
  }
  static std::vector<std::string> texts(const std::vector<Succ>& s) {
    std::vector<std::string> out;
    for (const Succ& x : s) out.push_back(x.text);
    return out;
  }
  // The successor described as `text`; fails the test if there is none.
  static W after(const PingModel& m, const W& w, const std::string& text) {
    for (Succ& s : successors(m, w))
      if (s.text == text) return std::move(s.world);
    ADD_FAILURE() << "no step '" << text << "'";
    return w;
  }
  static W submitted(const PingModel& m) {
    return after(m, m.initial_states().front(), "submit t1 to A");
  }
};

using Texts = std::vector<std::string>;

TEST_F(PingModelTest, InitialWorldHasEveryRequestPendingAndNothingElse) {
  const PingModel m = model(CheckSpec{}, 2);
  const std::vector<W> init = m.initial_states();
  ASSERT_EQ(init.size(), 1u);
  const W& w = init[0];
  EXPECT_EQ(w.pending, (std::vector<TxId>{0, 1}));
  EXPECT_TRUE(w.inflight.empty());
  EXPECT_EQ(w.up, (std::vector<std::uint8_t>{1, 1, 1, 1}));
  EXPECT_FALSE(w.quiescent());
  EXPECT_EQ(texts(successors(m, w)), (Texts{"submit t1 to A", "submit t2 to A"}));
}

TEST_F(PingModelTest, SubmitRunsTheHandlerAndAppliesItsEffects) {
  const PingModel m = model(CheckSpec{});
  const W w = submitted(m);
  EXPECT_TRUE(w.pending.empty());
  ASSERT_EQ(w.inflight.size(), 3u);
  EXPECT_EQ(w.inflight[0].to, kB);
  EXPECT_EQ(w.inflight[2].to, kD);
  EXPECT_EQ(w.timers[kA], std::vector<TimerId>{0});
  EXPECT_EQ(w.disks[kA].started, std::vector<TxId>{0});
  EXPECT_EQ(w.states[kA].vol.waiting.size(), 1u);
  EXPECT_FALSE(w.ledger.faults_happened());
  // No budget: deliveries only (the retry would pile a second Ping on each link: boundary).
  EXPECT_EQ(texts(successors(m, w)),
            (Texts{"deliver Ping t1 A->B", "deliver Ping t1 A->C", "deliver Ping t1 A->D"}));
  CheckSpec unbounded;
  unbounded.copies_max = 0;
  const PingModel mu = model(unbounded);
  EXPECT_EQ(successors(mu, submitted(mu)).back().text, "fire timer retry t1 at A");
}

TEST_F(PingModelTest, CrashBudgetAddsTornHandlersAndPlainCrashes) {
  CheckSpec spec;
  spec.crashes = 1;
  const PingModel m = model(spec);
  const std::vector<Succ> s = successors(m, m.initial_states().front());
  // on_request: persist, observe waiting, Ping B, Ping C, Ping D, set retry. A cut between the
  // persist and its observation (k = 1) is not allowed; k = 0 is the plain crash and k = 6
  // (the whole list) the handler followed by a plain crash: other steps, not torn variants.
  EXPECT_EQ(texts(s),
            (Texts{"submit t1 to A", "crash A after 2 effects of its handler for request t1",
                   "crash A after 3 effects of its handler for request t1",
                   "crash A after 4 effects of its handler for request t1",
                   "crash A after 5 effects of its handler for request t1", "crash A", "crash B",
                   "crash C", "crash D"}));
  const W& torn = s[1].world;
  EXPECT_FALSE(torn.up[kA]);
  EXPECT_EQ(torn.disks[kA].started, std::vector<TxId>{0}) << "the persist happened";
  EXPECT_TRUE(torn.inflight.empty()) << "no Ping left";
  EXPECT_TRUE(torn.timers[kA].empty());
  EXPECT_EQ(torn.spent.crashes, 1u);
  EXPECT_TRUE(torn.ledger.faults_happened());
  EXPECT_EQ(s[4].world.inflight.size(), 3u);
  EXPECT_EQ(s[4].world.states[kA], m.protocol().restore(kA, s[4].world.disks[kA]));
  // The budget is spent: no crash anywhere after that, torn or plain.
  for (const Succ& x : successors(m, torn))
    EXPECT_EQ(x.text.find("crash"), std::string::npos) << x.text;
}

TEST_F(PingModelTest, RecoveryRestoresFromDiskAndIsFree) {
  CheckSpec spec;
  spec.crashes = 1;
  const PingModel m = model(spec);
  const W torn =
      after(m, m.initial_states().front(), "crash A after 2 effects of its handler for request t1");
  EXPECT_EQ(texts(successors(m, torn)), Texts{"recover A"});
  const W back = after(m, torn, "recover A");
  EXPECT_TRUE(back.up[kA]);
  EXPECT_EQ(back.spent.crashes, 1u) << "recovering is not charged";
  EXPECT_EQ(back.inflight.size(), 3u) << "on_recover restarted the round";
  EXPECT_EQ(back.timers[kA], std::vector<TimerId>{0});
}

TEST_F(PingModelTest, MessagesToADownNodeAreLostFreeOfCharge) {
  CheckSpec spec;
  spec.crashes = 1;
  const PingModel m = model(spec);
  const W down = after(m, submitted(m), "crash B");
  const W lost = after(m, down, "deliver Ping t1 A->B (lost: B is down)");
  EXPECT_EQ(lost.inflight.size(), 2u);
  EXPECT_EQ(lost.spent, (FaultsSpent{1, 0, 0, 0}));
  EXPECT_EQ(lost.states[kB], down.states[kB]);
}

TEST_F(PingModelTest, DropsAndDuplicatesWithinBudget) {
  CheckSpec spec;
  spec.drops = 1;
  spec.duplicates = 1;
  const PingModel m = model(spec);
  const W w = submitted(m);
  EXPECT_EQ(texts(successors(m, w)),
            (Texts{"deliver Ping t1 A->B", "deliver Ping t1 A->C", "deliver Ping t1 A->D",
                   "drop Ping t1 A->B", "duplicate Ping t1 A->B", "drop Ping t1 A->C",
                   "duplicate Ping t1 A->C", "drop Ping t1 A->D", "duplicate Ping t1 A->D"}));
  const W dropped = after(m, w, "drop Ping t1 A->C");
  EXPECT_EQ(dropped.inflight.size(), 2u);
  EXPECT_EQ(dropped.spent.drops, 1u);
  EXPECT_TRUE(dropped.ledger.faults_happened());
  const W dup = after(m, w, "duplicate Ping t1 A->B");
  EXPECT_EQ(dup.copies_of(dup.inflight[0]), 2u) << "a duplicate may exceed copies_max";
  const Texts next = texts(successors(m, dup));
  EXPECT_EQ(std::count(next.begin(), next.end(), "deliver Ping t1 A->B"), 1)
      << "two equal copies are one delivery choice";
  EXPECT_EQ(std::count_if(next.begin(), next.end(),
                          [](const std::string& t) { return t.starts_with("duplicate"); }),
            0);
  // The copy is delivered after the original. While B's first Pong is in flight, a second
  // one would exceed copies_max: that delivery waits until A has taken the first Pong.
  const W once = after(m, dup, "deliver Ping t1 A->B");
  const Texts waiting = texts(successors(m, once));
  EXPECT_EQ(std::count(waiting.begin(), waiting.end(), "deliver Ping t1 A->B"), 0);
  const W pong = after(m, once, "deliver Pong t1 B->A");
  EXPECT_EQ(pong.states[kA].durable.pongs, 1u);
  const W twice = after(m, after(m, pong, "deliver Ping t1 A->B"), "deliver Pong t1 B->A");
  EXPECT_EQ(twice.states[kA].durable.pongs, 1u) << "ping ignores a duplicate pong";
  EXPECT_TRUE(twice.inflight.size() == 2u);
}

TEST_F(PingModelTest, FifoDeliversTheHeadOnlyAndUnorderedAnyMessage) {
  for (const char* links : {"fifo", "unordered"}) {
    const PingModel m = model(CheckSpec{}, 2, links);
    const W w = after(m, after(m, m.initial_states().front(), "submit t1 to A"), "submit t2 to A");
    const Texts steps = texts(successors(m, w));
    const bool fifo = std::string(links) == "fifo";
    EXPECT_EQ(std::count(steps.begin(), steps.end(), "deliver Ping t2 A->B"), fifo ? 0 : 1);
    EXPECT_EQ(std::count(steps.begin(), steps.end(), "deliver Ping t1 A->B"), 1);
  }
}

TEST_F(PingModelTest, EqualRunsGiveEqualWorldsAndFingerprints) {
  const PingModel m = model(CheckSpec{});
  const W w = submitted(m);
  const W bc = after(m, after(m, w, "deliver Ping t1 A->B"), "deliver Ping t1 A->C");
  const W cb = after(m, after(m, w, "deliver Ping t1 A->C"), "deliver Ping t1 A->B");
  EXPECT_EQ(bc, cb);
  EXPECT_EQ(m.fingerprint(bc), m.fingerprint(cb));
  EXPECT_NE(m.fingerprint(bc), m.fingerprint(w));
  // Two requests in either order: the same bag on unordered links, not on FIFO links.
  for (const char* links : {"fifo", "unordered"}) {
    const PingModel m2 = model(CheckSpec{}, 2, links);
    const W init = m2.initial_states().front();
    const W a = after(m2, after(m2, init, "submit t1 to A"), "submit t2 to A");
    const W b = after(m2, after(m2, init, "submit t2 to A"), "submit t1 to A");
    const bool fifo = std::string(links) == "fifo";
    EXPECT_EQ(a == b, !fifo) << links;
    EXPECT_EQ(m2.fingerprint(a) == m2.fingerprint(b), !fifo) << links;
  }
}

TEST_F(PingModelTest, PartitionsFromTheListOrEveryTwoWaySplit) {
  CheckSpec every;
  every.partitions = 1;
  const PingModel m = model(every);
  EXPECT_EQ(m.partitions().size(), 7u) << "2^(4-1) - 1 two-way splits of 4 nodes";
  CheckSpec listed;
  listed.partitions = 1;
  listed.partition_groups = {{{kC, kB, kD}, {kA}}};
  const PingModel ml = model(listed);
  const W w = submitted(ml);
  const W cut = after(ml, w, "partition {A} | {B, C, D}");
  EXPECT_EQ(cut.spent.partitions, 1u);
  const Texts steps = texts(successors(ml, cut));
  EXPECT_EQ(steps.back(), "heal the partition");
  EXPECT_EQ(std::count_if(steps.begin(), steps.end(),
                          [](const std::string& t) { return t.starts_with("partition"); }),
            0);
  const W lost = after(ml, cut, "deliver Ping t1 A->B (lost: partition)");
  EXPECT_EQ(lost.inflight.size(), 2u);
  EXPECT_EQ(after(ml, cut, "heal the partition").partition, w.partition);
}

TEST_F(PingModelTest, ChoiceSequencesAreEnumeratedDepthFirst) {
  const PingModel m = model(CheckSpec{});
  const WorldRules<PingProtocol> rules(m.protocol(), true);
  std::vector<std::string> seqs;
  // Two values, and after a 1 a second choice among three: [0], [1 0], [1 1], [1 2]. Only the
  // last outcome is flagged last (run_handler then moves its base world instead of copying).
  rules.for_each_choice(
      m.protocol().init(kA), kA,
      [](auto&, auto& fx) {
        if (fx.choose(2) == 1) fx.choose(3);
      },
      [&](std::uint32_t i, auto&, auto&, const auto& taken, bool last) {
        std::string s = std::to_string(i) + ":";
        for (const ChoiceTaken& c : taken) s += " " + std::to_string(c.value);
        seqs.push_back(s + (last ? " (last)" : ""));
      });
  EXPECT_EQ(seqs, (Texts{"0: 0", "1: 1 0", "2: 1 1", "3: 1 2 (last)"}));
}

TEST_F(PingModelTest, DescribesWorldsAsJson) {
  CheckSpec spec;
  spec.crashes = 1;
  const PingModel m = model(spec);
  const W w = after(m, submitted(m), "crash C");
  const std::string json = m.describe_state(w);
  EXPECT_NE(json.find(R"("node":"C","up":false)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("timers":["retry t1"])"), std::string::npos) << json;
  EXPECT_NE(json.find(R"({"from":"A","to":"B","type":"Ping","tx":"t1","msg":{}})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("spent":{"crashes":1,"drops":0,"duplicates":0,"partitions":0})"),
            std::string::npos)
      << json;
}

// Ping observes no votes or money: no invariant can break, and nobody is ever in doubt.
TEST_F(PingModelTest, WholeSpaceWithOneCrashHasNoViolation) {
  CheckSpec spec;
  spec.crashes = 1;
  const PingModel m = model(spec);
  for (unsigned threads : {1u, 2u}) {
    CheckOptions opt;
    opt.threads = threads;
    const CheckResult<PingModel> r = explore(m, opt);
    EXPECT_EQ(r.verdict, Verdict::ok) << format_summary(r);
    // Computed once with this build, then pinned: a change means the model changed.
    EXPECT_EQ(r.distinct_states, 1459u);
    EXPECT_EQ(r.states_generated, 4517u);
  }
}

// The synchronous timing model (TimeoutModel::synchronous): a timer fires only once nothing in
// flight can be delivered, and only if a node it watches (ping: every other node) has failed.
bool any_fire(const std::vector<std::string>& texts) {
  return std::any_of(texts.begin(), texts.end(),
                     [](const std::string& t) { return t.rfind("fire timer", 0) == 0; });
}

TEST_F(PingModelTest, SynchronousTimersWaitForDeliverableMessagesAndAFailure) {
  CheckSpec spec;
  spec.crashes = 1;
  spec.copies_max = 0;
  spec.timeouts = TimeoutModel::synchronous;
  const PingModel m = model(spec);
  const W w = submitted(m);
  EXPECT_FALSE(any_fire(texts(successors(m, w)))) << "Pings can still be delivered";
  W down = after(m, w, "crash B");
  EXPECT_FALSE(any_fire(texts(successors(m, down)))) << "Pings to C and D are deliverable";
  down = after(m, down, "deliver Ping t1 A->C");
  down = after(m, down, "deliver Ping t1 A->D");
  down = after(m, down, "deliver Pong t1 C->A");
  down = after(m, down, "deliver Pong t1 D->A");
  // Left: the Ping to B, which cannot be delivered (B is down), and A's retry timer.
  const Texts now = texts(successors(m, down));
  EXPECT_TRUE(any_fire(now)) << "B is down: the perfect failure detector says so";
  EXPECT_EQ(after(m, down, "fire timer retry t1 at A").inflight.size(), 2u) << "resent to B";
  // Asynchronous timing lets the same timer fire at once, noted as a (timing) fault.
  CheckSpec async = spec;
  async.timeouts = TimeoutModel::asynchronous;
  const PingModel ma = model(async);
  const W early = after(ma, submitted(ma), "fire timer retry t1 at A");
  EXPECT_TRUE(early.ledger.faults_happened());
}

TEST_F(PingModelTest, SynchronousTimersFireWhenTheWorldIsStuckWithoutAFailure) {
  CheckSpec spec;
  spec.drops = 1;
  spec.copies_max = 0;
  spec.timeouts = TimeoutModel::synchronous;
  const PingModel m = model(spec);
  W w = after(m, submitted(m), "drop Ping t1 A->B");
  w = after(m, w, "deliver Ping t1 A->C");
  w = after(m, w, "deliver Ping t1 A->D");
  EXPECT_FALSE(any_fire(texts(successors(m, w)))) << "Pongs are deliverable";
  w = after(m, w, "deliver Pong t1 C->A");
  w = after(m, w, "deliver Pong t1 D->A");
  // Nobody failed, nothing can arrive: the lost Ping is what a timeout ends.
  EXPECT_TRUE(any_fire(texts(successors(m, w))));
}

TEST_F(PingModelTest, SynchronousPartitionCountsAsAFailure) {
  CheckSpec spec;
  spec.partitions = 1;
  spec.copies_max = 0;
  spec.partition_groups = {{{kA, kC, kD}, {kB}}};
  spec.timeouts = TimeoutModel::synchronous;
  const PingModel m = model(spec);
  W w = after(m, submitted(m), "partition {A, C, D} | {B}");
  EXPECT_FALSE(any_fire(texts(successors(m, w))));
  w = after(m, w, "deliver Ping t1 A->C");
  w = after(m, w, "deliver Ping t1 A->D");
  w = after(m, w, "deliver Pong t1 C->A");
  w = after(m, w, "deliver Pong t1 D->A");
  EXPECT_TRUE(any_fire(texts(successors(m, w)))) << "B is cut off, its Ping undeliverable";
}

}  // namespace
}  // namespace txsim::check
