// load_yaml, the one YAML loader of every reader, on arbitrary bytes. It may refuse with
// yaml-cpp's exceptions; a document it accepts must hold no more nodes, its aliases expanded,
// than the limit says: the tree is walked with every alias followed, and the walk stops with a
// Finding one node past the limit (so a wrong count cannot explode the fuzzer either).
#include <string>
#include <string_view>

#include "e2e3d/yaml_load.hpp"
#include "support.hpp"

namespace e2e3d::fuzz {
namespace {

constexpr std::string_view kTarget = "fuzz_yaml_load";

void walk(const YAML::Node& node, std::size_t& nodes, std::size_t limit, int depth) {
  if (++nodes > limit) throw Finding(kTarget, "an accepted document expands past the limit");
  if (depth > 10'000) throw Finding(kTarget, "an accepted document nests without end");
  if (node.IsSequence()) {
    for (const auto& child : node)
      walk(child, nodes, limit, depth + 1);
  } else if (node.IsMap()) {
    for (const auto& pair : node) {
      walk(pair.first, nodes, limit, depth + 1);
      walk(pair.second, nodes, limit, depth + 1);
    }
  }
}

}  // namespace

void yaml_load_input(std::string_view data) {
  YamlLimits limits;
  limits.max_nodes = 20'000;
  YAML::Node root;
  try {
    root = load_yaml(data, limits);
  } catch (const YAML::Exception& e) {
    if (e.msg.empty()) throw Finding(kTarget, "a YAML error without a message");
    return;
  }
  std::size_t nodes = 0;
  walk(root, nodes, limits.max_nodes, 0);
}

}  // namespace e2e3d::fuzz
