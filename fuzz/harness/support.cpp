#include "support.hpp"

#include <cstdlib>

namespace e2e3d::fuzz {

Finding::Finding(std::string_view target, const std::string& what)
    : std::logic_error(std::string(target) + ": FINDING: " + what) {}

void check_error_message(const e2e3d::Error& error, std::string_view target) {
  std::string_view message = error.what();
  if (message.empty()) throw Finding(target, "an e2e3d::Error with an empty message");
  if (message.size() > kMaxErrorMessage) {
    throw Finding(target, "an error message of " + std::to_string(message.size()) +
                              " bytes (it quotes too much input): " +
                              std::string(message.substr(0, 300)) + "...");
  }
  // To fuzz past a reported, still open finding of this kind (scripts/fuzz.sh documents it).
  static const bool allow_control = std::getenv("E2E3D_FUZZ_ALLOW_CONTROL_CHARACTERS") != nullptr;
  if (allow_control) return;
  for (std::size_t i = 0; i < message.size(); ++i) {
    auto c = static_cast<unsigned char>(message[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      throw Finding(target, "control character " + std::to_string(c) + " at offset " +
                                std::to_string(i) +
                                " of the error message: " + std::string(message.substr(0, 300)));
    }
  }
}

}  // namespace e2e3d::fuzz
