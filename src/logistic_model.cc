#include "selfplay/logistic_model.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "simulation/binary_io.h"
#include "simulation/game_tally.h"

namespace selfplay {
namespace {

// A symmetric matrix of parameters (intercept, then features), row-major.
class Matrix {
 public:
  explicit Matrix(int n) : n_(n), values_(static_cast<std::size_t>(n) * n) {}
  int size() const { return n_; }
  double& at(int i, int j) {
    return values_[static_cast<std::size_t>(i) * n_ + j];
  }
  double at(int i, int j) const {
    return values_[static_cast<std::size_t>(i) * n_ + j];
  }
  void fill(double value) { std::fill(values_.begin(), values_.end(), value); }
  // Copies the upper triangle, where the sums go, into the lower one.
  void mirror_upper() {
    for (int i = 0; i < n_; ++i) {
      for (int j = 0; j < i; ++j) at(i, j) = at(j, i);
    }
  }

 private:
  int n_;
  std::vector<double> values_;
};

// The Cholesky factor L (H = L L^T) of a symmetric positive definite
// matrix; false when a pivot is not clearly positive (H singular).
bool cholesky(const Matrix& h, Matrix& l) {
  const int n = h.size();
  double largest = 0;
  for (int i = 0; i < n; ++i) largest = std::max(largest, h.at(i, i));
  l.fill(0);
  for (int j = 0; j < n; ++j) {
    double pivot = h.at(j, j);
    for (int k = 0; k < j; ++k) pivot -= l.at(j, k) * l.at(j, k);
    if (!(pivot > 1e-12 * largest)) return false;
    l.at(j, j) = std::sqrt(pivot);
    for (int i = j + 1; i < n; ++i) {
      double sum = h.at(i, j);
      for (int k = 0; k < j; ++k) sum -= l.at(i, k) * l.at(j, k);
      l.at(i, j) = sum / l.at(j, j);
    }
  }
  return true;
}

// Solves L L^T x = b in place.
void cholesky_solve(const Matrix& l, std::vector<double>& b) {
  const int n = l.size();
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < i; ++k) b[i] -= l.at(i, k) * b[k];
    b[i] /= l.at(i, i);
  }
  for (int i = n - 1; i >= 0; --i) {
    for (int k = i + 1; k < n; ++k) b[i] -= l.at(k, i) * b[k];
    b[i] /= l.at(i, i);
  }
}

// log(1 + e^eta) without overflow.
double softplus(double eta) {
  return eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta));
}

double sigmoid(double eta) { return 1 / (1 + std::exp(-eta)); }

// The distinct (feature bits, outcome) rows of the data with their counts,
// in a fixed order (sorted by key), each with the list of its set features.
struct Rows {
  std::vector<std::uint8_t> half_units;  // outcome: 0, 1 or 2
  std::vector<std::uint64_t> count;      // decisions
  std::vector<std::size_t> set_begin;    // into `set`, and one past
  std::vector<std::int32_t> set;         // feature indices, ascending
};

// Feature indices set in `words` words of bits.
template <typename Visit>
void for_each_set_bit(const std::uint64_t* bits, int words, Visit visit) {
  for (int w = 0; w < words; ++w) {
    for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
      visit(w * 64 + std::countr_zero(word));
    }
  }
}

// Checks a record against the feature count; OK for one without decisions.
absl::Status check_record(const GameRecord& record, int features, int words) {
  if (record.decisions.empty()) return absl::OkStatus();
  if (record.feature_words != words ||
      record.feature_bits.size() != record.decisions.size() * words) {
    return absl::InvalidArgumentError(
        absl::StrCat("game ", record.game_index, " has feature bits of ",
                     record.feature_words, " words per decision, not ", words));
  }
  const int spare = words * 64 - features;
  if (spare > 0) {
    const std::uint64_t beyond = ~std::uint64_t{0} << (64 - spare);
    for (std::size_t d = 0; d < record.decisions.size(); ++d) {
      if (record.feature_bits[d * words + words - 1] & beyond) {
        return absl::InvalidArgumentError(
            absl::StrCat("game ", record.game_index,
                         " sets a feature bit beyond feature ", features));
      }
    }
  }
  for (const RecordedDecision& decision : record.decisions) {
    if (decision.player < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("game ", record.game_index, " has a negative player"));
    }
  }
  return absl::OkStatus();
}

