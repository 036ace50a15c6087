// One denylist of secret names, and the maskers built on it (see secrets.hpp).

#include "e2e3d/sys/secrets.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace e2e3d::sys {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Options that carry a secret by convention although their name does not say so.
enum class Carries {
  nothing,
  secret,  // the whole value: -p PW (mysql, sshpass), -k PASS (openssl)
  user,    // USER:PASSWORD, the part after the first ':' (curl -u, --user, --proxy-user)
  header,  // "Name: value", the value when Name names a secret (curl -H)
};

Carries carried_by(std::string_view name, bool single_dash) {
  if (single_dash && (name == "p" || name == "k")) return Carries::secret;
  if ((single_dash && (name == "u" || name == "U")) || lower(name) == "user" ||
      lower(name) == "proxy-user") {
    return Carries::user;
  }
  if ((single_dash && name == "H") || lower(name) == "header") return Carries::header;
  if (names_a_secret(name)) return Carries::secret;
  return Carries::nothing;
}

std::string masked_as(Carries what, std::string_view value) {
  switch (what) {
    case Carries::secret:
      return std::string(kMasked);
    case Carries::user: {
      std::size_t colon = value.find(':');
      if (colon == std::string_view::npos) return std::string(value);  // --user root
      return std::string(value.substr(0, colon + 1)) + std::string(kMasked);
    }
    case Carries::header:
    case Carries::nothing:
      break;
  }
  return std::string(value);
}

// "Authorization: Bearer x" -> "Authorization: ***", when the header's name names a secret.
std::string mask_header(std::string_view text) {
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::string(text);
  std::string_view name = text.substr(0, colon);
  bool header_name = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!header_name || !names_a_secret(name)) return std::string(text);
  return std::string(text.substr(0, colon + 1)) + " " + std::string(kMasked);
}

// "Bearer x", "Basic x", "Token x" anywhere: the credential after the scheme word.
std::string mask_auth_schemes(std::string text) {
  for (std::string_view scheme : {"bearer ", "basic ", "token ", "digest "}) {
    std::string low = lower(text);
    std::size_t at = 0;
    while ((at = low.find(scheme, at)) != std::string::npos) {
      std::size_t start = at + scheme.size();
      while (start < text.size() && is_space(text[start]))
        ++start;
      std::size_t end = start;
      while (end < text.size() && !is_space(text[end]) && text[end] != '"' && text[end] != '\'')
        ++end;
      if (end > start && text.compare(start, end - start, kMasked) != 0) {
        text.replace(start, end - start, kMasked);
        low = lower(text);
      }
      at = start + kMasked.size();
    }
  }
  return text;
}

// user:password@host, with a scheme or without, whatever the password holds ("pa/ss").
std::string mask_userinfo(std::string text) {
  std::size_t scheme = text.find("://");
  std::size_t start = scheme != std::string::npos ? scheme + 3 : 0;
  if (scheme == std::string::npos) {
    // In --url=USER:PW@HOST, the value starts after the '='.
    std::size_t eq = text.find('=');
    if (eq != std::string::npos && eq < text.find('@')) start = eq + 1;
  }
  std::size_t at = text.rfind('@');
  if (at == std::string::npos || at < start) return text;
  std::size_t colon = text.find(':', start);
  if (colon == std::string::npos || colon > at) return text;
  text.replace(colon + 1, at - colon - 1, kMasked);
  return text;
}

// NAME=VALUE with NAME a variable name that names a secret (env PASSWORD=x cmd).
std::string mask_assignment(std::string text) {
  std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return text;
  std::string_view name(text.data(), eq);
  bool variable = (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                  });
  if (variable && names_a_secret(name)) text = text.substr(0, eq + 1) + std::string(kMasked);
  return text;
}

// The masks of secret shapes, for any argument.
std::string mask_shapes(std::string arg) {
  arg = mask_header(arg);
  arg = mask_auth_schemes(std::move(arg));
  arg = mask_userinfo(std::move(arg));
  arg = mask_assignment(std::move(arg));
  return mask_secret_parameters(arg);
}

// -pS3cret: a conventional short option with its value attached. A run of lower-case letters
// is a single-dash long option instead (Go's -proto, -password), judged by its name.
std::optional<std::string> attached_short_value(std::string_view arg) {
  if (arg.size() <= 2 || arg[0] != '-' || arg[1] == '-') return std::nullopt;
  Carries what = carried_by(arg.substr(1, 1), true);
  if (what == Carries::nothing || what == Carries::header) return std::nullopt;
  std::string_view value = arg.substr(2);
  bool word = std::all_of(value.begin(), value.end(),
                          [](char c) { return (c >= 'a' && c <= 'z') || c == '-' || c == '_'; });
  if (word) return std::nullopt;
  return std::string(arg.substr(0, 2)) + masked_as(what, value);
}

}  // namespace

