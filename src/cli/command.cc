#include "cli/command.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace selfplay::cli {
namespace {

std::string dashed(std::string_view name) {
  return absl::StrReplaceAll(std::string(name), {{"_", "-"}});
}

bool accepts(const Command& command, const std::string& name) {
  return std::find(command.flags.begin(), command.flags.end(), name) !=
         command.flags.end();
}

// The Abseil name of a flag as typed (with underscores) for `command`.
std::string abseil_name(const Command& command, const std::string& typed) {
  for (const auto& [as_typed, name] : command.renamed_flags) {
    if (as_typed == typed) return name;
  }
  return typed;
}

// The name a user types for the Abseil flag `name` of `command`.
std::string typed_name(const Command& command, const std::string& name) {
  for (const auto& [as_typed, abseil] : command.renamed_flags) {
    if (abseil == name) return as_typed;
  }
  return name;
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      kGamesCommand, kFeaturesCommand, kPerftCommand, kSimulateCommand,
      kScaleCommand, kRecordsCommand,  kTrainCommand, kPlayCommand};
  return all;
}

absl::Status parse_command_flags(const Command& command,
                                 const std::vector<std::string>& args,
                                 std::vector<std::string>& positional,
                                 bool& help_requested) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h" || arg == "--helpfull") {
      help_requested = true;
      continue;
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      if (!command.takes_arguments) {
        return absl::InvalidArgumentError(
            absl::StrCat("unexpected argument '", arg, "'"));
      }
      positional.push_back(arg);
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = absl::StrReplaceAll(
        arg.substr(
            2, equals == std::string::npos ? std::string::npos : equals - 2),
        {{"-", "_"}});
    const std::string flag_name = abseil_name(command, name);
    std::optional<std::string> value;
    if (equals != std::string::npos) value = arg.substr(equals + 1);
    absl::CommandLineFlag* flag = accepts(command, flag_name)
                                      ? absl::FindCommandLineFlag(flag_name)
                                      : nullptr;
    // --nofoo turns a boolean flag off.
    if (flag == nullptr && !value && name.rfind("no", 0) == 0 &&
        accepts(command, abseil_name(command, name.substr(2)))) {
      flag = absl::FindCommandLineFlag(abseil_name(command, name.substr(2)));
      if (flag != nullptr && flag->IsOfType<bool>()) {
        value = "false";
      } else {
        flag = nullptr;
      }
    }
    if (flag == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", dashed(name), " (see selfplay ",
                       command.name, " --help)"));
    }
    if (!value) {
      if (flag->IsOfType<bool>()) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", dashed(name), " needs a value"));
      }
    }
    std::string error;
    if (!flag->ParseFrom(*value, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value '", *value, "' for --", dashed(name), ": ", error));
    }
  }
  return absl::OkStatus();
}

std::string command_help(const Command& command) {
  std::string help =
      absl::StrCat("usage: selfplay ", command.name, " [flags]\n",
                   command.summary, "\n\nflags:\n");
  for (const std::string& name : command.flags) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) continue;
    absl::StrAppend(
        &help, "  --", dashed(typed_name(command, name)), " (default: ",
        flag->DefaultValue().empty() ? "\"\"" : flag->DefaultValue(),
        ")\n      ", flag->Help(), "\n");
  }
  return help;
}

int usage_error(const Command& command, const absl::Status& status) {
  std::fprintf(stderr, "selfplay %s: %s\n", command.name,
               std::string(status.message()).c_str());
  return kExitUsage;
}

}  // namespace selfplay::cli
