#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "isolation/channel.h"
#include "isolation/game_slots.h"
#include "isolation/protocol.h"
#include "isolation/worker.h"
#include "selfplay/isolated_run.h"
#include "selfplay/random.h"

namespace selfplay::isolation {
namespace {

using Clock = std::chrono::steady_clock;

// One chunk playing and one queued behind it, so that a worker never waits
// for the supervisor between chunks.
constexpr std::size_t kChunksInFlight = 2;
// Long enough that a chunk's fixed costs (a message each way, the runner's
// start, waking the supervisor) are well under 1% of it; short enough that
// the last chunks balance and that a worker's death loses little.
constexpr std::chrono::milliseconds kTargetChunkTime(200);
// Once workers die, a chunk holds at most 1/kChunksPerDeath of the games
// settled per death so far: a death then replays few games, and a chunk
// rarely holds two culprits (with 1% crashing games, chunks of 25 games).
constexpr std::uint64_t kChunksPerDeath = 4;
// A chunk grows at most this much over the largest so far, so that one fast
// chunk cannot make the next one huge.
constexpr std::uint64_t kMaxChunkGrowth = 8;
constexpr std::chrono::seconds kStartLimit(30);
// How long a worker may take to exit once its channel is closed.
constexpr std::chrono::seconds kExitWait(5);
// How often the supervisor looks at the stop request and the deadlines when
// no message comes: each wake-up takes a core from a worker.
constexpr int kPollMilliseconds = 100;
constexpr int kMaxStartFailures = 3;

std::string exit_reason(int status) {
  if (WIFSIGNALED(status)) {
    const char* abbreviation = sigabbrev_np(WTERMSIG(status));
    return abbreviation != nullptr ? absl::StrCat("SIG", abbreviation)
                                   : absl::StrCat("signal ", WTERMSIG(status));
  }
  if (WIFEXITED(status)) return absl::StrCat("exit code ", WEXITSTATUS(status));
  return "unknown wait status";
}

// The wait status of `pid` if it exits within `limit`.
std::optional<int> wait_for_exit(pid_t pid, Clock::duration limit) {
  const auto deadline = Clock::now() + limit;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    // ECHILD: the program ignores SIGCHLD, so the kernel reaped it already.
    if (done < 0 && errno != EINTR) return status;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

struct Spawned {
  pid_t pid;
  int fd;
};

// `slots_fd` becomes the worker's kWorkerSlotsFd.
absl::StatusOr<Spawned> spawn_worker(const IsolationOptions& isolation,
                                     int slots_fd) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return absl::UnavailableError(
        absl::StrCat("socketpair: ", std::strerror(errno)));
  }
  // Built before fork: the child may only make async-signal-safe calls.
  std::vector<std::string> arguments = {isolation.program};
  arguments.insert(arguments.end(), isolation.arguments.begin(),
                   isolation.arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return absl::UnavailableError(absl::StrCat("fork: ", std::strerror(error)));
  }
  if (pid == 0) {
    // Dies with the supervisor, even a SIGKILLed one: no orphans.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (fds[1] == kWorkerChannelFd) {
      ::fcntl(fds[1], F_SETFD, 0);
    } else {
      ::dup2(fds[1], kWorkerChannelFd);
    }
    // After the channel: fds[1] may be kWorkerSlotsFd; slots_fd is above it.
    ::dup2(slots_fd, kWorkerSlotsFd);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return Spawned{pid, fds[0]};
}

absl::Status check_ranges(const std::vector<GameIndexRange>& ranges) {
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].begin > ranges[i].end ||
        (i > 0 && ranges[i].begin < ranges[i - 1].end)) {
      return absl::InvalidArgumentError(
          "game index ranges must be sorted, disjoint and non-decreasing");
    }
  }
  return absl::OkStatus();
}

Clock::duration to_clock(absl::Duration limit) {
  if (limit == absl::InfiniteDuration()) return Clock::duration::max();
  return absl::ToChronoNanoseconds(limit);
}

std::uint64_t size_of(GameIndexRange range) { return range.end - range.begin; }

bool contains(GameIndexRange range, std::uint64_t index) {
  return index >= range.begin && index < range.end;
}

