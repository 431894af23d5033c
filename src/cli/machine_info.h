// What a benchmark result depends on, for the header of `selfplay scale`:
// the processor, the cores this process may use, the load other programs put
// on the machine, and how selfplay was built.
//
//   MachineInfo machine = describe_machine();
//   if (threads > machine.available_threads) { /* oversubscribed */ }
#ifndef SELFPLAY_CLI_MACHINE_INFO_H_
#define SELFPLAY_CLI_MACHINE_INFO_H_

#include <array>
#include <string>

namespace selfplay::cli {

struct MachineInfo {
  std::string cpu_model;  // "model name" from /proc/cpuinfo, or "unknown"
  int logical_cores = 0;  // hardware threads of the machine
  // Distinct (physical id, core id) pairs in /proc/cpuinfo; the logical
  // count when the file does not say.
  int physical_cores = 0;
  // Threads oneTBB uses by default: the cores this process's affinity mask
  // allows. More threads than this are oversubscribed.
  int available_threads = 0;
  std::string hostname;
  std::string os;                   // kernel name and release
  std::string compiler;             // "g++ 12.2.0"
  std::string build_type;           // CMake's, e.g. "Release"
  std::string tbb_version;          // the headers compiled against
  std::string tbb_runtime_version;  // the library loaded
};

MachineInfo describe_machine();

// The 1, 5 and 15 minute load averages (/proc/loadavg); -1 when unknown.
std::array<double, 3> load_average();

// UTC now, ISO 8601 ("2024-05-01T12:00:00Z").
std::string utc_timestamp();

// This process's command line from /proc/self/cmdline, each argument quoted
// for a POSIX shell where it needs to be, so that it can be pasted back.
std::string command_line();

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_MACHINE_INFO_H_
