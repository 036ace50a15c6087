#pragma once
// One HTTP(S) GET of a scrape as a libcurl easy handle: everything a transfer does (request
// headers, Accept, decoding, TLS, credentials, redirects, size and time limits, body sniffing)
// and the one-line message of how it failed. fetch_url() drives one with curl_easy_perform;
// the fleet scraper drives many at once on a curl multi handle. Both go start() -> perform ->
// finish(code), so a single target and a fleet of them behave and fail in exactly the same way.
// Redirects are followed here, not by libcurl, because what may be sent depends on where a
// redirect leads: credentials and -H headers go to the origin of the URL given, never
// elsewhere (another host, another port, or https -> http).

#include <curl/curl.h>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "e2e3d/fetch.hpp"
#include "fetch/body_sniffer.hpp"
#include "fetch/easy_handle.hpp"
#include "fetch/failure_messages.hpp"
#include "fetch/target.hpp"

namespace e2e3d::fetch_detail {

// What the body must be: a scrape (refused when it is certainly not one: HTML, JSON, ...), or
// the JSON of an HTTP API (Prometheus's, Docker's), which is asked for and not sniffed. An API
// explains its errors in JSON, so a non-2xx answer with a JSON body is an answer too.
enum class Expect { exposition, api };

class Transfer {
 public:
  using ChunkSink = std::function<void(std::string_view, const FetchInfo&)>;

  // Both are referenced, not copied: they must outlive the transfer.
  Transfer(const FetchOptions& options, const ChunkSink& on_chunk,
           Expect expect = Expect::exposition);
  // The handle goes first: closing its sockets calls back into members declared after it.
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Checks the options and the URL, and configures the easy handle, which the transfer keeps
  // owning: perform it (alone or on a multi handle), then call finish(). Throws FetchError.
  CURL* start();
  // What the performed handle gave: the transfer's facts, or throws the FetchError saying how
  // it failed (or, unchanged, what on_chunk threw). A multi driver must have removed the handle
  // from its multi handle first.
  FetchInfo finish(CURLcode code);
  // After the handle was performed: when the answer is a redirect to follow, aims the handle
  // at its target and returns true (perform it again, then call this again); false when the
  // transfer is over (call finish). A multi driver removes the handle before and adds it again.
  bool follow_redirect(CURLcode code);
  // start(), curl_easy_perform and follow_redirect as long as it says so, finish().
  FetchInfo run();

  // What is known so far (source, status, bytes...), also after finish() threw.
  const FetchInfo& info() const { return info_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };

  static size_t on_header(char* data, size_t size, size_t count, void* self);
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* self);
  static int on_close_socket(void* self, curl_socket_t socket);
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

  size_t header(std::string_view line);
  bool body(std::string_view chunk);  // false: abort the transfer
  void trace(std::string_view line) const {
    if (options_.trace) options_.trace(line);
  }
  void trace_block(char prefix, std::string_view block) const;
  void configure(CURL* curl);
  // What a request sends: the origin gets -H headers and credentials, another origin neither.
  void send_credentials(bool to_origin);
  curl_slist* request_headers(bool with_custom_headers) const;
  bool answer_is_redirect() const;
  TransferFacts facts(CURLcode code) const;
  void fill_info_from_handle();

  const FetchOptions& options_;
  const ChunkSink& on_chunk_;
  Expect expect_;
  Target target_;
  EasyHandle curl_;
  std::unique_ptr<curl_slist, SlistDeleter> headers_;  // sent by curl_ until it is performed
  std::unique_ptr<curl_slist, SlistDeleter> headers_elsewhere_;  // without -H: other origins
  std::string url_user_, url_password_;  // from the URL's user:password@, for its origin only
  std::string current_url_;              // the URL of the request in flight
  long redirects_ = 0;
  bool redirecting_ = false;    // the answer is a redirect: its body is not the body
  uint64_t redirect_body_ = 0;  // bytes of the redirect's own body, thrown away
  FetchInfo info_;
  std::string bearer_token_;
  std::string reason_;
  bool body_started_ = false;
  bool error_answer_ = false;   // Expect::api: a non-2xx status whose JSON body is the answer
  bool tcp_connected_ = false;  // some socket reached its peer, even if TLS then stalled
  BodySniffer sniffer_;
  std::optional<FetchError> failure_;   // why we aborted the transfer ourselves
  std::exception_ptr chunk_exception_;  // what on_chunk threw, rethrown unchanged
  Clock::time_point start_;
  Clock::time_point deadline_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace e2e3d::fetch_detail
