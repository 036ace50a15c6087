#pragma once
// Recognising and masking secrets in text the tool shows but did not write: other processes'
// command lines (doctor, and the same for processes inside containers), URLs and their query
// strings, HTTP header lines in --verbose traces, environment variables. One denylist of the
// words that name a secret serves all of them, so an option, a header, a variable and a query
// parameter called "token" are all masked alike.

#include <string>
#include <string_view>
#include <vector>

namespace e2e3d::sys {

// What a masked value is shown as.
inline constexpr std::string_view kMasked = "***";

// Whether a name (an option without its dashes, a header, a variable, a query key) names a
// secret: it mentions a password, token, key, secret, auth..., in any case. "PGPASSWORD",
// "X-Api-Key", "client_secret", "--private-key", "access_token" all do.
bool names_a_secret(std::string_view name);

// `text` with the value of every `?key=value` or `&key=value` whose key names a secret
// replaced by "xxxxx", wherever it stands: in a URL, a request line, a Location header.
std::string mask_secret_parameters(std::string_view text);

// A line of free text (a log line) with credentials masked: the value after every word that
// names a secret and is followed by '=' or ':' (password=x, "token": "y", Authorization: ...,
// up to the next space, comma, quote, '&', ';' or ')'), "Bearer x"-style credentials and
// secret query parameters. URLs' user:password@ is redact_urls_in's (e2e3d/fetch.hpp): free
// text has '@' and ':' in too many other places to guess without a scheme. A word that names an
// exception or error type (KeyError: 'x', TokenError: ...) is not a key: a traceback's last line
// stays readable.
std::string mask_secrets_in_text(std::string_view text);

// A command line with every credential replaced by ***:
//   - the value of an option that names a secret (--password PW, --token=T, -password PW),
//     and of the options that carry one by convention: -p PW and -pPW, -u/--user USER:PW,
//     -k PASS, --pass, --auth, -a... (see the .cpp for the list);
//   - the value of a header that names a secret (-H "Authorization: Bearer x" -> "***");
//   - VAR=VALUE arguments whose VAR names a secret (PASSWORD=x, DB_TOKEN=y);
//   - values of a secret shape anywhere: user:password@host (with or without a scheme, with
//     any character in the password), "Bearer x" / "Basic x", secret query parameters.
// Names of options and programs stay, so the line still says what runs.
std::vector<std::string> mask_command_line(const std::vector<std::string>& argv);

}  // namespace e2e3d::sys
