#pragma once
// Reading a Content-Type header: which exposition format it names, or what else it names.

#include <optional>
#include <string>
#include <string_view>

#include "e2e3d/scrape.hpp"

namespace e2e3d::fetch_detail {

// The media type ("text/plain") in lower case, without parameters.
std::string media_type(std::string_view content_type);

// The format a Content-Type names: OpenMetrics text, or the text format 0.0.4 (`text/plain` with
// version 0.0.4 or no version). nullopt when it names neither, so the parser detects it.
std::optional<ExpositionFormat> format_named_by(std::string_view content_type);

// "an HTML page" or "JSON" when the Content-Type says the body is certainly not metrics.
std::optional<std::string_view> non_exposition_type(std::string_view content_type);

}  // namespace e2e3d::fetch_detail
