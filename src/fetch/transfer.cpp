// One HTTP(S) GET as a libcurl easy handle: configured by start(), judged by finish().

#include "fetch/transfer.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>

#include "e2e3d/exposition_parser.hpp"
#include "fetch/content_type.hpp"
#include "fetch/easy_handle.hpp"
#include "fetch/options_check.hpp"
#include "fetch/safe_text.hpp"

namespace e2e3d::fetch_detail {
namespace {

// Prometheus's own preference: OpenMetrics first, then the text format, then anything.
constexpr const char* kAccept =
    "Accept: application/openmetrics-text;version=1.0.0;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return std::string(s);
}

// A redirect's body is only "moved there" for browsers: a bigger one is a stuck server.
constexpr uint64_t kMaxRedirectBody = 64 * 1024;

long to_milliseconds(double seconds) {
  double ms = seconds * 1000.0;
  if (ms < 1) return 1;
  if (ms > 1e12) return static_cast<long>(1e12);
  return static_cast<long>(ms + 0.5);
}

}  // namespace

Transfer::Transfer(const FetchOptions& options, const ChunkSink& on_chunk, Expect expect)
    : options_(options), on_chunk_(on_chunk), expect_(expect) {}

Transfer::~Transfer() {
  curl_.reset();
}

size_t Transfer::on_header(char* data, size_t size, size_t count, void* self) {
  return static_cast<Transfer*>(self)->header(std::string_view(data, size * count));
}

size_t Transfer::on_body(char* data, size_t size, size_t count, void* self) {
  size_t n = size * count;
  bool keep_going = static_cast<Transfer*>(self)->body(std::string_view(data, n));
  return keep_going ? n : CURL_WRITEFUNC_ERROR;
}

int Transfer::on_debug(CURL*, curl_infotype type, char* data, size_t size, void* self) {
  auto* transfer = static_cast<Transfer*>(self);
  std::string_view text(data, size);
  switch (type) {
    case CURLINFO_TEXT:
      transfer->trace_block('*', text);
      break;
    case CURLINFO_HEADER_IN:
      transfer->trace_block('<', text);
      break;
    case CURLINFO_HEADER_OUT:
      transfer->trace_block('>', text);
      break;
    default:
      break;  // bodies and TLS records are not traced
  }
  return 0;
}

int Transfer::on_close_socket(void* self, curl_socket_t socket) {
  // libcurl reports no connect time when TLS stalls after TCP connected; the socket itself
  // knows whether it ever reached its peer.
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  if (getpeername(socket, reinterpret_cast<sockaddr*>(&peer), &length) == 0) {
    static_cast<Transfer*>(self)->tcp_connected_ = true;
  }
  return close(socket);
}

void Transfer::trace_block(char prefix, std::string_view block) const {
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find('\n', start);
    if (end == std::string_view::npos) end = block.size();
    std::string_view line = block.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Every line, libcurl's own included, may quote a URL with secrets in its query (the
    // request line, a Location header, "Issue another request to ..."): all are masked alike.
    if (!line.empty()) trace(fmt::format("{} {}", prefix, fetch_detail::masked_header_line(line)));
    start = end + 1;
  }
}

size_t Transfer::header(std::string_view line) {
  if (starts_with_ci(line, "HTTP/")) {
    // A new response begins (after a redirect, a 100 Continue or a proxy's CONNECT answer).
    info_.http_status = 0;
    info_.content_type.clear();
    reason_.clear();
    std::size_t sp = line.find(' ');
    if (sp != std::string_view::npos) {
      std::string_view rest = line.substr(sp + 1);
      long code = 0;
      std::size_t i = 0;
      while (i < rest.size() && i < 3 && std::isdigit(static_cast<unsigned char>(rest[i]))) {
        code = code * 10 + (rest[i] - '0');
        ++i;
      }
      info_.http_status = code;
      reason_ = fetch_detail::one_line(rest.substr(i), 60);
    }
  } else if (starts_with_ci(line, "content-type:")) {
    info_.content_type = fetch_detail::one_line(trim(line.substr(13)), 200);
  }
  return line.size();
}

