#include "demo/http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <list>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "e2e3d/error.hpp"

namespace e2e3d::demo {
namespace {

using Clock = std::chrono::steady_clock;

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Where the request head ends (just past the blank line), or npos while it is incomplete.
std::size_t head_end(std::string_view buffer, std::size_t search_from) {
  for (std::size_t i = search_from; i < buffer.size(); ++i) {
    if (buffer[i] != '\n') continue;
    if (i >= 1 && buffer[i - 1] == '\n') return i + 1;
    if (i >= 2 && buffer[i - 1] == '\r' && buffer[i - 2] == '\n') return i + 1;
  }
  return std::string_view::npos;
}

// Parses the request line and the headers we use. nullopt when the head is malformed.
std::optional<HttpRequest> parse_head(std::string_view head) {
  HttpRequest request;
  std::size_t line_end = head.find('\n');
  std::string_view line = trim(head.substr(0, line_end));
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return std::nullopt;
  request.method = std::string(line.substr(0, sp1));
  request.target = std::string(trim(line.substr(sp1 + 1, sp2 - sp1 - 1)));
  std::string_view version = line.substr(sp2 + 1);
  if (request.method.empty() || request.target.empty() || !version.starts_with("HTTP/1.")) {
    return std::nullopt;
  }
  request.path = request.target.substr(0, request.target.find('?'));
  head.remove_prefix(line_end + 1);
  while (!head.empty()) {
    std::size_t end = head.find('\n');
    std::string_view header = trim(head.substr(0, end));
    head.remove_prefix(end == std::string_view::npos ? head.size() : end + 1);
    if (header.empty()) break;
    std::size_t colon = header.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    if (iequals(header.substr(0, colon), "accept")) {
      if (!request.accept.empty()) request.accept += ',';
      request.accept += trim(header.substr(colon + 1));
    }
  }
  return request;
}

std::string address_text(const sockaddr_storage& address) {
  char host[NI_MAXHOST] = {};
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), sizeof address, host, sizeof host,
                  nullptr, 0, NI_NUMERICHOST) != 0) {
    return "?";
  }
  return host;
}

std::string listen_failure(const std::string& where, int error) {
  std::string fix;
  switch (error) {
    case EADDRINUSE:
      fix =
          "another process is listening there: stop it or choose another port (0 picks a free "
          "one)";
      break;
    case EACCES:
      fix = "ports below 1024 need privileges: choose a port above 1023";
      break;
    case EADDRNOTAVAIL:
      fix = "the address is not one of this machine's: use 127.0.0.1 or ::1";
      break;
    default:
      fix = "check the address and port";
  }
  return fmt::format("demo: cannot listen on {}: {}; {}", where, std::strerror(error), fix);
}

enum class Phase { reading, writing, lingering };

struct Connection {
  Fd fd;
  Phase phase = Phase::reading;
  std::string input;
  std::string head;                         // status line and headers of the response
  std::shared_ptr<const std::string> body;  // shared by the connections sending the same one
  std::size_t sent = 0;
  Clock::time_point accepted;
  Clock::time_point progressed;  // the last time a byte went out
  Clock::time_point deadline;

  std::size_t body_size() const { return body ? body->size() : 0; }
};

}  // namespace

const char* http_reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    default:
      return "Unknown";
  }
}

struct HttpServer::Impl {
  HttpHandler handler;
  HttpServerLimits limits;
  Fd listener;
  Fd wake;  // an eventfd: stop() writes to it and poll() returns at once
  uint16_t port = 0;
  std::string address;
  bool ipv6 = false;
  std::list<Connection> connections;
  Clock::time_point accept_paused_until;
  std::thread thread;
  bool stopped = false;

  void listen_on(const std::string& bind, uint16_t requested_port);
  void run();
  void accept_all();
  void on_readable(Connection& c);
  void on_writable(Connection& c);
  void on_deadline(Connection& c);
  void respond(Connection& c, HttpResponse response, bool head_only);
  void respond_error(Connection& c, int status, std::string_view message);
  void start_lingering(Connection& c);
  void evict_for_new_connection();
  void make_room_for(const Connection& responding);
};

void HttpServer::Impl::listen_on(const std::string& bind, uint16_t requested_port) {
  std::string host = bind;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string where = host.find(':') != std::string::npos
                          ? fmt::format("[{}]:{}", host, requested_port)
                          : fmt::format("{}:{}", host, requested_port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(requested_port);
  int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    throw Error(ErrorKind::io,
                fmt::format("demo: cannot listen on {}: {}; give an IPv4 or IPv6 address such as "
                            "127.0.0.1 or ::1",
                            where, gai_strerror(rc)));
  }
  int last_error = 0;
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
    if (fd.get() < 0) {
      last_error = errno;
      continue;
    }
    int one = 1;
    // Lets a restarted demo bind while old connections sit in TIME_WAIT; on Linux it never
    // lets two listeners share a port.
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd.get(), 128) != 0) {
      last_error = errno;
      continue;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &length);
    ipv6 = bound.ss_family == AF_INET6;
    port = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                      : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    address = address_text(bound);
    listener = std::move(fd);
    break;
  }
  freeaddrinfo(found);
  if (listener.get() < 0) throw Error(ErrorKind::io, listen_failure(where, last_error));
}

