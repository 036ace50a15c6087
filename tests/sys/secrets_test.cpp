// Masking credentials in other processes' command lines, URLs and header lines: every
// instance of each class of secret the hostile-input review tried, and the ones beside them.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "e2e3d/sys/secrets.hpp"

using e2e3d::sys::mask_command_line;
using e2e3d::sys::mask_secret_parameters;
using e2e3d::sys::names_a_secret;

namespace {

std::string masked(std::vector<std::string> argv) {
  std::string out;
  for (const auto& arg : mask_command_line(argv))
    out += (out.empty() ? "" : " ") + arg;
  return out;
}

}  // namespace

TEST_CASE("names_a_secret: one denylist for options, headers, variables, query keys", "[sys]") {
  for (const char* name : {"password",
                           "PGPASSWORD",
                           "passwd",
                           "pass",
                           "pwd",
                           "X-Api-Key",
                           "X-Auth-Token",
                           "Authorization",
                           "Proxy-Authorization",
                           "PRIVATE-TOKEN",
                           "client_secret",
                           "private-key",
                           "access_token",
                           "Cookie",
                           "session_id",
                           "CI_JOB_TOKEN",
                           "AWS_SECRET_ACCESS_KEY",
                           "credentials",
                           "sig",
                           "jwt"}) {
    INFO(name);
    CHECK(names_a_secret(name));
  }
  for (const char* name : {"port", "host", "url", "job", "verbose", "X-Scope-OrgID", "PATH",
                           "ENABLE_METRICS", "timeout", "Accept"}) {
    INFO(name);
    CHECK_FALSE(names_a_secret(name));
  }
}

TEST_CASE("mask_command_line: options that name a secret, in every spelling", "[sys]") {
  CHECK(masked({"app", "--password", "PW", "--port", "9101"}) == "app --password *** --port 9101");
  CHECK(masked({"app", "--password=PW"}) == "app --password=***");
  CHECK(masked({"app", "-password", "PW"}) == "app -password ***");  // Go's flags
  CHECK(masked({"app", "-password=PW"}) == "app -password=***");
  CHECK(masked({"app", "--pass", "PW"}) == "app --pass ***");
  CHECK(masked({"app", "--auth", "PW"}) == "app --auth ***");
  CHECK(masked({"app", "--private-key", "KEY"}) == "app --private-key ***");
  CHECK(masked({"app", "--api-token=T"}) == "app --api-token=***");
  CHECK(masked({"app", "--client-secret", "S", "--verbose"}) ==
        "app --client-secret *** --verbose");
  CHECK(masked({"app", "--DB-PASSWORD", "PW"}) == "app --DB-PASSWORD ***");
  // A secret option used as a flag does not take the next option.
  CHECK(masked({"app", "--no-auth", "--port", "1"}) == "app --no-auth --port 1");
}

TEST_CASE("mask_command_line: options that carry a secret by convention", "[sys]") {
  CHECK(masked({"mysql", "-p", "PW", "db"}) == "mysql -p *** db");
  CHECK(masked({"mysql", "-pS3cret", "db"}) == "mysql -p*** db");
  CHECK(masked({"sshpass", "-p", "123456", "ssh", "h"}) == "sshpass -p *** ssh h");
  CHECK(masked({"openssl", "enc", "-k", "PW"}) == "openssl enc -k ***");
  CHECK(masked({"curl", "--user", "a:b", "http://h/"}) == "curl --user a:*** http://h/");
  CHECK(masked({"curl", "--user=a:b"}) == "curl --user=a:***");
  CHECK(masked({"curl", "-u", "admin:PW"}) == "curl -u admin:***");
  CHECK(masked({"curl", "-uadmin:PW"}) == "curl -uadmin:***");
  CHECK(masked({"curl", "-U", "proxy:PW"}) == "curl -U proxy:***");
  CHECK(masked({"curl", "--proxy-user", "proxy:PW"}) == "curl --proxy-user proxy:***");
  // Without a password, a user is only a name; python -u is unbuffered output.
  CHECK(masked({"docker", "exec", "--user", "root", "c"}) == "docker exec --user root c");
  CHECK(masked({"python3", "-u", "app.py"}) == "python3 -u app.py");
  // Go's single-dash long options are names, not a short option with a value.
  CHECK(masked({"docker-proxy", "-proto", "tcp", "-host-port", "9101"}) ==
        "docker-proxy -proto tcp -host-port 9101");
}

