// load_yaml: yaml-cpp's parser twice, first to count the nodes of the expanded document from
// its events (cheap: nothing is built), then to build the tree once the count is known to be
// within the limit.
#include "e2e3d/yaml_load.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <string>
#include <vector>

namespace e2e3d {
namespace {

// Counts nodes as if every alias were replaced by a copy of its anchor's node. A finished
// anchor's expanded size is known when its alias comes; an anchor still open (an alias inside
// its own anchor) would expand forever.
class ExpandedNodeCounter : public YAML::EventHandler {
 public:
  explicit ExpandedNodeCounter(std::size_t limit) : limit_(limit) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }
  // Comes just before the event of the node it names.
  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_name_ = name; }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= anchors_.size() || anchors_[anchor].size == kOpen) {
      throw YamlRefused(
          mark, fmt::format("the alias *{} is inside the node &{} names, so the document would "
                            "contain itself: write that part out instead of the alias",
                            name_of(anchor), name_of(anchor)));
    }
    alias_ = anchor;
    add(mark, anchors_[anchor].size);
    alias_ = YAML::NullAnchor;
  }

 private:
  static constexpr std::size_t kOpen = static_cast<std::size_t>(-1);

  struct Open {
    YAML::anchor_t anchor;
    std::size_t total_before;  // total_ when the node opened
  };

  struct Anchor {
    std::string name;
    std::size_t size = kOpen;  // expanded nodes; kOpen until the node ends
  };

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(mark, 1);
    if (anchor != YAML::NullAnchor) define(anchor).size = 1;
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    open_.push_back({anchor, total_});
    add(mark, 1);
    if (anchor != YAML::NullAnchor) define(anchor);
  }
  void close() {
    Open node = open_.back();
    open_.pop_back();
    if (node.anchor != YAML::NullAnchor) {
      anchors_[node.anchor].size = total_ - node.total_before;
    }
  }
  Anchor& define(YAML::anchor_t anchor) {
    if (anchor >= anchors_.size()) anchors_.resize(anchor + 1);
    anchors_[anchor] = Anchor{std::move(anchor_name_), kOpen};
    anchor_name_.clear();
    return anchors_[anchor];
  }
  std::string_view name_of(YAML::anchor_t anchor) const {
    return anchor < anchors_.size() ? std::string_view(anchors_[anchor].name) : "?";
  }
  void add(const YAML::Mark& mark, std::size_t nodes) {
    // Both total_ and an anchor's size are at most limit_ here: the sum cannot overflow.
    total_ += nodes;
    if (total_ <= limit_) return;
    std::string where =
        alias_ == YAML::NullAnchor ? "" : fmt::format(" (the alias *{} here)", name_of(alias_));
    throw YamlRefused(
        mark, fmt::format("the document holds more than {} nodes once its aliases are expanded"
                          "{}, the limit for a YAML file: repeat fewer aliases, or split the "
                          "file",
                          limit_, where));
  }

  std::size_t limit_;
  std::size_t total_ = 0;
  std::vector<Open> open_;
  std::vector<Anchor> anchors_;  // by yaml-cpp's anchor id
  std::string anchor_name_;      // of the node whose event comes next
  YAML::anchor_t alias_ = YAML::NullAnchor;
};

}  // namespace

YAML::Node load_yaml(std::string_view text, const YamlLimits& limits) {
  {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    ExpandedNodeCounter counter(limits.max_nodes);
    parser.HandleNextDocument(counter);
  }
  return YAML::Load(std::string(text));
}

}  // namespace e2e3d
