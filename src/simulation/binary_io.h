// Integers in a byte buffer, in the two encodings selfplay's binary formats
// use: little-endian fixed width (checkpoints, the worker protocol) and
// varints, 7 bits a byte, low first (records files); and length-prefixed
// strings in each. The formats must parse untrusted bytes (another process's
// messages, files) without crashing.
//
//   BinaryWriter writer;
//   writer.u64(games);
//   writer.string(name);
//   BinaryReader reader(writer.bytes());
//   const std::uint64_t games = reader.u64();
//   const std::string name = reader.string();
//   if (!reader.ok() || !reader.at_end()) { /* malformed */ }
//
// A reader that runs out of bytes, or meets a count larger than the rest of
// the buffer could hold, turns not-ok and returns zeros and empty strings from
// then on, so a parser checks ok() once at the end and never allocates more
// than the input's size.
#ifndef SELFPLAY_SIMULATION_BINARY_IO_H_
#define SELFPLAY_SIMULATION_BINARY_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace selfplay {

// The most bytes a 64-bit varint takes.
inline constexpr int kMaxVarintBytes = 10;

// Writes `value` at `out` as a varint; returns the end. For encoders that
// fill a buffer sized in advance.
inline char* put_varint(std::uint64_t value, char* out) {
  while (value >= 0x80) {
    *out++ = static_cast<char>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

class BinaryWriter {
 public:
  void u8(std::uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
  void u16(std::uint16_t value) { little_endian(value, 2); }
  void u32(std::uint32_t value) { little_endian(value, 4); }
  void u64(std::uint64_t value) { little_endian(value, 8); }
  void varint(std::uint64_t value) {
    char bytes[kMaxVarintBytes];
    const char* end = put_varint(value, bytes);
    bytes_.append(bytes, static_cast<std::size_t>(end - bytes));
  }
  // A u64 length, then the bytes.
  void string(std::string_view value) {
    u64(value.size());
    bytes_.append(value);
  }
  // A varint length, then the bytes.
  void varint_string(std::string_view value) {
    varint(value.size());
    bytes_.append(value);
  }

  const std::string& bytes() const& { return bytes_; }
  std::string bytes() && { return std::move(bytes_); }

 private:
  void little_endian(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) {
      bytes_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
  }

  std::string bytes_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view bytes) : rest_(bytes) {}

  std::uint8_t u8() { return static_cast<std::uint8_t>(little_endian(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(little_endian(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(little_endian(4)); }
  std::uint64_t u64() { return little_endian(8); }
  // Not-ok for a varint longer than 64 bits.
  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int i = 0; i < kMaxVarintBytes; ++i) {
      if (rest_.empty()) return fail();
      const auto byte = static_cast<unsigned char>(rest_.front());
      rest_.remove_prefix(1);
      if (i == kMaxVarintBytes - 1 && byte > 1) return fail();
      value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) return value;
    }
    return fail();
  }
  // The next `size` bytes, which stay in the buffer.
  std::string_view bytes(std::uint64_t size) {
    if (size > rest_.size()) {
      fail();
      return {};
    }
    std::string_view value = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return value;
  }
  std::string string() { return std::string(bytes(count(1))); }
  std::string varint_string() { return std::string(bytes(varint_count(1))); }
  // A u64 (or varint) count of elements that take at least
  // `min_element_bytes` each; more than the rest of the buffer could hold
  // makes the reader not-ok.
  std::uint64_t count(std::size_t min_element_bytes) {
    return at_most_the_rest(u64(), min_element_bytes);
  }
  std::uint64_t varint_count(std::size_t min_element_bytes) {
    return at_most_the_rest(varint(), min_element_bytes);
  }

  bool ok() const { return ok_; }
  bool at_end() const { return rest_.empty(); }

 private:
  std::uint64_t fail() {
    ok_ = false;
    rest_ = {};
    return 0;
  }

  std::uint64_t at_most_the_rest(std::uint64_t count,
                                 std::size_t min_element_bytes) {
    if (count > rest_.size() / min_element_bytes) return fail();
    return count;
  }

  std::uint64_t little_endian(std::size_t width) {
    if (rest_.size() < width) return fail();
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      value |= static_cast<std::uint64_t>(static_cast<unsigned char>(rest_[i]))
               << (8 * i);
    }
    rest_.remove_prefix(width);
    return value;
  }

  std::string_view rest_;
  bool ok_ = true;
};

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_BINARY_IO_H_
