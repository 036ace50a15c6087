// A scrape from a file, standard input or a URL, parsed chunk by chunk as it is read.

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <vector>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/fetch.hpp"
#include "e2e3d/sys/bounded_file.hpp"
#include "fetch/body_sniffer.hpp"
#include "fetch/safe_text.hpp"

namespace e2e3d {
namespace {

using Clock = std::chrono::steady_clock;

// Big enough that a 226 MB capture is read in a few hundred calls, small enough that the
// buffer never matters next to the scrape itself. (Regular files: see ExpositionParser::feed_from.)
constexpr std::size_t kReadChunk = 1024 * 1024;

// The file's refusal as the fetch error it is for a scrape: too large for --max-bytes, or not
// readable at all.
FetchError as_fetch_error(const sys::FileError& e) {
  if (e.too_large()) return FetchError(FetchFailure::too_large, e.what());
  return FetchError(FetchFailure::file,
                    fmt::format("{}. Check the path given with --file, or use --url to fetch from "
                                "the service",
                                e.what()));
}

Scrape load_file(const std::string& path, std::size_t max_bytes, FetchInfo* info) {
  bool from_stdin = path == "-";
  std::string name = from_stdin ? "<stdin>" : fetch_detail::one_line(path, 500);
  auto start = Clock::now();
  // A pipe or a device is a fine source of a scrape (--file <(curl ...)), within --max-bytes.
  std::optional<sys::BoundedFile> file;
  try {
    file.emplace(path, sys::FileRules{"the file", max_bytes, "--max-bytes", true});
  } catch (const sys::FileError& e) {
    throw as_fetch_error(e);
  }

  ExpositionParser parser(std::nullopt, name);
  fetch_detail::BodySniffer sniffer;
  uint64_t total = 0;
  auto read_some = [&](char* buffer, std::size_t capacity) -> std::size_t {
    try {
      return file->read(buffer, capacity);
    } catch (const sys::FileError& e) {
      throw as_fetch_error(e);
    }
  };
  auto inspect = [&](std::string_view chunk) {
    if (auto what = sniffer.look(chunk)) {
      throw FetchError(
          FetchFailure::not_exposition,
          fmt::format("cannot read metrics from {}: this looks like {}, not Prometheus "
                      "metrics. {}",
                      name, *what, fetch_detail::advice_for_file(*what)));
    }
    total += chunk.size();
  };
  if (file->is_regular()) {
    parser.expect_input_bytes(file->size_hint());
    // A file's reads never block for long, so they can run ahead on a second thread.
    parser.feed_from(read_some, inspect);
  } else {
    // A pipe or terminal may block on a read; one thread keeps a stop immediate.
    std::vector<char> buffer(kReadChunk);
    while (std::size_t n = read_some(buffer.data(), buffer.size())) {
      std::string_view chunk(buffer.data(), n);
      inspect(chunk);
      parser.feed(chunk);
    }
  }
  Scrape scrape = parser.finish();
  if (info) {
    info->source = from_stdin ? "-" : path;
    info->effective_url.clear();
    info->http_status = 0;
    info->content_type.clear();
    info->bytes = total;
    info->seconds = std::chrono::duration<double>(Clock::now() - start).count();
    info->format = scrape.format();
  }
  return scrape;
}

Scrape load_url(const FetchOptions& options, FetchInfo* info) {
  std::string name = redact_url(options.url);
  // The parser is made when the first chunk arrives: only then is the Content-Type known.
  std::optional<ExpositionParser> parser;
  FetchInfo fetched = fetch_url(options, [&](std::string_view chunk, const FetchInfo& sofar) {
    if (!parser) parser.emplace(sofar.format, name);
    parser->feed(chunk);
  });
  if (!parser) parser.emplace(fetched.format, name);
  Scrape scrape = parser->finish();
  if (info) {
    *info = fetched;
    if (!info->format) info->format = scrape.format();
  }
  return scrape;
}

}  // namespace

Scrape load_scrape(const ScrapeSource& source, FetchInfo* info) {
  if (source.file) return load_file(*source.file, source.fetch.max_bytes, info);
  return load_url(source.fetch, info);
}

}  // namespace e2e3d
