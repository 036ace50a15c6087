#pragma once
// A canonical text form of a scrape, so tests can compare two parses exactly.

#include <bit>
#include <string>

#include <fmt/format.h>

#include "e2e3d/scrape.hpp"

namespace e2e3d::test {

inline std::string dump(const Scrape& scrape) {
  std::string out = fmt::format("format {}\n", exposition_format_name(scrape.format()));
  for (const Family& family : scrape.families()) {
    out += fmt::format("family {} {} help={} unit={} series={}\n", scrape.str(family.name),
                       metric_type_name(family.type),
                       family.help ? scrape.str(*family.help) : "<none>",
                       family.unit ? scrape.str(*family.unit) : "<none>", family.series_count);
  }
  for (std::size_t i = 0; i < scrape.series_count(); ++i) {
    const Series& series = scrape.series(i);
    out += fmt::format("{} family={} {{", scrape.str(series.name),
                       scrape.str(scrape.families()[series.family].name));
    for (const LabelRef& label : scrape.labels(series)) {
      out += fmt::format("{}={:?},", scrape.str(label.name), scrape.str(label.value));
    }
    out += fmt::format("}} {:016x} {}\n", std::bit_cast<uint64_t>(series.value),
                       scrape.timestamp_ms(i));
  }
  return out;
}

}  // namespace e2e3d::test