class Fitter {
 public:
  Fitter(int features, const GameReplay& replay, const LogisticOptions& options)
      : features_(features),
        words_((features + 63) / 64),
        parameters_(features + 1),
        replay_(replay),
        options_(options),
        bread_factor_(parameters_) {}

  absl::StatusOr<LogisticFit> run() {
    if (absl::Status status = count_rows(); !status.ok()) return status;
    if (fit_.decisions == 0) {
      return absl::InvalidArgumentError(
          "no decision of a completed game to fit the model to");
    }
    if (absl::Status status = newton(); !status.ok()) return status;
    if (absl::Status status = clustered_errors(); !status.ok()) return status;
    return std::move(fit_);
  }

 private:
  // Pass 1: the distinct rows and their counts.
  absl::Status count_rows() {
    absl::flat_hash_map<std::vector<std::uint64_t>, std::uint64_t> counts;
    std::vector<std::uint64_t> key(words_ + 1);
    fit_.features.resize(features_);
    fit_.l2 = options_.l2;
    absl::Status status = replay_([&](const GameRecord& record) {
      if (absl::Status checked = check_record(record, features_, words_);
          !checked.ok()) {
        return checked;
      }
      if (record.status != GameStatus::kCompleted) {
        ++fit_.excluded_games;
        return absl::OkStatus();
      }
      if (record.decisions.empty()) return absl::OkStatus();
      ++fit_.games;
      for (std::size_t d = 0; d < record.decisions.size(); ++d) {
        const std::uint64_t* bits = record.feature_bits.data() + d * words_;
        std::copy(bits, bits + words_, key.begin());
        key[words_] =
            outcome_half_units(record.winners, record.decisions[d].player);
        ++counts[key];
      }
      fit_.decisions += record.decisions.size();
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    // Hash order differs between processes: sort for a fixed summation order.
    std::vector<std::pair<std::vector<std::uint64_t>, std::uint64_t>> sorted(
        counts.begin(), counts.end());
    counts.clear();
    std::sort(sorted.begin(), sorted.end());
    fit_.distinct_rows = sorted.size();
    fit_.intercept.decisions_true = fit_.decisions;
    rows_.set_begin.push_back(0);
    for (const auto& [row_key, row_count] : sorted) {
      // A copy: clang 14 cannot capture a structured binding in a lambda.
      const std::uint64_t count = row_count;
      rows_.half_units.push_back(static_cast<std::uint8_t>(row_key[words_]));
      rows_.count.push_back(count);
      for_each_set_bit(row_key.data(), words_, [&](int f) {
        rows_.set.push_back(f);
        fit_.features[f].decisions_true += count;
      });
      rows_.set_begin.push_back(rows_.set.size());
    }
    return absl::OkStatus();
  }

  double linear_predictor(const std::vector<double>& beta,
                          std::size_t row) const {
    double eta = beta[0];
    for (std::size_t k = rows_.set_begin[row]; k < rows_.set_begin[row + 1];
         ++k) {
      eta += beta[1 + rows_.set[k]];
    }
    return eta;
  }

  // The unpenalised log-likelihood summed over decisions.
  double log_likelihood(const std::vector<double>& beta) const {
    double sum = 0;
    for (std::size_t r = 0; r < rows_.count.size(); ++r) {
      const double eta = linear_predictor(beta, r);
      const double y = rows_.half_units[r] / 2.0;
      sum += static_cast<double>(rows_.count[r]) * (y * eta - softplus(eta));
    }
    return sum;
  }

  double penalised(const std::vector<double>& beta) const {
    double squares = 0;
    for (int j = 1; j < parameters_; ++j) squares += beta[j] * beta[j];
    return log_likelihood(beta) - options_.l2 / 2 * squares;
  }

  // The gradient of the penalised log-likelihood and minus its Hessian.
  void derivatives(const std::vector<double>& beta, std::vector<double>& g,
                   Matrix& h) const {
    std::fill(g.begin(), g.end(), 0.0);
    h.fill(0);
    for (std::size_t r = 0; r < rows_.count.size(); ++r) {
      const double mu = sigmoid(linear_predictor(beta, r));
      const double n = static_cast<double>(rows_.count[r]);
      const double residual = n * (rows_.half_units[r] / 2.0 - mu);
      const double weight = n * mu * (1 - mu);
      g[0] += residual;
      h.at(0, 0) += weight;
      const std::size_t begin = rows_.set_begin[r],
                        end = rows_.set_begin[r + 1];
      for (std::size_t a = begin; a < end; ++a) {
        const int i = 1 + rows_.set[a];
        g[i] += residual;
        h.at(0, i) += weight;
        for (std::size_t b = a; b < end; ++b)
          h.at(i, 1 + rows_.set[b]) += weight;
      }
    }
    for (int j = 1; j < parameters_; ++j) {
      g[j] -= options_.l2 * beta[j];
      h.at(j, j) += options_.l2;
    }
    h.mirror_upper();
  }

  absl::Status singular() const {
    return absl::FailedPreconditionError(
        "the features are constant or collinear, so the likelihood has no "
        "single maximum: fit with an l2 penalty above 0");
  }

  // Newton's method with step halving, from all coefficients 0.
  absl::Status newton() {
    beta_.assign(parameters_, 0.0);
    std::vector<double> g(parameters_), step(parameters_), trial(parameters_);
    Matrix h(parameters_), l(parameters_);
    double value = penalised(beta_);
    for (int iteration = 1; iteration <= options_.max_iterations; ++iteration) {
      derivatives(beta_, g, h);
      if (!cholesky(h, l)) return singular();
      step = g;
      cholesky_solve(l, step);
      // The objective is concave, so a step that is too long is halved until
      // the objective does not fall (at most 60 times: 2^-60 of a step is
      // below rounding).
      double scale = 1;
      double trial_value = 0;
      for (int halving = 0; halving <= 60; ++halving, scale /= 2) {
        for (int j = 0; j < parameters_; ++j)
          trial[j] = beta_[j] + scale * step[j];
        trial_value = penalised(trial);
        if (trial_value >= value) break;
      }
      bool moved = false;
      for (int j = 0; j < parameters_; ++j) {
        if (std::abs(trial[j] - beta_[j]) >
            1e-9 * std::max(1.0, std::abs(trial[j]))) {
          moved = true;
        }
      }
      if (trial_value >= value) {
        beta_.swap(trial);
        value = trial_value;
      }
      fit_.iterations = iteration;
      if (!moved) {
        derivatives(beta_, g, h);
        if (!cholesky(h, bread_factor_)) return singular();
        return absl::OkStatus();
      }
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "the fit did not converge in ", options_.max_iterations,
        " Newton steps (a feature that separates wins from losses needs an "
        "l2 penalty above 0)"));
  }

  // Pass 2: the per-game scores at the fit and the sandwich variance.
  absl::Status clustered_errors() {
    Matrix meat(parameters_);
    std::vector<double> score(parameters_, 0.0);
    std::vector<int> touched;
    std::vector<char> is_touched(parameters_, 0);
    std::uint64_t decisions = 0;
    absl::Status status = replay_([&](const GameRecord& record) {
      if (record.status != GameStatus::kCompleted) return absl::OkStatus();
      if (absl::Status checked = check_record(record, features_, words_);
          !checked.ok()) {
        return checked;
      }
      auto touch = [&](int j, double residual) {
        if (!is_touched[j]) {
          is_touched[j] = 1;
          touched.push_back(j);
        }
        score[j] += residual;
      };
      for (std::size_t d = 0; d < record.decisions.size(); ++d) {
        const std::uint64_t* bits = record.feature_bits.data() + d * words_;
        double eta = beta_[0];
        for_each_set_bit(bits, words_, [&](int f) { eta += beta_[1 + f]; });
        const double residual =
            outcome_half_units(record.winners, record.decisions[d].player) /
                2.0 -
            sigmoid(eta);
        touch(0, residual);
        for_each_set_bit(bits, words_, [&](int f) { touch(1 + f, residual); });
      }
      decisions += record.decisions.size();
      std::sort(touched.begin(), touched.end());
      for (std::size_t a = 0; a < touched.size(); ++a) {
        for (std::size_t b = a; b < touched.size(); ++b) {
          meat.at(touched[a], touched[b]) +=
              score[touched[a]] * score[touched[b]];
        }
      }
      for (int j : touched) {
        score[j] = 0;
        is_touched[j] = 0;
      }
      touched.clear();
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    if (decisions != fit_.decisions) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the games changed between the fit's two passes: ", fit_.decisions,
          " decisions, then ", decisions));
    }
    meat.mirror_upper();
    const double games = static_cast<double>(fit_.games);
    const double correction = fit_.games > 1 ? games / (games - 1) : 1.0;
    // Column j of the bread H^-1, then (H^-1 M H^-1)_jj = b_j^T M b_j.
    std::vector<double> column(parameters_);
    for (int j = 0; j < parameters_; ++j) {
      std::fill(column.begin(), column.end(), 0.0);
      column[j] = 1;
      cholesky_solve(bread_factor_, column);
      double variance = 0;
      for (int a = 0; a < parameters_; ++a) {
        if (column[a] == 0) continue;
        double row = 0;
        for (int b = 0; b < parameters_; ++b) row += meat.at(a, b) * column[b];
        variance += column[a] * row;
      }
      LogisticCoefficient& c = j == 0 ? fit_.intercept : fit_.features[j - 1];
      c.coefficient = beta_[j];
      c.standard_error = variance > 0 ? std::sqrt(correction * variance) : 0;
      c.z = c.standard_error > 0 ? c.coefficient / c.standard_error : 0;
      c.p_value = std::erfc(std::abs(c.z) / std::sqrt(2.0));
    }
    fit_.log_likelihood = log_likelihood(beta_);
    return absl::OkStatus();
  }

