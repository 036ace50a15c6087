#pragma once
// ANSI styling that disappears when colour is off, so renderers never branch on it.

#include <string>
#include <string_view>

namespace e2e3d::cli {

class Style {
 public:
  explicit Style(bool enabled) : enabled_(enabled) {}
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string red(std::string_view s) const { return wrap("31", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  bool enabled() const { return enabled_; }

 private:
  std::string wrap(std::string_view code, std::string_view s) const {
    if (!enabled_) return std::string(s);
    return "\033[" + std::string(code) + "m" + std::string(s) + "\033[0m";
  }
  bool enabled_;
};

}  // namespace e2e3d::cli
