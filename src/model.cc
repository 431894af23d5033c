#include "selfplay/model.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "match_json.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kSchemaVersion = 1;
constexpr const char* kFormat = "selfplay-model";

Json match_json(const EvaluationRecord& record) {
  Json json = {{"iteration", record.iteration}, {"stage", record.stage}};
  json.update(match_result_json(record.match));
  // Only with a test: models without one keep their bytes.
  if (record.match.sprt) json["sprt"] = sprt_json(*record.match.sprt);
  return json;
}

// Reads fields of a parsed document, remembering the first problem with the
// path of the field ("objectives[2].weight").
class Reader {
 public:
  bool ok() const { return error_.empty(); }
  absl::Status status() const {
    return absl::InvalidArgumentError(absl::StrCat("model: ", error_));
  }

  const Json* field(const Json& object, const char* key,
                    const std::string& where, bool required) {
    if (!ok()) return nullptr;
    if (!object.is_object()) {
      fail(where, "is not an object");
      return nullptr;
    }
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      if (required) fail(path(where, key), "is missing");
      return nullptr;
    }
    return &*it;
  }

  void read(const Json& object, const char* key, const std::string& where,
            std::string& out, bool required = false) {
    const Json* value = field(object, key, where, required);
    if (value == nullptr) return;
    if (!value->is_string()) return fail(path(where, key), "is not a string");
    out = value->get<std::string>();
  }

  void read(const Json& object, const char* key, const std::string& where,
            double& out, bool required = false) {
    const Json* value = field(object, key, where, required);
    if (value == nullptr) return;
    if (!value->is_number()) return fail(path(where, key), "is not a number");
    out = value->get<double>();
  }

  template <typename Integer>
  void read_integer(const Json& object, const char* key,
                    const std::string& where, Integer& out,
                    bool required = false) {
    const Json* value = field(object, key, where, required);
    if (value == nullptr) return;
    if (!value->is_number_integer() ||
        (std::is_unsigned_v<Integer> && !value->is_number_unsigned())) {
      return fail(path(where, key), "is not a non-negative integer");
    }
    out = value->get<Integer>();
  }

  const Json* array(const Json& object, const char* key,
                    const std::string& where, bool required) {
    const Json* value = field(object, key, where, required);
    if (value == nullptr) return nullptr;
    if (!value->is_array()) {
      fail(path(where, key), "is not an array");
      return nullptr;
    }
    return value;
  }

  void fail(const std::string& where, const std::string& problem) {
    if (ok())
      error_ =
          absl::StrCat(where.empty() ? "the document" : where, " ", problem);
  }

  static std::string path(const std::string& where, const char* key) {
    return where.empty() ? key : absl::StrCat(where, ".", key);
  }
  static std::string element(const std::string& where, std::size_t index) {
    return absl::StrCat(where, "[", index, "]");
  }

 private:
  std::string error_;
};

void read_sprt(Reader& reader, const Json& json, const std::string& where,
               SprtState& out) {
  reader.read(json, "elo0", where, out.options.elo0, true);
  reader.read(json, "elo1", where, out.options.elo1, true);
  reader.read(json, "alpha", where, out.options.alpha, true);
  reader.read(json, "beta", where, out.options.beta, true);
  reader.read_integer(json, "block_games", where, out.block_games, true);
  reader.read_integer(json, "blocks", where, out.blocks, true);
  // null: not finite (finite_number).
  out.llr = std::numeric_limits<double>::quiet_NaN();
  reader.read(json, "llr", where, out.llr);
  reader.read(json, "lower", where, out.lower, true);
  reader.read(json, "upper", where, out.upper, true);
  if (const Json* counts = reader.array(json, "counts", where, true)) {
    for (std::size_t i = 0; i < counts->size() && reader.ok(); ++i) {
      if (!(*counts)[i].is_number_unsigned()) {
        return reader.fail(Reader::element(Reader::path(where, "counts"), i),
                           "is not a non-negative integer");
      }
      out.counts.push_back((*counts)[i].get<std::uint64_t>());
    }
  }
  std::string decision;
  reader.read(json, "decision", where, decision, true);
  if (!reader.ok()) return;
  for (SprtDecision d : {SprtDecision::kContinue, SprtDecision::kAcceptH0,
                         SprtDecision::kAcceptH1}) {
    if (decision == sprt_decision_name(d)) {
      out.decision = d;
      return;
    }
  }
  reader.fail(Reader::path(where, "decision"), "is not continue, H0 or H1");
}

