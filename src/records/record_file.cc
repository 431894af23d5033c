#include "selfplay/record_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "records/crc32.h"
#include "records/record_codec.h"

namespace selfplay {
namespace {

// "\x89SPREC\r\n": a high byte first so that the file is not taken for text,
// then CR LF so that a line-ending conversion shows.
constexpr char kMagic[8] = {'\x89', 'S', 'P', 'R', 'E', 'C', '\r', '\n'};
constexpr std::size_t kMagicBytes = sizeof(kMagic);
// Output is written in pieces of about this size.
constexpr std::size_t kWriteBufferBytes = 1 << 20;

absl::Status io_error(const std::string& what, const std::string& path) {
  return absl::PermissionDeniedError(
      absl::StrCat("cannot ", what, " '", path, "': ", std::strerror(errno)));
}

void append_u32(std::uint32_t value, std::string& out) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>(value >> (8 * i)));
}

std::uint32_t u32_at(std::string_view bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]))
             << (8 * i);
  }
  return value;
}

// A framed block: varint payload length, payload, CRC-32 of the payload.
void append_block(std::string_view payload, std::string& out) {
  append_varint(payload.size(), out);
  out.append(payload);
  append_u32(crc32(payload), out);
}

// Magic, version, then the header block.
std::string file_prefix(const RecordFileHeader& header) {
  std::string out(kMagic, kMagicBytes);
  append_u32(kRecordFormatVersion, out);
  append_block(encode_header(header), out);
  return out;
}

absl::Status write_all(int fd, std::string_view bytes,
                       const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno == ENOSPC ? absl::ResourceExhaustedError(absl::StrCat(
                                   "no space left writing '", path, "'"))
                             : io_error("write", path);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return absl::OkStatus();
}

// Reads a block's framing from a stream: the payload into `payload`.
// `offset` is the stream's position (advanced); `size` the stream's length.
// OutOfRange at a clean end (no byte left), DataLoss otherwise.
absl::Status read_block(std::istream& in, std::uint64_t size,
                        std::uint64_t& offset, std::string& payload) {
  const std::uint64_t start = offset;
  if (offset == size) return absl::OutOfRangeError("end of file");
  std::uint64_t length = 0;
  for (int i = 0;; ++i) {
    const int byte = in.get();
    if (byte == std::char_traits<char>::eof()) {
      return absl::DataLossError(absl::StrCat(
          "the file ends inside the length of the block at byte ", start));
    }
    ++offset;
    length |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) break;
    if (i == 4) {  // no payload is 2^35 bytes long
      return absl::DataLossError(
          absl::StrCat("the block at byte ", start, " has a corrupt length"));
    }
  }
  if (length > kMaxRecordPayloadBytes) {
    return absl::DataLossError(absl::StrCat("the block at byte ", start,
                                            " claims ", length, " bytes"));
  }
  if (length + 4 > size - offset) {
    return absl::DataLossError(
        absl::StrCat("the file ends inside the block at byte ", start, " (",
                     length + 4, " bytes needed, ", size - offset, " left)"));
  }
  payload.resize(length);
  char checksum[4];
  if (!in.read(payload.data(), static_cast<std::streamsize>(length)) ||
      !in.read(checksum, 4)) {
    return absl::DataLossError(
        absl::StrCat("cannot read the block at byte ", start));
  }
  offset += length + 4;
  if (crc32(payload) != u32_at(std::string_view(checksum, 4))) {
    return absl::DataLossError(
        absl::StrCat("the block at byte ", start, " fails its checksum"));
  }
  return absl::OkStatus();
}

}  // namespace

bool RecordFileHeader::operator==(const RecordFileHeader& other) const {
  // What the file holds: all but the timeout.
  RunConfig stored = config;
  stored.timeout_ms = other.config.timeout_ms;
  if (!(stored == other.config) || features.size() != other.features.size()) {
    return false;
  }
  for (std::size_t i = 0; i < features.size(); ++i) {
    if (features[i].id != other.features[i].id ||
        features[i].description != other.features[i].description ||
        features[i].category != other.features[i].category) {
      return false;
    }
  }
  return true;
}

RecordFileHeader make_record_file_header(const Game& game,
                                         const FeatureSet& features,
                                         const SimulationOptions& options) {
  return {run_config_for(game, features, options), features.infos()};
}

// --- RecordFileWriter ---

