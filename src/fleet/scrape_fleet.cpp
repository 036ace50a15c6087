// Scraping many targets at once: one libcurl multi handle drives at most `parallelism`
// transfers, each the very same fetch_detail::Transfer a single --url uses (so every target
// is fetched, limited and explained exactly as one would be), each body parsed as it arrives.

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/fleet.hpp"
#include "e2e3d/sys/processes.hpp"
#include "fetch/transfer.hpp"

namespace e2e3d {
namespace {

using Clock = std::chrono::steady_clock;

// Each transfer holds a socket, and a pair more while it resolves a host name; the multi handle
// and everything else the process does keep some for themselves.
constexpr std::size_t kDescriptorsPerTransfer = 3;
constexpr std::size_t kDescriptorsKept = 16;

// --parallel, within what the descriptor limit (ulimit -n) leaves: more transfers than that
// would fail with "too many open files" and be reported as targets down.
std::size_t transfers_at_once(std::size_t wanted) {
  std::size_t free = sys::free_descriptors();
  std::size_t room =
      free > kDescriptorsKept ? (free - kDescriptorsKept) / kDescriptorsPerTransfer : 1;
  return std::clamp<std::size_t>(room, 1, wanted);
}

// One target being scraped. Transfer keeps references to the options and the sink, so a
// scrape lives at one address (held by unique_ptr) until its transfer is gone.
struct TargetTransfer {
  std::size_t index = 0;
  FetchOptions options;
  std::string name;  // the URL without credentials: how parse errors name the source
  std::optional<ExpositionParser> parser;
  fetch_detail::Transfer::ChunkSink sink;
  std::unique_ptr<fetch_detail::Transfer> transfer;
  Clock::time_point started;
};

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};

class FleetScraper {
 public:
  FleetScraper(const std::vector<FleetTarget>& targets, const FleetOptions& options)
      : targets_(targets), options_(options), results_(targets.size()) {}

  std::vector<TargetScrape> run();

 private:
  void start_more();
  void complete(TargetTransfer& scrape, CURLcode code);
  void record_failure(std::size_t index, const Error& error, const FetchInfo& info,
                      Clock::time_point started);

  void count_fleet_bytes(const TargetTransfer& scrape, std::size_t bytes);

  std::size_t at_once_ = 1;
  uint64_t fleet_bytes_ = 0;  // of every target's body so far

  const std::vector<FleetTarget>& targets_;
  const FleetOptions& options_;
  std::vector<TargetScrape> results_;
  // Declared before multi_ so that, when an exception unwinds, the multi handle is cleaned up
  // (closing every connection, which calls back into its transfer) while the transfers live.
  std::vector<std::unique_ptr<TargetTransfer>> in_flight_;
  std::unique_ptr<CURLM, MultiDeleter> multi_;
  std::size_t next_ = 0;
};

void FleetScraper::record_failure(std::size_t index, const Error& error, const FetchInfo& info,
                                  Clock::time_point started) {
  TargetScrape& result = results_[index];
  result.scrape.reset();
  result.info = info;
  if (result.info.source.empty()) result.info.source = redact_url(targets_[index].url);
  result.error = error.what();
  result.error_kind = error.kind();
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
}

// --max-bytes bounds each target, and the whole fleet's bodies together: each parsed body is
// held until the end, so N endless targets would otherwise take N times the memory of one.
void FleetScraper::count_fleet_bytes(const TargetTransfer& s, std::size_t bytes) {
  fleet_bytes_ += bytes;
  if (fleet_bytes_ <= options_.fetch.max_bytes) return;
  throw FetchError(FetchFailure::too_large,
                   fmt::format("{}: not read further: the fleet's answers together passed the "
                               "limit of {} bytes (--max-bytes bounds all targets of a run "
                               "together). Raise --max-bytes, or split the targets",
                               s.name, options_.fetch.max_bytes));
}

void FleetScraper::start_more() {
  while (in_flight_.size() < at_once_ && next_ < targets_.size()) {
    auto scrape = std::make_unique<TargetTransfer>();
    TargetTransfer& s = *scrape;
    s.index = next_++;
    results_[s.index].target = targets_[s.index];
    s.options = options_.fetch;
    s.options.url = targets_[s.index].url;
    s.name = redact_url(s.options.url);
    // The parser is made at the first chunk: only then is the Content-Type known.
    s.sink = [this, &s](std::string_view chunk, const FetchInfo& sofar) {
      count_fleet_bytes(s, chunk.size());
      if (!s.parser) s.parser.emplace(sofar.format, s.name);
      s.parser->feed(chunk);
    };
    s.transfer = std::make_unique<fetch_detail::Transfer>(s.options, s.sink);
    s.started = Clock::now();
    CURL* easy = nullptr;
    try {
      easy = s.transfer->start();
    } catch (const FetchError& e) {
      // Options that cannot work fail every target alike: that is the caller's mistake, not a
      // target's state, and is thrown once.
      if (e.failure() == FetchFailure::bad_option || e.failure() == FetchFailure::file) throw;
      record_failure(s.index, e, s.transfer->info(), s.started);
      continue;
    }
    // No connection outlives its transfer: libcurl would otherwise keep it in the multi
    // handle's pool, whose later close calls back into a transfer already destroyed.
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(&s));
    CURLMcode added = curl_multi_add_handle(multi_.get(), easy);
    if (added != CURLM_OK) {
      throw FetchError(FetchFailure::read_error,
                       fmt::format("cannot start scraping {}: libcurl says {}", s.name,
                                   curl_multi_strerror(added)));
    }
    in_flight_.push_back(std::move(scrape));
  }
}

