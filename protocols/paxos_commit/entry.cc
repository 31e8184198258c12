// Paxos Commit's registry entry (protocols/registry_entry.h says why it lives here).
#include "protocols/paxos_commit/paxos_commit.h"
#include "protocols/registry_entry.h"

namespace txsim {

ProtocolInfo paxos_commit_entry() {
  return info_of<PaxosCommit>(
      "Paxos Commit (Gray & Lamport): one Paxos instance per RM over 2F+1 acceptors; "
      "tolerates F failures without blocking.");
}

}  // namespace txsim