void HttpServer::Impl::run() {
  std::vector<pollfd> fds;
  std::vector<Connection*> polled;
  while (true) {
    fds.clear();
    polled.clear();
    fds.push_back({wake.get(), POLLIN, 0});
    auto next_deadline = Clock::time_point::max();
    bool paused = Clock::now() < accept_paused_until;
    if (paused) next_deadline = accept_paused_until;
    // Full, the listener is still polled: a new connection evicts the longest waiting one.
    bool accepting = !paused;
    fds.push_back({listener.get(), static_cast<short>(accepting ? POLLIN : 0), 0});
    for (auto& c : connections) {
      short events = c.phase == Phase::writing ? POLLOUT : POLLIN;
      fds.push_back({c.fd.get(), events, 0});
      polled.push_back(&c);
      next_deadline = std::min(next_deadline, c.deadline);
    }
    int timeout_ms = -1;
    if (next_deadline != Clock::time_point::max()) {
      auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_deadline - Clock::now());
      timeout_ms = static_cast<int>(std::clamp<int64_t>(wait.count(), 0, 60'000));
    }
    int ready = ::poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) break;  // stop() asked
    if (ready > 0) {
      if (fds[1].revents & POLLIN) accept_all();
      for (std::size_t i = 0; i < polled.size(); ++i) {
        short revents = fds[i + 2].revents;
        if (revents == 0) continue;
        Connection& c = *polled[i];
        if (c.phase == Phase::writing) {
          on_writable(c);
        } else {
          on_readable(c);
        }
      }
    }
    auto now = Clock::now();
    for (auto& c : connections) {
      if (c.fd.get() >= 0 && now >= c.deadline) on_deadline(c);
    }
    connections.remove_if([](const Connection& c) { return c.fd.get() < 0; });
  }
  connections.clear();
}

// The connection to give up when all slots are taken: one lingering (its response is out), else
// the one that has waited longest for its request. Writers keep their slot: they are served.
void HttpServer::Impl::evict_for_new_connection() {
  Connection* victim = nullptr;
  for (auto& c : connections) {
    if (c.fd.get() < 0) return;  // a slot is free already (removed after this round)
    if (c.phase == Phase::lingering) {
      victim = &c;
      break;
    }
    if (c.phase == Phase::reading && (!victim || c.accepted < victim->accepted)) victim = &c;
  }
  if (victim) victim->fd.reset();
}

void HttpServer::Impl::accept_all() {
  while (true) {
    std::size_t open = static_cast<std::size_t>(
        std::count_if(connections.begin(), connections.end(),
                      [](const Connection& c) { return c.fd.get() >= 0; }));
    if (open >= limits.max_connections) {
      evict_for_new_connection();
      open = static_cast<std::size_t>(
          std::count_if(connections.begin(), connections.end(),
                        [](const Connection& c) { return c.fd.get() >= 0; }));
      if (open >= limits.max_connections) return;  // every slot is sending a response
    }
    int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors: the pending connection stays queued and the listener stays
      // readable, so polling it again at once would spin. Wait for connections to close.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        accept_paused_until = Clock::now() + std::chrono::milliseconds(100);
      }
      return;  // EAGAIN, or an error of that one connection: poll again
    }
    Connection& c = connections.emplace_back();
    c.fd = Fd(fd);
    c.accepted = Clock::now();
    c.deadline = c.accepted + limits.idle_timeout;
  }
}

void HttpServer::Impl::on_readable(Connection& c) {
  char chunk[4096];
  ssize_t n = ::recv(c.fd.get(), chunk, sizeof chunk, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  if (n <= 0) {
    c.fd.reset();  // the client went away (or finished, when lingering)
    return;
  }
  if (c.phase == Phase::lingering) return;  // discarded: the response is already out
  // The first byte came: the whole request now has until request_timeout after the accept.
  if (c.input.empty()) c.deadline = c.accepted + limits.request_timeout;
  std::size_t search_from = c.input.size() >= 3 ? c.input.size() - 3 : 0;
  c.input.append(chunk, static_cast<std::size_t>(n));
  std::size_t end = head_end(c.input, search_from);
  if (end == std::string::npos) {
    if (c.input.size() > limits.max_request_bytes) {
      respond_error(c, 431, "request too large\n");
    }
    return;
  }
  if (end > limits.max_request_bytes) {
    respond_error(c, 431, "request too large\n");
    return;
  }
  auto request = parse_head(std::string_view(c.input).substr(0, end));
  if (!request) {
    respond_error(c, 400, "malformed HTTP request\n");
    return;
  }
  HttpResponse response;
  try {
    response = handler(*request);
  } catch (const std::exception& e) {
    response = HttpResponse{500,
                            "text/plain; charset=utf-8",
                            fmt::format("internal error: {}\n", e.what()),
                            {},
                            nullptr};
  }
  respond(c, std::move(response), request->method == "HEAD");
}

void HttpServer::Impl::respond(Connection& c, HttpResponse response, bool head_only) {
  c.head = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
                       response.status, http_reason(response.status), response.content_type,
                       response.shared_body ? response.shared_body->size() : response.body.size());
  for (const auto& [name, value] : response.headers)
    c.head += fmt::format("{}: {}\r\n", name, value);
  c.head += "Connection: close\r\n\r\n";
  if (head_only) {
    c.body.reset();
  } else if (response.shared_body) {
    c.body = std::move(response.shared_body);
  } else {
    c.body = std::make_shared<const std::string>(std::move(response.body));
  }
  make_room_for(c);
  c.sent = 0;
  c.input.clear();
  c.phase = Phase::writing;
  c.progressed = Clock::now();
  c.deadline = c.progressed + limits.write_timeout;
  on_writable(c);  // most responses fit in the socket buffer at once
}

