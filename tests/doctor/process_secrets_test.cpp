// Other processes' command lines as doctor shows them: real processes whose arguments hold
// credentials of every kind, and processes that mention "metrics" without being the service.

#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>

#include "doctor_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {

constexpr const char* kSecrets[] = {"Us3r-Pa55",   "p-S3cret",     "hunter2-pass", "ENV-Pa55w0rd",
                                    "auth-S3cret", "bearer-T0ken", "key-M4terial", "k-Pa55",
                                    "pa/ss-W0rd",  "dsn-Pa55"};

}  // namespace

TEST_CASE("process.metrics_server: the service's command line is shown with every secret masked",
          "[doctor][live]") {
  // A script named like the service, as the document runs it, given credentials every way a
  // command line can carry them. Nothing listens on the port, so doctor lists the processes
  // that look like the service.
  char dir_pattern[] = "/tmp/e2e3d-doctor-proc-XXXXXX";
  REQUIRE(mkdtemp(dir_pattern));
  std::string dir = dir_pattern;
  std::string script = dir + "/e2e3d_reconstruction_service.py";
  std::ofstream(script) << "import time\ntime.sleep(60)\n";
  e2e3d::test::ChildProcess service({"/usr/bin/python3",
                                     script,
                                     "--user",
                                     "admin:Us3r-Pa55",
                                     "-p",
                                     "p-S3cret",
                                     "--pass",
                                     "hunter2-pass",
                                     "PASSWORD=ENV-Pa55w0rd",
                                     "--auth",
                                     "auth-S3cret",
                                     "-H",
                                     "Authorization: Bearer bearer-T0ken",
                                     "--private-key",
                                     "key-M4terial",
                                     "-k",
                                     "k-Pa55",
                                     "rsync:pa/ss-W0rd@backup",
                                     "--dsn=postgres://app:dsn-Pa55@db/app",
                                     "--port",
                                     "9101"});
  // Mentions metrics in its arguments only: not the service, not listed.
  e2e3d::test::ChildProcess bystander({"/usr/bin/python3", "-c", "import time; time.sleep(60)",
                                       "http://admin:x@127.0.0.1:9101/metrics"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  auto options =
      options_for_url(fmt::format("http://127.0.0.1:{}/metrics", e2e3d::test::free_port()));
  Result r = run_check("process.metrics_server", options);
  INFO(r.summary << "\n" << r.detail);
  CHECK(r.status == Status::fail);
  CHECK(has(r.detail, fmt::format("PID {}: /usr/bin/python3 {}", service.pid(), script)));
  CHECK(has(r.detail,
            "--user admin:*** -p *** --pass *** PASSWORD=*** --auth *** -H "
            "Authorization: *** --private-key *** -k *** rsync:***@backup "
            "--dsn=postgres://app:***@db/app --port 9101"));
  for (const char* secret : kSecrets)
    CHECK_FALSE(has(r.detail, secret));
  CHECK_FALSE(has(r.detail, fmt::format("PID {}", bystander.pid())));

  // --pid names the service: env.enable_metrics shows the same line, masked alike.
  options.pid = service.pid();
  r = run_check("env.enable_metrics", options);
  INFO(r.summary << "\n" << r.detail);
  for (const char* secret : kSecrets)
    CHECK_FALSE(has(r.detail, secret));
  std::filesystem::remove_all(dir);
}
