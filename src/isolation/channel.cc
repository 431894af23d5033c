#include "isolation/channel.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace selfplay::isolation {
namespace {

absl::Status io_error(std::string_view what) {
  return absl::UnavailableError(
      absl::StrCat(std::string(what), ": ", std::strerror(errno)));
}

}  // namespace

absl::Status send_frame(int fd, MessageType type, std::string_view payload) {
  const std::string frame = encode_frame(type, payload);
  std::string_view rest = frame;
  while (!rest.empty()) {
    const ssize_t sent = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot send to the other process");
    }
    rest.remove_prefix(static_cast<std::size_t>(sent));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> read_into(int fd, FrameDecoder& decoder) {
  char buffer[1 << 16];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got > 0) {
      decoder.append(std::string_view(buffer, static_cast<std::size_t>(got)));
      return true;
    }
    if (got == 0) return false;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
    return io_error("cannot read from the other process");
  }
}

absl::StatusOr<std::optional<Frame>> receive_frame(int fd,
                                                   FrameDecoder& decoder) {
  while (true) {
    absl::StatusOr<std::optional<Frame>> frame = decoder.next();
    if (!frame.ok() || frame->has_value()) return frame;
    absl::StatusOr<bool> open = read_into(fd, decoder);
    if (!open.ok()) return open.status();
    if (!*open) {
      if (decoder.has_partial_frame()) {
        return absl::DataLossError("the channel closed inside a message");
      }
      return std::nullopt;
    }
  }
}

}  // namespace selfplay::isolation
