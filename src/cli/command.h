// The subcommands of the `selfplay` program and the flag parsing they share.
//
// Flags are Abseil flags defined in each subcommand's file; a subcommand
// accepts only its own flags, and `--max-actions` is spelled with dashes on
// the command line (Abseil names use underscores). Every error in the
// arguments is one line on stderr and exit code 2.
#ifndef SELFPLAY_CLI_COMMAND_H_
#define SELFPLAY_CLI_COMMAND_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace selfplay::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the run itself failed
inline constexpr int kExitUsage = 2;    // bad arguments or input

struct Command {
  const char* name;
  const char* summary;
  // Abseil flag names (underscores) this command accepts.
  std::vector<std::string> flags;
  // Runs after the flags parsed; `arguments` are the positional ones.
  int (*run)(const std::vector<std::string>& arguments);
  // Whether positional arguments are accepted.
  bool takes_arguments = false;
  // Left out of the command overview (internal commands).
  bool hidden = false;
  // Flags typed under another name than their Abseil name, as {typed name,
  // Abseil name} (underscores), for a name that another command defines with
  // another type: `scale --threads 1,2,4` sets the string flag scale_threads
  // while `simulate --threads` is an int. The Abseil name is in `flags`.
  std::vector<std::pair<std::string, std::string>> renamed_flags = {};
};

const std::vector<Command>& commands();

// Parses `args` (after the subcommand) into the command's flags, collecting
// positional arguments. InvalidArgument naming the flag on any problem.
[[nodiscard]] absl::Status parse_command_flags(
    const Command& command, const std::vector<std::string>& args,
    std::vector<std::string>& positional, bool& help_requested);

std::string command_help(const Command& command);

// Prints "selfplay <command>: <message>" on stderr and returns kExitUsage.
int usage_error(const Command& command, const absl::Status& status);

// The commands, each defined in its own file.
extern const Command kGamesCommand;
extern const Command kFeaturesCommand;
extern const Command kPerftCommand;
extern const Command kSimulateCommand;
extern const Command kScaleCommand;
extern const Command kRecordsCommand;
extern const Command kTrainCommand;
extern const Command kPlayCommand;

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_COMMAND_H_
