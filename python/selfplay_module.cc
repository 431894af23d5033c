// The extension `selfplay._selfplay`: the library's public API for Python
// (python/selfplay/__init__.py re-exports it; _selfplay.pyi types it).
//
//   import selfplay
//   result = selfplay.simulate("connect-four", games=10000, seed=1)
//   result.feature_table["phi"]   # numpy, one row per feature
//   result.to_json()              # what `selfplay simulate --json` writes
//
// Thin by design: every computation is the library's, and this file only
// converts arguments, results and errors. A Status the caller can correct
// raises ValueError with the library's message (PermissionError for a file
// that cannot be written); nothing reaches the interpreter as a crash. Runs
// and file reads release the GIL, and Ctrl-C stops a run.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/counts.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/limits.h"
#include "selfplay/model.h"
#include "selfplay/players.h"
#include "selfplay/plugin_loader.h"
#include "selfplay/random.h"
#include "selfplay/record_file.h"
#include "selfplay/registry.h"
#include "selfplay/result_output.h"
#include "selfplay/run_config.h"
#include "selfplay/simulation.h"
#include "selfplay/statistics.h"
#include "selfplay/training.h"

namespace py = pybind11;

namespace selfplay::python {
namespace {

[[noreturn]] void raise(const absl::Status& status) {
  const std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kPermissionDenied:
      PyErr_SetString(PyExc_PermissionError, message.c_str());
      throw py::error_already_set();
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kUnimplemented:
      throw std::runtime_error(message);
    default:  // bad arguments, missing or corrupt input
      throw py::value_error(message);
  }
}

void check(const absl::Status& status) {
  if (!status.ok()) raise(status);
}

template <typename T>
T value_or_raise(absl::StatusOr<T> value) {
  if (!value.ok()) raise(value.status());
  return *std::move(value);
}

// The bundled games and those of the loaded plugins, for the whole process:
// plugin code is never unloaded, so neither is the registry. Only touched
// with the GIL held, which orders load_game_library against lookups; the
// games themselves are immutable and stay where they are.
GameRegistry& registry() {
  static GameRegistry* games =
      new GameRegistry(GameRegistry::with_bundled_games());
  return *games;
}

py::list games() {
  py::list out;
  for (const Game* game : registry().games()) {
    const GameStructure& s = game->structure();
    py::dict entry;
    entry["name"] = s.name;
    entry["description"] = s.description;
    entry["type"] = game_type_name(s.type);
    entry["min_players"] = s.min_players;
    entry["max_players"] = s.max_players;
    entry["default_players"] = s.default_players;
    py::list element_types;
    for (const ElementType& type : s.element_types) {
      element_types.append(type.name);
    }
    entry["element_types"] = element_types;
    if (s.board) {
      py::dict board;
      board["rows"] = s.board->rows;
      board["columns"] = s.board->columns;
      board["topology"] =
          s.board->topology == BoardTopology::kHex ? "hex" : "square";
      entry["board"] = board;
    } else {
      entry["board"] = py::none();
    }
    entry["player_properties"] = s.player_properties;
    entry["action_kinds"] = s.action_kinds;
    entry["num_actions"] = s.num_actions;
    entry["deterministic"] = s.deterministic;
    out.append(entry);
  }
  return out;
}

void load_game_library(const std::filesystem::path& path) {
  check(load_game_plugin(path.string(), registry()));
}

// Rows of the structured arrays: the fields of FeatureStatistics,
// ActionStatistics and SeatCounts that are numbers, under the names the JSON
// document gives them.
struct FeatureRow {
  double true_won, true_lost, false_won, false_lost;
  double win_rate_true, win_rate_false, phi, p_value, p_value_decisions;
  double win_rate_difference, ci_low, ci_high, q_value;
  std::uint64_t games_true;
  bool constant;
};

struct ActionRow {
  double taken_won, taken_lost, not_taken_won, not_taken_lost;
  double win_rate_taken, win_rate_not_taken, p_value, p_value_decisions;
  double win_rate_difference, ci_low, ci_high, q_value;
  std::uint64_t games_taken;
  bool constant;
};

struct SeatRow {
  std::uint64_t wins, losses, draws;
};

// Hands `values` to numpy without a copy: the array owns them.
template <typename T>
py::array_t<T> to_numpy(std::vector<T> values, std::vector<py::ssize_t> shape) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule free(
      owned, [](void* values) { delete static_cast<std::vector<T>*>(values); });
  return py::array_t<T>(std::move(shape), owned->data(), free);
}

// Rows are zeroed before `fill` sets their fields, so that the padding after
// a row's last field is zero too: equal results give equal bytes.
template <typename Row, typename From, typename Fill>
py::array_t<Row> table(const std::vector<From>& rows, Fill fill) {
  std::vector<Row> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) fill(rows[i], out[i]);
  const auto size = static_cast<py::ssize_t>(out.size());
  return to_numpy(std::move(out), {size});
}

// The library's JSON writer, through a file in a fresh private directory:
// the document is exactly what `selfplay simulate --json` writes.
std::string result_json(const SimulationResult& result) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "selfplay-json-XXXXXX")
          .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    raise(absl::PermissionDeniedError(
        "cannot create a temporary directory for the JSON document"));
  }
  const std::filesystem::path directory = pattern;
  const std::string path = (directory / "result.json").string();
  absl::Status written = write_result_json(result, path);
  std::string text;
  if (written.ok()) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
  check(written);
  return text;
}

class Result {
 public:
  explicit Result(SimulationResult result)
      : result_(std::move(result)),
        features_(feature_statistics(result_)),
        actions_(action_statistics(result_)) {}

  const SimulationResult& get() const { return result_; }

  std::vector<std::string> feature_ids() const {
    std::vector<std::string> ids;
    for (const FeatureInfo& info : result_.features) ids.push_back(info.id);
    return ids;
  }

  py::list feature_infos() const {
    py::list out;
    for (const FeatureInfo& info : result_.features) {
      py::dict entry;
      entry["id"] = info.id;
      entry["description"] = info.description;
      entry["category"] = info.category;
      out.append(entry);
    }
    return out;
  }

