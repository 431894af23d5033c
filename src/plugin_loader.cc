#include "selfplay/plugin_loader.h"

#include <dlfcn.h>

#include <exception>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "selfplay/plugin.h"

namespace selfplay {
namespace {

constexpr char kVersionSymbol[] = "selfplay_plugin_api_version";
constexpr char kRegisterSymbol[] = "selfplay_register_games";

using VersionFunction = decltype(&selfplay_plugin_api_version);
using RegisterFunction = decltype(&selfplay_register_games);

// Holds what a plugin registers until its registration function returned, so
// that an exception thrown halfway adds nothing.
class CollectingRegistrar final : public PluginRegistrar {
 public:
  void add_game(std::unique_ptr<Game> game) override {
    games_.push_back(std::move(game));
  }
  std::vector<std::unique_ptr<Game>>& games() { return games_; }

 private:
  std::vector<std::unique_ptr<Game>> games_;
};

absl::Status plugin_error(const std::string& path, const std::string& problem) {
  // The CLI reports an error on one line; dlerror() text may hold several.
  return absl::InvalidArgumentError(
      absl::StrCat("game library ", path, ": ",
                   absl::StrReplaceAll(problem, {{"\n", " "}})));
}

// dlerror() after a failed dlopen, less the file name it starts with.
std::string open_error(const std::string& file) {
  const char* message = ::dlerror();
  std::string text = message == nullptr ? "cannot be loaded" : message;
  if (absl::StartsWith(text, file + ": ")) text.erase(0, file.size() + 2);
  return text;
}

absl::Status check_file(const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status =
      std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    return plugin_error(path, "no such file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return plugin_error(path, "not a regular file");
  }
  return absl::OkStatus();
}

// Runs the registration and adds its games to `registry`. Game code runs
// here too (structure(), destructors), so everything is inside the try.
absl::Status register_games(const std::string& path,
                            RegisterFunction register_function,
                            GameRegistry& registry) {
  try {
    CollectingRegistrar registrar;
    register_function(&registrar);
    if (registrar.games().empty()) {
      return plugin_error(path, "registered no games");
    }
    for (std::unique_ptr<Game>& game : registrar.games()) {
      if (absl::Status status = registry.add(std::move(game)); !status.ok()) {
        return plugin_error(path, std::string(status.message()));
      }
    }
  } catch (const std::exception& error) {
    return plugin_error(
        path, absl::StrCat("registration threw: ", std::string(error.what())));
  } catch (...) {
    return plugin_error(path, "registration threw a non-standard exception");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status load_game_plugin(const std::string& path, GameRegistry& registry) {
  if (absl::Status status = check_file(path); !status.ok()) return status;
  // A name without a slash would make dlopen search the library path; the
  // user named a file.
  const std::string file = std::filesystem::absolute(path).string();
  // Never closed: the games' vtables and code live in the library.
  void* library = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return plugin_error(path, open_error(file));

  const auto register_function =
      reinterpret_cast<RegisterFunction>(::dlsym(library, kRegisterSymbol));
  const auto version_function =
      reinterpret_cast<VersionFunction>(::dlsym(library, kVersionSymbol));
  if (register_function == nullptr || version_function == nullptr) {
    return plugin_error(
        path, absl::StrCat("not a selfplay plugin: it does not define ",
                           register_function == nullptr ? kRegisterSymbol
                                                        : kVersionSymbol,
                           " (see selfplay/plugin.h)"));
  }
  const int version = version_function();
  if (version != SELFPLAY_PLUGIN_API_VERSION) {
    return plugin_error(
        path,
        absl::StrCat("built against selfplay plugin API version ", version,
                     ", but this selfplay loads version ",
                     SELFPLAY_PLUGIN_API_VERSION,
                     "; rebuild the plugin against this selfplay's headers"));
  }
  return register_games(path, register_function, registry);
}

}  // namespace selfplay
