// ChunkedVector<T>: an append-only sequence stored in fixed-size chunks, for the BFS queue and
// the per-level scratch arrays.
//
// Why not std::vector: growing a vector copies it and, for a moment, holds old and new buffers
// (up to 3x the data); its capacity can be twice the size. Here appending never moves an
// element, the spare capacity is at most one chunk, and the chunks at the front can be released
// once read (release_before), so a BFS level gives its memory back while it is being expanded.
//
// Chunks come from allocate_block (memory.h), so released chunks leave the resident set.
// Elements keep their index for the vector's life; reading a released index is an error.
// Not thread-safe for appends; concurrent reads of distinct or unchanging elements are fine.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
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
  ChunkedVector(ChunkedVector&&) noexcept = default;
  ChunkedVector& operator=(ChunkedVector&&) noexcept = default;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  T& operator[](std::size_t i) { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  const T& operator[](std::size_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }

  void push_back(T&& value) {
    if ((size_ & (kChunk - 1)) == 0) {
      chunks_.emplace_back();
      chunks_.back().reserve(kChunk);  // the only allocation of the chunk
    }
    chunks_.back().push_back(std::move(value));
    ++size_;
  }
  void push_back(const T& value) { push_back(T(value)); }

  // Frees the chunks holding only elements below `index` (which must not be read again).
  void release_before(std::size_t index) {
    TXSIM_ASSERT(index <= size_);
    for (std::size_t c = released_; c < (index >> kChunkBits); ++c) chunks_[c] = Chunk();
    released_ = std::max(released_, index >> kChunkBits);
  }

  void clear() {
    chunks_ = {};
    size_ = 0;
    released_ = 0;
  }

  // Bytes of element storage held (released chunks excluded), not counting heap the elements
  // themselves own.
  std::size_t bytes() const {
    return (chunks_.size() - released_) * kChunk * sizeof(T) + chunks_.capacity() * sizeof(Chunk);
  }

 private:
  using Chunk = std::vector<T, BlockAllocator<T>>;  // large chunks: mapped, see memory.h
  std::vector<Chunk> chunks_;
  std::size_t size_ = 0;
  std::size_t released_ = 0;  // chunks [0, released_) are freed
};

}  // namespace txsim::check
