// selfplay: parallel self-play simulation and feature statistics.
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "cli/command.h"
#include "cli/execution.h"
#include "selfplay/isolated_run.h"
#include "selfplay/registry.h"

namespace {

using selfplay::cli::CommandRun;

int run_command_line(int argc, char** argv) {
  using namespace selfplay::cli;
  CLI::App app(
      "selfplay: parallel self-play games and the features that win "
      "them",
      "selfplay");
  app.require_subcommand(1);
  // A flag given twice takes its last value, as shells and scripts expect.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  std::map<std::string, CommandRun> runs;
  for (auto add : {add_games_command, add_features_command, add_perft_command,
                   add_simulate_command, add_scale_command, add_records_command,
                   add_train_command, add_play_command}) {
    CommandRun run = add(app);
    runs[app.get_subcommands({}).back()->get_name()] = std::move(run);
  }
  if (argc < 2) {
    std::fputs(app.help().c_str(), stderr);
    return kExitUsage;
  }
  const std::string name = argv[1];
  if (name.rfind("-", 0) != 0 && name != "help" && !runs.contains(name)) {
    std::fprintf(stderr,
                 "selfplay: unknown command '%s' (see selfplay --help)\n",
                 name.c_str());
    return kExitUsage;
  }
  if (name == "help") {
    std::fputs(app.help().c_str(), stdout);
    return kExitOk;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    // The help of the subcommand given, under its full name.
    std::fputs(app.help().c_str(), stdout);
    return kExitOk;
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "selfplay %s: %s\n",
                 runs.contains(name) ? name.c_str() : "", error.what());
    return kExitUsage;
  }
  return runs[app.get_subcommands().front()->get_name()]();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace selfplay::cli;
  // `simulate --isolate` starts this program again as its workers.
  selfplay::GameRegistry registry =
      selfplay::GameRegistry::with_bundled_games();
  if (std::optional<int> exit_code =
          selfplay::isolation::serve_isolated_worker(argc, argv, registry)) {
    return *exit_code;
  }
  if (absl::Status status = start_execution(argc, argv); !status.ok()) {
    std::fprintf(stderr, "selfplay: %s\n",
                 std::string(status.message()).c_str());
    return kExitUsage;
  }
  return finish_execution(run_command_line(argc, argv));
}