TEST_CASE("mask_command_line: headers whose name names a secret", "[sys]") {
  CHECK(masked({"curl", "-H", "Authorization: Bearer T", "-H", "X-Scope-OrgID: t1"}) ==
        "curl -H Authorization: *** -H X-Scope-OrgID: t1");
  CHECK(masked({"curl", "--header", "X-Api-Key: K"}) == "curl --header X-Api-Key: ***");
  CHECK(masked({"curl", "--header=PRIVATE-TOKEN: K"}) == "curl --header=PRIVATE-TOKEN: ***");
  CHECK(masked({"curl", "-HCookie: s=K"}) == "curl -HCookie: ***");
  CHECK(masked({"wget", "--header=Proxy-Authorization: Basic K"}) ==
        "wget --header=Proxy-Authorization: ***");
}

TEST_CASE("mask_command_line: values of a secret shape, wherever they are", "[sys]") {
  CHECK(masked({"env", "PASSWORD=PW", "DB_TOKEN=T", "PORT=9101", "app"}) ==
        "env PASSWORD=*** DB_TOKEN=*** PORT=9101 app");
  CHECK(masked({"curl", "http://user:PW@host:9101/metrics"}) ==
        "curl http://user:***@host:9101/metrics");
  CHECK(masked({"rsync", "user:pa/ss@host"}) == "rsync user:***@host");
  CHECK(masked({"app", "--url=http://u:p@ss@h/x"}) == "app --url=http://u:***@h/x");
  CHECK(masked({"app", "--dsn", "postgres://app:PW@db/app"}) ==
        "app --dsn postgres://app:***@db/app");
  CHECK(masked({"app", "http://h/m?access_token=T&x=1"}) ==
        "app http://h/m?access_token=xxxxx&x=1");
  CHECK(masked({"sh", "-c", "curl -H 'Authorization: Bearer T' http://h"}) ==
        "sh -c curl -H 'Authorization: Bearer ***' http://h");
  CHECK(masked({"git", "clone", "git@github.com:org/repo"}) == "git clone git@github.com:org/repo");
  // After --, arguments are not options, but their shapes are still masked.
  CHECK(masked({"app", "--", "-p", "user:PW@h"}) == "app -- -p user:***@h");
}

TEST_CASE("mask_secret_parameters: in URLs, request lines and Location headers", "[sys]") {
  CHECK(mask_secret_parameters("GET /m?password=pw&sig=abc&ok=1 HTTP/1.1") ==
        "GET /m?password=xxxxx&sig=xxxxx&ok=1 HTTP/1.1");
  CHECK(mask_secret_parameters("Location: /x?access_token=T#top") ==
        "Location: /x?access_token=xxxxx#top");
  CHECK(mask_secret_parameters("/api/v1/query?query=up&time=1") == "/api/v1/query?query=up&time=1");
}

TEST_CASE("mask_secrets_in_text: log lines, by the same denylist", "[sys]") {
  using e2e3d::sys::mask_secrets_in_text;
  CHECK(mask_secrets_in_text("connecting with password=hunter2 to db") ==
        "connecting with password=*** to db");
  CHECK(mask_secrets_in_text(R"({"api_key": "abc123", "user": "bob"})") ==
        R"({"api_key": "***", "user": "bob"})");
  CHECK(mask_secrets_in_text("DB_TOKEN: s3cr3t, retrying") == "DB_TOKEN: ***, retrying");
  CHECK(mask_secrets_in_text("GET /x?access_token=abc&page=2") ==
        "GET /x?access_token=xxxxx&page=2");
  CHECK(mask_secrets_in_text("header Authorization: Bearer eyJhbGc") ==
        "header Authorization: *** ***");
  // Exception names are not keys: the traceback's last line is what doctor quotes.
  CHECK(mask_secrets_in_text("KeyError: 'ENABLE_METRICS'") == "KeyError: 'ENABLE_METRICS'");
  CHECK(mask_secrets_in_text("OSError: [Errno 98] Address already in use") ==
        "OSError: [Errno 98] Address already in use");
  CHECK(mask_secrets_in_text("nothing secret here: 42") == "nothing secret here: 42");
}
