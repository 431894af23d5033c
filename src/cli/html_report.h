// The `--report FILE.html` page of `simulate` and `records stats`: one
// self-contained HTML document (inline CSS and SVG, no script, no external
// resource) that a browser shows straight from disk: the top features'
// win-rate differences as a forest plot, seat results, the length histogram
// and the action kinds.
#ifndef SELFPLAY_CLI_HTML_REPORT_H_
#define SELFPLAY_CLI_HTML_REPORT_H_

#include <string>

#include "selfplay/simulation.h"

namespace selfplay::cli {

// The page for `result`, with the `top` features by |phi| in the forest
// plot. Well-formed XML as well as HTML (every element closed), so that a
// test can check it with an XML parser.
std::string result_to_html(const SimulationResult& result, int top);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_HTML_REPORT_H_
