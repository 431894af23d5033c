// Text that the CLI writes, made valid UTF-8 whatever games and files hold:
// a game's name, a feature id or an exception message comes from code or
// bytes selfplay does not control, and a terminal, a JSON parser or the JSON
// writer itself (which throws on invalid UTF-8) must never see bad bytes.
//
//   std::fputs(valid_utf8(summary).c_str(), stdout);
//   out.write(json_text(document, 2));
#ifndef SELFPLAY_IO_UTF8_H_
#define SELFPLAY_IO_UTF8_H_

#include <string>
#include <string_view>

#include "nlohmann/json.hpp"

namespace selfplay {

// `text` with every byte that is not part of a well-formed UTF-8 sequence
// (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF)
// replaced by U+FFFD. Valid text comes back unchanged.
std::string valid_utf8(std::string_view text);

// `json` serialised with `indent` spaces (-1: on one line), invalid UTF-8 in
// its strings replaced by U+FFFD instead of throwing.
std::string json_text(const nlohmann::ordered_json& json, int indent);

}  // namespace selfplay

#endif  // SELFPLAY_IO_UTF8_H_
