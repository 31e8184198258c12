// ChunkedVector<T>: an append-only sequence stored in fixed-size chunks, for the BFS queue and
// the per-level scratch arrays.
//
// Why not std::vector: growing a vector copies it and, for a moment, holds old and new buffers
// (up to 3x the data); its capacity can be twice the size. Here appending never moves an
// element, the spare capacity is at most one chunk, and the chunks at the front can be released
// once read (release_before), so a BFS level gives its memory back while it is being expanded.
//
// Chunks come from allocate_chunk (memory.h), zeroed; released ones are recycled or leave the
// resident set.
// Elements keep their index for the vector's life; reading a released index is an error.
// Appends are single-threaded; concurrent reads of distinct or unchanging elements are fine.
// For trivially copyable T, extend(n) makes room for n more elements at once (zero bytes), which
// several threads may then fill by index, each its own elements: the parallel BFS copies a
// round's new states into the next level that way, at offsets from a prefix sum.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/assert.h"
#include "sim/check/memory.h"

namespace txsim::check {

template <class T, int kChunkBits = 12>
class ChunkedVector {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;

  ChunkedVector() = default;
  ChunkedVector(ChunkedVector&& other) noexcept
      : chunks_(std::move(other.chunks_)),
        size_(std::exchange(other.size_, 0)),
        released_(std::exchange(other.released_, 0)) {
    other.chunks_.clear();
  }
  ChunkedVector& operator=(ChunkedVector&& other) noexcept {
    if (this != &other) {
      clear();
      chunks_ = std::move(other.chunks_);
      other.chunks_.clear();
      size_ = std::exchange(other.size_, 0);
      released_ = std::exchange(other.released_, 0);
    }
    return *this;
  }
  ChunkedVector(const ChunkedVector&) = delete;
  ChunkedVector& operator=(const ChunkedVector&) = delete;
  ~ChunkedVector() { clear(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  T& operator[](std::size_t i) { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  const T& operator[](std::size_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }

  void push_back(T&& value) {
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(new_chunk());
    T* chunk = chunks_[size_ >> kChunkBits];  // not back(): chunks may be reserved ahead
    ::new (static_cast<void*>(chunk + (size_ & (kChunk - 1)))) T(std::move(value));
    ++size_;
  }
  void push_back(const T& value) { push_back(T(value)); }

  // size() grows by `count`; the new elements are zero bytes until assigned (by any thread,
  // each element by one). Trivially copyable T only: zeroed memory holds such objects already.
  void extend(std::size_t count)
    requires std::is_trivially_copyable_v<T>
  {
    const std::size_t size = size_ + count;
    while (chunks_.size() * kChunk < size) chunks_.push_back(new_chunk());
    size_ = size;
  }

  // Allocates the chunks for `count` elements in all, without changing size() (one thread;
  // nothing may read or write the vector meanwhile). The parallel BFS reserves a round's room in
  // the next level while it admits, so the one-thread step that extends it allocates nothing.
  void reserve(std::size_t count) {
    while (chunks_.size() * kChunk < count) chunks_.push_back(new_chunk());
  }

  // Frees the chunks holding only elements below `index` (which must not be read again).
  void release_before(std::size_t index) {
    TXSIM_ASSERT(index <= size_);
    for (std::size_t c = released_; c < (index >> kChunkBits); ++c) free_chunk(c, kChunk);
    released_ = std::max(released_, index >> kChunkBits);
  }

  // Frees the chunks beyond the last element (reserved or kept ones).
  void shrink_to_fit() {
    const std::size_t used = std::max(released_, (size_ + kChunk - 1) / kChunk);
    for (std::size_t c = used; c < chunks_.size(); ++c) free_chunk(c, 0);
    if (used < chunks_.size()) chunks_.resize(used);
  }

  // Empties the vector but keeps the chunks for about `keep` elements, zeroed again (released
  // ones are dropped). BFS reuses a level's origin chunks for the next level: zeroing them costs
  // less than unmapping them and mapping new ones.
  void reset(std::size_t keep)
    requires std::is_trivially_copyable_v<T>
  {
    const std::size_t offset = released_ * kChunk;  // elements of the released chunks
    chunks_.erase(chunks_.begin(), chunks_.begin() + std::ptrdiff_t(released_));
    released_ = 0;
    const std::size_t kept = std::min(chunks_.size(), (keep + kChunk - 1) / kChunk);
    for (std::size_t c = kept; c < chunks_.size(); ++c) free_chunk(c, 0);
    chunks_.resize(kept);
    const std::size_t used = size_ - std::min(size_, offset);  // elements in the chunks left
    for (std::size_t c = 0; c < kept && c * kChunk < used; ++c) {
      const std::size_t elements = std::min(kChunk, used - c * kChunk);
      std::memset(static_cast<void*>(chunks_[c]), 0, elements * sizeof(T));
    }
    size_ = 0;
  }

  void clear() {
    for (std::size_t c = released_; c < chunks_.size(); ++c) {
      free_chunk(c, std::min(kChunk, size_ - std::min(size_, c * kChunk)));
    }
    chunks_ = {};
    size_ = 0;
    released_ = 0;
  }

  // Bytes of element storage held (released chunks excluded), not counting heap the elements
  // themselves own.
  std::size_t bytes() const {
    return (chunks_.size() - released_) * kChunk * sizeof(T) + chunks_.capacity() * sizeof(T*);
  }

 private:
  static T* new_chunk() { return static_cast<T*>(allocate_chunk(kChunk * sizeof(T))); }
  // Destroys the first `alive` elements of chunk c and gives its memory back.
  void free_chunk(std::size_t c, std::size_t alive) {
    if constexpr (!std::is_trivially_destructible_v<T>) std::destroy_n(chunks_[c], alive);
    release_chunk(chunks_[c], kChunk * sizeof(T));
    chunks_[c] = nullptr;
  }

  std::vector<T*> chunks_;
  std::size_t size_ = 0;
  std::size_t released_ = 0;  // chunks [0, released_) are freed
};

}  // namespace txsim::check