void read_match_result(Reader& reader, const Json& json,
                       const std::string& where, MatchResult& match) {
  reader.read(json, "player", where, match.player, true);
  reader.read(json, "opponent", where, match.opponent, true);
  reader.read_integer(json, "games", where, match.games, true);
  reader.read_integer(json, "wins", where, match.wins, true);
  reader.read_integer(json, "draws", where, match.draws, true);
  reader.read_integer(json, "losses", where, match.losses, true);
  reader.read_integer(json, "truncated", where, match.truncated);
  reader.read_integer(json, "failed", where, match.failed);
  reader.read(json, "first_error", where, match.first_error);
  if (const Json* sprt = reader.field(json, "sprt", where, false)) {
    read_sprt(reader, *sprt, Reader::path(where, "sprt"), match.sprt.emplace());
  }
}

void read_match(Reader& reader, const Json& json, const std::string& where,
                EvaluationRecord& record) {
  reader.read_integer(json, "iteration", where, record.iteration);
  reader.read(json, "stage", where, record.stage);
  read_match_result(reader, json, where, record.match);
}

// What ladder_json wrote; the ratings' names follow from the matches.
void read_ladder(Reader& reader, const Json& json, const std::string& where,
                 LadderResult& out) {
  for (const auto& [key, matches] :
       {std::pair("rungs", &out.rungs), std::pair("links", &out.links)}) {
    if (const Json* list = reader.array(json, key, where, true)) {
      for (std::size_t i = 0; i < list->size() && reader.ok(); ++i) {
        read_match_result(reader, (*list)[i],
                          Reader::element(Reader::path(where, key), i),
                          matches->emplace_back());
      }
    }
  }
  if (const Json* list = reader.array(json, "ratings", where, false)) {
    for (std::size_t i = 0; i < list->size() && reader.ok(); ++i) {
      const std::string rating =
          Reader::element(Reader::path(where, "ratings"), i);
      Interval& interval = out.ratings.emplace_back();
      // null: not finite (finite_number).
      interval.low = interval.high = std::numeric_limits<double>::quiet_NaN();
      reader.read((*list)[i], "value", rating, interval.value, true);
      reader.read((*list)[i], "low", rating, interval.low);
      reader.read((*list)[i], "high", rating, interval.high);
    }
  }
  reader.read(json, "ratings_error", where, out.ratings_error);
}

void read_training(Reader& reader, const Json& json, TrainingRecord& out) {
  const std::string where = "training";
  reader.read_integer(json, "iterations", where, out.iterations);
  reader.read_integer(json, "games_per_iteration", where,
                      out.games_per_iteration);
  reader.read_integer(json, "games", where, out.games);
  reader.read_integer(json, "states", where, out.states);
  reader.read_integer(json, "seed", where, out.seed);
  reader.read(json, "oracle", where, out.oracle);
  // Models written before logistic weights existed have none: phi.
  reader.read(json, "weights", where, out.weights);
  reader.read_integer(json, "max_features", where, out.max_features);
  reader.read(json, "min_correlation", where, out.min_correlation);
  reader.read(json, "l2", where, out.l2);
}

