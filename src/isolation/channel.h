// Moving protocol frames (protocol.h) over the connected Unix socket between
// the supervisor and one worker. A socket pair rather than two pipes: one
// descriptor per side, and send(MSG_NOSIGNAL) turns a vanished peer into an
// error instead of a SIGPIPE, without touching the process's signal
// dispositions.
//
//   // worker
//   FrameDecoder decoder;
//   absl::StatusOr<std::optional<Frame>> frame =
//       receive_frame(kWorkerChannelFd, decoder);  // nullopt: channel closed
//   absl::Status sent = send_frame(kWorkerChannelFd, MessageType::kReady, "");
#ifndef SELFPLAY_ISOLATION_CHANNEL_H_
#define SELFPLAY_ISOLATION_CHANNEL_H_

#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "isolation/protocol.h"

namespace selfplay::isolation {

// The descriptor a worker process finds its end of the channel on.
inline constexpr int kWorkerChannelFd = 3;

// Writes the whole frame, retrying interrupted and partial writes (on a
// non-blocking descriptor it fails rather than wait when the socket buffer is
// full). Unavailable when the peer is gone. Not thread-safe for one `fd`:
// callers serialise.
[[nodiscard]] absl::Status send_frame(int fd, MessageType type,
                                      std::string_view payload);

// One read(2) into `decoder`: false at end of stream, true otherwise (also
// when a non-blocking `fd` had nothing). Unavailable on a read error.
[[nodiscard]] absl::StatusOr<bool> read_into(int fd, FrameDecoder& decoder);

// Blocks until a whole frame arrived. nullopt when the stream ends between
// frames; DataLoss when it ends inside one or a frame is malformed.
[[nodiscard]] absl::StatusOr<std::optional<Frame>> receive_frame(
    int fd, FrameDecoder& decoder);

}  // namespace selfplay::isolation

#endif  // SELFPLAY_ISOLATION_CHANNEL_H_
