// EventQueue: pops in (time, seq) order, ties in push order, and agrees with a reference model
// (std::multimap keeps equal keys in insertion order) under seeded random push/pop.
#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "sim/rng.h"

namespace txsim {
namespace {

TEST(EventQueue, StartsEmpty) {
  EventQueue<int> q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  EXPECT_EQ(q.pushed(), 0u);
}

TEST(EventQueue, PopsByTime) {
  EventQueue<int> q;
  q.push(30, 3);
  q.push(10, 1);
  q.push(20, 2);
  q.push(0, 0);
  EXPECT_EQ(q.size(), 4u);
  EXPECT_EQ(q.top().payload, 0);
  for (int want = 0; want < 4; ++want) {
    const auto e = q.pop();
    EXPECT_EQ(e.payload, want);
    EXPECT_EQ(e.time, want * 10);
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, TiesPopInPushOrder) {
  EventQueue<int> q;
  for (int i = 0; i < 100; ++i) q.push(5, i);
  q.push(4, -1);
  EXPECT_EQ(q.pop().payload, -1);
  for (int i = 0; i < 100; ++i) {
    const auto e = q.pop();
    EXPECT_EQ(e.payload, i);
    EXPECT_EQ(e.seq, std::uint64_t(i));
  }
}

TEST(EventQueue, SeqIsTheGlobalPushCounter) {
  EventQueue<int> q;
  q.push(10, 0);
  q.push(5, 1);
  EXPECT_EQ(q.pushed(), 2u);
  EXPECT_EQ(q.pop().seq, 1u);
  EXPECT_EQ(q.pop().seq, 0u);
  q.push(1, 2);
  EXPECT_EQ(q.top().seq, 2u) << "seq keeps growing after pops";
}

TEST(EventQueue, ClearEmptiesAndRestartsSeq) {
  EventQueue<int> q;
  q.push(1, 1);
  q.push(2, 2);
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.pushed(), 0u);
  q.push(7, 7);
  EXPECT_EQ(q.top().seq, 0u);
}

TEST(EventQueue, InterleavedPushAtEarlierTimeComesFirst) {
  EventQueue<int> q;
  q.push(100, 1);
  q.push(100, 2);
  EXPECT_EQ(q.pop().payload, 1);
  q.push(50, 3);  // the simulator never pushes into the past, but the queue must not care
  q.push(100, 4);
  EXPECT_EQ(q.pop().payload, 3);
  EXPECT_EQ(q.pop().payload, 2);
  EXPECT_EQ(q.pop().payload, 4);
}

TEST(EventQueue, MatchesReferenceModelUnderRandomPushPop) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    EventQueue<int> q;
    std::multimap<Micros, int> model;  // equal keys stay in insertion order
    Rng rng(seed);
    int next = 0;
    for (int step = 0; step < 5000; ++step) {
      // Push more than pop at first, then drain: sizes range from 0 to a few hundred.
      const bool push = model.empty() || rng.below(100) < (step < 2500 ? 60u : 40u);
      if (push) {
        const Micros t = Micros(rng.below(50));  // few distinct times: many ties
        q.push(t, next);
        model.emplace(t, next);
        ++next;
      } else {
        ASSERT_FALSE(q.empty());
        EXPECT_EQ(q.top().payload, model.begin()->second);
        const auto e = q.pop();
        ASSERT_EQ(e.time, model.begin()->first) << "seed " << seed << " step " << step;
        ASSERT_EQ(e.payload, model.begin()->second) << "seed " << seed << " step " << step;
        model.erase(model.begin());
      }
      ASSERT_EQ(q.size(), model.size());
      ASSERT_EQ(q.empty(), model.empty());
    }
    while (!model.empty()) {
      ASSERT_EQ(q.pop().payload, model.begin()->second);
      model.erase(model.begin());
    }
    EXPECT_TRUE(q.empty());
  }
}

TEST(EventQueue, CarriesStructPayloads) {
  struct Ev {
    int kind;
    std::vector<int> data;
  };
  EventQueue<Ev> q;
  q.push(2, Ev{2, {1, 2}});
  q.push(1, Ev{1, {3}});
  const auto e = q.pop();
  EXPECT_EQ(e.payload.kind, 1);
  EXPECT_EQ(e.payload.data, std::vector<int>{3});
  EXPECT_EQ(q.pop().payload.data, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace txsim