bool names_a_secret(std::string_view name) {
  static constexpr std::array<std::string_view, 13> kWords{
      "pass",   "pwd",     "secret", "token",   "auth", "key", "credential",
      "cookie", "session", "bearer", "private", "jwt",  "sig"};
  std::string n = lower(name);
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view word) { return n.find(word) != std::string::npos; });
}

std::string mask_secret_parameters(std::string_view text) {
  auto key_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == '%' || c == '[' || c == ']';
  };
  auto value_end = [](char c) {
    return c == '&' || c == '#' || c == '\'' || c == '"' || c == '<' || c == '>' || c == ';' ||
           is_space(c);
  };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    out.push_back(c);
    ++i;
    if (c != '?' && c != '&') continue;
    std::size_t key_end = i;
    while (key_end < text.size() && key_char(text[key_end]))
      ++key_end;
    if (key_end == i || key_end >= text.size() || text[key_end] != '=') continue;
    if (!names_a_secret(text.substr(i, key_end - i))) continue;
    out.append(text.substr(i, key_end + 1 - i)).append("xxxxx");
    i = key_end + 1;
    while (i < text.size() && !value_end(text[i]))
      ++i;
  }
  return out;
}

std::string mask_secrets_in_text(std::string_view text) {
  auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  auto value_end = [](char c) {
    return is_space(c) || std::string_view(",\"'&;)").find(c) != std::string_view::npos;
  };
  std::string line = mask_auth_schemes(std::string(text));
  std::string out;
  std::size_t i = 0;
  while (i < line.size()) {
    if (!word_char(line[i]) || (i > 0 && word_char(line[i - 1]))) {
      out.push_back(line[i++]);
      continue;
    }
    std::size_t end = i;
    while (end < line.size() && word_char(line[end]))
      ++end;
    std::string_view word(line.data() + i, end - i);
    out.append(word);
    i = end;
    std::size_t q = end;
    while (q < line.size() && (line[q] == '"' || line[q] == '\''))
      ++q;
    if (q >= line.size() || (line[q] != '=' && line[q] != ':')) continue;
    bool exception_name =
        word.ends_with("Error") || word.ends_with("Exception") || word.ends_with("Warning");
    if (!names_a_secret(word) || exception_name) continue;
    if (line.compare(q, 3, "://") == 0) continue;  // a URL's scheme, not a key
    ++q;
    while (q < line.size() && (line[q] == ' ' || line[q] == '"' || line[q] == '\''))
      ++q;
    std::size_t value = q;
    while (q < line.size() && !value_end(line[q]))
      ++q;
    out.append(line, end, value - end);
    if (q > value) out.append(kMasked);
    i = q;
  }
  return mask_secret_parameters(out);
}

std::vector<std::string> mask_command_line(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  out.reserve(argv.size());
  Carries pending = Carries::nothing;
  bool options_ended = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    bool is_option = !options_ended && i > 0 && arg.size() > 1 && arg[0] == '-';
    if (pending != Carries::nothing && !is_option) {
      out.push_back(pending == Carries::header ? mask_shapes(arg) : masked_as(pending, arg));
      pending = Carries::nothing;
      continue;
    }
    pending = Carries::nothing;
    if (!is_option) {
      out.push_back(mask_shapes(arg));
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      out.push_back(arg);
      continue;
    }
    bool single_dash = arg[1] != '-';
    if (single_dash && arg.size() > 2 && arg[1] == 'H') {  // -HAuthorization: x
      out.push_back("-H" + mask_shapes(arg.substr(2)));
      continue;
    }
    std::string_view body = std::string_view(arg).substr(single_dash ? 1 : 2);
    std::size_t eq = body.find('=');
    std::string_view name = body.substr(0, eq);
    Carries what = carried_by(name, single_dash);
    if (eq != std::string_view::npos) {
      std::string_view value = body.substr(eq + 1);
      std::string prefix = arg.substr(0, arg.size() - value.size());
      out.push_back(what == Carries::nothing || what == Carries::header
                        ? prefix + mask_shapes(std::string(value))
                        : prefix + masked_as(what, value));
      continue;
    }
    if (auto attached = attached_short_value(arg)) {
      out.push_back(*attached);
      continue;
    }
    pending = what;
    out.push_back(arg);
  }
  return out;
}

}  // namespace e2e3d::sys
