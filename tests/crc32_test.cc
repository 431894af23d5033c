// CRC-32 against published check values (the IEEE polynomial's catalogue
// entry "CRC-32/ISO-HDLC": check 0xCBF43926 for "123456789"; the others as
// Python's zlib.crc32 gives them) and a bitwise
// reference written here from the polynomial, over every length around
// zlib's word-at-a-time loop's boundaries; continuing a checksum equals
// checksumming the concatenation.
#include "records/crc32.h"

#include <gtest/gtest.h>

#include <string>

#include "reference_crc32.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

TEST(Crc32, MatchesThePublishedCheckValues) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
  EXPECT_EQ(crc32(std::string(32, '\0')), 0x190A55ADu);
  EXPECT_EQ(crc32(std::string(32, '\xff')), 0xFF6CAB0Bu);
}

TEST(Crc32, MatchesABitwiseReferenceAtEveryLengthAndContinues) {
  Rng rng(5);
  std::string bytes;
  for (int length = 0; length <= 80; ++length) {
    EXPECT_EQ(crc32(bytes), testing::reference_crc32(bytes))
        << "length " << length;
    for (int split = 0; split <= length; split += 7) {
      const std::string_view view(bytes);
      EXPECT_EQ(crc32(view.substr(split), crc32(view.substr(0, split))),
                crc32(bytes))
          << length << " split at " << split;
    }
    bytes.push_back(static_cast<char>(rng.next()));
  }
}

}  // namespace
}  // namespace selfplay
