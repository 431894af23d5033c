// libFuzzer target: any bytes as a model file (`play --model FILE`) for
// connect-four: an error or a model that writes JSON (valid UTF-8 whatever
// it read) and reads that JSON back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "selfplay/model.h"
#include "selfplay/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static const selfplay::GameRegistry registry =
      selfplay::GameRegistry::with_bundled_games();
  static const selfplay::Game* game = *registry.find("connect-four");
  absl::StatusOr<selfplay::Model> model = selfplay::Model::parse(
      std::string_view(reinterpret_cast<const char*>(data), size), *game);
  if (!model.ok()) return 0;
  if (!selfplay::Model::parse(model->to_json(), *game).ok()) std::abort();
  return 0;
}
