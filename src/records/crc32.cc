#include "records/crc32.h"

#include <zlib.h>

namespace selfplay {

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
  return static_cast<std::uint32_t>(::crc32_z(
      crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

}  // namespace selfplay
