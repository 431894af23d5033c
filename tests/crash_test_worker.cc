// The worker program of the crash-isolation tests (isolation_test.cc): what
// `selfplay worker` is to `selfplay simulate --isolate`, with the crash games
// of crash_games.h registered beside the bundled ones, so that the games that
// kill it never ship in the CLI.
//
//   selfplay_crash_test_worker --game=crash-abort --bad-seeds=S1,S2
//   selfplay_crash_test_worker --game=take-away --misbehave=garbage
//   selfplay_crash_test_worker --game=crash-null --bad-seeds=S --work-us=100
//
// --misbehave makes it break the protocol after the setup: `garbage` answers
// a chunk with bytes that are no message (then waits to be killed),
// `truncate` with half a message header, then exits. --no-slots makes it
// publish nothing in the game slots, as a worker that cannot map them.
// --work-us keeps each action of the crash games busy that many microseconds
// (bench/crash_cost.cc).
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "crash_games.h"
#include "isolation/channel.h"
#include "isolation/game_slots.h"
#include "isolation/protocol.h"
#include "isolation/worker.h"
#include "selfplay/registry.h"
#include "test_games.h"

// Under a sanitizer (the asan and tsan presets), a segfault must still kill
// the worker with SIGSEGV, as in a normal build, rather than be reported by
// the sanitizer, which then exits with its own code. Options in the
// environment still take precedence.
extern "C" const char* __asan_default_options() { return "handle_segv=0"; }
extern "C" const char* __tsan_default_options() { return "handle_segv=0"; }

namespace selfplay::testing {
namespace {

StopToken* worker_stop = nullptr;

void on_stop_signal(int) {
  if (worker_stop != nullptr) worker_stop->request_stop();
}

// Plays the setup's part of the protocol, then breaks it on the first chunk.
int misbehave(std::string_view how) {
  using namespace isolation;
  FrameDecoder decoder;
  if (!receive_frame(kWorkerChannelFd, decoder).ok()) return 1;
  if (!send_frame(kWorkerChannelFd, MessageType::kReady, "").ok()) return 1;
  if (!receive_frame(kWorkerChannelFd, decoder).ok()) return 1;
  if (how == "garbage") {
    constexpr std::string_view kGarbage = "this is not a frame header";
    if (::write(kWorkerChannelFd, kGarbage.data(), kGarbage.size()) < 0) {
      return 1;
    }
    ::pause();
    return 1;
  }
  const std::string frame =
      encode_frame(MessageType::kChunkResult, std::string(100, 'x'));
  if (::write(kWorkerChannelFd, frame.data(), kFrameHeaderBytes / 2) < 0) {
    return 1;
  }
  return 0;
}

int run(int argc, char** argv) {
  std::string game;
  std::string misbehaviour;
  bool publish = true;
  int work_us = 0;
  std::set<std::uint64_t> bad_seeds;
  for (int i = 1; i < argc; ++i) {
    absl::string_view argument = argv[i];
    if (absl::ConsumePrefix(&argument, "--game=")) {
      game = std::string(argument);
    } else if (absl::ConsumePrefix(&argument, "--misbehave=")) {
      misbehaviour = std::string(argument);
    } else if (absl::ConsumePrefix(&argument, "--work-us=")) {
      if (!absl::SimpleAtoi(argument, &work_us) || work_us < 0) return 2;
    } else if (argument == "--no-slots") {
      publish = false;
    } else if (absl::ConsumePrefix(&argument, "--bad-seeds=")) {
      for (absl::string_view seed :
           absl::StrSplit(argument, ',', absl::SkipEmpty())) {
        std::uint64_t value = 0;
        if (!absl::SimpleAtoi(seed, &value)) return 2;
        bad_seeds.insert(value);
      }
    } else {
      std::fprintf(stderr, "crash test worker: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (!misbehaviour.empty()) return misbehave(misbehaviour);
  // The tests crash this program on purpose, many times: no core files.
  const rlimit no_core = {0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);

  GameRegistry registry = GameRegistry::with_bundled_games();
  bool registered = registry.add(std::make_unique<TakeAwayGame>()).ok();
  for (Crash crash : {Crash::kNullDereference, Crash::kAbort,
                      Crash::kStackOverflow, Crash::kEndlessLoop}) {
    registered &= registry
                      .add(std::make_unique<CrashingGame>(
                          crash, bad_seeds, std::chrono::microseconds(work_us)))
                      .ok();
  }
  if (!registered) return 2;
  StopToken stop;
  worker_stop = &stop;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  return isolation::serve_supervisor(isolation::kWorkerChannelFd,
                                     publish ? isolation::kWorkerSlotsFd : -1,
                                     registry.find(game), stop);
}

}  // namespace
}  // namespace selfplay::testing

int main(int argc, char** argv) { return selfplay::testing::run(argc, argv); }
