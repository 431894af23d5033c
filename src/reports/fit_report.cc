#include "absl/strings/str_format.h"
#include "io/utf8.h"
#include "nlohmann/json.hpp"
#include "selfplay/result_output.h"

namespace selfplay {
namespace {

using Json = nlohmann::ordered_json;

// "never true" / "always true" for a constant feature, else empty.
std::string constancy(const LogisticCoefficient& c, const LogisticFit& fit) {
  if (c.decisions_true == 0) return "never true";
  if (c.decisions_true == fit.decisions) return "always true";
  return "";
}

Json coefficient_json(const LogisticCoefficient& c) {
  return {{"coefficient", c.coefficient},
          {"standard_error", c.standard_error},
          {"z", c.z},
          {"p_value", c.p_value},
          {"decisions_true", c.decisions_true}};
}

Json fit_document(const RecordFileHeader& header, const LogisticFit& fit) {
  Json json;
  json["format"] = "selfplay-logistic-fit";
  json["schema_version"] = kFitSchemaVersion;
  json["game"] = header.config.game;
  json["players"] = header.config.players;
  json["seed"] = header.config.seed;
  json["l2"] = fit.l2;
  json["games"] = fit.games;
  json["decisions"] = fit.decisions;
  json["excluded_games"] = fit.excluded_games;
  json["distinct_rows"] = fit.distinct_rows;
  json["iterations"] = fit.iterations;
  json["log_likelihood"] = fit.log_likelihood;
  json["intercept"] = coefficient_json(fit.intercept);
  Json features = Json::array();
  for (std::size_t f = 0; f < fit.features.size(); ++f) {
    Json feature = {{"id", header.features[f].id},
                    {"description", header.features[f].description},
                    {"category", header.features[f].category}};
    feature.update(coefficient_json(fit.features[f]));
    feature["constant"] = !constancy(fit.features[f], fit).empty();
    features.push_back(std::move(feature));
  }
  json["features"] = std::move(features);
  return json;
}

}  // namespace

std::string fit_json(const RecordFileHeader& header, const LogisticFit& fit) {
  return json_text(fit_document(header, fit), 2) + "\n";
}

std::string fit_summary(const RecordFileHeader& header,
                        const LogisticFit& fit) {
  std::string text = absl::StrFormat(
      "%s: logistic model of the deciding player's outcome (draw 1/2) on %d "
      "features, l2 %g\n%u games, %u decisions, %u distinct rows; %u failed "
      "or truncated games left out; %d Newton steps, log-likelihood %.1f\n"
      "standard errors clustered by game\n\n",
      header.config.game, fit.features.size(), fit.l2, fit.games, fit.decisions,
      fit.distinct_rows, fit.excluded_games, fit.iterations,
      fit.log_likelihood);
  absl::StrAppendFormat(&text, "  %-40s %12s %12s %9s %10s\n", "feature",
                        "coefficient", "clustered SE", "z", "p-value");
  auto row = [&](const std::string& name, const LogisticCoefficient& c,
                 const std::string& note) {
    absl::StrAppendFormat(&text, "  %-40s %+12.4f %12.4f %+9.2f %10.3g%s\n",
                          name, c.coefficient, c.standard_error, c.z, c.p_value,
                          note.empty() ? "" : "  (" + note + ")");
  };
  row("(intercept)", fit.intercept, "");
  for (std::size_t f = 0; f < fit.features.size(); ++f) {
    row(header.features[f].id, fit.features[f],
        constancy(fit.features[f], fit));
  }
  return text;
}

}  // namespace selfplay