  py::array_t<FeatureRow> feature_table() const {
    return table<FeatureRow>(features_,
                             [](const FeatureStatistics& f, FeatureRow& row) {
                               row.true_won = f.true_won;
                               row.true_lost = f.true_lost;
                               row.false_won = f.false_won;
                               row.false_lost = f.false_lost;
                               row.win_rate_true = f.win_rate_true;
                               row.win_rate_false = f.win_rate_false;
                               row.phi = f.phi;
                               row.p_value = f.p_value;
                               row.p_value_decisions = f.p_value_decisions;
                               row.win_rate_difference = f.win_rate_difference;
                               row.ci_low = f.ci_low;
                               row.ci_high = f.ci_high;
                               row.q_value = f.q_value;
                               row.games_true = f.games_true;
                               row.constant = f.constant;
                             });
  }

  py::array_t<ActionRow> action_table() const {
    return table<ActionRow>(actions_,
                            [](const ActionStatistics& a, ActionRow& row) {
                              row.taken_won = a.taken_won;
                              row.taken_lost = a.taken_lost;
                              row.not_taken_won = a.not_taken_won;
                              row.not_taken_lost = a.not_taken_lost;
                              row.win_rate_taken = a.win_rate_taken;
                              row.win_rate_not_taken = a.win_rate_not_taken;
                              row.p_value = a.p_value;
                              row.p_value_decisions = a.p_value_decisions;
                              row.win_rate_difference = a.win_rate_difference;
                              row.ci_low = a.ci_low;
                              row.ci_high = a.ci_high;
                              row.q_value = a.q_value;
                              row.games_taken = a.games_taken;
                              row.constant = a.constant;
                            });
  }

  py::array_t<SeatRow> seat_table() const {
    return table<SeatRow>(result_.counts.seats,
                          [](const SeatCounts& s, SeatRow& row) {
                            row = {s.wins, s.losses, s.draws};
                          });
  }

  py::array_t<std::uint64_t> length_histogram() const {
    const std::vector<std::uint64_t>& lengths = result_.counts.length_histogram;
    return to_numpy(lengths, {static_cast<py::ssize_t>(lengths.size())});
  }

  py::list failures() const {
    py::list out;
    for (const GameFailure& failure : result_.counts.failures) {
      out.append(
          py::make_tuple(failure.game_index, failure.seed, failure.error));
    }
    return out;
  }

  py::dict timing() const {
    const SimulationTiming& t = result_.timing;
    py::dict out;
    out["wall_s"] = t.wall_s;
    out["games_per_s"] = t.games_per_s;
    out["threads"] = t.threads;
    out["batch_size"] = t.batch_size;
    out["cache_lookups"] = t.cache_lookups;
    out["cache_hits"] = t.cache_hits;
    return out;
  }

  std::string to_json() const {
    py::gil_scoped_release release;
    return result_json(result_);
  }

 private:
  SimulationResult result_;
  std::vector<FeatureStatistics> features_;
  std::vector<ActionStatistics> actions_;
};

// Runs `work` (which returns a StatusOr and reads `stop`) in its own thread,
// so that this one, the caller's, can call `poll` and let Python handle
// signals: signal handlers run only in the main thread, and only when it
// holds the GIL. On Ctrl-C, or an exception from `poll`, the run is stopped
// cleanly (in-flight games finish) before the exception propagates; a
// KeyboardInterrupt first goes to `interrupted` with what the stopped run
// returned.
template <typename Work, typename Poll, typename Interrupted>
auto run_interruptibly(StopToken& stop, Work work, Poll poll,
                       Interrupted interrupted) {
  auto run = std::async(std::launch::async, std::move(work));
  const auto stop_and_wait = [&] {
    stop.request_stop();
    py::gil_scoped_release release;
    run.wait();
  };
  while (true) {
    {
      py::gil_scoped_release release;
      if (run.wait_for(std::chrono::milliseconds(50)) ==
          std::future_status::ready) {
        break;
      }
    }
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      poll();
    } catch (py::error_already_set& error) {
      stop_and_wait();
      if (error.matches(PyExc_KeyboardInterrupt)) interrupted(run.get(), error);
      throw;
    } catch (...) {
      stop_and_wait();
      throw;
    }
  }
  return value_or_raise(run.get());
}

// The players of simulate's `policies`: one spec for every seat or a list
// with one per seat, read by the library's parser (its messages unchanged).
using PolicySpecs = std::variant<std::string, std::vector<std::string>>;

std::vector<PlayerSpec> player_specs(const PolicySpecs& policies) {
  std::vector<std::string> texts;
  if (const auto* one = std::get_if<std::string>(&policies)) {
    texts.push_back(*one);
  } else {
    texts = std::get<std::vector<std::string>>(policies);
  }
  std::vector<PlayerSpec> specs;
  for (const std::string& text : texts) {
    specs.push_back(value_or_raise(parse_player_spec(text)));
  }
  return specs;
}

