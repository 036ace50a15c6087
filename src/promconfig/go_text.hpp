#pragma once
// Go's text rules that prometheus.yml's messages and checks depend on.

#include <optional>
#include <string>
#include <string_view>

namespace e2e3d::promconfig::detail {

// strconv.Quote (what %q prints): "..." with Go's escapes; valid UTF-8 kept as it is.
std::string go_quote(std::string_view text);

// model.LabelName.IsValid: [a-zA-Z_][a-zA-Z0-9_]*
bool is_label_name(std::string_view name);

// units.ParseBase2Bytes (body_size_limit: "10MiB", "1GB"): its error, or nothing.
std::optional<std::string> base2_bytes_error(std::string_view text);

// utf8.ValidString
bool is_valid_utf8(std::string_view text);

}  // namespace e2e3d::promconfig::detail
