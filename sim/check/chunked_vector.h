// ChunkedVector<T>: an append-only sequence stored in fixed-size chunks, for the BFS queue and
// the per-level scratch arrays.
//
// Why not std::vector: growing a vector copies it and, for a moment, holds old and new buffers
// (up to 3x the data); its capacity can be twice the size. Here appending never moves an
// element, the spare capacity is at most one chunk, and the chunks at the front can be released
// once read (release_before), so a BFS level gives its memory back while it is being expanded.
//
// Chunks come from allocate_block (memory.h), zeroed, so released chunks leave the resident set.
// Elements keep their index for the vector's life; reading a released index is an error.
// Appends are single-threaded; concurrent reads of distinct or unchanging elements are fine.
// For trivially copyable T, extend(n) makes room for n more elements at once (zero bytes), which
// several threads may then fill by index, each its own elements: the parallel BFS copies a
// round's new states into the next level that way, at offsets from a prefix sum.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
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
    if ((size_ & (kChunk - 1)) == 0) chunks_.push_back(allocate_chunk());
    ::new (static_cast<void*>(chunks_.back() + (size_ & (kChunk - 1)))) T(std::move(value));
    ++size_;
  }
  void push_back(const T& value) { push_back(T(value)); }

  // size() grows by `count`; the new elements are zero bytes until assigned (by any thread,
  // each element by one). Trivially copyable T only: zeroed memory holds such objects already.
  void extend(std::size_t count)
    requires std::is_trivially_copyable_v<T>
  {
    const std::size_t size = size_ + count;
    while (chunks_.size() * kChunk < size) chunks_.push_back(allocate_chunk());
    size_ = size;
  }

  // Frees the chunks holding only elements below `index` (which must not be read again).
  void release_before(std::size_t index) {
    TXSIM_ASSERT(index <= size_);
    for (std::size_t c = released_; c < (index >> kChunkBits); ++c) free_chunk(c, kChunk);
    released_ = std::max(released_, index >> kChunkBits);
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
  static T* allocate_chunk() { return static_cast<T*>(allocate_block(kChunk * sizeof(T))); }
  // Destroys the first `alive` elements of chunk c and gives its memory back.
  void free_chunk(std::size_t c, std::size_t alive) {
    if constexpr (!std::is_trivially_destructible_v<T>) std::destroy_n(chunks_[c], alive);
    release_block(chunks_[c], kChunk * sizeof(T));
    chunks_[c] = nullptr;
  }

  std::vector<T*> chunks_;
  std::size_t size_ = 0;
  std::size_t released_ = 0;  // chunks [0, released_) are freed
};

}  // namespace txsim::check