void read_doubles(Reader& reader, const Json& json, const char* key,
                  const std::string& where, std::vector<double>& out) {
  const Json* values = reader.array(json, key, where, false);
  if (values == nullptr) return;
  for (std::size_t i = 0; i < values->size() && reader.ok(); ++i) {
    if (!(*values)[i].is_number()) {
      reader.fail(Reader::element(Reader::path(where, key), i),
                  "is not a number");
      return;
    }
    out.push_back((*values)[i].get<double>());
  }
}

void read_evolution(Reader& reader, const Json& json, EvolutionRecord& out) {
  const std::string where = "evolution";
  reader.read_integer(json, "mu", where, out.mu);
  reader.read_integer(json, "lambda", where, out.lambda);
  reader.read_integer(json, "generations", where, out.generations);
  reader.read(json, "sigma", where, out.sigma);
  reader.read_integer(json, "games_per_candidate", where,
                      out.games_per_candidate);
  reader.read(json, "opponent", where, out.opponent);
  read_doubles(reader, json, "best_fitness", where, out.best_fitness);
  read_doubles(reader, json, "mean_fitness", where, out.mean_fitness);
}

void read_run(Reader& reader, const Json& json, RunRecord& out) {
  const std::string where = "run";
  reader.read(json, "command_line", where, out.command_line);
  reader.read_integer(json, "threads", where, out.threads);
  reader.read(json, "self_play_games_per_s", where, out.self_play_games_per_s);
  if (const Json* list = reader.array(json, "equal_time", where, false)) {
    for (std::size_t i = 0; i < list->size() && reader.ok(); ++i) {
      read_match(reader, (*list)[i], Reader::element("run.equal_time", i),
                 out.equal_time.emplace_back());
    }
  }
  if (const Json* ladder = reader.field(json, "ladder", where, false)) {
    read_ladder(reader, *ladder, "run.ladder", out.ladder.emplace());
  }
  const Json* seconds = reader.field(json, "seconds", where, false);
  if (seconds == nullptr) return;
  if (!seconds->is_object()) {
    return reader.fail("run.seconds", "is not an object");
  }
  for (const auto& [stage, value] : seconds->items()) {
    if (!value.is_number()) {
      return reader.fail(absl::StrCat("run.seconds.", stage),
                         "is not a number");
    }
    out.seconds.emplace_back(stage, value.get<double>());
  }
}

}  // namespace

absl::StatusOr<Model> Model::create(const Game& game,
                                    std::vector<Objective> objectives,
                                    std::vector<ActionPreference> preferences) {
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features(game.structure());
  if (!features.ok()) return features.status();
  Model model;
  model.game_ = game.name();
  std::vector<bool> seen(features->size(), false);
  for (Objective& objective : objectives) {
    const std::optional<int> index = features->find(objective.feature);
    if (!index) {
      return absl::NotFoundError(
          absl::StrCat("model: objective feature '", objective.feature,
                       "' is not a feature of ", game.name(),
                       " (see `selfplay features --game ", game.name(), "`)"));
    }
    if (seen[*index]) {
      return absl::InvalidArgumentError(
          absl::StrCat("model: objective feature '", objective.feature,
                       "' is listed twice"));
    }
    seen[*index] = true;
    if (!std::isfinite(objective.weight)) {
      return absl::InvalidArgumentError(
          absl::StrCat("model: objective '", objective.feature,
                       "' has a non-finite weight"));
    }
    if (objective.description.empty()) {
      objective.description = features->infos()[*index].description;
    }
    model.feature_indices_.push_back(*index);
  }
  const std::vector<std::string>& kinds = game.structure().action_kinds;
  model.action_kinds_ = kinds;
  model.kind_weights_.assign(kinds.size(), 0.0);
  for (const ActionPreference& preference : preferences) {
    auto kind = std::find(kinds.begin(), kinds.end(), preference.action_kind);
    if (kind == kinds.end()) {
      return absl::NotFoundError(
          absl::StrCat("model: action kind '", preference.action_kind,
                       "' is not an action kind of ", game.name()));
    }
    if (!std::isfinite(preference.weight)) {
      return absl::InvalidArgumentError(
          absl::StrCat("model: action kind '", preference.action_kind,
                       "' has a non-finite weight"));
    }
    model.kind_weights_[kind - kinds.begin()] = preference.weight;
  }
  model.objectives_ = std::move(objectives);
  model.preferences_ = std::move(preferences);
  model.features_ = *std::move(features);
  return model;
}

