#pragma once
// The one seam between `show` and query evaluation: each documented query, with documented
// names resolved to the exposed ones, evaluated on the scrape by the PromQL engine.

#include <map>
#include <string>
#include <vector>

#include "e2e3d/catalog.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d {

struct QueryRow {
  std::map<std::string, std::string> labels;
  double value;
};

// Rows as an instant query of `evaluated_expr` returns them (a scalar is one row without
// labels). `evaluated_expr` is the documented expression with names resolved. Throws Error
// when it cannot be evaluated.
std::vector<QueryRow> evaluate_documented_query(const Scrape& scrape,
                                                const catalog::DocumentedQuery& query,
                                                const std::string& evaluated_expr);

}  // namespace e2e3d