// Hands out the run's game indices, in order, in chunks of any size.
class IndexCursor {
 public:
  explicit IndexCursor(const std::vector<GameIndexRange>& ranges) {
    for (const GameIndexRange& range : ranges) {
      if (range.begin == range.end) continue;
      ranges_.push_back(range);
      remaining_ += size_of(range);
    }
  }

  std::uint64_t remaining() const { return remaining_; }

  // At most `games` (>= 1) indices; remaining() must be positive.
  GameIndexRange take(std::uint64_t games) {
    GameIndexRange& current = ranges_[next_];
    const GameIndexRange chunk = {
        current.begin, current.begin + std::min(games, size_of(current))};
    current.begin = chunk.end;
    remaining_ -= size_of(chunk);
    if (current.begin == current.end) ++next_;
    return chunk;
  }

 private:
  std::vector<GameIndexRange> ranges_;
  std::size_t next_ = 0;
  std::uint64_t remaining_ = 0;
};

struct Work {
  GameIndexRange range;
  // One game that an earlier death pointed at (the slots had it in flight,
  // or bisection narrowed a chunk down to it), replayed alone to confirm:
  // if its worker dies again, it is the culprit.
  bool suspect = false;
};

struct WorkerProcess {
  pid_t pid = -1;
  int fd = -1;
  // Which game each of its threads plays (game_slots.h), and since when the
  // supervisor has seen each slot hold its value.
  std::optional<GameSlots> slots;
  std::vector<std::uint64_t> seen;
  std::vector<Clock::time_point> seen_since;
  bool ready = false;
  bool gone = false;  // reaped; removed at the end of the loop iteration
  FrameDecoder decoder;
  std::deque<Work> assigned;   // in the order sent: the front one is playing
  std::uint64_t progress = 0;  // games of the front chunk finished
  Clock::time_point started;
  Clock::time_point last_heard;
};

class Supervisor {
 public:
  Supervisor(const SimulationOptions& options,
             const IsolationOptions& isolation, const WorkerSetup& setup,
             const std::vector<GameIndexRange>& ranges, std::uint64_t total,
             SimulationCounts empty_counts)
      : options_(options),
        isolation_(isolation),
        setup_(encode_setup(setup)),
        threads_per_worker_(setup.threads),
        keep_games_(setup.keep_game_summaries),
        total_(total),
        hang_limit_(to_clock(isolation.hang_limit)),
        cursor_(ranges),
        shape_(empty_counts),
        counts_(std::move(empty_counts)) {}

  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Whatever path leaves the supervisor, no worker outlives it.
  ~Supervisor() {
    for (WorkerProcess& worker : workers_) {
      if (worker.gone) continue;
      ::close(worker.fd);
      kill_and_reap(worker.pid);
    }
  }

  absl::Status run() {
    const auto start = Clock::now();
    while (true) {
      if (!stopping_ && stop_requested()) begin_stop();
      if (!stopping_) {
        if (absl::Status status = start_workers(); !status.ok()) return status;
        dispatch();
      }
      if (fatal_) return *fatal_;
      // Before polling: a reaped worker's descriptor number may be reused.
      std::erase_if(workers_,
                    [](const WorkerProcess& worker) { return worker.gone; });
      if (finished()) break;
      wait_for_messages();
      check_deadlines();
      if (fatal_) return *fatal_;
      report_progress();
    }
    shut_down();
    if (options_.progress) {
      options_.progress(std::max(last_reported_, counts_.games), total_);
    }
    wall_s_ = std::chrono::duration<double>(Clock::now() - start).count();
    return absl::OkStatus();
  }

  void fill(SimulationResult& result) {
    result.counts = std::move(counts_);
    result.cancelled = total_ - result.counts.games;
    if (keep_games_) {
      std::sort(games_.begin(), games_.end(),
                [](const GameSummary& a, const GameSummary& b) {
                  return a.game_index < b.game_index;
                });
      result.games = std::move(games_);
    }
    result.timing.wall_s = wall_s_;
    result.timing.threads = isolation_.workers * threads_per_worker_;
    result.timing.batch_size = batch_size_;
    result.timing.cache_lookups = cache_lookups_;
    result.timing.cache_hits = cache_hits_;
    result.timing.games_per_s = wall_s_ > 0 ? result.counts.games / wall_s_ : 0;
  }

  const IsolationStats& stats() const { return stats_; }

 private:
  bool stop_requested() const {
    return options_.stop != nullptr && options_.stop->stop_requested();
  }

