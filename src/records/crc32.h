// CRC-32 (the IEEE polynomial of zlib, gzip and PNG), computed by zlib, so
// that a block's checksum can be checked with any standard tool, e.g.
// Python's zlib.crc32(payload).
//
//   std::uint32_t crc = crc32(bytes);
//   crc = crc32(more_bytes, crc);  // continues: crc32 of bytes + more_bytes
#ifndef SELFPLAY_RECORDS_CRC32_H_
#define SELFPLAY_RECORDS_CRC32_H_

#include <cstdint>
#include <string_view>

namespace selfplay {

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace selfplay

#endif  // SELFPLAY_RECORDS_CRC32_H_