Result simulate(const std::string& game_name, std::uint64_t games, int threads,
                std::uint64_t seed, bool features, int players, int max_actions,
                bool keep_games, const py::object& progress,
                const std::optional<PolicySpecs>& policies,
                const Model* model) {
  const Game* game = value_or_raise(registry().find(game_name));
  // run_simulations plays whatever count it is given; the CLI's --games
  // takes the library's range, and so does this.
  check(check_limit("games", games, limits::kGames));
  FeatureSet feature_set;
  if (features) {
    feature_set =
        value_or_raise(generate_candidate_features(game->structure()));
  }
  SimulationOptions options;
  options.games = games;
  options.threads = threads;
  options.seed = seed;
  options.players = players;
  options.max_actions = max_actions;
  options.keep_game_summaries = keep_games;
  if (model != nullptr && model->game() != game->name()) {
    raise(absl::InvalidArgumentError("the model is a model of " +
                                     model->game() + ", not of " +
                                     game->name()));
  }
  SeatPlayers seat_players;
  if (policies) {
    const int seats = value_or_raise(check_players(game->structure(), players));
    seat_players = value_or_raise(
        make_seat_players(player_specs(*policies), seats, model));
    options.policies = seat_players.policies();
  }
  StopToken stop;
  options.stop = &stop;
  // The library reports progress from worker threads, which must not wait
  // for the GIL: they leave the count here, and the caller's thread passes
  // it on.
  std::atomic<std::uint64_t> finished{0};
  std::uint64_t reported = 0;
  const bool reports = !progress.is_none();
  if (reports) {
    options.progress = [&finished](std::uint64_t done, std::uint64_t) {
      finished.store(done, std::memory_order_relaxed);
    };
  }
  const auto report = [&] {
    if (!reports) return;
    const std::uint64_t done = finished.load(std::memory_order_relaxed);
    if (done == reported) return;
    reported = done;
    progress(done, games);
  };
  Result result(run_interruptibly(
      stop, [&] { return run_simulations(*game, feature_set, options); },
      report,
      // The games played before the stop, as the exception's partial_result.
      [](absl::StatusOr<SimulationResult> partial,
         py::error_already_set& error) {
        if (partial.ok()) {
          error.value().attr("partial_result") =
              py::cast(Result(*std::move(partial)));
        }
      }));
  report();  // the final count
  return result;
}

// `weights` by its name (objective_weights_name).
ObjectiveWeights objective_weights(const std::string& name) {
  for (ObjectiveWeights weights :
       {ObjectiveWeights::kPhi, ObjectiveWeights::kLogistic}) {
    if (name == objective_weights_name(weights)) return weights;
  }
  raise(absl::InvalidArgumentError("weights must be phi or logistic, not '" +
                                   name + "'"));
}

Model train_model(const std::string& game_name, int iterations,
                  std::uint64_t games_per_iteration, const std::string& oracle,
                  const std::string& weights, int max_features,
                  double min_correlation, double l2, int players,
                  int max_actions, int threads, std::uint64_t seed,
                  std::uint64_t evaluation_games) {
  const Game* game = value_or_raise(registry().find(game_name));
  TrainingOptions options;
  options.iterations = iterations;
  options.games_per_iteration = games_per_iteration;
  options.oracle = value_or_raise(parse_player_spec(oracle));
  options.weights = objective_weights(weights);
  options.max_features = max_features;
  options.min_correlation = min_correlation;
  options.l2 = l2;
  options.players = players;
  options.max_actions = max_actions;
  options.threads = threads;
  options.seed = seed;
  options.evaluation_games = evaluation_games;
  StopToken stop;
  options.stop = &stop;
  // A stopped training has no model to hand back.
  return run_interruptibly(
      stop, [&] { return train(*game, options); }, [] {},
      [](const absl::StatusOr<Model>&, py::error_already_set&) {});
}

py::list objectives(const Model& model) {
  py::list out;
  for (const Objective& objective : model.objectives()) {
    py::dict entry;
    entry["feature"] = objective.feature;
    entry["description"] = objective.description;
    entry["weight"] = objective.weight;
    entry["correlation"] = objective.correlation;
    entry["p_value"] = objective.p_value;
    out.append(entry);
  }
  return out;
}

py::list preferences(const Model& model) {
  py::list out;
  for (const ActionPreference& preference : model.preferences()) {
    py::dict entry;
    entry["action_kind"] = preference.action_kind;
    entry["weight"] = preference.weight;
    entry["win_rate_taken"] = preference.win_rate_taken;
    entry["win_rate_not_taken"] = preference.win_rate_not_taken;
    out.append(entry);
  }
  return out;
}

Result records_stats(const std::filesystem::path& path, bool keep_games) {
  absl::StatusOr<SimulationResult> result;
  {
    py::gil_scoped_release release;
    absl::StatusOr<RecordFileReader> reader =
        RecordFileReader::open(path.string());
    result = reader.ok() ? result_from_records(*reader, keep_games)
                         : reader.status();
  }
  return Result(value_or_raise(std::move(result)));
}

// A records file's decisions and games as flat columns, read without the GIL.
// The reader checks every record against the header (winners among the
// seats, feature bits of the header's width), so the columns fit the shapes
// read_records gives them.
struct RecordColumns {
  RecordFileHeader header;
  int feature_words = 0;
  // Per game.
  std::vector<std::uint64_t> game_index, seed, decision_offsets{0};
  std::vector<std::uint8_t> status;
  std::vector<std::uint8_t> winners;  // games x players, 0/1
  std::vector<std::pair<std::uint64_t, std::string>> errors;
  // Per decision.
  std::vector<std::int32_t> player, taken;
  std::vector<std::uint64_t> available, feature_bits;
  std::vector<double> outcome;
};

absl::StatusOr<RecordColumns> read_columns(const std::string& path) {
  absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(path);
  if (!reader.ok()) return reader.status();
  RecordColumns columns;
  columns.header = reader->header();
  const int players = columns.header.config.players;
  columns.feature_words =
      (static_cast<int>(columns.header.features.size()) + 63) / 64;
  GameRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader->next(record);
    if (!more.ok()) return more.status();
    if (!*more) return columns;
    columns.game_index.push_back(record.game_index);
    columns.seed.push_back(record.seed);
    columns.status.push_back(static_cast<std::uint8_t>(record.status));
    const std::size_t row = columns.winners.size();
    columns.winners.resize(row + players, 0);
    for (int winner : record.winners) columns.winners[row + winner] = 1;
    if (record.status == GameStatus::kFailed) {
      columns.errors.emplace_back(record.game_index, record.error);
    }
    const bool completed = record.status == GameStatus::kCompleted;
    for (const RecordedDecision& decision : record.decisions) {
      columns.player.push_back(decision.player);
      columns.taken.push_back(decision.taken);
      columns.available.push_back(decision.available_kinds);
      columns.outcome.push_back(
          completed ? outcome_half_units(record.winners, decision.player) / 2.0
                    : std::numeric_limits<double>::quiet_NaN());
    }
    columns.feature_bits.insert(columns.feature_bits.end(),
                                record.feature_bits.begin(),
                                record.feature_bits.end());
    columns.decision_offsets.push_back(columns.player.size());
  }
}

