#pragma once
// XML text and attribute escaping for the JUnit renderers.

#include <string>
#include <string_view>

namespace e2e3d::rules {

// Escapes & < > " ' and drops characters XML 1.0 forbids (C0 controls other than tab, newline
// and carriage return); invalid UTF-8 bytes become U+FFFD so parsers accept the document.
std::string xml_escape(std::string_view text);

}  // namespace e2e3d::rules
