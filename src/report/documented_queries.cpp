#include "report/documented_queries.hpp"

#include <variant>

#include "e2e3d/promql/engine.hpp"

namespace e2e3d {

std::vector<QueryRow> evaluate_documented_query(const Scrape& scrape,
                                                const catalog::DocumentedQuery& /*query*/,
                                                const std::string& evaluated_expr) {
  promql::Value value = promql::evaluate(scrape, evaluated_expr);
  std::vector<QueryRow> rows;
  if (auto* vector = std::get_if<promql::Vector>(&value)) {
    for (const auto& sample : *vector) {
      QueryRow row{{}, sample.value};
      for (const auto& [name, label_value] : sample.metric)
        row.labels[name] = label_value;
      rows.push_back(std::move(row));
    }
  } else if (auto* scalar = std::get_if<promql::Scalar>(&value)) {
    rows.push_back({{}, scalar->value});
  }
  return rows;
}

}  // namespace e2e3d
