#pragma once
// Every YAML file the tool reads (prometheus.yml, rule files, Compose files, file_sd target
// files) is loaded here, so each is bounded the same way. yaml-cpp shares an aliased node
// instead of copying it, so a few kilobytes of anchors and aliases (the "billion laughs") load
// cheaply and then explode in whatever walks the tree: 400 aliases of 400 aliases of 400
// targets are 64 million targets. The document is therefore measured as if every alias were
// written out, and refused past a limit, before anyone walks it.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string_view>

namespace e2e3d {

struct YamlLimits {
  // Nodes (scalars, sequences, mappings) once every alias is expanded. A large real
  // prometheus.yml or file_sd file has tens of thousands.
  std::size_t max_nodes = 200'000;
};

// A document refused for its size or shape rather than its syntax (a reader that says "syntax
// error" for yaml-cpp's own exceptions can tell them apart). Its msg ends with the fix.
class YamlRefused : public YAML::ParserException {
 public:
  using YAML::ParserException::ParserException;
};

// The first document of `text`, as YAML::Load gives it. Throws YAML::ParserException (with the
// place in its mark) for bad syntax, and YamlRefused for an alias inside its own anchor (a
// document that contains itself) and at the alias or node that takes the document past
// limits.max_nodes.
YAML::Node load_yaml(std::string_view text, const YamlLimits& limits = {});

}  // namespace e2e3d
