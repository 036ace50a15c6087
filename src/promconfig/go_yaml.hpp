#pragma once
// Decoding YAML the way Prometheus does: gopkg.in/yaml.v2's UnmarshalStrict. yaml-cpp builds
// the tree; the rules of Go's decoder are applied here: plain scalars resolve as YAML 1.1
// (`yes` is a bool, `"true"` is not), a Go struct accepts only its own fields and each once,
// `<<` merges a mapping, and errors come in yaml.v2's two kinds. A type error ("line 3: cannot
// unmarshal !!str `maybe` into bool") is collected and decoding goes on; an error of a type's
// own UnmarshalYAML ("not a valid duration string") ends decoding at once.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "e2e3d/prometheus_config.hpp"

namespace e2e3d::promconfig::detail {

// The refusal that ends decoding, thrown by Decoder::fail.
struct Stop {
  Refusal refusal;
};

// What yaml.v2 resolves a node to (its "!!tag").
enum class Kind { null, boolean, integer, floating, string, sequence, mapping };

class Decoder {
 public:
  explicit Decoder(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }

  Kind kind(const YAML::Node& node) const;

  // A type error at `node`: "line N: cannot unmarshal !!str `x` into bool". Returns false so a
  // decoder can `return type_error(...)`.
  bool type_error(const YAML::Node& node, std::string_view go_type);
  void field_error(const YAML::Node& key, std::string_view text);
  std::size_t type_errors() const { return type_errors_.size(); }
  // The collected type errors as yaml.v2 reports them, or nothing.
  void throw_type_errors() const;

  // An UnmarshalYAML's own error: decoding stops. `at` gives the place (Prometheus often does
  // not); `kind` and `value` say what it is about (see Refusal).
  [[noreturn]] void fail(const YAML::Node* at, std::string message, std::string kind,
                         std::string value = {}) const;

  // Field decoders: false after a type error (the field keeps its value).
  bool string(const YAML::Node& node, std::string& out);
  bool boolean(const YAML::Node& node, bool& out);
  bool unsigned_int(const YAML::Node& node, uint64_t& out, std::string_view go_type = "uint");
  bool signed_int(const YAML::Node& node, int64_t& out, std::string_view go_type = "int");
  bool floating(const YAML::Node& node, double& out);
  bool strings(const YAML::Node& node, std::vector<std::string>& out,
               std::string_view go_type = "[]string");
  // map[string]string, keys in document order. `strict` maps report repeated keys.
  bool string_map(const YAML::Node& node, std::vector<std::pair<std::string, std::string>>& out,
                  std::string_view go_type = "map[string]string");
  // model.Duration: any scalar, then Prometheus's ParseDuration (its errors stop decoding).
  bool duration(const YAML::Node& node, int64_t& milliseconds);
  // model.LabelSet: label names checked as LabelName.UnmarshalYAML checks them.
  bool label_set(const YAML::Node& node, std::vector<std::pair<std::string, std::string>>& out);

 private:
  std::string file_;
  std::vector<std::string> type_errors_;
  Position first_error_at_;
};

// One mapping decoded into a Go struct: its entries in document order, `<<` merged (keys
// written beside it win), each known field at most once.
class Fields {
 public:
  // `node` must be a mapping or null (an empty struct); anything else is a type error, and the
  // struct then has no entries. `go_type` names the struct in errors ("config.ScrapeConfig").
  Fields(Decoder& decoder, const YAML::Node& node, std::string go_type);
  bool ok() const { return ok_; }

  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
    bool merged = false;  // came from a `<<` merge: may be set again by the mapping itself
  };
  const std::vector<Entry>& entries() const { return entries_; }
  // False (and a type error) when this field was already set.
  bool first(const Entry& entry);
  void unknown(const Entry& entry);

 private:
  Decoder& decoder_;
  std::string go_type_;
  bool ok_ = true;
  std::vector<Entry> entries_;
  std::vector<std::string> done_;
};

}  // namespace e2e3d::promconfig::detail