  const int features_;
  const int words_;
  const int parameters_;
  const GameReplay& replay_;
  const LogisticOptions& options_;
  LogisticFit fit_;
  Rows rows_;
  std::vector<double> beta_;
  Matrix bread_factor_;  // Cholesky factor of minus the Hessian at the fit
};

}  // namespace

absl::StatusOr<LogisticFit> fit_logistic(int features, const GameReplay& replay,
                                         const LogisticOptions& options) {
  if (features < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("a fit needs a feature count >= 0, not ", features));
  }
  if (!(options.l2 >= 0) || !std::isfinite(options.l2)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the l2 penalty must be finite and >= 0, not ", options.l2));
  }
  if (options.max_iterations < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a fit needs max_iterations >= 1, not ", options.max_iterations));
  }
  return Fitter(features, replay, options).run();
}

LogisticData::LogisticData(int features)
    : words_((std::max(features, 0) + 63) / 64),
      decision_begin_{0},
      winners_begin_{0} {}

absl::Status LogisticData::write(const GameRecord& record) {
  const bool kept = record.status == GameStatus::kCompleted;
  if (kept && !record.decisions.empty() &&
      (record.feature_words != words_ ||
       record.feature_bits.size() != record.decisions.size() * words_)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "game ", record.game_index, " has feature bits of ",
        record.feature_words, " words per decision, not ", words_));
  }
  if (kept) {
    for (const RecordedDecision& decision : record.decisions) {
      if (decision.player < 0 || decision.player > 255) {
        return absl::InvalidArgumentError(
            absl::StrCat("game ", record.game_index, " has player ",
                         decision.player, ", outside 0..255"));
      }
    }
    for (const RecordedDecision& decision : record.decisions) {
      players_.push_back(static_cast<std::uint8_t>(decision.player));
    }
    bits_.insert(bits_.end(), record.feature_bits.begin(),
                 record.feature_bits.end());
    winners_.insert(winners_.end(), record.winners.begin(),
                    record.winners.end());
  }
  status_.push_back(static_cast<std::uint8_t>(record.status));
  index_.push_back(record.game_index);
  decision_begin_.push_back(players_.size());
  winners_begin_.push_back(winners_.size());
  return absl::OkStatus();
}

