// Sorted-vector helpers shared by every protocol's state: binary search by key, insertion that
// keeps the order, and ascending node sets.
//
// Why: protocol states keep their containers as std::vector sorted by a key with unique keys
// (STYLE.md rule 1), so that equal states are equal element for element and hash alike; the
// checker copies them millions of times, so no maps. Each protocol declares `key_of(element)`
// next to its element types (found by argument-dependent lookup); these templates do the rest.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/assert.h"
#include "sim/types.h"

namespace txsim {

// A plain id (transaction, node, account: all 16-bit) is its own key. Declared here because
// argument-dependent lookup finds nothing for a fundamental type.
constexpr std::uint16_t key_of(std::uint16_t id) { return id; }

template <class V, class K>
auto lower_bound_key(V& v, K key) {
  using T = typename std::remove_const_t<V>::value_type;
  return std::lower_bound(v.begin(), v.end(), key, [](const T& e, K k) { return key_of(e) < k; });
}

// A pointer to the element with `key` (const if `v` is), or nullptr.
template <class V, class K>
auto* find_key(V& v, K key) {
  auto it = lower_bound_key(v, key);
  return it != v.end() && key_of(*it) == key ? &*it : nullptr;
}

// Inserts `e`; its key must not be present yet.
template <class T>
T& insert_key(std::vector<T>& v, T e) {
  auto it = lower_bound_key(v, key_of(e));
  TXSIM_ASSERT(it == v.end() || key_of(*it) != key_of(e));
  return *v.insert(it, std::move(e));
}

// Removes the element with `key`; returns whether there was one.
template <class T, class K>
bool erase_key(std::vector<T>& v, K key) {
  auto it = lower_bound_key(v, key);
  if (it == v.end() || key_of(*it) != key) return false;
  v.erase(it);
  return true;
}

// Removes the element with `key`, which must be present.
template <class T, class K>
void erase_present(std::vector<T>& v, K key) {
  const bool erased = erase_key(v, key);
  TXSIM_ASSERT_MSG(erased, "erase_present: key not found");
}

// Adds `n` to an ascending set of nodes; returns false if it was already there.
inline bool add_node(std::vector<NodeId>& set, NodeId n) {
  auto it = std::lower_bound(set.begin(), set.end(), n);
  if (it != set.end() && *it == n) return false;
  set.insert(it, n);
  return true;
}

inline bool has_node(const std::vector<NodeId>& set, NodeId n) {
  return std::binary_search(set.begin(), set.end(), n);
}

}  // namespace txsim