void FleetScraper::complete(TargetTransfer& s, CURLcode code) {
  TargetScrape& result = results_[s.index];
  try {
    FetchInfo info = s.transfer->finish(code);
    if (!s.parser) s.parser.emplace(info.format, s.name);
    Scrape scrape = s.parser->finish();
    if (!info.format) info.format = scrape.format();
    result.info = std::move(info);
    result.scrape = std::move(scrape);
    result.error.reset();
    result.seconds = std::chrono::duration<double>(Clock::now() - s.started).count();
  } catch (const Error& e) {
    record_failure(s.index, e, s.transfer->info(), s.started);
  }
}

std::vector<TargetScrape> FleetScraper::run() {
  if (options_.parallelism == 0) {
    throw FetchError(FetchFailure::bad_option,
                     "the number of targets scraped at once must be at least 1");
  }
  fetch_detail::init_curl_once();
  at_once_ = transfers_at_once(options_.parallelism);
  multi_.reset(curl_multi_init());
  if (!multi_) {
    throw FetchError(FetchFailure::read_error,
                     "cannot create a libcurl multi handle (out of memory?)");
  }
  start_more();
  while (!in_flight_.empty()) {
    int running = 0;
    CURLMcode mc = curl_multi_perform(multi_.get(), &running);
    if (mc != CURLM_OK) {
      throw FetchError(
          FetchFailure::read_error,
          fmt::format("scraping the targets failed: libcurl says {}", curl_multi_strerror(mc)));
    }
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      CURLcode code = message->data.result;  // the message dies with the handle's removal
      void* owner = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
      curl_multi_remove_handle(multi_.get(), easy);
      auto* done = static_cast<TargetTransfer*>(owner);
      if (done->transfer->follow_redirect(code)) {
        CURLMcode again = curl_multi_add_handle(multi_.get(), easy);
        if (again != CURLM_OK) {
          throw FetchError(FetchFailure::read_error,
                           fmt::format("cannot follow a redirect of {}: libcurl says {}",
                                       done->name, curl_multi_strerror(again)));
        }
        continue;
      }
      complete(*done, code);
      std::erase_if(in_flight_, [done](const auto& s) { return s.get() == done; });
    }
    start_more();
    // Wakes on socket activity or libcurl's next timeout (a connect or total timeout).
    if (!in_flight_.empty()) curl_multi_poll(multi_.get(), nullptr, 0, 1000, nullptr);
  }
  return std::move(results_);
}

}  // namespace

std::vector<TargetScrape> scrape_fleet(const std::vector<FleetTarget>& targets,
                                       const FleetOptions& options) {
  return FleetScraper(targets, options).run();
}

}  // namespace e2e3d
