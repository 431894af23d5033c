// CRC-32 (IEEE, as zlib.crc32) one bit at a time, written from the
// polynomial alone: the oracle the tests hold the fast table-driven
// implementation and the records format to.
#ifndef SELFPLAY_TESTS_REFERENCE_CRC32_H_
#define SELFPLAY_TESTS_REFERENCE_CRC32_H_

#include <cstdint>
#include <string_view>

namespace selfplay::testing {

// Reflected polynomial 0xedb88320, initial and final value all ones.
inline std::uint32_t reference_crc32(std::string_view bytes) {
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1) ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
    }
  }
  return ~crc;
}

}  // namespace selfplay::testing

#endif  // SELFPLAY_TESTS_REFERENCE_CRC32_H_