bool Transfer::body(std::string_view chunk) {
  if (!body_started_) {
    body_started_ = true;
    fill_info_from_handle();
    redirecting_ = answer_is_redirect();
    if (!redirecting_ && (info_.http_status < 200 || info_.http_status >= 300)) {
      error_answer_ = expect_ == Expect::api && is_json_type(info_.content_type);
      if (!error_answer_) {
        failure_ = fetch_detail::http_status_failure(facts(CURLE_OK));
        return false;
      }
    }
    if (!redirecting_ && expect_ == Expect::exposition) {
      if (auto what = fetch_detail::non_exposition_type(info_.content_type)) {
        failure_ = fetch_detail::not_exposition_failure(facts(CURLE_OK), *what, true);
        return false;
      }
    }
  }
  if (redirecting_) {
    // A redirect's own body ("moved here") is read and dropped, up to a small bound.
    redirect_body_ += chunk.size();
    return redirect_body_ <= kMaxRedirectBody;
  }
  if (expect_ == Expect::exposition) {
    if (auto what = sniffer_.look(chunk)) {
      failure_ = fetch_detail::not_exposition_failure(facts(CURLE_OK), *what, false);
      return false;
    }
  }
  if (chunk.size() > options_.max_bytes - std::min<uint64_t>(info_.bytes, options_.max_bytes)) {
    info_.bytes += chunk.size();
    failure_ = fetch_detail::too_large_failure(facts(CURLE_OK), options_);
    return false;
  }
  info_.bytes += chunk.size();
  try {
    on_chunk_(chunk, info_);
  } catch (...) {
    chunk_exception_ = std::current_exception();
    return false;
  }
  // libcurl checks its timeout only once the socket runs dry: a body that keeps coming faster
  // than on_chunk consumes it would run past --timeout without this.
  if (Clock::now() >= deadline_) {
    failure_ = fetch_detail::timeout_failure(facts(CURLE_OPERATION_TIMEDOUT), options_);
    return false;
  }
  return true;
}

void Transfer::fill_info_from_handle() {
  char* effective = nullptr;
  if (curl_easy_getinfo(curl_.get(), CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) {
    info_.effective_url = redact_url(effective);
  }
  info_.format = format_from_content_type(info_.content_type);
}

TransferFacts Transfer::facts(CURLcode code) const {
  TransferFacts f;
  f.target = target_;
  CURL* c = curl_.get();
  char* effective = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) {
    f.effective_url = redact_url(effective);
  }
  f.redirects = redirects_;
  f.status = info_.http_status;
  f.reason = reason_;
  f.content_type = info_.content_type;
  curl_off_t connect_us = 0;
  curl_off_t tls_us = 0;
  curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us);
  curl_easy_getinfo(c, CURLINFO_APPCONNECT_TIME_T, &tls_us);
  f.connected = connect_us > 0 || tcp_connected_;
  f.tls_done = tls_us > 0;
  f.bytes = info_.bytes;
  f.elapsed_seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  long os_errno = 0;
  curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
  f.os_errno = static_cast<int>(os_errno);
  f.curl_detail = fetch_detail::one_line(redact_urls_in(error_buffer_), 200);
  if (f.curl_detail.empty() && code != CURLE_OK) f.curl_detail = curl_easy_strerror(code);
  f.sent_credentials = options_.user || options_.bearer_token_file || target_.has_userinfo;
  for (const auto& h : options_.headers)
    f.sent_credentials |= starts_with_ci(h, "authorization:");
  f.api = expect_ == Expect::api;
  f.url_option = options_.url_option;
  f.unix_socket = options_.unix_socket.value_or("");
  return f;
}

curl_slist* Transfer::request_headers(bool with_custom_headers) const {
  curl_slist* list = nullptr;
  bool has_accept = false;
  for (const auto& h : with_custom_headers ? options_.headers : std::vector<std::string>{}) {
    has_accept |= starts_with_ci(h, "accept:");
    list = curl_slist_append(list, h.c_str());
  }
  if (!has_accept) {
    list = curl_slist_append(list, expect_ == Expect::api ? "Accept: application/json" : kAccept);
  }
  return list;
}

