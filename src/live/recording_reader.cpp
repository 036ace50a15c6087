// read_recording: a recorded window back into a History, for --replay.
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/live/recording.hpp"

namespace e2e3d::live {
namespace {

// A recording ends with OpenMetrics' `# EOF`, and a file that does is read as OpenMetrics
// whatever comes first: the parser detects the format from the first MiB, and a recording of
// 30,000 gauge series says nothing OpenMetrics-only before its end. Anything else (a plain
// scrape given by mistake, a pipe) is detected as usual, for the message that fits it.
std::optional<ExpositionFormat> format_of(std::string_view text) {
  if (text.ends_with("# EOF") || text.ends_with("# EOF\n")) return ExpositionFormat::openmetrics;
  return std::nullopt;
}

// The same for a file, from its last bytes.
std::optional<ExpositionFormat> format_of(std::ifstream& in) {
  std::optional<ExpositionFormat> format;
  char tail[6];
  if (in.seekg(-static_cast<std::streamoff>(sizeof tail), std::ios::end) &&
      in.read(tail, sizeof tail)) {
    format = format_of(std::string_view(tail, sizeof tail));
  }
  in.clear();
  if (!in.seekg(0)) in.clear();  // not seekable (a pipe): nothing was read
  return format;
}

// The samples of a parsed recording, each series' in time order, as a History.
History to_history(const Scrape& scrape, const std::string& path, History::Limits limits) {
  // A recording covers all of its samples, however long ago they were taken.
  limits.retention_ms = std::numeric_limits<int64_t>::max() / 2;
  History history(limits);
  for (std::size_t i = 0; i < scrape.series_count(); ++i) {
    const Series& s = scrape.series(i);
    Labels labels;
    labels.emplace_back("__name__", std::string(scrape.str(s.name)));
    for (const auto& l : scrape.labels(s)) {
      if (!scrape.str(l.value).empty()) {
        labels.emplace_back(std::string(scrape.str(l.name)), std::string(scrape.str(l.value)));
      }
    }
    const int64_t timestamp_ms = scrape.timestamp_ms(i);
    if (timestamp_ms == Series::kNoTimestamp) {
      throw Error(ErrorKind::parse,
                  fmt::format("{}: the sample of {} has no timestamp: every sample of a "
                              "recording needs one (write recordings with --record)",
                              path, promql::format_series(labels)));
    }
    const Family& family = scrape.families()[s.family];
    try {
      history.add_point(std::move(labels), scrape.str(family.name), family.type,
                        Point{timestamp_ms, s.value});
    } catch (const Error& e) {
      throw Error(e.kind(), fmt::format("{}: {}", path, e.what()));
    }
  }
  return history;
}

}  // namespace

History read_recording(const std::string& path, History::Limits limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::io, fmt::format("cannot read the recording {}: {}. Check the path "
                                           "given with --replay",
                                           path, std::strerror(errno)));
  }
  ExpositionParser parser(format_of(in), path);
  parser.allow_samples_over_time();
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) parser.feed(std::string_view(buffer.data(), in.gcount()));
  }
  if (in.bad()) {
    throw Error(ErrorKind::io,
                fmt::format("cannot read the recording {}: {}", path, std::strerror(errno)));
  }
  return to_history(parser.finish(), path, limits);
}

History parse_recording(std::string_view text, const std::string& source_name,
                        History::Limits limits) {
  ExpositionParser parser(format_of(text), source_name);
  parser.allow_samples_over_time();
  parser.feed(text);
  return to_history(parser.finish(), source_name, limits);
}

}  // namespace e2e3d::live
