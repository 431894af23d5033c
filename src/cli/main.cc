// selfplay: parallel self-play simulation and feature statistics.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/execution.h"
#include "selfplay/isolated_run.h"
#include "selfplay/registry.h"

namespace {

std::string overview() {
  std::string text =
      "usage: selfplay <command> [flags]   (selfplay <command> --help)\n\n"
      "commands:\n";
  for (const selfplay::cli::Command& command : selfplay::cli::commands()) {
    if (command.hidden) continue;
    absl::StrAppend(&text, "  ", command.name, "\t", command.summary, "\n");
  }
  return text;
}

int run_command_line(int argc, char** argv) {
  using namespace selfplay::cli;
  if (argc < 2) {
    std::fputs(overview().c_str(), stderr);
    return kExitUsage;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    std::fputs(overview().c_str(), stdout);
    return kExitOk;
  }
  for (const Command& command : commands()) {
    if (name != command.name) continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    std::vector<std::string> positional;
    bool help = false;
    if (absl::Status status =
            parse_command_flags(command, args, positional, help);
        !status.ok()) {
      return usage_error(command, status);
    }
    if (help) {
      std::fputs(command_help(command).c_str(), stdout);
      return kExitOk;
    }
    return command.run(positional);
  }
  std::fprintf(stderr, "selfplay: unknown command '%s' (see selfplay --help)\n",
               name.c_str());
  return kExitUsage;
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
