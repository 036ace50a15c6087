#pragma once
// Reading a Content-Type header for what is certainly not metrics. Which exposition format it
// names is the parser's business: format_from_content_type in exposition_parser.hpp.

#include <optional>
#include <string>
#include <string_view>

namespace e2e3d::fetch_detail {

// The media type ("text/plain") in lower case, without parameters.
std::string media_type(std::string_view content_type);

// "an HTML page" or "JSON" when the Content-Type says the body is certainly not metrics.
std::optional<std::string_view> non_exposition_type(std::string_view content_type);

// application/json or any +json type: an HTTP API's answer, also for an error status.
bool is_json_type(std::string_view content_type);

}  // namespace e2e3d::fetch_detail