void Transfer::send_credentials(bool to_origin) {
  CURL* c = curl_.get();
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, to_origin ? headers_.get() : headers_elsewhere_.get());
  curl_easy_setopt(c, CURLOPT_USERPWD, nullptr);
  curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, nullptr);
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
  if (!to_origin) return;
  if (options_.user) {
    curl_easy_setopt(c, CURLOPT_USERPWD, options_.user->c_str());
  } else if (!bearer_token_.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
    curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, bearer_token_.c_str());
  } else if (!url_user_.empty()) {
    // A redirect's URL does not repeat the user:password@ of the URL given.
    curl_easy_setopt(c, CURLOPT_USERPWD, (url_user_ + ":" + url_password_).c_str());
  }
}

void Transfer::configure(CURL* c) {
  curl_easy_setopt(c, CURLOPT_URL, current_url_.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, to_milliseconds(options_.timeout_seconds));
  curl_easy_setopt(
      c, CURLOPT_CONNECTTIMEOUT_MS,
      to_milliseconds(std::min(options_.connect_timeout_seconds, options_.timeout_seconds)));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.insecure ? 0L : 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.insecure ? 0L : 2L);
  if (options_.cacert) curl_easy_setopt(c, CURLOPT_CAINFO, options_.cacert->c_str());
  send_credentials(true);
  // Bigger reads mean fewer callbacks on scrapes of hundreds of megabytes.
  curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024L);
  // A Content-Length over the limit fails at once instead of after max_bytes are read.
  // (0 means no limit to libcurl, so a zero limit is left to the body check alone.)
  if (options_.max_bytes > 0) {
    auto limit = std::min<uint64_t>(options_.max_bytes, std::numeric_limits<curl_off_t>::max());
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limit));
  }
  curl_easy_setopt(c, CURLOPT_CLOSESOCKETFUNCTION, &Transfer::on_close_socket);
  curl_easy_setopt(c, CURLOPT_CLOSESOCKETDATA, this);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, this);
  if (options_.cancelled) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &Transfer::on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, this);
  }
  if (options_.trace) {
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, &Transfer::on_debug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, this);
  }
}

CURL* Transfer::start() {
  check_options(options_);
  target_ = fetch_detail::parse_target(options_.url);
  auto userinfo = fetch_detail::userinfo_of(options_.url);
  url_user_ = userinfo.first;
  url_password_ = userinfo.second;
  current_url_ = options_.url;
  if (options_.bearer_token_file) bearer_token_ = read_token_file(*options_.bearer_token_file);
  info_.source = target_.url;
  info_.effective_url = target_.url;

  curl_ = new_easy_handle(Transport{options_.unix_socket});
  headers_.reset(request_headers(true));
  headers_elsewhere_.reset(request_headers(false));
  configure(curl_.get());

  trace(
      fmt::format("* fetching {} (timeout {}, connect timeout {}, at most {} bytes, {} redirects)",
                  target_.url, fetch_detail::seconds_text(options_.timeout_seconds),
                  fetch_detail::seconds_text(
                      std::min(options_.connect_timeout_seconds, options_.timeout_seconds)),
                  options_.max_bytes, options_.max_redirects));
  start_ = Clock::now();
  deadline_ = start_ + std::chrono::milliseconds(to_milliseconds(options_.timeout_seconds));
  return curl_.get();
}

int Transfer::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(self);
  if (!t->options_.cancelled()) return 0;
  if (!t->failure_) {
    t->failure_ = FetchError(
        FetchFailure::read_error,
        fmt::format("the transfer from {} was interrupted (SIGINT or SIGTERM)", t->target_.url));
  }
  return 1;  // CURLE_ABORTED_BY_CALLBACK
}

