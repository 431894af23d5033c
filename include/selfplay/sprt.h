// A sequential probability ratio test on a match: after each block of games
// it weighs "the player is elo1 stronger than the opponent" against "elo0
// stronger" and stops the match once the log-likelihood ratio leaves
// [log(beta / (1 - alpha)), log((1 - beta) / alpha)] (Wald's bounds).
//
//   absl::StatusOr<SprtOptions> sprt =
//       parse_sprt_options("elo0=0,elo1=50,alpha=0.05,beta=0.05");
//   SprtState state(*sprt, /*block_games=*/2);
//   state.add_block(3);  // the block scored 1.5 of 2 (in half points)
//   if (state.decision != SprtDecision::kContinue) ...
//
// The test is the generalized SPRT (GSPRT) of fishtest, the Stockfish
// testing framework (server/fishtest/stats/LLRcalc.py, LLR_logistic; the
// constrained maximum likelihood of M. Van den Bergh,
// http://hardy.uhasselt.be/Fishtest/support_MLE_multinomial.pdf,
// Proposition 1.1): the games of a block share
// their seed (common random numbers, see evaluation.h) and are therefore not
// independent, so the unit is the block and its outcome is its mean score
// per game, k / (2 * block_games) for k half points. With two seats that is
// fishtest's pentanomial on game pairs. The outcomes' distribution is left
// free (a multinomial); each hypothesis fixes only its mean, the logistic
// score s = 1 / (1 + 10^(-elo / 400)) of its Elo, and the LLR compares the
// maximum likelihoods under the two means. Outcomes never seen count 1e-3
// blocks (fishtest's regularisation), so the ratio is finite from the first
// block on. With more than two players the Elo is nominal: the score is the
// player's wins plus half its draws and shared wins, as in MatchResult.
#ifndef SELFPLAY_SPRT_H_
#define SELFPLAY_SPRT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace selfplay {

struct SprtOptions {
  double elo0 = 0;      // H0: the player is elo0 stronger (or weaker if < 0)
  double elo1 = 50;     // H1: elo1 stronger; elo0 < elo1
  double alpha = 0.05;  // the chance of accepting H1 when H0 holds
  double beta = 0.05;   // the chance of accepting H0 when H1 holds

  bool operator==(const SprtOptions&) const = default;
};

// Reads "elo0=A,elo1=B,alpha=X,beta=Y" (any order; alpha and beta default
// to 0.05). InvalidArgument naming the problem for an unknown or repeated
// key, a bad number, elo0 >= elo1, or alpha or beta outside (0, 0.5].
[[nodiscard]] absl::StatusOr<SprtOptions> parse_sprt_options(
    std::string_view text);
// InvalidArgument unless elo0 < elo1 (both finite) and alpha and beta are
// in (0, 0.5].
[[nodiscard]] absl::Status validate_sprt_options(const SprtOptions& options);
// The same text back.
std::string sprt_options_text(const SprtOptions& options);

enum class SprtDecision { kContinue, kAcceptH0, kAcceptH1 };
// "continue", "H0", "H1".
const char* sprt_decision_name(SprtDecision decision);

// The logistic expected score of an Elo difference.
double logistic_score(double elo);

// The GSPRT log-likelihood ratio log L(s1) / L(s0) of outcomes
// counts[k] with value k / (counts.size() - 1), each mean s fitted by the
// maximum-likelihood distribution with that mean (fishtest's MLE_expected:
// p_k = q_k / (1 + x (a_k - s)) for the empirical q and the root x of
// sum_k q_k (a_k - s) / (1 + x (a_k - s)) = 0). Counts may be fractional;
// the outcomes with positive counts must lie on both sides of s0 and s1
// (NaN otherwise).
double gsprt_llr(absl::Span<const double> counts, double s0, double s1);

// A running test: blocks are added in game-index order, so the decision and
// the block it came at depend on the games alone.
struct SprtState {
  SprtState() = default;
  SprtState(const SprtOptions& options, int block_games);

  // Adds a complete block that scored `half_points` (0..2 * block_games) and
  // updates llr and decision. A block added after the decision counts in
  // counts and blocks but leaves the decision as it was.
  void add_block(int half_points);

  SprtOptions options;
  int block_games = 0;
  std::vector<std::uint64_t> counts;  // blocks by half points
  std::uint64_t blocks = 0;
  double llr = 0;
  double lower = 0;  // log(beta / (1 - alpha)): at or below, H0
  double upper = 0;  // log((1 - beta) / alpha): at or above, H1
  SprtDecision decision = SprtDecision::kContinue;

  bool operator==(const SprtState&) const = default;
};

}  // namespace selfplay

#endif  // SELFPLAY_SPRT_H_
