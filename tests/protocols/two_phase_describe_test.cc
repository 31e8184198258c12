// Two-phase commit's public face: option schema, phase names, message type names, JSON
// descriptions of messages and states (byte-exact: traces must be stable), timer names, and
// the protocol registry.
#include "protocols/registry.h"
#include "tests/protocols/two_phase_fixture.h"

namespace txsim::two_phase::testing {
namespace {

TEST(TwoPhaseSchema, KeysTypesAndDefaults) {
  const OptionSchema schema = TwoPhase::schema();
  std::vector<std::string> rows;
  for (const OptionSpec& s : schema) {
    rows.push_back(s.key + "=" + s.default_value);
    EXPECT_FALSE(s.doc.empty()) << s.key;
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"prepare_timeout=50ms", "decision_retry=20ms",
                                            "query_interval=30ms", "cooperative_termination=false",
                                            "log_before_send=true", "random_no_vote=false"}));
  EXPECT_EQ(schema[0].type, OptionType::duration);
  EXPECT_EQ(schema[3].type, OptionType::boolean);
}

TEST(TwoPhaseSchema, PhaseNames) {
  const auto names = TwoPhase::phase_names();
  EXPECT_EQ(
      std::vector<std::string_view>(names.begin(), names.end()),
      (std::vector<std::string_view>{"working", "prepared", "committed", "aborted", "collecting"}));
  EXPECT_EQ(names[std::size_t(Phase::collecting)], "collecting");
}

TEST(TwoPhaseRegistry, ListsTwoPhaseWithItsSchema) {
  ASSERT_FALSE(protocol_infos().empty());
  EXPECT_EQ(protocol_infos()[0].name, "two_phase");
  EXPECT_FALSE(protocol_infos()[0].summary.empty());
  const OptionSchema* schema = protocol_schema("two_phase");
  ASSERT_NE(schema, nullptr);
  EXPECT_EQ(schema->size(), TwoPhase::schema().size());
  EXPECT_EQ(protocol_schema("three_phase_typo"), nullptr);
}

TEST_F(TwoPhaseTest, OptionsAreRead) {
  build({{"prepare_timeout", "7ms"},
         {"decision_retry", "3ms"},
         {"query_interval", "1s"},
         {"cooperative_termination", "true"},
         {"log_before_send", "false"},
         {"random_no_vote", "true"}});
  EXPECT_EQ(proto->options().prepare_timeout, ms(7));
  EXPECT_EQ(proto->options().decision_retry, ms(3));
  EXPECT_EQ(proto->options().query_interval, sec(1));
  EXPECT_TRUE(proto->options().cooperative_termination);
  EXPECT_FALSE(proto->options().log_before_send);
  EXPECT_TRUE(proto->options().random_no_vote);
  EXPECT_EQ(request(T1).back(), "set prepare-timeout t1 7ms");
}

TEST_F(TwoPhaseTest, MessageNamesAndDescriptions) {
  const std::vector<Msg> msgs = {Prepare{T1}, Vote{T2, true}, Vote{T2, false},
                                 Commit{T3},  Abort{T4},      Ack{T1},
                                 Query{T2},   PeerQuery{T3},  PeerReply{T4, PeerOutcome::unknown}};
  std::vector<std::string> rows;
  for (const Msg& m : msgs) {
    rows.push_back(std::string(proto->type_name(m)) + " " + std::to_string(proto->tx_of(m)) + " " +
                   proto->describe(m));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"Prepare 0 {}", "Vote 1 {\"yes\":true}",
                                            "Vote 1 {\"yes\":false}", "Commit 2 {}", "Abort 3 {}",
                                            "Ack 0 {}", "Query 1 {}", "PeerQuery 2 {}",
                                            "PeerReply 3 {\"outcome\":\"unknown\"}"}));
}

TEST_F(TwoPhaseTest, TimerNames) {
  EXPECT_EQ(proto->timer_name(timer_id(TimerKind::prepare_timeout, T1)), "prepare-timeout t1");
  EXPECT_EQ(proto->timer_name(timer_id(TimerKind::retry, T2)), "retry t2");
  EXPECT_EQ(proto->timer_name(timer_id(TimerKind::query, T4)), "query t4");
}

TEST_F(TwoPhaseTest, DescribeInitialStates) {
  EXPECT_EQ(proto->describe_state(states[C]),
            "{\"durable\":{\"commit_log\":[]},\"volatile\":{\"collecting\":[],\"acking\":[]}}");
  EXPECT_EQ(proto->describe_state(states[P1]),
            "{\"durable\":{\"log\":[],\"balances\":{\"P1.a\":100,\"P1.d\":5}},"
            "\"volatile\":{\"locks\":{}}}");
}

TEST_F(TwoPhaseTest, DescribeBusyStates) {
  prepare_t1();
  deliver(P1, C, Vote{T1, true});
  request(T2);
  deliver(C, P1, Prepare{T2});  // lock conflict: no
  EXPECT_EQ(proto->describe_state(states[P1]),
            "{\"durable\":{\"log\":[{\"tx\":\"t1\",\"status\":\"prepared\","
            "\"deltas\":{\"P1.a\":-30}},{\"tx\":\"t2\",\"status\":\"aborted\",\"deltas\":{}}],"
            "\"balances\":{\"P1.a\":100,\"P1.d\":5}},\"volatile\":{\"locks\":{\"P1.a\":\"t1\"}}}");
  EXPECT_EQ(proto->describe_state(states[C]),
            "{\"durable\":{\"commit_log\":[]},\"volatile\":{\"collecting\":["
            "{\"tx\":\"t1\",\"yes\":[\"P1\"]},{\"tx\":\"t2\",\"yes\":[]}],\"acking\":[]}}");
  deliver(P2, C, Vote{T1, true});
  deliver(P3, C, Vote{T1, true});
  deliver(P2, C, Ack{T1});
  EXPECT_EQ(proto->describe_state(states[C]),
            "{\"durable\":{\"commit_log\":[\"t1\"]},\"volatile\":{\"collecting\":["
            "{\"tx\":\"t2\",\"yes\":[]}],\"acking\":[{\"tx\":\"t1\",\"acked\":[\"P2\"]}]}}");
}

TEST_F(TwoPhaseTest, StatesAreValuesThatCompare) {
  TwoPhase::State a = proto->init(P1);
  EXPECT_EQ(a, states[P1]);
  deliver(C, P1, Prepare{T1});
  EXPECT_NE(a, states[P1]);
  EXPECT_EQ(proto->restore(P1, states[P1].durable).durable, states[P1].durable);
  EXPECT_TRUE(proto->restore(P1, states[P1].durable).vol.locks.empty());
}

}  // namespace
}  // namespace txsim::two_phase::testing
