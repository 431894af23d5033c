// What `records fit` shows a person (a table of coefficients) and writes for
// programs (JSON, "format": "selfplay-logistic-fit"; README.md documents it).
#ifndef SELFPLAY_CLI_LOGISTIC_REPORT_H_
#define SELFPLAY_CLI_LOGISTIC_REPORT_H_

#include <string>

#include "nlohmann/json.hpp"
#include "selfplay/logistic_model.h"
#include "selfplay/record_file.h"

namespace selfplay::cli {

inline constexpr int kFitSchemaVersion = 1;

// The fit of the run the header describes.
nlohmann::ordered_json fit_to_json(const RecordFileHeader& header,
                                   const LogisticFit& fit);

// A line of totals, then per feature (in feature-set order) its coefficient,
// clustered standard error, z and p-value; constant features are marked.
std::string fit_summary(const RecordFileHeader& header, const LogisticFit& fit);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_LOGISTIC_REPORT_H_
