// libFuzzer target: any bytes as a records file (`records stats FILE`): the
// reader and the recount must return an error or a result, never crash,
// hang or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <string>

#include "selfplay/record_file.h"
#include "selfplay/records.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  absl::StatusOr<selfplay::RecordFileReader> reader =
      selfplay::RecordFileReader::from_bytes(
          std::string(reinterpret_cast<const char*>(data), size));
  if (!reader.ok()) return 0;
  const selfplay::RecordFileHeader& header = reader->header();
  selfplay::SimulationCounts counts = selfplay::make_counts_for(header.config);
  selfplay::RecordCounter counter(
      header.config.players, static_cast<int>(header.features.size()),
      static_cast<int>(header.config.action_kinds.size()));
  selfplay::GameRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader->next(record);
    if (!more.ok() || !*more) break;
    if (!counter.add(record, counts).ok()) break;
  }
  return 0;
}
