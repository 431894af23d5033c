#include "selfplay/sprt.h"

#include <cmath>
#include <limits>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace selfplay {
namespace {

// fishtest's regularisation: an outcome never seen counts this many blocks.
constexpr double kUnseenCount = 1e-3;

absl::Status bad_sprt(std::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", std::string(text), "': ", why,
                   " (use elo0=A,elo1=B[,alpha=X][,beta=Y] with A < B and "
                   "alpha, beta in (0, 0.5])"));
}

// The root x of sum_k c_k d_k / (1 + x d_k) = 0 (d_k = a_k - s), which
// decreases in x on the interval where every 1 + x d_k > 0; nullopt when the
// outcomes seen do not lie on both sides of s. Bisection: slow but sure, and
// the sums are a handful of terms.
std::optional<double> mle_multiplier(absl::Span<const double> counts,
                                     double s) {
  const double last = static_cast<double>(counts.size() - 1);
  double min_d = 0;
  double max_d = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] <= 0) continue;
    const double d = k / last - s;
    min_d = std::min(min_d, d);
    max_d = std::max(max_d, d);
  }
  if (!(min_d < 0 && max_d > 0)) return std::nullopt;
  double low = -1 / max_d;
  double high = -1 / min_d;
  for (int i = 0; i < 200 && low < high; ++i) {
    const double x = low + (high - low) / 2;
    if (x <= low || x >= high) break;
    double f = 0;
    for (std::size_t k = 0; k < counts.size(); ++k) {
      if (counts[k] <= 0) continue;
      const double d = k / last - s;
      f += counts[k] * d / (1 + x * d);
    }
    (f > 0 ? low : high) = x;
  }
  return low + (high - low) / 2;
}

}  // namespace

absl::StatusOr<SprtOptions> parse_sprt_options(std::string_view text) {
  SprtOptions options;
  bool elo0 = false;
  bool elo1 = false;
  bool alpha = false;
  bool beta = false;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(text.data(), text.size()), ',')) {
    const std::vector<absl::string_view> key_value =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    double value = 0;
    if (key_value.size() != 2 || !absl::SimpleAtod(key_value[1], &value) ||
        !std::isfinite(value)) {
      return bad_sprt(text, absl::StrCat("'", item, "' is not key=number"));
    }
    const absl::string_view key = key_value[0];
    bool* seen = key == "elo0"    ? &elo0
                 : key == "elo1"  ? &elo1
                 : key == "alpha" ? &alpha
                 : key == "beta"  ? &beta
                                  : nullptr;
    if (seen == nullptr) {
      return bad_sprt(text, absl::StrCat("unknown key '", key, "'"));
    }
    if (*seen) return bad_sprt(text, absl::StrCat(key, " given twice"));
    *seen = true;
    (key == "elo0"    ? options.elo0
     : key == "elo1"  ? options.elo1
     : key == "alpha" ? options.alpha
                      : options.beta) = value;
  }
  if (!elo0 || !elo1) return bad_sprt(text, "elo0 and elo1 are required");
  if (absl::Status valid = validate_sprt_options(options); !valid.ok()) {
    return bad_sprt(text, valid.message());
  }
  return options;
}

absl::Status validate_sprt_options(const SprtOptions& options) {
  if (!(std::isfinite(options.elo0) && std::isfinite(options.elo1) &&
        options.elo0 < options.elo1)) {
    return absl::InvalidArgumentError(absl::StrCat("SPRT: elo0 (", options.elo0,
                                                   ") must be below elo1 (",
                                                   options.elo1, ")"));
  }
  for (double error : {options.alpha, options.beta}) {
    if (!(error > 0 && error <= 0.5)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "SPRT: alpha and beta must be in (0, 0.5], not ", error));
    }
  }
  return absl::OkStatus();
}

std::string sprt_options_text(const SprtOptions& options) {
  return absl::StrCat("elo0=", options.elo0, ",elo1=", options.elo1,
                      ",alpha=", options.alpha, ",beta=", options.beta);
}

const char* sprt_decision_name(SprtDecision decision) {
  switch (decision) {
    case SprtDecision::kContinue:
      return "continue";
    case SprtDecision::kAcceptH0:
      return "H0";
    case SprtDecision::kAcceptH1:
      return "H1";
  }
  return "unknown";
}

double logistic_score(double elo) {
  return 1 / (1 + std::pow(10.0, -elo / 400));
}

double gsprt_llr(absl::Span<const double> counts, double s0, double s1) {
  const std::optional<double> x0 = mle_multiplier(counts, s0);
  const std::optional<double> x1 = mle_multiplier(counts, s1);
  if (!x0.has_value() || !x1.has_value()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  // sum_k c_k log(p1_k / p0_k), with p_k = q_k / (1 + x (a_k - s)).
  const double last = static_cast<double>(counts.size() - 1);
  double llr = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] <= 0) continue;
    const double a = k / last;
    llr +=
        counts[k] * (std::log1p(*x0 * (a - s0)) - std::log1p(*x1 * (a - s1)));
  }
  return llr;
}

SprtState::SprtState(const SprtOptions& options, int block_games)
    : options(options),
      block_games(block_games),
      counts(2 * block_games + 1, 0),
      lower(std::log(options.beta / (1 - options.alpha))),
      upper(std::log((1 - options.beta) / options.alpha)) {}

void SprtState::add_block(int half_points) {
  ++counts[half_points];
  ++blocks;
  if (decision != SprtDecision::kContinue) return;
  std::vector<double> regularized(counts.begin(), counts.end());
  for (double& count : regularized) {
    if (count == 0) count = kUnseenCount;
  }
  llr = gsprt_llr(regularized, logistic_score(options.elo0),
                  logistic_score(options.elo1));
  if (llr >= upper) {
    decision = SprtDecision::kAcceptH1;
  } else if (llr <= lower) {
    decision = SprtDecision::kAcceptH0;
  }
}

}  // namespace selfplay
