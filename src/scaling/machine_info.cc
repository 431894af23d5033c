#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "selfplay/scaling_report.h"
#include "tbb/info.h"
#include "tbb/version.h"

#ifndef SELFPLAY_BUILD_TYPE
#define SELFPLAY_BUILD_TYPE "unknown"
#endif

namespace selfplay {
namespace {

std::string trimmed(const std::string& text) {
  const std::size_t begin = text.find_first_not_of(" \t");
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

// Fills the model and the physical core count from /proc/cpuinfo.
void read_cpuinfo(MachineInfo& machine) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::set<std::pair<std::string, std::string>> cores;
  std::string physical_id = "0";
  std::string line;
  while (std::getline(cpuinfo, line)) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trimmed(line.substr(0, colon));
    const std::string value = trimmed(line.substr(colon + 1));
    if (key == "model name" && machine.cpu_model.empty()) {
      machine.cpu_model = value;
    } else if (key == "physical id") {
      physical_id = value;
    } else if (key == "core id") {
      cores.insert({physical_id, value});
    }
  }
  if (machine.cpu_model.empty()) machine.cpu_model = "unknown";
  machine.physical_cores =
      cores.empty() ? machine.logical_cores : static_cast<int>(cores.size());
}

std::string compiler() {
#if defined(__clang__)
  return absl::StrCat("clang++ ", __clang_version__);
#elif defined(__GNUC__)
  return absl::StrCat("g++ ", __VERSION__);
#else
  return "unknown";
#endif
}

// Whether `text` can be pasted into a shell as it is.
bool shell_safe(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool safe =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') ||
        std::string_view("-_=.,:/+*@%").find(c) != std::string_view::npos;
    if (!safe) return false;
  }
  return true;
}

std::string shell_quoted(const std::string& text) {
  if (shell_safe(text)) return text;
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

}  // namespace

MachineInfo describe_machine() {
  MachineInfo machine;
  machine.logical_cores =
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  machine.available_threads = tbb::info::default_concurrency();
  read_cpuinfo(machine);
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0) machine.hostname = host;
  utsname names;
  if (uname(&names) == 0) {
    machine.os = absl::StrCat(names.sysname, " ", names.release);
  }
  machine.compiler = compiler();
  machine.build_type = SELFPLAY_BUILD_TYPE;
  machine.tbb_version = TBB_VERSION_STRING;
  machine.tbb_runtime_version = TBB_runtime_version();
  return machine;
}

std::array<double, 3> load_average() {
  std::array<double, 3> load = {-1, -1, -1};
  std::ifstream file("/proc/loadavg");
  file >> load[0] >> load[1] >> load[2];
  return load;
}

std::string utc_timestamp() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(),
                          absl::UTCTimeZone());
}

std::string command_line() {
  std::ifstream file("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> arguments;
  std::string argument;
  while (std::getline(file, argument, '\0')) {
    arguments.push_back(shell_quoted(argument));
  }
  return absl::StrJoin(arguments, " ");
}

}  // namespace selfplay
