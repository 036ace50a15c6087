// config.HTTPClientConfig of prometheus/common v0.39 (what Prometheus 2.42 links): its fields,
// inline in every section that makes HTTP requests, and its Validate.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "promconfig/decode.hpp"

namespace e2e3d::promconfig::detail {

void decode_tls(Decoder& d, const YAML::Node& node, TlsFiles& out) {
  Fields fields(d, node, "config.plain");
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    std::string ignored;
    bool flag = false;
    if (e.key == "ca_file" || e.key == "server_name") {
      d.string(e.value, ignored);
    } else if (e.key == "cert_file") {
      d.string(e.value, out.cert_file);
    } else if (e.key == "key_file") {
      d.string(e.value, out.key_file);
    } else if (e.key == "insecure_skip_verify") {
      d.boolean(e.value, flag);
    } else if (e.key == "min_version" || e.key == "max_version") {
      if (d.kind(e.value) == Kind::null) continue;
      if (!d.string(e.value, ignored)) continue;
      if (ignored != "TLS13" && ignored != "TLS12" && ignored != "TLS11" && ignored != "TLS10") {
        d.fail(&e.value, fmt::format("unknown TLS version: {}", ignored), "tls_version", ignored);
      }
    } else {
      fields.unknown(e);
    }
  }
}

namespace {

void decode_basic_auth(Decoder& d, const YAML::Node& node, HttpClient& out) {
  Fields fields(d, node, "config.plain");
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    std::string ignored;
    if (e.key == "username") {
      d.string(e.value, ignored);
    } else if (e.key == "password") {
      d.string(e.value, out.basic_password);
    } else if (e.key == "password_file") {
      d.string(e.value, out.basic_password_file);
    } else {
      fields.unknown(e);
    }
  }
}

void decode_authorization(Decoder& d, const YAML::Node& node, HttpClient& out) {
  Fields fields(d, node, "config.Authorization");
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    if (e.key == "type") {
      d.string(e.value, out.authorization_type);
    } else if (e.key == "credentials") {
      d.string(e.value, out.credentials);
    } else if (e.key == "credentials_file") {
      d.string(e.value, out.credentials_file);
    } else {
      fields.unknown(e);
    }
  }
}

void decode_oauth2(Decoder& d, const YAML::Node& node, HttpClient& out) {
  Fields fields(d, node, "config.OAuth2");
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    std::string ignored;
    std::vector<std::string> list;
    std::vector<std::pair<std::string, std::string>> map;
    TlsFiles tls;
    if (e.key == "client_id") {
      d.string(e.value, out.oauth2_client_id);
    } else if (e.key == "client_secret") {
      d.string(e.value, out.oauth2_client_secret);
    } else if (e.key == "client_secret_file") {
      d.string(e.value, out.oauth2_client_secret_file);
    } else if (e.key == "token_url") {
      d.string(e.value, out.oauth2_token_url);
    } else if (e.key == "scopes") {
      d.strings(e.value, list);
    } else if (e.key == "endpoint_params") {
      d.string_map(e.value, map);
    } else if (e.key == "proxy_url") {
      d.string(e.value, ignored);
    } else if (e.key == "tls_config") {
      decode_tls(d, e.value, tls);
    } else {
      fields.unknown(e);
    }
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim_space(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

bool http_client_field(Decoder& d, Fields& fields, const Fields::Entry& e, HttpClient& out) {
  static constexpr std::string_view kKeys[] = {
      "basic_auth", "authorization",        "oauth2",     "bearer_token",     "bearer_token_file",
      "proxy_url",  "proxy_connect_header", "tls_config", "follow_redirects", "enable_http2"};
  if (std::find(std::begin(kKeys), std::end(kKeys), e.key) == std::end(kKeys)) return false;
  if (!fields.first(e)) return true;
  bool flag = false;
  // A pointer field set to null stays nil, as in Go.
  bool present = d.kind(e.value) != Kind::null;
  if (e.key == "basic_auth") {
    out.basic_auth = present;
    decode_basic_auth(d, e.value, out);
  } else if (e.key == "authorization") {
    out.authorization = present;
    decode_authorization(d, e.value, out);
  } else if (e.key == "oauth2") {
    out.oauth2 = present;
    decode_oauth2(d, e.value, out);
  } else if (e.key == "bearer_token") {
    d.string(e.value, out.bearer_token);
  } else if (e.key == "bearer_token_file") {
    d.string(e.value, out.bearer_token_file);
  } else if (e.key == "proxy_url") {
    d.string(e.value, out.proxy_url);
  } else if (e.key == "proxy_connect_header") {
    // map[string][]Secret
    Kind k = d.kind(e.value);
    if (k == Kind::mapping) {
      for (const auto& header : e.value) {
        std::vector<std::string> values;
        std::string name;
        d.string(header.first, name);
        d.strings(header.second, values, "[]config.Secret");
      }
      out.proxy_connect_header = e.value.size() > 0;
    } else if (k != Kind::null) {
      d.type_error(e.value, "config.Header");
    }
  } else if (e.key == "tls_config") {
    decode_tls(d, e.value, out.tls);
  } else {
    d.boolean(e.value, flag);
  }
  return true;
}

void validate_http_client(Decoder& d, HttpClient& c, const YAML::Node& at) {
  auto refuse = [&](std::string message) { d.fail(&at, std::move(message), "http_client"); };
  bool bearer = !c.bearer_token.empty() || !c.bearer_token_file.empty();
  if (!c.bearer_token.empty() && !c.bearer_token_file.empty()) {
    refuse("at most one of bearer_token & bearer_token_file must be configured");
  }
  if ((c.basic_auth || c.oauth2) && bearer) {
    refuse(
        "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
  }
  if (c.basic_auth && !c.basic_password.empty() && !c.basic_password_file.empty()) {
    refuse("at most one of basic_auth password & password_file must be configured");
  }
  if (c.authorization) {
    if (bearer) refuse("authorization is not compatible with bearer_token & bearer_token_file");
    if (!c.credentials.empty() && !c.credentials_file.empty()) {
      refuse("at most one of authorization credentials & credentials_file must be configured");
    }
    c.authorization_type = trim_space(c.authorization_type);
    if (c.authorization_type.empty()) c.authorization_type = "Bearer";
    if (lower(c.authorization_type) == "basic") {
      refuse("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    if (c.basic_auth || c.oauth2) {
      refuse("at most one of basic_auth, oauth2 & authorization must be configured");
    }
  } else if (!c.bearer_token.empty()) {
    c.authorization = true;
    c.authorization_type = "Bearer";
    c.credentials = c.bearer_token;
  } else if (!c.bearer_token_file.empty()) {
    c.authorization = true;
    c.authorization_type = "Bearer";
    c.credentials_file = c.bearer_token_file;
  }
  if (c.oauth2) {
    if (c.basic_auth)
      refuse("at most one of basic_auth, oauth2 & authorization must be configured");
    if (c.oauth2_client_id.empty()) refuse("oauth2 client_id must be configured");
    if (c.oauth2_client_secret.empty() && c.oauth2_client_secret_file.empty()) {
      refuse("either oauth2 client_secret or client_secret_file must be configured");
    }
    if (c.oauth2_token_url.empty()) refuse("oauth2 token_url must be configured");
    if (!c.oauth2_client_secret.empty() && !c.oauth2_client_secret_file.empty()) {
      refuse("at most one of oauth2 client_secret & client_secret_file must be configured");
    }
  }
  if (c.proxy_connect_header && c.proxy_url.empty()) {
    refuse("if proxy_connect_header is configured proxy_url must also be configured");
  }
}

}  // namespace e2e3d::promconfig::detail
