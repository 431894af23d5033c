// libFuzzer target: any bytes as a train checkpoint (`train --resume FILE`),
// and as the fit data it embeds (LogisticData::parse, fuzzed directly too
// since a checkpoint's checksum keeps most mutations from reaching it): an
// error, or a value that serialises back to the same bytes and replays.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "records/train_checkpoint.h"
#include "selfplay/logistic_model.h"

namespace {

void check_fit_data(std::string_view bytes, int features) {
  absl::StatusOr<selfplay::LogisticData> data =
      selfplay::LogisticData::parse(bytes, features);
  if (!data.ok()) return;
  if (data->serialize() != bytes) std::abort();
  std::uint64_t games = 0;
  const absl::Status replayed =
      data->replay([&](const selfplay::GameRecord& record) {
        if (record.feature_bits.size() !=
            record.decisions.size() *
                static_cast<std::size_t>(record.feature_words)) {
          std::abort();
        }
        ++games;
        return absl::OkStatus();
      });
  if (!replayed.ok() || games != data->games()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<selfplay::TrainCheckpoint> checkpoint =
      selfplay::parse_train_checkpoint(bytes);
  if (checkpoint.ok()) {
    if (selfplay::serialize_train_checkpoint(*checkpoint) != bytes) {
      std::abort();  // one format, one reading of it
    }
    check_fit_data(checkpoint->state.logistic_data,
                   static_cast<int>(checkpoint->state.counts.features.size()));
  }
  // Fit data of a few feature counts: one word per decision and two.
  for (int features : {0, 3, 64, 70}) check_fit_data(bytes, features);
  return 0;
}