  // Workers play out their current game batch and return what they played;
  // the chunks queued behind come back empty.
  void begin_stop() {
    stopping_ = true;
    for (WorkerProcess& worker : workers_) ::kill(worker.pid, SIGINT);
  }

  bool has_unassigned_work() const {
    return !retry_.empty() || cursor_.remaining() > 0;
  }

  bool finished() const {
    for (const WorkerProcess& worker : workers_) {
      if (!worker.assigned.empty()) return false;
    }
    return stopping_ || !has_unassigned_work();
  }

  absl::Status start_workers() {
    while (static_cast<int>(workers_.size()) < isolation_.workers &&
           has_unassigned_work()) {
      absl::StatusOr<GameSlots> slots = GameSlots::create(threads_per_worker_);
      if (!slots.ok()) return slots.status();
      absl::StatusOr<Spawned> spawned = spawn_worker(isolation_, slots->fd());
      if (!spawned.ok()) return spawned.status();
      WorkerProcess& worker = workers_.emplace_back();
      worker.pid = spawned->pid;
      worker.fd = spawned->fd;
      worker.slots = *std::move(slots);
      worker.seen.assign(threads_per_worker_, 0);
      worker.seen_since.assign(threads_per_worker_, Clock::time_point());
      worker.started = worker.last_heard = Clock::now();
      if (absl::Status sent =
              send_frame(worker.fd, MessageType::kSetup, setup_);
          !sent.ok()) {
        lost(worker, std::string(sent.message()));
      }
      if (fatal_) return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  std::optional<Work> next_work() {
    if (!retry_.empty()) {
      Work work = retry_.front();
      retry_.pop_front();
      return work;
    }
    if (cursor_.remaining() == 0) return std::nullopt;
    return Work{cursor_.take(next_chunk_size())};
  }

  // Sized so that a chunk plays for about kTargetChunkTime on one worker,
  // and small enough near the end that the workers finish together.
  std::uint64_t next_chunk_size() {
    std::uint64_t games = 2 * static_cast<std::uint64_t>(threads_per_worker_);
    if (measured_games_ > 0) {
      const double seconds_per_game = measured_seconds_ / measured_games_;
      const double target =
          std::chrono::duration<double>(kTargetChunkTime).count();
      games = std::min(
          static_cast<std::uint64_t>(target / std::max(seconds_per_game, 1e-9)),
          largest_chunk_ * kMaxChunkGrowth);
    }
    const std::uint64_t balanced =
        cursor_.remaining() /
        (2 * static_cast<std::uint64_t>(isolation_.workers));
    games =
        std::max<std::uint64_t>(1, std::min({games, balanced, death_cap()}));
    largest_chunk_ = std::max(largest_chunk_, games);
    return games;
  }

  // The most games a chunk may hold after deaths (kChunksPerDeath).
  std::uint64_t death_cap() const {
    if (stats_.worker_deaths == 0) {
      return std::numeric_limits<std::uint64_t>::max();
    }
    return std::max<std::uint64_t>(
        1, counts_.games / (kChunksPerDeath * stats_.worker_deaths));
  }

  void dispatch() {
    for (WorkerProcess& worker : workers_) {
      while (worker.ready && !worker.gone &&
             worker.assigned.size() < kChunksInFlight) {
        std::optional<Work> work = next_work();
        if (!work) return;
        if (worker.assigned.empty()) {
          worker.progress = 0;
          worker.last_heard = Clock::now();
        }
        worker.assigned.push_back(*work);
        if (absl::Status sent = send_frame(worker.fd, MessageType::kChunk,
                                           encode_chunk(work->range));
            !sent.ok()) {
          lost(worker, std::string(sent.message()));
        }
      }
    }
  }

  void wait_for_messages() {
    std::vector<pollfd> polled;
    auto wake = Clock::now() + std::chrono::milliseconds(kPollMilliseconds);
    for (const WorkerProcess& worker : workers_) {
      polled.push_back({worker.fd, POLLIN, 0});
      // Wakes when a game in flight reaches the hang limit, so that a hang
      // is caught at the limit, not up to a poll interval later.
      for (std::size_t i = 0; i < worker.seen.size(); ++i) {
        if (worker.seen[i] != 0 && !worker.assigned.empty() &&
            wake - worker.seen_since[i] > hang_limit_) {
          wake = worker.seen_since[i] + hang_limit_;
        }
      }
    }
    const auto wait =
        std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now());
    // A signal (the user's Ctrl-C) ends the wait early: the loop then sees
    // the stop request at once.
    if (::poll(polled.data(), polled.size(),
               static_cast<int>(std::max<std::int64_t>(0, wait.count()))) <=
        0) {
      return;
    }
    for (std::size_t i = 0; i < polled.size(); ++i) {
      if (polled[i].revents != 0) read_from(workers_[i]);
    }
  }

  void read_from(WorkerProcess& worker) {
    absl::StatusOr<bool> open = read_into(worker.fd, worker.decoder);
    if (!open.ok()) return lost(worker, std::string(open.status().message()));
    while (!worker.gone) {
      absl::StatusOr<std::optional<Frame>> frame = worker.decoder.next();
      if (!frame.ok()) {
        return fail(worker, absl::StrCat("malformed message: ",
                                         frame.status().message()));
      }
      if (!frame->has_value()) break;
      handle(worker, **frame);
    }
    if (!*open && !worker.gone) lost(worker, "closed its channel");
  }

  void handle(WorkerProcess& worker, const Frame& frame) {
    worker.last_heard = Clock::now();
    switch (frame.type) {
      case MessageType::kReady:
        if (worker.ready) return fail(worker, "malformed message: Ready twice");
        worker.ready = true;
        start_failures_ = 0;
        return;
      case MessageType::kProgress: {
        absl::StatusOr<std::uint64_t> finished = parse_progress(frame.payload);
        if (!finished.ok() || worker.assigned.empty() ||
            *finished > size_of(worker.assigned.front().range)) {
          return fail(worker, "malformed message: impossible progress");
        }
        worker.progress = *finished;
        return;
      }
      case MessageType::kChunkResult: {
        absl::StatusOr<ChunkResult> result = parse_chunk_result(frame.payload);
        if (!result.ok()) {
          return fail(worker, absl::StrCat("malformed message: ",
                                           result.status().message()));
        }
        return accept(worker, *std::move(result));
      }
      case MessageType::kError: {
        absl::StatusOr<std::string> message = parse_error(frame.payload);
        if (!message.ok()) {
          return fail(worker, "malformed message: unreadable error");
        }
        fatal_ = absl::FailedPreconditionError(*message);
        return;
      }
      case MessageType::kSetup:
      case MessageType::kChunk:
        return fail(worker, "malformed message: a supervisor's message");
    }
  }

  // Why `result` cannot be the result of `work`, or nothing when it can.
  std::optional<std::string> mismatch(const Work& work,
                                      const ChunkResult& result) const {
    const SimulationCounts& counts = result.counts;
    if (result.range.begin != work.range.begin ||
        result.range.end != work.range.end) {
      return "a result for another chunk";
    }
    // Fewer games than asked only when the worker was told to stop.
    if (counts.games > size_of(work.range) ||
        (counts.games < size_of(work.range) && !stop_requested())) {
      return absl::StrCat(counts.games, " games played of ",
                          size_of(work.range));
    }
    if (counts.seats.size() != shape_.seats.size() ||
        counts.features.size() != shape_.features.size() ||
        counts.actions.size() != shape_.actions.size() ||
        counts.failure_cap != shape_.failure_cap ||
        counts.length_histogram.size() >
            static_cast<std::size_t>(options_.max_actions) + 1) {
      return "counts of another shape";
    }
    for (const GameFailure& failure : counts.failures) {
      if (!contains(work.range, failure.game_index)) {
        return "a failure outside the chunk";
      }
    }
    if (result.games.size() != (keep_games_ ? counts.games : 0)) {
      return "a wrong number of game summaries";
    }
    for (const GameSummary& game : result.games) {
      if (!contains(work.range, game.game_index)) {
        return "a game summary outside the chunk";
      }
    }
    return std::nullopt;
  }

  void accept(WorkerProcess& worker, ChunkResult result) {
    if (worker.assigned.empty()) {
      return fail(worker, "malformed message: a result for no chunk");
    }
    const Work& work = worker.assigned.front();
    if (std::optional<std::string> why = mismatch(work, result)) {
      return fail(worker, absl::StrCat("malformed message: ", *why));
    }
    if (result.counts.games == size_of(work.range)) {
      measured_games_ += result.counts.games;
      measured_seconds_ += absl::ToDoubleSeconds(result.wall);
      if (work.suspect) ++stats_.innocent_replays;
    }
    counts_.merge(result.counts);
    games_.insert(games_.end(), std::make_move_iterator(result.games.begin()),
                  std::make_move_iterator(result.games.end()));
    batch_size_ = std::max(batch_size_, result.batch_size);
    cache_lookups_ += result.cache_lookups;
    cache_hits_ += result.cache_hits;
    worker.assigned.pop_front();
    worker.progress = 0;
  }

  // The channel to `worker` broke or closed: the worker died or is dying,
  // and how it ended is the reason (`what` if it has not ended a second
  // later: then it is killed).
  void lost(WorkerProcess& worker, const std::string& what) {
    if (worker.gone) return;
    const std::optional<int> status =
        wait_for_exit(worker.pid, std::chrono::seconds(1));
    if (!status) kill_and_reap(worker.pid);
    bury(worker, status ? exit_reason(*status) : what);
  }

  // `worker` broke the protocol or hung: it is killed.
  void fail(WorkerProcess& worker, const std::string& reason) {
    if (worker.gone) return;
    kill_and_reap(worker.pid);
    bury(worker, reason);
  }

  // After `worker` was reaped: its chunks go back, the playing one without
  // its culprit. `hung` are the games its slots showed running past the hang
  // limit (it was killed for them), if any.
  void bury(WorkerProcess& worker, const std::string& reason,
            const std::vector<std::uint64_t>& hung = {}) {
    worker.gone = true;
    ::close(worker.fd);
    if (stopping_) return;  // its unplayed games count as cancelled
    if (!worker.ready && ++start_failures_ >= kMaxStartFailures) {
      fatal_ = absl::UnavailableError(
          absl::StrCat("isolated workers died ", kMaxStartFailures,
                       " times in a row before they were ready (", reason,
                       ") running ", isolation_.program));
      return;
    }
    if (worker.assigned.empty()) return;
    ++stats_.worker_deaths;
    // The playing chunk holds the games in flight: usually the front one,
    // but the worker may have finished that and begun the next before its
    // result was read. The others go back as they were, ahead of new chunks.
    const std::vector<std::uint64_t> in_flight = games_in_flight(worker);
    std::size_t playing = 0;
    for (std::size_t i = 0; i < worker.assigned.size(); ++i) {
      for (std::uint64_t game : in_flight) {
        if (contains(worker.assigned[i].range, game)) playing = i;
      }
    }
    for (std::size_t i = worker.assigned.size(); i-- > 0;) {
      if (i != playing) retry_.push_front(worker.assigned[i]);
    }
    pin(worker.assigned[playing], in_flight, hung, reason);
  }

  // The games `worker`'s slots show in flight now (after its death: at the
  // moment it died).
  static std::vector<std::uint64_t> games_in_flight(
      const WorkerProcess& worker) {
    std::vector<std::uint64_t> games;
    if (!worker.slots) return games;
    for (const std::atomic<std::uint64_t>& slot : worker.slots->slots()) {
      const std::uint64_t value = slot.load(std::memory_order_acquire);
      if (value != 0) games.push_back(value - 1);
    }
    return games;
  }

  // Finds the culprit among the games of `work`, whose worker died with
  // `in_flight` games playing. A suspect alone is the culprit. Otherwise the
  // suspects are the games in flight (a game playing on another thread at
  // the moment of death is innocent until its own replay) or, when the
  // worker was killed for hanging, the games past the limit; each is
  // replayed alone, and the rest of the chunk, not yet merged, goes on to
  // the workers. Only when the slots name no game of the chunk (the worker
  // died between games: killed from outside, or in the runner's own code, or
  // a game's damage surfaced only after it ended; or a worker that does not
  // publish) is the chunk bisected, as before there were slots.
  void pin(const Work& work, const std::vector<std::uint64_t>& in_flight,
           const std::vector<std::uint64_t>& hung, const std::string& reason) {
    if (work.suspect) {
      ++stats_.culprit_replays;
      return record_failure(work.range.begin, reason);
    }
    std::vector<std::uint64_t> suspects;
    for (std::uint64_t game : hung.empty() ? in_flight : hung) {
      if (contains(work.range, game)) suspects.push_back(game);
    }
    // One game ran past the limit while the process lived and its other
    // threads moved on: no replay is needed to confirm it. A replay alone
    // would hang again and prove the same thing once more, at the cost of
    // another full limit; and a game blocked by another one (a lock a
    // plugin's game holds for ever) started later than the one blocking it,
    // so the blocker passes the limit first and is the one pinned. Several
    // games past the limit at once (the whole process stalled) are
    // ambiguous: each is replayed alone.
    if (suspects.size() == 1 && !hung.empty()) {
      ++stats_.hangs_pinned;
      record_failure(suspects.front(), reason);
      return requeue_without(work.range, suspects, /*as_suspects=*/false);
    }
    if (suspects.empty()) return bisect(work);
    requeue_without(work.range, suspects, /*as_suspects=*/true);
  }

  // The games of `range` other than `excluded` (sorted or not), at the front
  // of the queue in chunks no larger than death_cap(), behind the
  // `excluded` games each alone as a suspect when `as_suspects`.
  void requeue_without(GameIndexRange range,
                       std::vector<std::uint64_t> excluded, bool as_suspects) {
    std::sort(excluded.begin(), excluded.end());
    std::vector<Work> works;
    if (as_suspects) {
      for (std::uint64_t game : excluded) {
        works.push_back({{game, game + 1}, /*suspect=*/true});
      }
    }
    const std::uint64_t cap = death_cap();
    std::uint64_t begin = range.begin;
    excluded.push_back(range.end);
    for (std::uint64_t end : excluded) {
      for (; begin < end; begin += std::min(cap, end - begin)) {
        works.push_back({{begin, begin + std::min(cap, end - begin)}});
      }
      begin = end + 1;
    }
    for (auto work = works.rbegin(); work != works.rend(); ++work) {
      retry_.push_front(*work);
    }
  }

  // The fallback: halves are played again; a game alone becomes a suspect.
  void bisect(const Work& work) {
    if (size_of(work.range) == 1) {
      retry_.push_front({work.range, /*suspect=*/true});
      return;
    }
    ++stats_.bisections;
    const std::uint64_t middle = work.range.begin + size_of(work.range) / 2;
    retry_.push_front(Work{{middle, work.range.end}});
    retry_.push_front(Work{{work.range.begin, middle}});
  }

  void record_failure(std::uint64_t index, const std::string& reason) {
    const std::uint64_t seed = seed_for(options_.seed, index);
    ++counts_.games;
    ++counts_.failed;
    counts_.add_failure({index, seed, reason});
    if (keep_games_) {
      games_.push_back({index, seed, GameStatus::kFailed, 0, {}});
    }
  }

  // A game its worker's slot has shown for longer than the hang limit is
  // hung (each hang then costs the limit plus at most a poll interval); a
  // worker with games to play, none in flight, that sends nothing for the
  // limit is hung outside the games.
  void check_deadlines() {
    const auto now = Clock::now();
    for (WorkerProcess& worker : workers_) {
      if (worker.gone) continue;
      if (!worker.ready) {
        if (now - worker.started > kStartLimit) {
          fail(worker, "did not start in time");
        }
        continue;
      }
      if (worker.assigned.empty()) continue;
      std::vector<std::uint64_t> hung;
      bool busy = false;
      if (worker.slots) {
        const auto slots = worker.slots->slots();
        for (std::size_t i = 0; i < slots.size(); ++i) {
          const std::uint64_t value = slots[i].load(std::memory_order_acquire);
          if (value != worker.seen[i]) {
            worker.seen[i] = value;
            worker.seen_since[i] = now;
          }
          busy |= value != 0;
          if (value != 0 && now - worker.seen_since[i] >= hang_limit_) {
            hung.push_back(value - 1);
          }
        }
      }
      if (!hung.empty()) {
        kill_and_reap(worker.pid);
        bury(worker, "timeout", hung);
      } else if (!busy && now - worker.last_heard > hang_limit_) {
        fail(worker, "timeout");
      }
    }
  }

  // Games in merged chunks plus those the playing chunks report, never less
  // than reported before (a dead worker's progress is played again).
  void report_progress() {
    if (!options_.progress) return;
    const auto now = Clock::now();
    if (now < next_report_) return;
    std::uint64_t finished = counts_.games;
    for (const WorkerProcess& worker : workers_) finished += worker.progress;
    if (finished <= last_reported_) return;
    last_reported_ = std::min(finished, total_);
    next_report_ = now + absl::ToChronoNanoseconds(options_.progress_interval);
    options_.progress(last_reported_, total_);
  }

  // Closing a channel tells its worker to exit.
  void shut_down() {
    for (WorkerProcess& worker : workers_) ::close(worker.fd);
    for (WorkerProcess& worker : workers_) {
      if (!wait_for_exit(worker.pid, kExitWait)) kill_and_reap(worker.pid);
      worker.gone = true;
    }
  }

  const SimulationOptions& options_;
  const IsolationOptions& isolation_;
  const std::string setup_;
  const int threads_per_worker_;
  const bool keep_games_;
  const std::uint64_t total_;
  const Clock::duration hang_limit_;
  IndexCursor cursor_;
  const SimulationCounts shape_;

  std::vector<WorkerProcess> workers_;
  std::deque<Work> retry_;  // played before new chunks
  IsolationStats stats_;
  bool stopping_ = false;
  int start_failures_ = 0;
  std::optional<absl::Status> fatal_;

  SimulationCounts counts_;
  std::vector<GameSummary> games_;
  std::uint64_t batch_size_ = 0;
  std::uint64_t cache_lookups_ = 0;
  std::uint64_t cache_hits_ = 0;
  double wall_s_ = 0;

  std::uint64_t measured_games_ = 0;
  double measured_seconds_ = 0;
  std::uint64_t largest_chunk_ = 1;

  std::uint64_t last_reported_ = 0;
  Clock::time_point next_report_;
};

}  // namespace

