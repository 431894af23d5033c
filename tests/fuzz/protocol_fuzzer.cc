// libFuzzer target: any bytes as what a worker process sends its supervisor
// (or the supervisor a worker) under `simulate --isolate N`: frames cut from
// the stream in pieces of any size, every payload parsed as every message.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "isolation/protocol.h"

namespace {

void parse_every_way(std::string_view payload) {
  using namespace selfplay::isolation;
  parse_setup(payload).status().IgnoreError();
  parse_chunk(payload).status().IgnoreError();
  parse_progress(payload).status().IgnoreError();
  parse_chunk_result(payload).status().IgnoreError();
  parse_error(payload).status().IgnoreError();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  parse_every_way(bytes);
  // The first byte picks the piece size the stream arrives in.
  const std::size_t piece = size == 0 ? 1 : 1 + data[0] % 64;
  selfplay::isolation::FrameDecoder decoder;
  for (std::size_t at = 0; at < size; at += piece) {
    decoder.append(bytes.substr(at, piece));
    while (true) {
      auto frame = decoder.next();
      if (!frame.ok()) return 0;  // the supervisor ends such a worker
      if (!frame->has_value()) break;
      parse_every_way((*frame)->payload);
    }
  }
  return 0;
}