// The arrays of read_records. Feature bits stay packed as the file holds
// them (bit i of word i / 64 is feature i); feature_matrix() unpacks them.
struct Records {
  std::string game;
  int players = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> features, action_kinds, status_names;
  py::array game_index, game_seed, status, winners, decision_offsets;
  py::array player, taken, available, outcome, feature_words;
  py::dict errors;

  py::array_t<bool> feature_matrix() const {
    const auto words = feature_words.cast<py::array_t<std::uint64_t>>();
    const auto bits = words.unchecked<2>();
    const auto count = static_cast<py::ssize_t>(features.size());
    py::array_t<bool> matrix({bits.shape(0), count});
    auto out = matrix.mutable_unchecked<2>();
    for (py::ssize_t d = 0; d < bits.shape(0); ++d) {
      for (py::ssize_t f = 0; f < count; ++f) {
        out(d, f) = bits(d, f / 64) >> (f % 64) & 1;
      }
    }
    return matrix;
  }
};

Records read_records(const std::filesystem::path& path) {
  absl::StatusOr<RecordColumns> read;
  {
    py::gil_scoped_release release;
    read = read_columns(path.string());
  }
  RecordColumns columns = value_or_raise(std::move(read));
  const RunConfig& config = columns.header.config;
  Records records;
  records.game = config.game;
  records.players = config.players;
  records.seed = config.seed;
  for (const FeatureInfo& info : columns.header.features) {
    records.features.push_back(info.id);
  }
  records.action_kinds = config.action_kinds;
  // Every GameStatus, in the order of its values.
  for (GameStatus status : {GameStatus::kCompleted, GameStatus::kTruncated,
                            GameStatus::kTimedOut, GameStatus::kFailed}) {
    records.status_names.push_back(game_status_name(status));
  }
  const auto games = static_cast<py::ssize_t>(columns.game_index.size());
  const auto decisions = static_cast<py::ssize_t>(columns.player.size());
  records.game_index = to_numpy(std::move(columns.game_index), {games});
  records.game_seed = to_numpy(std::move(columns.seed), {games});
  records.status = to_numpy(std::move(columns.status), {games});
  records.winners = to_numpy(std::move(columns.winners),
                             {games, static_cast<py::ssize_t>(config.players)})
                        .attr("astype")("bool");
  records.decision_offsets =
      to_numpy(std::move(columns.decision_offsets), {games + 1});
  records.player = to_numpy(std::move(columns.player), {decisions});
  records.taken = to_numpy(std::move(columns.taken), {decisions});
  records.available = to_numpy(std::move(columns.available), {decisions});
  records.outcome = to_numpy(std::move(columns.outcome), {decisions});
  records.feature_words = to_numpy(std::move(columns.feature_bits),
                                   {decisions, columns.feature_words});
  for (auto& [index, error] : columns.errors)
    records.errors[py::int_(index)] = error;
  return records;
}

// A player of the library (players.h) that Python can ask for actions.
class Player {
 public:
  Player(const std::string& spec, const Model* model)
      : policy_(value_or_raise(
            make_player(value_or_raise(parse_player_spec(spec)), model))),
        model_(model) {}

  const Policy& policy() const { return *policy_; }
  // The game of its model, if it plays one.
  const std::string* game() const {
    return model_ == nullptr ? nullptr : &model_->game();
  }
  std::string name() const { return policy_->name(); }

 private:
  std::unique_ptr<Policy> policy_;
  const Model* model_;  // kept alive by the Python object
};

// A batch of games stepped together, for reinforcement learning: env i plays
// its episodes k = 0, 1, ... with seed seed_for(seed, k * envs + i), so the
// stream of games is a function of the seed alone. Envs never share state,
// so the batch is stepped in parallel (one oneTBB task per block of envs)
// and its outputs are the same for any thread count.
class VectorEnv {
 public:
  VectorEnv(const std::string& game_name, int envs,
            std::optional<int> num_actions, std::uint64_t seed, int threads,
            int players, int max_actions, bool features)
      : game_(value_or_raise(registry().find(game_name))),
        seed_(seed),
        num_actions_(action_space(*game_, num_actions)) {
    check(check_limit("envs", envs, Limit<int>{1, 1 << 24}));
    check(check_limit("threads", threads, limits::kThreads));
    check(check_limit("max_actions", max_actions, limits::kMaxActions));
    const GameStructure& structure = game_->structure();
    players_ = value_or_raise(check_players(structure, players));
    if (features) {
      features_ = value_or_raise(generate_candidate_features(structure));
    }
    max_actions_ = max_actions;
    const int concurrency =
        threads == 0 ? tbb::info::default_concurrency() : threads;
    // As run_simulations: more threads than cores on request, for as long
    // as the env lives, so that its arena can fill them.
    if (concurrency > tbb::info::default_concurrency()) {
      allow_more_threads_.emplace(tbb::global_control::max_allowed_parallelism,
                                  concurrency);
    }
    arena_.initialize(concurrency);
    envs_.resize(envs);
    bits_.resize(envs_.size() * features_.words());
  }

  int num_envs() const { return static_cast<int>(envs_.size()); }
  int num_actions() const { return num_actions_; }
  int players() const { return players_; }
  std::vector<std::string> feature_ids() const {
    std::vector<std::string> ids;
    for (const FeatureInfo& info : features_.infos()) ids.push_back(info.id);
    return ids;
  }

  // Starts every env's next episode (the first after construction).
  py::tuple reset() {
    Outputs out = outputs();
    run([&](std::size_t i) {
      start_episode(i);
      observe(i, out);
    });
    started_ = true;
    return py::make_tuple(out.observations, out.legal);
  }