FetchInfo Transfer::finish(CURLcode code) {
  info_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();

  if (chunk_exception_) std::rethrow_exception(chunk_exception_);
  if (failure_) {
    trace(fmt::format("* failed: {}", failure_->what()));
    throw *failure_;
  }
  if (!body_started_) fill_info_from_handle();
  if (code == CURLE_OK && !error_answer_ && (info_.http_status < 200 || info_.http_status >= 300)) {
    FetchError error = fetch_detail::http_status_failure(facts(code));
    trace(fmt::format("* failed: {}", error.what()));
    throw error;
  }
  if (code != CURLE_OK) {
    // A status line of 4xx/5xx explains more than the broken body that may follow it.
    FetchError error = info_.http_status >= 400
                           ? fetch_detail::http_status_failure(facts(code))
                           : fetch_detail::curl_failure(code, facts(code), options_);
    trace(fmt::format("* failed: {}", error.what()));
    throw error;
  }
  trace(fmt::format("* HTTP {}, Content-Type '{}', {} bytes in {:.3f} s", info_.http_status,
                    info_.content_type, info_.bytes, info_.seconds));
  return info_;
}

bool Transfer::answer_is_redirect() const {
  // 304 Not Modified and 300 Multiple Choices point nowhere to go; the others do.
  long s = info_.http_status;
  bool redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
  // Over a Unix socket every request reaches the same server, whatever host it names.
  return redirect && options_.max_redirects > 0 && !options_.unix_socket;
}

bool Transfer::follow_redirect(CURLcode code) {
  if (!answer_is_redirect()) return false;
  redirecting_ = false;
  bool body_cut = code == CURLE_WRITE_ERROR && redirect_body_ > kMaxRedirectBody;
  if (code != CURLE_OK && !body_cut) return false;
  char* location = nullptr;
  curl_easy_getinfo(curl_.get(), CURLINFO_REDIRECT_URL, &location);
  if (!location) return false;  // finish() explains a redirect without a Location
  std::string next = location;
  fetch_detail::TransferFacts f = facts(CURLE_OK);
  f.effective_url = redact_url(next);
  f.redirects = redirects_ + 1;
  if (redirects_ >= options_.max_redirects) {
    failure_ = fetch_detail::curl_failure(CURLE_TOO_MANY_REDIRECTS, f, options_);
    return false;
  }
  std::optional<fetch_detail::Target> target;
  try {
    target = fetch_detail::parse_target(next);
  } catch (const FetchError&) {
    f.curl_detail.clear();
    failure_ = fetch_detail::curl_failure(CURLE_UNSUPPORTED_PROTOCOL, f, options_);
    return false;
  }
  ++redirects_;
  bool to_origin = fetch_detail::same_origin(*target, target_);
  trace(fmt::format("* redirected (HTTP {}) to {}{}", info_.http_status, f.effective_url,
                    to_origin ? "" : "; another origin: no credentials or -H headers sent there"));
  current_url_ = std::move(next);
  curl_easy_setopt(curl_.get(), CURLOPT_URL, current_url_.c_str());
  send_credentials(to_origin);
  // The next answer starts from nothing; the time limit is the whole transfer's.
  body_started_ = false;
  error_answer_ = false;
  redirect_body_ = 0;
  sniffer_ = BodySniffer();
  info_.http_status = 0;
  info_.content_type.clear();
  info_.bytes = 0;
  reason_.clear();
  error_buffer_[0] = '\0';
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
  if (left.count() <= 0) {
    failure_ = fetch_detail::timeout_failure(facts(CURLE_OPERATION_TIMEDOUT), options_);
    return false;
  }
  curl_easy_setopt(curl_.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
  curl_easy_setopt(
      curl_.get(), CURLOPT_CONNECTTIMEOUT_MS,
      std::min(static_cast<long>(left.count()), to_milliseconds(options_.connect_timeout_seconds)));
  return true;
}

FetchInfo Transfer::run() {
  CURL* curl = start();
  CURLcode code = curl_easy_perform(curl);
  while (follow_redirect(code))
    code = curl_easy_perform(curl);
  return finish(code);
}

}  // namespace e2e3d::fetch_detail