RecordFileWriter::RecordFileWriter(const std::string& path, int fd,
                                   const RecordFileHeader& header,
                                   RecordFilePosition position,
                                   std::uint64_t next_index)
    : path_(path),
      fd_(fd),
      header_(header),
      position_(position),
      next_index_(next_index) {
  buffer_.reserve(kWriteBufferBytes + (kWriteBufferBytes >> 2));
}

absl::StatusOr<std::unique_ptr<RecordFileWriter>> RecordFileWriter::create(
    const std::string& path, const RecordFileHeader& header) {
  bool same_features = header.features.size() == header.config.features.size();
  for (std::size_t i = 0; same_features && i < header.features.size(); ++i) {
    same_features = header.features[i].id == header.config.features[i];
  }
  if (!same_features) {
    return absl::InvalidArgumentError(
        "a records header whose features are not its configuration's");
  }
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("create", path);
  const std::string prefix = file_prefix(header);
  if (absl::Status status = write_all(fd, prefix, path); !status.ok()) {
    ::close(fd);
    return status;
  }
  const RecordFilePosition position{prefix.size(), 0, prefix.size()};
  return std::unique_ptr<RecordFileWriter>(
      new RecordFileWriter(path, fd, header, position, 0));
}

absl::StatusOr<std::unique_ptr<RecordFileWriter>> RecordFileWriter::resume(
    const std::string& path, const RecordFileHeader& header,
    const RecordFilePosition& position, std::uint64_t last_game_index) {
  absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(path);
  if (!reader.ok()) return reader.status();
  if (!(reader->header() == header)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "records file '", path, "' was written by another run (its header ",
        "names another game, seed, game count, policies or feature set)"));
  }
  const std::uint64_t header_end = reader->position().bytes;
  std::error_code error;
  const std::uint64_t size = std::filesystem::file_size(path, error);
  if (error || size < position.bytes) {
    return absl::DataLossError(absl::StrCat(
        "records file '", path, "' holds ", error ? 0 : size,
        " bytes, fewer than the ", position.bytes, " the checkpoint recorded"));
  }
  // The block that should end at position.bytes, checked without reading the
  // games before it, which may be many.
  if (position.games == 0 ? position.bytes != header_end
                          : position.last_game_offset < header_end ||
                                position.last_game_offset >= position.bytes) {
    return absl::DataLossError(
        absl::StrCat("records file '", path, "': the checkpoint's position (",
                     position.bytes, " bytes) is not a game boundary"));
  }
  if (position.games > 0) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(position.last_game_offset));
    std::uint64_t offset = position.last_game_offset;
    std::string payload;
    GameRecord record;
    absl::Status status = read_block(in, position.bytes, offset, payload);
    if (status.ok()) status = decode_game(payload, header, record);
    if (status.ok() &&
        (offset != position.bytes || record.game_index != last_game_index)) {
      status = absl::DataLossError(absl::StrCat(
          "game ", last_game_index, " does not end at byte ", position.bytes));
    }
    if (!status.ok()) {
      return absl::DataLossError(
          absl::StrCat("records file '", path,
                       "' does not match the checkpoint: ", status.message()));
    }
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return io_error("open", path);
  if (::ftruncate(fd, static_cast<off_t>(position.bytes)) != 0 ||
      ::lseek(fd, 0, SEEK_END) < 0) {
    const absl::Status status = io_error("truncate", path);
    ::close(fd);
    return status;
  }
  return std::unique_ptr<RecordFileWriter>(
      new RecordFileWriter(path, fd, header, position,
                           position.games == 0 ? 0 : last_game_index + 1));
}

RecordFileWriter::~RecordFileWriter() {
  if (fd_ < 0) return;
  flush().IgnoreError();  // close() reports errors; here there is no one to
  ::close(fd_);
}

absl::Status RecordFileWriter::write(const GameRecord& record) {
  if (record.game_index < next_index_) {
    return absl::InvalidArgumentError(
        absl::StrCat("game ", record.game_index, " written after game ",
                     next_index_ - 1, ": records go in index order"));
  }
  payload_.clear();
  if (absl::Status status = encode_game(record, header_, payload_);
      !status.ok()) {
    return status;
  }
  if (payload_.size() > kMaxRecordPayloadBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("game ", record.game_index, " takes ", payload_.size(),
                     " bytes, more than a record file allows"));
  }
  const std::size_t start = buffer_.size();
  append_block(payload_, buffer_);
  position_.last_game_offset = position_.bytes;
  position_.bytes += buffer_.size() - start;
  ++position_.games;
  next_index_ = record.game_index + 1;
  if (buffer_.size() >= kWriteBufferBytes) return flush();
  return absl::OkStatus();
}