  // Plays actions[i] in env i; see the docstring for what comes back.
  py::tuple step(
      const py::array_t<std::int64_t,
                        py::array::c_style | py::array::forcecast>& actions) {
    if (!started_) raise(absl::FailedPreconditionError("call reset() first"));
    if (actions.ndim() != 1 || actions.shape(0) != num_envs()) {
      raise(absl::InvalidArgumentError("actions must be one per env, shape (" +
                                       std::to_string(num_envs()) + ",)"));
    }
    const std::int64_t* chosen = actions.data();
    for (std::size_t i = 0; i < envs_.size(); ++i) {
      if (!envs_[i].legal(chosen[i])) {
        raise(absl::InvalidArgumentError("action " + std::to_string(chosen[i]) +
                                         " is not legal in env " +
                                         std::to_string(i)));
      }
    }
    Outputs out = outputs();
    const auto seats = static_cast<std::size_t>(players_);
    run([&](std::size_t i) {
      Env& env = envs_[i];
      env.state->apply_action(static_cast<Action>(chosen[i]));
      ++env.actions;
      if (env.state->is_terminal()) {
        out.terminated[i] = 1;
        // A sole winner +1; every player who did not win -1; a draw, or a
        // shared win (scored like a draw by the engine), 0 for the winners.
        const std::vector<int> winners = env.state->winners();
        if (!winners.empty()) {
          float* reward = out.rewards + i * seats;
          std::fill(reward, reward + seats, -1.0f);
          for (int winner : winners) {
            reward[winner] = winners.size() == 1 ? 1.0f : 0.0f;
          }
        }
        start_episode(i);
      } else if (env.actions >= max_actions_) {
        out.truncated[i] = 1;
        start_episode(i);
      }
      observe(i, out);
    });
    return py::make_tuple(out.observations, out.legal, out.rewards_array,
                          out.terminated_array, out.truncated_array);
  }

  py::array_t<std::int32_t> current_player() const {
    std::vector<std::int32_t> players(envs_.size(), -1);
    for (std::size_t i = 0; i < envs_.size(); ++i) {
      if (envs_[i].state) players[i] = envs_[i].state->current_player();
    }
    return to_numpy(std::move(players), {num_envs()});
  }

  // The action `player` chooses in every env, in parallel; its random
  // stream in env i is derived from the episode's seed and the actions
  // played in it, so the choices are a function of the seed alone.
  py::array_t<std::int64_t> choose(const Player& player) {
    if (!started_) raise(absl::FailedPreconditionError("call reset() first"));
    if (player.game() != nullptr && *player.game() != game_->name()) {
      raise(absl::InvalidArgumentError("the player's model is a model of " +
                                       *player.game() + ", not of " +
                                       game_->name()));
    }
    auto chosen = py::array_t<std::int64_t>(num_envs());
    std::int64_t* out = chosen.mutable_data();
    run([&](std::size_t i) {
      const Env& env = envs_[i];
      Rng rng(derive_seed(env.seed, kPlayerStream + env.actions));
      out[i] =
          player.policy().choose_action(*env.state, env.legal_actions, rng);
    });
    return chosen;
  }

  py::array_t<std::uint64_t> episodes() const {
    std::vector<std::uint64_t> counts;
    for (const Env& env : envs_) counts.push_back(env.episode);
    return to_numpy(std::move(counts), {num_envs()});
  }

 private:
  struct Env {
    std::unique_ptr<State> state;
    std::uint64_t episode = 0;  // episodes started
    std::uint64_t seed = 0;     // of this episode
    int actions = 0;            // in this episode
    std::vector<Action> legal_actions;
    FeatureScratch scratch;

    bool legal(std::int64_t action) const {
      return std::find(legal_actions.begin(), legal_actions.end(), action) !=
             legal_actions.end();
    }
  };

  // Arrays made with the GIL held and filled without it.
  struct Outputs {
    py::array_t<std::uint8_t> observations, legal;
    py::array_t<float> rewards_array;
    py::array_t<std::uint8_t> terminated_array, truncated_array;
    std::uint8_t* observation = nullptr;
    std::uint8_t* mask = nullptr;
    float* rewards = nullptr;
    std::uint8_t *terminated = nullptr, *truncated = nullptr;
  };

  Outputs outputs() const {
    const py::ssize_t n = num_envs();
    Outputs out;
    out.observations = py::array_t<std::uint8_t>(
        {n, static_cast<py::ssize_t>(features_.size())});
    out.legal = py::array_t<std::uint8_t>({n, py::ssize_t{num_actions_}});
    out.rewards_array = py::array_t<float>({n, py::ssize_t{players_}});
    out.terminated_array = py::array_t<std::uint8_t>(n);
    out.truncated_array = py::array_t<std::uint8_t>(n);
    out.observation = out.observations.mutable_data();
    out.mask = out.legal.mutable_data();
    out.rewards = out.rewards_array.mutable_data();
    out.terminated = out.terminated_array.mutable_data();
    out.truncated = out.truncated_array.mutable_data();
    std::fill_n(out.rewards, n * players_, 0.0f);
    std::fill_n(out.terminated, n, 0);
    std::fill_n(out.truncated, n, 0);
    return out;
  }

