#pragma once
// A target's labels as Prometheus 2.42 builds them before its first scrape.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "e2e3d/prometheus_config.hpp"
#include "promconfig/model.hpp"

namespace e2e3d::promconfig::detail {

struct Populated {
  std::map<std::string, std::string> labels;  // job, instance, __address__, __scheme__, ...
  bool dropped = false;                       // a relabel rule dropped it
  bool not_followed = false;                  // a hashmod rule: md5 decides, not computed here
  std::optional<std::string> error;           // scrape.PopulateLabels' error
};

// relabel.Process: false when a rule drops the label set. A hashmod rule stops the processing
// with `not_followed` set.
bool relabel_process(const std::vector<RelabelRule>& rules,
                     std::map<std::string, std::string>& labels, bool& not_followed);

// `target.labels` are its group's labels; `rules` the job's relabel_configs.
Populated populate_labels(const Target& target, const Job& job,
                          const std::vector<RelabelRule>& rules);

}  // namespace e2e3d::promconfig::detail