absl::Status RecordFileWriter::flush() {
  absl::Status status = write_all(fd_, buffer_, path_);
  buffer_.clear();
  return status;
}

absl::StatusOr<RecordFilePosition> RecordFileWriter::sync() {
  if (absl::Status status = flush(); !status.ok()) return status;
  if (::fdatasync(fd_) != 0) return io_error("sync", path_);
  return position_;
}

absl::Status RecordFileWriter::close() {
  absl::StatusOr<RecordFilePosition> synced = sync();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 && synced.ok()) return io_error("close", path_);
  return synced.status();
}

// --- RecordFileReader ---

RecordFileReader::RecordFileReader(std::unique_ptr<std::istream> in,
                                   std::string name)
    : in_(std::move(in)), name_(std::move(name)) {}

absl::StatusOr<RecordFileReader> RecordFileReader::open(
    const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) {
    return errno == ENOENT
               ? absl::NotFoundError(absl::StrCat("no file '", path, "'"))
               : io_error("read", path);
  }
  RecordFileReader reader(std::move(in), path);
  if (absl::Status status = reader.read_header(); !status.ok()) return status;
  return reader;
}

absl::StatusOr<RecordFileReader> RecordFileReader::from_bytes(
    std::string bytes) {
  RecordFileReader reader(
      std::make_unique<std::istringstream>(std::move(bytes)), "<bytes>");
  if (absl::Status status = reader.read_header(); !status.ok()) return status;
  return reader;
}

absl::Status RecordFileReader::read_header() {
  in_->seekg(0, std::ios::end);
  size_ = static_cast<std::uint64_t>(in_->tellg());
  in_->seekg(0);
  char start[kMagicBytes + 4];
  if (size_ < sizeof(start) || !in_->read(start, sizeof(start)) ||
      std::memcmp(start, kMagic, kMagicBytes) != 0) {
    return absl::DataLossError(
        absl::StrCat("'", name_, "' is not a selfplay record file"));
  }
  const std::uint32_t version =
      u32_at(std::string_view(start + kMagicBytes, 4));
  if (version != kRecordFormatVersion) {
    return absl::DataLossError(absl::StrCat(
        "'", name_, "' is a record file of format version ", version,
        "; this selfplay reads version ", kRecordFormatVersion));
  }
  std::uint64_t offset = sizeof(start);
  absl::Status status = read_block(*in_, size_, offset, payload_);
  if (absl::IsOutOfRange(status)) {
    status = absl::DataLossError("the file ends before its header");
  }
  if (status.ok()) {
    absl::StatusOr<RecordFileHeader> header = decode_header(payload_);
    if (header.ok()) {
      header_ = *std::move(header);
    } else {
      status = header.status();
    }
  }
  if (!status.ok()) {
    return absl::DataLossError(
        absl::StrCat("'", name_, "': corrupt header: ", status.message()));
  }
  position_ = {offset, 0, offset};
  return absl::OkStatus();
}

absl::Status RecordFileReader::fail(absl::Status status) {
  error_ = absl::DataLossError(absl::StrCat(
      "'", name_, "': ", status.message(), " (after ", position_.games,
      " complete games, ", position_.bytes, " bytes)"));
  return error_;
}

absl::StatusOr<bool> RecordFileReader::next(GameRecord& record) {
  if (!error_.ok()) return error_;
  std::uint64_t offset = position_.bytes;
  absl::Status status = read_block(*in_, size_, offset, payload_);
  if (absl::IsOutOfRange(status)) return false;
  if (!status.ok()) return fail(status);
  if (status = decode_game(payload_, header_, record); !status.ok()) {
    return fail(absl::DataLossError(absl::StrCat(
        "the game block at byte ", position_.bytes, ": ", status.message())));
  }
  if (record.game_index < next_index_) {
    return fail(absl::DataLossError(
        absl::StrCat("game ", record.game_index, " at byte ", position_.bytes,
                     " follows game ", next_index_ - 1)));
  }
  next_index_ = record.game_index + 1;
  position_ = {offset, position_.games + 1, position_.bytes};
  return true;
}

}  // namespace selfplay
