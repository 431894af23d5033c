// The bytes of a record file's header and game payloads (docs/records.md),
// apart from the file framing (magic, lengths, checksums) that
// record_file.cc adds. Decoding takes untrusted bytes.
#ifndef SELFPLAY_RECORDS_RECORD_CODEC_H_
#define SELFPLAY_RECORDS_RECORD_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/record_file.h"
#include "selfplay/records.h"

namespace selfplay {

// The largest header or game payload a file may hold, so that a corrupt
// length never asks for a huge allocation: far above any real game (2000
// decisions of 64 features take about 20 KB).
inline constexpr std::uint64_t kMaxRecordPayloadBytes = 1 << 28;

// LEB128: 7 bits a byte, low first; at most 10 bytes.
void append_varint(std::uint64_t value, std::string& out);

std::string encode_header(const RecordFileHeader& header);
// DataLoss when the bytes are not exactly one header with sane sizes
// (1..64 action kinds, players 1..1024, feature ids unique and non-empty).
[[nodiscard]] absl::StatusOr<RecordFileHeader> decode_header(
    std::string_view bytes);

// Appends `record`'s payload to `out`. InvalidArgument when the record does
// not fit the header (see record_check.h).
[[nodiscard]] absl::Status encode_game(const GameRecord& record,
                                       const RecordFileHeader& header,
                                       std::string& out);
// Fills `record` from one game payload (its seed from the header's).
// DataLoss when the bytes are not exactly one game that fits the header.
[[nodiscard]] absl::Status decode_game(std::string_view bytes,
                                       const RecordFileHeader& header,
                                       GameRecord& record);

}  // namespace selfplay

#endif  // SELFPLAY_RECORDS_RECORD_CODEC_H_
