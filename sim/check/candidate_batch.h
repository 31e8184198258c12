// CandidateBatch<T>: the successors of a few states, gathered before any of them meets the
// visited set, so that BFS handles them in tight loops without unpredictable branches.
//
// Why: a search spends most of its time on three yes/no questions per successor (is it a
// stutter, was its fingerprint met a moment ago, is it visited), and their answers are close to
// random. Asked inline, each wrong guess of the branch predictor costs ~15-20 cycles, about as
// much as the rest of the successor's handling. Gathered in a batch, the first two become
// arithmetic (`keep_last(!stutter)`, a survivor index that advances by `!seen`) and only the
// visited-set lookup stays a branch, with its slot prefetched several candidates ahead.
//
// emplace_back constructs at the end without counting the element in; keep_last(true) counts it
// in, keep_last(false) drops it (the next emplace_back reuses the slot). Elements never move
// while the batch is not growing; clear() keeps the capacity. Storage comes from allocate_block
// (memory.h): a batch that grew gives its old arrays back to the OS, and bytes() is counted in
// the checker's memory estimate.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "sim/check/memory.h"

namespace txsim::check {

template <class T>
class CandidateBatch {
 public:
  CandidateBatch() = default;
  CandidateBatch(const CandidateBatch&) = delete;
  CandidateBatch& operator=(const CandidateBatch&) = delete;
  ~CandidateBatch() {
    clear();
    BlockAllocator<T>().deallocate(data_, capacity_);
  }

  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::size_t bytes() const { return capacity_ * sizeof(T); }

  // Constructs an element after the last one; it is not part of the batch until keep_last.
  template <class... Args>
  [[gnu::always_inline]] T& emplace_back(Args&&... args) {
    if (size_ == capacity_) [[unlikely]]
      grow();
    return *::new (static_cast<void*>(data_ + size_)) T{std::forward<Args>(args)...};
  }
  // Counts the element emplace_back just made in (keep) or destroys it.
  [[gnu::always_inline]] void keep_last(bool keep) {
    if constexpr (std::is_trivially_destructible_v<T>) {
      size_ += keep ? 1 : 0;  // no branch: a dropped trivial element is simply overwritten
    } else if (keep) {
      ++size_;
    } else {
      std::destroy_at(data_ + size_);
    }
  }

  // Keeps the first `count` elements (count <= size()).
  void truncate(std::size_t count) {
    std::destroy_n(data_ + count, size_ - count);
    size_ = count;
  }
  void clear() { truncate(0); }

 private:
  // Room for one more element past size_ (which emplace_back fills before keep_last).
  void grow() {
    const std::size_t capacity = capacity_ == 0 ? 1024 : 2 * capacity_;
    T* data = BlockAllocator<T>().allocate(capacity);
    std::uninitialized_move_n(data_, size_, data);
    std::destroy_n(data_, size_);
    BlockAllocator<T>().deallocate(data_, capacity_);
    data_ = data;
    capacity_ = capacity;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace txsim::check