absl::StatusOr<SimulationResult> run_isolated(const Game& game,
                                              const FeatureSet& features,
                                              const SimulationOptions& options,
                                              const IsolationOptions& requested,
                                              IsolationStats* stats) {
  IsolationOptions isolation = requested;
  if (isolation.arguments.empty()) {
    isolation.arguments =
        worker_arguments(game.name(), isolation.game_libraries);
  }
  if (isolation.hang_limit == absl::ZeroDuration()) {
    const absl::Duration game_limit =
        options.game_timeout > absl::ZeroDuration()
            ? options.game_timeout
            : absl::Seconds(kDefaultIsolatedGameLimitSeconds);
    // The second covers the workers' progress throttling, a cooperative
    // timeout's last actions and a loaded machine.
    isolation.hang_limit =
        game_limit + options.progress_interval + absl::Seconds(1);
  }
  if (isolation.workers < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "crash isolation needs at least 1 worker, not ", isolation.workers));
  }
  for (const Policy* policy : options.policies) {
    if (policy != nullptr) {
      return absl::InvalidArgumentError(
          "isolated workers play at random: policies cannot reach them");
    }
  }
  // The run configuration, which the workers get, holds whole milliseconds.
  const absl::Duration timeout = options.game_timeout;
  if (timeout > absl::ZeroDuration() && timeout != absl::InfiniteDuration() &&
      timeout % absl::Milliseconds(1) != absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "isolated workers take the game timeout in whole milliseconds");
  }
  if (absl::Status status = check_ranges(options.ranges); !status.ok()) {
    return status;
  }
  // run_simulations over no games checks the options as a real run would and
  // fills in what does not depend on games: players, features, threads.
  SimulationOptions probe = options;
  probe.ranges = {{0, 0}};
  probe.progress = nullptr;
  probe.stop = nullptr;
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, features, probe);
  if (!result.ok()) return result.status();

  std::vector<GameIndexRange> ranges = options.ranges;
  if (ranges.empty()) ranges.push_back({0, options.games});
  std::uint64_t total = 0;
  for (const GameIndexRange& range : ranges) total += size_of(range);
  result->requested = total;

  WorkerSetup setup;
  setup.config = run_config_for(game, features, options);
  setup.feature_cache_entries = options.feature_cache_entries;
  setup.threads = std::max(1, result->timing.threads / isolation.workers);
  setup.keep_game_summaries = options.keep_game_summaries;
  setup.batch_size = options.batch_size;
  setup.progress_interval = options.progress_interval;

  Supervisor supervisor(options, isolation, setup, ranges, total,
                        result->counts);
  if (absl::Status status = supervisor.run(); !status.ok()) return status;
  supervisor.fill(*result);
  if (stats != nullptr) *stats = supervisor.stats();
  return result;
}

}  // namespace selfplay::isolation
