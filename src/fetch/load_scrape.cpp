// A scrape from a file, standard input or a URL, parsed chunk by chunk as it is read.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/fetch.hpp"
#include "fetch/body_sniffer.hpp"
#include "fetch/safe_text.hpp"

namespace e2e3d {
namespace {

using Clock = std::chrono::steady_clock;

// Big enough that a 226 MB capture is read in a few hundred calls, small enough that the
// buffer never matters next to the scrape itself. (Regular files: see ExpositionParser::feed_from.)
constexpr std::size_t kReadChunk = 1024 * 1024;

FetchError cannot_read(const std::string& name, int err) {
  return FetchError(
      FetchFailure::file,
      fmt::format("cannot read {}: {}. Check the path given with --file, or use --url "
                  "to fetch from the service",
                  name, std::strerror(err)));
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FileDescriptor() {
    if (owned_ && fd_ >= 0) close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

Scrape load_file(const std::string& path, FetchInfo* info) {
  bool from_stdin = path == "-";
  std::string name = from_stdin ? "<stdin>" : fetch_detail::one_line(path, 500);
  auto start = Clock::now();

  FileDescriptor fd(from_stdin ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC),
                    !from_stdin);
  if (fd.get() < 0) throw cannot_read(name, errno);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) st.st_mode = 0;
  if (S_ISDIR(st.st_mode)) throw cannot_read(name, EISDIR);

  ExpositionParser parser(std::nullopt, name);
  fetch_detail::BodySniffer sniffer;
  uint64_t total = 0;
  auto read_some = [&](char* buffer, std::size_t capacity) -> std::size_t {
    while (true) {
      ssize_t n = read(fd.get(), buffer, capacity);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) throw cannot_read(name, errno);
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
  if (S_ISREG(st.st_mode)) {
    parser.expect_input_bytes(static_cast<std::size_t>(st.st_size));
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
  if (source.file) return load_file(*source.file, info);
  return load_url(source.fetch, info);
}

}  // namespace e2e3d