// Closes the writers that progressed least recently until the responses held, this one
// included, fit in max_pending_bytes (this one alone may pass it: it is served).
// A body shared by several connections counts once, whole, while any of them holds it.
void HttpServer::Impl::make_room_for(const Connection& responding) {
  while (true) {
    std::set<const std::string*> bodies{responding.body.get()};
    std::size_t held = responding.head.size() + responding.body_size();
    Connection* stalest = nullptr;
    for (auto& c : connections) {
      if (&c == &responding || c.fd.get() < 0 || c.phase != Phase::writing) continue;
      held += c.head.size();
      if (bodies.insert(c.body.get()).second) held += c.body_size();
      if (!stalest || c.progressed < stalest->progressed) stalest = &c;
    }
    if (held <= limits.max_pending_bytes || !stalest) return;
    stalest->fd.reset();
    stalest->head = std::string();
    stalest->body.reset();
  }
}

void HttpServer::Impl::respond_error(Connection& c, int status, std::string_view message) {
  respond(c, HttpResponse{status, "text/plain; charset=utf-8", std::string(message), {}, nullptr},
          false);
}

void HttpServer::Impl::on_writable(Connection& c) {
  while (true) {
    std::size_t total = c.head.size() + c.body_size();
    if (c.sent >= total) {
      start_lingering(c);
      return;
    }
    iovec parts[2];
    int count = 0;
    if (c.sent < c.head.size()) {
      parts[count++] = {c.head.data() + c.sent, c.head.size() - c.sent};
      if (c.body_size()) parts[count++] = {const_cast<char*>(c.body->data()), c.body->size()};
    } else {
      std::size_t offset = c.sent - c.head.size();
      parts[count++] = {const_cast<char*>(c.body->data()) + offset, c.body->size() - offset};
    }
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<std::size_t>(count);
    ssize_t n = ::sendmsg(c.fd.get(), &message, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      c.fd.reset();  // the client went away
      return;
    }
    c.sent += static_cast<std::size_t>(n);
    c.progressed = Clock::now();
    c.deadline = c.progressed + limits.write_timeout;
  }
}

// Closing a socket with unread input resets the connection, which can destroy the response
// before the client reads it; so we half-close and read until the client closes too.
void HttpServer::Impl::start_lingering(Connection& c) {
  ::shutdown(c.fd.get(), SHUT_WR);
  c.head.clear();
  c.head.shrink_to_fit();
  c.body.reset();
  c.phase = Phase::lingering;
  c.deadline = Clock::now() + limits.linger_timeout;
}

void HttpServer::Impl::on_deadline(Connection& c) {
  if (c.phase == Phase::reading && !c.input.empty()) {
    respond_error(c, 408, "request not received in time\n");
    return;
  }
  c.fd.reset();  // silent client, stalled reader, or lingering done
}

HttpServer::HttpServer(const std::string& bind, uint16_t port, HttpHandler handler,
                       HttpServerLimits limits)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  impl_->limits = limits;
  impl_->wake = Fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (impl_->wake.get() < 0) {
    throw Error(ErrorKind::io, fmt::format("demo: cannot create an eventfd: {}; raise the limit "
                                           "of open files",
                                           std::strerror(errno)));
  }
  impl_->listen_on(bind, port);
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

HttpServer::~HttpServer() {
  stop();
}

uint16_t HttpServer::port() const {
  return impl_->port;
}
const std::string& HttpServer::address() const {
  return impl_->address;
}
bool HttpServer::ipv6() const {
  return impl_->ipv6;
}

void HttpServer::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  uint64_t one = 1;
  ssize_t written = ::write(impl_->wake.get(), &one, sizeof one);
  (void)written;  // the counter cannot overflow from one write
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->listener.reset();
}

}  // namespace e2e3d::demo
