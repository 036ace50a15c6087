// The file_sd reader of --targets-file on arbitrary bytes read as a JSON file: the strict JSON
// check, then the groups, targets and labels.
#include "fleet/targets_file.hpp"
#include "support.hpp"

namespace e2e3d::fuzz {
namespace {

constexpr std::string_view kTarget = "fuzz_json_file_sd";

}  // namespace

void json_file_sd_input(std::string_view data) {
  try {
    (void)fleet_detail::read_file_sd("targets.json", std::string(data), "e2e3d", true);
  } catch (const e2e3d::Error& e) {
    check_error_message(e, kTarget);
  }
}

}  // namespace e2e3d::fuzz
