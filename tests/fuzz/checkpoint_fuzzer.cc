// libFuzzer target: any bytes as a checkpoint (`simulate --resume FILE`),
// and so as the counts codec it embeds: an error or a checkpoint that
// serialises back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "records/checkpoint.h"
#include "simulation/counts_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<selfplay::Checkpoint> checkpoint =
      selfplay::parse_checkpoint(bytes);
  if (checkpoint.ok() && selfplay::serialize_checkpoint(*checkpoint) != bytes) {
    std::abort();  // one format, one reading of it
  }
  absl::StatusOr<selfplay::SimulationCounts> counts =
      selfplay::parse_counts(bytes);
  if (counts.ok() && selfplay::serialize_counts(*counts) != bytes) {
    std::abort();
  }
  return 0;
}