  // Calls step(i) for every env in parallel, without the GIL. An exception
  // (game code, an action outside num_actions) is raised after the batch,
  // the first env's; the envs it came from must then be reset.
  template <typename Step>
  void run(Step step) {
    std::vector<std::string> errors(envs_.size());
    {
      py::gil_scoped_release release;
      arena_.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, envs_.size(), 64),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                            for (std::size_t i = range.begin();
                                 i != range.end(); ++i) {
                              try {
                                step(i);
                              } catch (const std::exception& error) {
                                errors[i] = error.what();
                                if (errors[i].empty()) errors[i] = "error";
                              }
                            }
                          });
      });
    }
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (errors[i].empty()) continue;
      started_ = false;
      throw std::runtime_error("env " + std::to_string(i) + ": " + errors[i]);
    }
  }

  void start_episode(std::size_t i) {
    Env& env = envs_[i];
    const std::uint64_t index = env.episode * envs_.size() + i;
    env.seed = seed_for(seed_, index);
    env.state = game_->new_initial_state(env.seed, players_);
    ++env.episode;
    env.actions = 0;
  }

  // Env i's observation, legal mask: those of its deciding player.
  void observe(std::size_t i, Outputs& out) {
    Env& env = envs_[i];
    env.state->legal_actions(env.legal_actions);
    std::uint8_t* mask = out.mask + i * num_actions_;
    std::fill_n(mask, num_actions_, 0);
    for (Action action : env.legal_actions) {
      if (action < 0 || action >= num_actions_) {
        throw std::out_of_range("legal action " + std::to_string(action) +
                                " is outside num_actions " +
                                std::to_string(num_actions_));
      }
      mask[action] = 1;
    }
    const auto count = static_cast<std::size_t>(features_.size());
    if (count == 0) return;
    std::uint64_t* bits =
        bits_.data() + i * static_cast<std::size_t>(features_.words());
    features_.evaluate(*env.state, env.state->current_player(), env.scratch,
                       bits);
    std::uint8_t* observation = out.observation + i * count;
    for (std::size_t f = 0; f < count; ++f) {
      observation[f] = bits[f / 64] >> (f % 64) & 1;
    }
  }

  // The width of the legal masks: the game's declared num_actions, or the
  // caller's for a game that declares none.
  static int action_space(const Game& game, std::optional<int> num_actions) {
    // A legal mask per env must fit in memory.
    const Limit<int> mask_width{1, 1 << 24};
    const int declared = game.structure().num_actions;
    if (declared == 0) {
      if (!num_actions) {
        raise(absl::InvalidArgumentError(
            game.name() + " does not declare its num_actions " +
            "(GameStructure::num_actions): pass num_actions"));
      }
      check(check_limit("num_actions", *num_actions, mask_width));
      return *num_actions;
    }
    if (num_actions) {
      raise(absl::InvalidArgumentError(
          game.name() + " declares its num_actions, " +
          std::to_string(declared) + ": leave num_actions out"));
    }
    if (!mask_width.contains(declared)) {
      raise(absl::InvalidArgumentError(
          game.name() + " has " + std::to_string(declared) +
          " action ids, more than a legal mask holds (num_actions " +
          mask_width.text() + ")"));
    }
    return declared;
  }

  // Names the players' streams among those derived from an episode's seed.
  static constexpr std::uint64_t kPlayerStream = 0x706c61796572;

  const Game* game_;
  std::uint64_t seed_;
  int num_actions_ = 0, players_ = 0, max_actions_ = 0;
  // One arena for every call; the permission for its threads outlives it.
  std::optional<tbb::global_control> allow_more_threads_;
  tbb::task_arena arena_;
  FeatureSet features_;
  std::vector<Env> envs_;
  std::vector<std::uint64_t> bits_;  // per env, features_.words() each
  bool started_ = false;
};

}  // namespace
}  // namespace selfplay::python

