#pragma once
// The outputs of `alerts`: a readable report, and JSON shaped like Prometheus's /api/v1/alerts
// (data.alerts: pending and firing alerts) with the rules beside it shaped like /api/v1/rules
// (data.groups), plus what only this tool knows: names the target lacks and the rewritten rule.

#include <string>

#include "e2e3d/rules/alert_eval.hpp"

namespace e2e3d::rules {

// 0 nothing would fire, 2 an alert is pending or firing, 3 a rule could not be evaluated.
int alerts_exit_code(const RulesReport& report);

std::string alerts_text(const RulesReport& report, const std::string& rules_source,
                        const std::string& target);
std::string alerts_json(const RulesReport& report);

// Go's time.Time in RFC 3339 with nanoseconds trimmed, UTC: "2026-11-26T04:52:37.123Z".
std::string rfc3339(int64_t time_ms);

}  // namespace e2e3d::rules
