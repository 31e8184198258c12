// MsgClass: what a message is *for*, in words every commit protocol shares.
//
// Why: a side-by-side scenario runs one fault script against several protocols, and a
// trigger like `sent: {from: C, class: decision}` ("after the coordinator sends its first
// decision-phase message") must mean the same moment in each. Protocols classify their
// messages with the optional `msg_class` hook (sim/protocol.h).
//
//   prepare  - asks for a vote / reservation (2PC Prepare, 3PC CanCommit, TCC Try, PC Prepare)
//   vote     - the answer to it (Vote, Yes/No, Try result, an RM's phase 2a at ballot 0 in Paxos
//              Commit)
//   decision - carries or starts the decision (Commit/Abort, 3PC PreCommit/DoCommit/Abort,
//              TCC Confirm/Cancel, Paxos Commit's Commit/Abort)
//   ack      - acknowledges a decision
//   query    - asks for a decision or a peer's state (termination, recovery)
//   consensus - the protocol's own agreement traffic (Paxos phases 1a/1b/2a/2b between
//               leaders and acceptors, elections)
//   other    - anything else
#pragma once

#include <cstdint>
#include <string_view>

namespace txsim {

enum class MsgClass : std::uint8_t { prepare, vote, decision, ack, query, consensus, other };
std::string_view to_string(MsgClass c);
bool msg_class_from_string(std::string_view text, MsgClass& out);

}  // namespace txsim