PYBIND11_MODULE(_selfplay, module) {
  using namespace selfplay;
  using namespace selfplay::python;
  module.doc() =
      "selfplay's engine: self-play simulations, their statistics and "
      "records files";
  module.attr("__version__") = SELFPLAY_VERSION;
  module.attr("JSON_SCHEMA_VERSION") = kJsonSchemaVersion;
  PYBIND11_NUMPY_DTYPE(FeatureRow, true_won, true_lost, false_won, false_lost,
                       win_rate_true, win_rate_false, phi, p_value,
                       p_value_decisions, win_rate_difference, ci_low, ci_high,
                       q_value, games_true, constant);
  PYBIND11_NUMPY_DTYPE(ActionRow, taken_won, taken_lost, not_taken_won,
                       not_taken_lost, win_rate_taken, win_rate_not_taken,
                       p_value, p_value_decisions, win_rate_difference, ci_low,
                       ci_high, q_value, games_taken, constant);
  PYBIND11_NUMPY_DTYPE(SeatRow, wins, losses, draws);

  module.def("games", &games,
             "The games that can be played, sorted by name: one dict each "
             "with its name, description, type, player range, element "
             "types, board, player properties, action kinds and num_actions "
             "(action ids are 0..num_actions-1; 0: not declared).");
  module.def("load_game_library", &load_game_library, py::arg("path"),
             "Loads a game plugin (a shared library, see "
             "include/selfplay/plugin.h) and adds its games for the rest of "
             "the process. ValueError naming the path when it cannot.");

  py::class_<Result>(module, "Result",
                     "A simulation's result: the run's totals and its "
                     "statistics as numpy arrays.")
      .def_property_readonly(
          "game", [](const Result& r) { return r.get().game; }, "game name")
      .def_property_readonly(
          "players", [](const Result& r) { return r.get().players; },
          "players per game")
      .def_property_readonly(
          "seed", [](const Result& r) { return r.get().seed; },
          "the run's seed")
      .def_property_readonly(
          "requested", [](const Result& r) { return r.get().requested; },
          "games asked for")
      .def_property_readonly(
          "cancelled", [](const Result& r) { return r.get().cancelled; },
          "games not played because the run was stopped (Ctrl-C)")
      .def_property_readonly(
          "games", [](const Result& r) { return r.get().counts.games; },
          "games played: completed, truncated and failed")
      .def_property_readonly(
          "completed", [](const Result& r) { return r.get().counts.completed; },
          "games that reached a terminal state")
      .def_property_readonly(
          "truncated", [](const Result& r) { return r.get().counts.truncated; },
          "games stopped at max_actions or the timeout")
      .def_property_readonly(
          "timed_out", [](const Result& r) { return r.get().counts.timed_out; },
          "the truncated games stopped by the clock")
      .def_property_readonly(
          "failed", [](const Result& r) { return r.get().counts.failed; },
          "games whose code threw (see failures)")
      .def_property_readonly(
          "decisions", [](const Result& r) { return r.get().counts.states; },
          "decisions in the games played that did not fail")
      .def_property_readonly("features", &Result::feature_ids,
                             "feature ids, in the order of feature_table")
      .def_property_readonly("feature_infos", &Result::feature_infos,
                             "id, description and category per feature")
      .def_property_readonly(
          "feature_table", &Result::feature_table,
          "structured array, one row per feature: decisions won and lost "
          "where it held and where not, win rates, phi, the game-clustered "
          "p_value, p_value_decisions, win_rate_difference with its 95% "
          "interval, q_value, games_true and constant")
      .def_property_readonly(
          "action_kinds", [](const Result& r) { return r.get().action_kinds; },
          "the game's action kinds, in the order of action_table")
      .def_property_readonly(
          "action_table", &Result::action_table,
          "structured array, one row per action kind: taken against "
          "available but passed over, with the feature table's statistics")
      .def_property_readonly("seat_table", &Result::seat_table,
                             "structured array of wins, losses and draws "
                             "(with shared wins) per seat")
      .def_property_readonly("length_histogram", &Result::length_histogram,
                             "entry n: completed games that took n actions")
      .def_property_readonly("failures", &Result::failures,
                             "(game index, seed, error) of the first failed "
                             "games")
      .def_property_readonly("timing", &Result::timing,
                             "wall time and throughput: the only part that "
                             "differs between identical runs")
      .def("to_json", &Result::to_json,
           "The JSON document `selfplay simulate --json` writes for this "
           "result (README.md, \"JSON schema\").")
      .def(
          "summary",
          [](const Result& r, int top) { return result_summary(r.get(), top); },
          py::arg("top") = 20,
          "The text `selfplay simulate` prints, with the `top` features.")
      .def("__repr__", [](const Result& r) {
        const SimulationResult& result = r.get();
        return "<selfplay.Result " + result.game + ": " +
               std::to_string(result.counts.games) + " games, " +
               std::to_string(result.features.size()) + " features>";
      });

  py::class_<Model>(module, "Model",
                    "A trained model of one game: weighted objectives and "
                    "action preferences (README.md, \"Training\").")
      .def_static(
          "load",
          [](const std::filesystem::path& path, const std::string& game) {
            return value_or_raise(Model::load(
                path.string(), *value_or_raise(registry().find(game))));
          },
          py::arg("path"), py::arg("game"),
          "Reads a model file (`selfplay train --out`) of `game`. "
          "ValueError naming the problem when it cannot.")
      .def_static(
          "parse",
          [](const std::string& json, const std::string& game) {
            return value_or_raise(
                Model::parse(json, *value_or_raise(registry().find(game))));
          },
          py::arg("json"), py::arg("game"),
          "A model from the text to_json() writes.")
      .def_property_readonly("game", &Model::game,
                             "the game the model was trained on")
      .def_property_readonly(
          "objectives", &objectives,
          "feature, description, weight, correlation and p_value per "
          "objective")
      .def_property_readonly(
          "preferences", &preferences,
          "action_kind, weight, win_rate_taken and win_rate_not_taken per "
          "action preference")
      .def("to_json", &Model::to_json,
           "The model file's JSON document; its \"run\" object (command "
           "line, threads, timings) is the only part that differs between "
           "runs of the same training.")
      .def("__repr__", [](const Model& model) {
        return "<selfplay.Model " + model.game() + ": " +
               std::to_string(model.objectives().size()) + " objectives>";
      });

  module.def("simulate", &simulate, py::arg("game"), py::kw_only(),
             py::arg("games") = 10000, py::arg("threads") = 0,
             py::arg("seed") = 1, py::arg("features") = true,
             py::arg("players") = 0, py::arg("max_actions") = 2000,
             py::arg("keep_games") = false, py::arg("progress") = py::none(),
             py::arg("policies") = py::none(), py::arg("model") = nullptr,
             "Plays `games` self-play games of `game` in parallel (threads 0: "
             "all cores) and tallies them; the defaults are those of "
             "`selfplay simulate`, and the result is the same for any thread "
             "count. players 0: the game's default. keep_games: a summary of "
             "every game in to_json(). progress: called as progress(finished, "
             "games) in the caller's thread as games finish, at most every "
             "50 ms, and once at the end. Releases the GIL while it runs; "
             "Ctrl-C, or an exception from progress, stops the run cleanly "
             "and raises it; a KeyboardInterrupt's partial_result is the "
             "Result of the games played before the stop. policies: the "
             "players, as `selfplay simulate "
             "--policy` names them (random, mcts:N, greedy, "
             "objective-mcts:N), one for every seat or a list with one per "
             "seat; greedy and objective-mcts play `model`'s objectives. "
             "ValueError with the library's message for a bad argument.");
  module.def(
      "train", &train_model, py::arg("game"), py::kw_only(),
      py::arg("iterations") = 3, py::arg("games_per_iteration") = 5000,
      py::arg("oracle") = "mcts:50", py::arg("weights") = "logistic",
      py::arg("max_features") = 20, py::arg("min_correlation") = 0.01,
      py::arg("l2") = 1.0, py::arg("players") = 0,
      py::arg("max_actions") = 2000, py::arg("threads") = 0,
      py::arg("seed") = 1, py::arg("evaluation_games") = 200,
      "Trains a model as `selfplay train` does, with its defaults: "
      "self-play with `oracle` (random or mcts:N), the strongest features "
      "weighted as objectives (weights phi or logistic), the model's players "
      "evaluated after each iteration. The model, less its \"run\" object, "
      "is the CLI's for the same settings, whatever the thread count. "
      "Releases the GIL; Ctrl-C stops it and raises KeyboardInterrupt. "
      "ValueError with the library's message for a bad argument.");
  py::class_<Player>(module, "Player",
                     "A player of the library, named as `selfplay simulate "
                     "--policy` names them: random, mcts:N, greedy, "
                     "objective-mcts:N (the last two play `model`'s "
                     "objectives); VectorEnv.choose asks it for actions.")
      .def(py::init<const std::string&, const Model*>(), py::arg("spec"),
           py::arg("model") = nullptr, py::keep_alive<1, 3>(),
           "ValueError with the library's message for a bad spec, or a "
           "player that needs a model without one.")
      .def_property_readonly("name", &Player::name,
                             "the player's name, as simulate's policies "
                             "spell it")
      .def("__repr__", [](const Player& player) {
        return "<selfplay.Player " + player.name() + ">";
      });

  py::class_<VectorEnv>(
      module, "VectorEnv",
      "A batch of `envs` games of `game` stepped together in parallel, for "
      "reinforcement learning. Env i plays its episodes k = 0, 1, ... with "
      "the seed seed_for(seed, k * envs + i) (the seed of game k * envs + i "
      "of a simulate run), starting the next one as soon as one ends "
      "(auto-reset), so everything it returns is a function of the seed and "
      "the actions, whatever the thread count. Actions are the game's own "
      "integers, 0..num_actions-1, where the game declares num_actions "
      "(games() lists it; connect-four: the column, 7; tic-tac-toe: the "
      "cell, 9; hex: row * size + column, size * size; go-fish: opponent * "
      "13 + rank, 78). "
      "Observations are the candidate features (selfplay.simulate's) of the "
      "deciding player, uint8 0/1, envs x features; legal masks uint8, envs "
      "x num_actions. A game still running after max_actions actions is "
      "truncated. One Python thread at a time: reset and step release the "
      "GIL.")
      .def(py::init<const std::string&, int, std::optional<int>, std::uint64_t,
                    int, int, int, bool>(),
           py::arg("game"), py::arg("envs"), py::kw_only(),
           py::arg("num_actions") = py::none(), py::arg("seed") = 1,
           py::arg("threads") = 0, py::arg("players") = 0,
           py::arg("max_actions") = 2000, py::arg("features") = true,
           "threads 0: all cores; players 0: the game's default; features "
           "False: observations with no columns. num_actions only for a game "
           "that does not declare it (its games() entry says 0); ValueError "
           "otherwise, and for a game whose actions are too many for legal "
           "masks (checkers).")
      .def("reset", &VectorEnv::reset,
           "Starts every env's next episode; returns (observations, legal).")
      .def("step", &VectorEnv::step, py::arg("actions"),
           "Plays actions[i] (legal, an integer array of one per env) in env "
           "i, without the GIL; returns (observations, legal, rewards, "
           "terminated, truncated). rewards: float32, envs x players, non-zero "
           "only where the step ended the game: +1 for a sole winner, -1 for "
           "each player who did not win, 0 for everyone in a draw (and for "
           "the winners of a shared win). Where an episode ended, "
           "observations and legal are those of the next episode's first "
           "state. ValueError for an illegal action (nothing is played); "
           "RuntimeError when game code fails (reset() before going on).")
      .def("choose", &VectorEnv::choose, py::arg("player"),
           "The action `player` chooses in every env (int64, one per env), "
           "in parallel without the GIL: to step with, or to compare with. "
           "Its randomness in an env comes from the episode's seed and the "
           "actions played so far, so it is the same for any thread count.")
      .def_property_readonly("current_player", &VectorEnv::current_player,
                             "int32 per env: the deciding player")
      .def_property_readonly("episodes", &VectorEnv::episodes,
                             "uint64 per env: episodes started")
      .def_property_readonly("num_envs", &VectorEnv::num_envs,
                             "envs in the batch")
      .def_property_readonly("num_actions", &VectorEnv::num_actions,
                             "the legal masks' width: action ids are "
                             "0..num_actions-1")
      .def_property_readonly("players", &VectorEnv::players, "players per game")
      .def_property_readonly("features", &VectorEnv::feature_ids,
                             "feature ids: the observations' columns");
  module.def("records_stats", &records_stats, py::arg("path"), py::kw_only(),
             py::arg("keep_games") = false,
             "The statistics of the run that wrote a records file, "
             "recomputed from its games: what `selfplay records stats` "
             "computes (timing aside). ValueError for a missing, corrupt or "
             "truncated file.");

  py::class_<Records>(module, "Records",
                      "A records file's games and decisions as numpy arrays.")
      .def_readonly("game", &Records::game, "game name")
      .def_readonly("players", &Records::players, "players per game")
      .def_readonly("seed", &Records::seed, "the seed of the run that wrote it")
      .def_readonly("features", &Records::features, "feature ids")
      .def_readonly("action_kinds", &Records::action_kinds,
                    "the game's action kinds: taken and available index them")
      .def_readonly("status_names", &Records::status_names,
                    "status_names[s] names the status s")
      .def_readonly("game_index", &Records::game_index, "uint64 per game")
      .def_readonly("game_seed", &Records::game_seed, "uint64 per game")
      .def_readonly("status", &Records::status,
                    "uint8 per game, an index into status_names")
      .def_readonly("winners", &Records::winners,
                    "bool, games x players: the winners of completed games "
                    "(none: a draw)")
      .def_readonly("decision_offsets", &Records::decision_offsets,
                    "uint64, games + 1: game g's decisions are rows "
                    "decision_offsets[g] to decision_offsets[g + 1]")
      .def_readonly("player", &Records::player,
                    "int32 per decision: the deciding player")
      .def_readonly("taken", &Records::taken,
                    "int32 per decision: the action kind taken, an index "
                    "into action_kinds")
      .def_readonly("available", &Records::available,
                    "uint64 per decision: bit k set when a legal action of "
                    "kind k was available")
      .def_readonly("outcome", &Records::outcome,
                    "float64 per decision: the deciding player's outcome as "
                    "the statistics count it, 1 a sole win, 0.5 a draw or "
                    "shared win, 0 a loss; NaN where the game did not "
                    "complete")
      .def_readonly("feature_words", &Records::feature_words,
                    "uint64, decisions x ceil(features / 64): bit i % 64 of "
                    "word i / 64 is feature i for the deciding player")
      .def_readonly("errors", &Records::errors,
                    "game index -> what a failed game's code threw")
      .def("feature_matrix", &Records::feature_matrix,
           "bool, decisions x features: feature_words unpacked");
  module.def("read_records", &read_records, py::arg("path"),
             "Reads a records file (`selfplay simulate --records`) into "
             "numpy arrays, without the GIL. ValueError for a missing, "
             "corrupt or truncated file.");
}
