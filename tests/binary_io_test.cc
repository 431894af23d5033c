// The byte reader and writer of selfplay's binary formats against encodings
// written out by hand from their definitions: little-endian fixed width, and
// varints as Protocol Buffers' documentation gives them (300 is AC 02; the
// largest 64-bit value takes ten bytes, the last 01). A reader that runs out,
// meets an over-long varint or a count the rest cannot hold turns not-ok and
// stays so.
#include "simulation/binary_io.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace selfplay {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out(values.size(), '\0');
  std::size_t at = 0;
  for (int value : values) out[at++] = static_cast<char>(value);
  return out;
}

TEST(BinaryIo, WritesTheDocumentedEncodings) {
  BinaryWriter writer;
  writer.u16(0x0102);
  writer.u32(0x03040506);
  writer.varint(0);
  writer.varint(127);
  writer.varint(128);
  writer.varint(300);
  writer.varint(~std::uint64_t{0});
  writer.varint_string("ab");
  writer.string("c");
  EXPECT_EQ(writer.bytes(),
            bytes({0x02, 0x01, 0x06, 0x05, 0x04, 0x03, 0x00, 0x7f, 0x80,
                   0x01, 0xac, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                   0xff, 0xff, 0xff, 0x01, 0x02, 'a',  'b',  0x01, 0,
                   0,    0,    0,    0,    0,    0,    'c'}));
}

TEST(BinaryIo, ReadsTheDocumentedEncodings) {
  const std::string encoded = bytes(
      {0x02, 0x01, 0x06, 0x05, 0x04, 0x03, 0x00, 0x7f, 0x80, 0x01, 0xac, 0x02,
       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 'a',
       'b',  0x01, 0,    0,    0,    0,    0,    0,    0,    'c'});
  BinaryReader reader(encoded);
  EXPECT_EQ(reader.u16(), 0x0102);
  EXPECT_EQ(reader.u32(), 0x03040506u);
  EXPECT_EQ(reader.varint(), 0u);
  EXPECT_EQ(reader.varint(), 127u);
  EXPECT_EQ(reader.varint(), 128u);
  EXPECT_EQ(reader.varint(), 300u);
  EXPECT_EQ(reader.varint(), ~std::uint64_t{0});
  EXPECT_EQ(reader.varint_string(), "ab");
  EXPECT_EQ(reader.string(), "c");
  EXPECT_TRUE(reader.ok());
  EXPECT_TRUE(reader.at_end());
}

TEST(BinaryIo, MalformedInputTurnsTheReaderNotOkForGood) {
  // A varint beyond 64 bits: the tenth byte may only hold the top bit.
  const std::string too_long_bytes =
      bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02});
  BinaryReader too_long(too_long_bytes);
  EXPECT_EQ(too_long.varint(), 0u);
  EXPECT_FALSE(too_long.ok());
  // Eleven bytes of continuation.
  const std::string endless_bytes = std::string(11, static_cast<char>(0x80));
  BinaryReader endless(endless_bytes);
  endless.varint();
  EXPECT_FALSE(endless.ok());
  // A varint cut short, then anything after it reads as zero.
  const std::string cut_bytes = bytes({0x80});
  BinaryReader cut(cut_bytes);
  EXPECT_EQ(cut.varint(), 0u);
  EXPECT_EQ(cut.u8(), 0u);
  EXPECT_FALSE(cut.ok());
  // A string longer than what is left, in either encoding.
  const std::string long_string_bytes = bytes({0x05, 'a', 'b'});
  BinaryReader long_string(long_string_bytes);
  EXPECT_EQ(long_string.varint_string(), "");
  EXPECT_FALSE(long_string.ok());
  const std::string long_u64_string_bytes =
      bytes({0x09, 0, 0, 0, 0, 0, 0, 0, 'a'});
  BinaryReader long_u64_string(long_u64_string_bytes);
  EXPECT_EQ(long_u64_string.string(), "");
  EXPECT_FALSE(long_u64_string.ok());
  // A count of 8-byte elements that 15 bytes cannot hold.
  const std::string counts_bytes =
      bytes({0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  BinaryReader counts(counts_bytes);
  EXPECT_EQ(counts.varint_count(8), 0u);
  EXPECT_FALSE(counts.ok());
  const std::string fits_bytes = bytes({0x01, 0, 0, 0, 0, 0, 0, 0, 0});
  BinaryReader fits(fits_bytes);
  EXPECT_EQ(fits.varint_count(8), 1u);
  EXPECT_TRUE(fits.ok());
}

}  // namespace
}  // namespace selfplay
