#include "fetch/body_sniffer.hpp"

namespace e2e3d::fetch_detail {
namespace {

// Control characters never appear in an exposition outside label values, and a body that
// starts with them is not text at all.
bool control_byte(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

bool blank(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

std::optional<std::string_view> BodySniffer::look(std::string_view chunk) {
  if (decided_) return std::nullopt;
  static constexpr unsigned char kBom[] = {0xef, 0xbb, 0xbf};
  std::size_t i = 0;
  // A UTF-8 byte order mark is the parser's business (it reports it); skip it here.
  while (i < chunk.size() && bom_bytes_seen_ < 3 &&
         static_cast<unsigned char>(chunk[i]) == kBom[bom_bytes_seen_]) {
    ++i;
    ++bom_bytes_seen_;
  }
  if (i < chunk.size()) bom_bytes_seen_ = 3;
  while (i < chunk.size() && blank(static_cast<unsigned char>(chunk[i])))
    ++i;
  if (i == chunk.size()) return std::nullopt;
  decided_ = true;

  auto first = static_cast<unsigned char>(chunk[i]);
  if (first == '<') return "an HTML page";
  if (first == '{' || first == '[') return "JSON";
  if (first == 0x1f && i + 1 < chunk.size() && static_cast<unsigned char>(chunk[i + 1]) == 0x8b) {
    return "gzip-compressed data";
  }
  std::string_view head = chunk.substr(i, 512);
  for (char c : head) {
    if (control_byte(static_cast<unsigned char>(c))) return "binary data";
  }
  return std::nullopt;
}

std::string_view advice_for(std::string_view what) {
  if (what == "an HTML page") {
    return "Is --url a web page (a dashboard, a login or proxy page) instead of the service's "
           "/metrics?";
  }
  if (what == "JSON") {
    return "Is --url a JSON API (for instance the Prometheus HTTP API) instead of the "
           "exporter's /metrics?";
  }
  if (what == "gzip-compressed data") {
    return "The server compressed the body without saying so (no Content-Encoding header): "
           "fix the server or a proxy in front of it.";
  }
  return "Is another kind of service listening on this port?";
}

std::string_view advice_for_file(std::string_view what) {
  if (what == "gzip-compressed data") {
    return "Decompress it first: zcat FILE | e2e3d-metrics --file - ...";
  }
  return "Give --file a saved /metrics response (curl -s http://localhost:9101/metrics > FILE).";
}

}  // namespace e2e3d::fetch_detail