double Model::score(const State& state, int player,
                    ObjectiveScratch& scratch) const {
  if (objectives_.empty()) return 0;
  scratch.bits_.resize(features_.words());
  features_.evaluate(state, player, scratch.features_, scratch.bits_.data());
  double total = 0;
  for (std::size_t i = 0; i < objectives_.size(); ++i) {
    const int index = feature_indices_[i];
    if ((scratch.bits_[index / 64] >> (index % 64)) & 1) {
      total += objectives_[i].weight;
    }
  }
  return total;
}

absl::StatusOr<Model> Model::with_weights(
    const std::vector<double>& weights) const {
  if (weights.size() != objectives_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model: ", weights.size(), " weights for ",
                     objectives_.size(), " objectives"));
  }
  Model model = *this;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!std::isfinite(weights[i])) {
      return absl::InvalidArgumentError("model: a weight is not finite");
    }
    model.objectives_[i].weight = weights[i];
  }
  return model;
}

std::string Model::to_json() const {
  Json json = {
      {"format", kFormat}, {"schema_version", kSchemaVersion}, {"game", game_}};
  Json& objectives = json["objectives"] = Json::array();
  for (const Objective& objective : objectives_) {
    objectives.push_back({{"feature", objective.feature},
                          {"description", objective.description},
                          {"weight", objective.weight},
                          {"correlation", objective.correlation},
                          {"p_value", objective.p_value}});
  }
  Json& preferences = json["action_preferences"] = Json::array();
  for (const ActionPreference& preference : preferences_) {
    preferences.push_back(
        {{"action_kind", preference.action_kind},
         {"weight", preference.weight},
         {"win_rate_taken", finite_number(preference.win_rate_taken)},
         {"win_rate_not_taken", finite_number(preference.win_rate_not_taken)}});
  }
  json["training"] = {{"iterations", training.iterations},
                      {"games_per_iteration", training.games_per_iteration},
                      {"games", training.games},
                      {"states", training.states},
                      {"seed", training.seed},
                      {"oracle", training.oracle},
                      {"weights", training.weights},
                      {"max_features", training.max_features},
                      {"min_correlation", training.min_correlation},
                      {"l2", training.l2}};
  if (evolution) {
    json["evolution"] = {
        {"mu", evolution->mu},
        {"lambda", evolution->lambda},
        {"generations", evolution->generations},
        {"sigma", evolution->sigma},
        {"games_per_candidate", evolution->games_per_candidate},
        {"opponent", evolution->opponent},
        {"best_fitness", evolution->best_fitness},
        {"mean_fitness", evolution->mean_fitness}};
  }
  Json& evaluated = json["evaluations"] = Json::array();
  for (const EvaluationRecord& record : evaluations) {
    evaluated.push_back(match_json(record));
  }
  Json seconds = Json::object();
  for (const auto& [stage, value] : run.seconds) seconds[stage] = value;
  json["run"] = {{"command_line", run.command_line},
                 {"threads", run.threads},
                 {"seconds", seconds},
                 {"self_play_games_per_s", run.self_play_games_per_s}};
  if (!run.equal_time.empty()) {
    Json& equal_time = json["run"]["equal_time"] = Json::array();
    for (const EvaluationRecord& record : run.equal_time) {
      equal_time.push_back(match_json(record));
    }
  }
  if (run.ladder) json["run"]["ladder"] = ladder_json(*run.ladder);
  // A plugin game's names need not be UTF-8; the JSON writer would throw.
  return json.dump(2, ' ', /*ensure_ascii=*/false,
                   Json::error_handler_t::replace) +
         "\n";
}

