// ExpositionParser on arbitrary bytes. The first byte picks the format (detected, text 0.0.4,
// OpenMetrics) and how many chunks the rest is fed in (1..64), because the parser is incremental
// and a token split across two network reads must parse exactly as in one piece. So besides
// "no crash", the oracle is: whole and chunked parses agree on success or failure, on the error
// message, and on every series.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "e2e3d/exposition_parser.hpp"
#include "support.hpp"

namespace e2e3d::fuzz {
namespace {

constexpr std::string_view kTarget = "fuzz_exposition";

struct Outcome {
  std::optional<Scrape> scrape;
  std::string error;
};

Outcome parse(std::string_view text, std::optional<ExpositionFormat> format, std::size_t chunks) {
  Outcome outcome;
  try {
    e2e3d::ExpositionParser parser(format, "fuzz.txt");
    std::size_t size = text.size() / chunks;
    for (std::size_t i = 0; i < chunks; ++i) {
      std::size_t begin = i * size;
      std::size_t end = i + 1 == chunks ? text.size() : begin + size;
      parser.feed(text.substr(begin, end - begin));
    }
    outcome.scrape = parser.finish();
  } catch (const e2e3d::Error& e) {
    check_error_message(e, kTarget);
    outcome.error = e.what();
  }
  return outcome;
}

bool same_value(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;  // tells -0 from 0
}

// Reads every part of the scrape, so the accessors run over whatever the parser built.
void walk(const Scrape& scrape) {
  for (const auto& family : scrape.families()) {
    (void)scrape.str(family.name);
    if (family.help) (void)scrape.str(*family.help);
    if (family.unit) (void)scrape.str(*family.unit);
    if (!scrape.find_family(scrape.str(family.name))) {
      throw Finding(kTarget, "a family that find_family does not find");
    }
  }
  for (e2e3d::Symbol name : scrape.sample_names()) {
    if (scrape.series_named(scrape.str(name)).empty()) {
      throw Finding(kTarget, "a sample name without series");
    }
    (void)scrape.single_value(scrape.str(name));
  }
  for (std::size_t i = 0; i < scrape.series_count(); ++i) {
    const auto& series = scrape.series(i);
    if (series.family >= scrape.families().size()) {
      throw Finding(kTarget, "a series whose family index is out of range");
    }
    for (const auto& label : scrape.labels(series)) {
      auto value = scrape.label(series, scrape.str(label.name));
      if (!value || *value != scrape.str(label.value)) {
        throw Finding(kTarget, "label() disagrees with labels()");
      }
    }
  }
  (void)scrape.memory_bytes();
}

void compare(const Outcome& whole, const Outcome& chunked, std::size_t chunks) {
  std::string where = " (whole vs. " + std::to_string(chunks) + " chunks)";
  if (whole.scrape.has_value() != chunked.scrape.has_value()) {
    throw Finding(kTarget, "one parse failed, the other did not" + where + ": " + whole.error +
                               chunked.error);
  }
  if (!whole.scrape) {
    if (whole.error != chunked.error) {
      throw Finding(kTarget, "different errors" + where + ": '" + whole.error + "' vs. '" +
                                 chunked.error + "'");
    }
    return;
  }
  const Scrape& a = *whole.scrape;
  const Scrape& b = *chunked.scrape;
  if (a.series_count() != b.series_count() || a.families().size() != b.families().size() ||
      a.format() != b.format()) {
    throw Finding(kTarget, "different series, families or format" + where);
  }
  for (std::size_t i = 0; i < a.series_count(); ++i) {
    const auto& x = a.series(i);
    const auto& y = b.series(i);
    auto lx = a.labels(x);
    auto ly = b.labels(y);
    bool same = a.str(x.name) == b.str(y.name) && same_value(x.value, y.value) &&
                a.timestamp_ms(i) == b.timestamp_ms(i) && lx.size() == ly.size();
    for (std::size_t j = 0; same && j < lx.size(); ++j) {
      same = a.str(lx[j].name) == b.str(ly[j].name) && a.str(lx[j].value) == b.str(ly[j].value);
    }
    if (!same) throw Finding(kTarget, "series " + std::to_string(i) + " differs" + where);
  }
}

}  // namespace

void exposition_input(std::string_view data) {
  if (data.empty()) return;
  auto mode = static_cast<unsigned char>(data[0]);
  std::optional<ExpositionFormat> format;
  switch (mode & 3u) {
    case 1:
      format = ExpositionFormat::prometheus_text;
      break;
    case 2:
      format = ExpositionFormat::openmetrics;
      break;
    default:
      break;
  }
  std::string_view text = data.substr(1);
  std::size_t chunks =
      std::min<std::size_t>(1 + (mode >> 2), std::max<std::size_t>(text.size(), 1));

  Outcome whole = parse(text, format, 1);
  if (whole.scrape) walk(*whole.scrape);
  if (chunks > 1) compare(whole, parse(text, format, chunks), chunks);
}

}  // namespace e2e3d::fuzz