namespace {

// A vector as its length and its elements, each `width` bytes.
template <typename T>
void write_vector(const std::vector<T>& values, int width,
                  BinaryWriter& writer) {
  writer.u64(values.size());
  for (const T value : values) {
    const auto bits = static_cast<std::uint64_t>(value);
    width == 1   ? writer.u8(static_cast<std::uint8_t>(bits))
    : width == 4 ? writer.u32(static_cast<std::uint32_t>(bits))
                 : writer.u64(bits);
  }
}

template <typename T>
std::vector<T> read_vector(int width, BinaryReader& reader) {
  std::vector<T> values(reader.count(width));
  for (T& value : values) {
    value = static_cast<T>(width == 1   ? reader.u8()
                           : width == 4 ? reader.u32()
                                        : reader.u64());
  }
  return values;
}

// Whether `begins` (one per game, and one past) starts at 0, never falls and
// ends at `size`: the offsets replay() slices with.
bool valid_offsets(const std::vector<std::uint64_t>& begins,
                   std::uint64_t size) {
  return !begins.empty() && begins.front() == 0 && begins.back() == size &&
         std::is_sorted(begins.begin(), begins.end());
}

}  // namespace

std::string LogisticData::serialize() const {
  BinaryWriter writer;
  writer.u32(static_cast<std::uint32_t>(words_));
  write_vector(status_, 1, writer);
  write_vector(index_, 8, writer);
  write_vector(decision_begin_, 8, writer);
  write_vector(winners_begin_, 8, writer);
  write_vector(winners_, 4, writer);
  write_vector(players_, 1, writer);
  write_vector(bits_, 8, writer);
  return std::move(writer).bytes();
}