absl::StatusOr<Model> Model::parse(std::string_view text, const Game& game) {
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return absl::InvalidArgumentError("model: not valid JSON");
  }
  Reader reader;
  std::string format;
  reader.read(json, "format", "", format, true);
  if (reader.ok() && format != kFormat) {
    reader.fail("format",
                absl::StrCat("is '", format, "', not '", kFormat, "'"));
  }
  int version = 0;
  reader.read_integer(json, "schema_version", "", version, true);
  if (reader.ok() && version != kSchemaVersion) {
    reader.fail("schema_version",
                absl::StrCat(version, " is not supported (this build reads ",
                             kSchemaVersion, ")"));
  }
  std::string game_name;
  reader.read(json, "game", "", game_name, true);
  if (reader.ok() && game_name != game.name()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model: the model is for ", game_name, ", not ", game.name()));
  }
  std::vector<Objective> objectives;
  if (const Json* list = reader.array(json, "objectives", "", true)) {
    for (std::size_t i = 0; i < list->size() && reader.ok(); ++i) {
      const std::string where = Reader::element("objectives", i);
      Objective& objective = objectives.emplace_back();
      reader.read((*list)[i], "feature", where, objective.feature, true);
      reader.read((*list)[i], "weight", where, objective.weight, true);
      reader.read((*list)[i], "description", where, objective.description);
      reader.read((*list)[i], "correlation", where, objective.correlation);
      reader.read((*list)[i], "p_value", where, objective.p_value);
    }
  }
  std::vector<ActionPreference> preferences;
  if (const Json* list = reader.array(json, "action_preferences", "", false)) {
    for (std::size_t i = 0; i < list->size() && reader.ok(); ++i) {
      const std::string where = Reader::element("action_preferences", i);
      ActionPreference& preference = preferences.emplace_back();
      reader.read((*list)[i], "action_kind", where, preference.action_kind,
                  true);
      reader.read((*list)[i], "weight", where, preference.weight, true);
      preference.win_rate_taken = preference.win_rate_not_taken = std::nan("");
      reader.read((*list)[i], "win_rate_taken", where,
                  preference.win_rate_taken);
      reader.read((*list)[i], "win_rate_not_taken", where,
                  preference.win_rate_not_taken);
    }
  }
  if (!reader.ok()) return reader.status();
  absl::StatusOr<Model> model =
      create(game, std::move(objectives), std::move(preferences));
  if (!model.ok()) return model.status();

  if (const Json* training = reader.field(json, "training", "", false)) {
    read_training(reader, *training, model->training);
  }
  if (const Json* evolution = reader.field(json, "evolution", "", false)) {
    read_evolution(reader, *evolution, model->evolution.emplace());
  }
  if (const Json* list = reader.array(json, "evaluations", "", false)) {
    for (std::size_t i = 0; i < list->size() && reader.ok(); ++i) {
      read_match(reader, (*list)[i], Reader::element("evaluations", i),
                 model->evaluations.emplace_back());
    }
  }
  if (const Json* run = reader.field(json, "run", "", false)) {
    read_run(reader, *run, model->run);
  }
  if (!reader.ok()) return reader.status();
  return model;
}

absl::StatusOr<Model> Model::load(const std::string& path, const Game& game) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string reason = std::strerror(errno);
    if (errno == EACCES) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot read model ", path, ": ", reason));
    }
    return absl::NotFoundError(
        absl::StrCat("cannot read model ", path, ": ", reason));
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<Model> model = parse(text.str(), game);
  if (!model.ok()) {
    return absl::Status(model.status().code(),
                        absl::StrCat(path, ": ", model.status().message()));
  }
  return model;
}

}  // namespace selfplay