absl::StatusOr<LogisticData> LogisticData::parse(std::string_view bytes,
                                                 int features) {
  LogisticData data(features);
  BinaryReader reader(bytes);
  const std::uint32_t words = reader.u32();
  data.status_ = read_vector<std::uint8_t>(1, reader);
  data.index_ = read_vector<std::uint64_t>(8, reader);
  data.decision_begin_ = read_vector<std::uint64_t>(8, reader);
  data.winners_begin_ = read_vector<std::uint64_t>(8, reader);
  data.winners_ = read_vector<std::int32_t>(4, reader);
  data.players_ = read_vector<std::uint8_t>(1, reader);
  data.bits_ = read_vector<std::uint64_t>(8, reader);
  const std::size_t games = data.status_.size();
  if (!reader.ok() || !reader.at_end() ||
      words != static_cast<std::uint32_t>(data.words_) ||
      data.index_.size() != games || data.decision_begin_.size() != games + 1 ||
      data.winners_begin_.size() != games + 1 ||
      !valid_offsets(data.decision_begin_, data.players_.size()) ||
      !valid_offsets(data.winners_begin_, data.winners_.size()) ||
      data.bits_.size() != data.players_.size() * data.words_) {
    return absl::DataLossError(absl::StrCat(
        "the fit data's lengths do not agree (for ", features, " features)"));
  }
  for (std::size_t g = 0; g < games; ++g) {
    const bool completed =
        data.status_[g] == static_cast<std::uint8_t>(GameStatus::kCompleted);
    if (data.status_[g] > static_cast<std::uint8_t>(GameStatus::kFailed) ||
        (!completed &&
         (data.decision_begin_[g] != data.decision_begin_[g + 1] ||
          data.winners_begin_[g] != data.winners_begin_[g + 1]))) {
      return absl::DataLossError(
          absl::StrCat("the fit data's game ", g,
                       " has an unknown status or keeps the "
                       "decisions or winners of a game that did not complete"));
    }
  }
  // Bits above the last feature in each decision's last word.
  const int spare = data.words_ * 64 - std::max(features, 0);
  if (spare > 0) {
    const std::uint64_t beyond = ~std::uint64_t{0} << (64 - spare);
    for (std::size_t d = 0; d < data.players_.size(); ++d) {
      if ((data.bits_[(d + 1) * data.words_ - 1] & beyond) != 0) {
        return absl::DataLossError(
            "the fit data sets a feature bit beyond the last feature");
      }
    }
  }
  return data;
}

absl::Status LogisticData::replay(GameVisitor visit) const {
  GameRecord record;
  record.feature_words = words_;
  for (std::size_t g = 0; g < status_.size(); ++g) {
    record.game_index = index_[g];
    record.status = static_cast<GameStatus>(status_[g]);
    record.winners.assign(winners_.begin() + winners_begin_[g],
                          winners_.begin() + winners_begin_[g + 1]);
    record.decisions.clear();
    for (std::uint64_t d = decision_begin_[g]; d < decision_begin_[g + 1];
         ++d) {
      record.decisions.push_back({.player = players_[d]});
    }
    record.feature_bits.assign(bits_.begin() + decision_begin_[g] * words_,
                               bits_.begin() + decision_begin_[g + 1] * words_);
    if (absl::Status status = visit(record); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace selfplay
