#include "demo/exposition_writer.hpp"

#include <stdexcept>

#include "demo/python_float.hpp"
#include "e2e3d/catalog.hpp"

namespace e2e3d::demo {
namespace {

// The service's own definitions, as it creates them with the Python client (see
// tests/fixtures and shared/fixtures/README.md). The help texts are the code's, which differ
// from the metrics document's in places; the names are the document's.
struct ServiceMetric {
  std::string_view name;
  MetricType type;
  std::string_view help;
};

// Each is a counter or a gauge; the writer knows no other type.
constexpr ServiceMetric kTotal{"reconstruction_total", MetricType::counter,
                               "Total number of reconstruction jobs processed"};
constexpr ServiceMetric kSuccess{"reconstruction_success", MetricType::counter,
                                 "Number of successful reconstruction jobs"};
constexpr ServiceMetric kFailure{"reconstruction_failure", MetricType::counter,
                                 "Number of failed reconstruction jobs"};
constexpr ServiceMetric kActive{"e2e3d_active_jobs", MetricType::gauge,
                                "Number of active reconstruction jobs"};
constexpr ServiceMetric kDuration{"e2e3d_job_duration_seconds", MetricType::counter,
                                  "Total time spent processing jobs"};
constexpr std::string_view kJobIdLabel = "job_id";
constexpr std::string_view kStatusLabel = "status";

std::string_view status_text(JobStatus status) {
  return status == JobStatus::failed ? "failed" : "completed";
}

// The Python client names a counter family without `_total`; samples add it back.
std::string_view family_name(const ServiceMetric& metric) {
  std::string_view name = metric.name;
  if (metric.type == MetricType::counter && name.ends_with("_total")) {
    name.remove_suffix(6);
  }
  return name;
}

class Writer {
 public:
  Writer(std::string& out, ExpositionFormat format) : out_(out), format_(format) {}

  bool openmetrics() const { return format_ == ExpositionFormat::openmetrics; }

  void header(std::string_view name, std::string_view suffix, std::string_view help,
              std::string_view type) {
    out_ += "# HELP ";
    out_ += name;
    out_ += suffix;
    out_ += ' ';
    append_escaped(out_, help, openmetrics());
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += suffix;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  void sample(std::string_view name, std::string_view suffix, double value) {
    out_ += name;
    out_ += suffix;
    out_ += ' ';
    append_python_sample_value(out_, value);
    out_ += '\n';
  }

  void job_sample(std::string_view name, std::string_view suffix, const FinishedJob& job,
                  double value) {
    out_ += name;
    out_ += suffix;
    out_ += '{';
    out_ += kJobIdLabel;
    out_ += "=\"";
    append_escaped(out_, std::string_view(job.id.data(), job.id.size()), true);
    out_ += "\",";
    out_ += kStatusLabel;
    out_ += "=\"";
    out_ += status_text(job.status);
    out_ += "\"} ";
    append_python_sample_value(out_, value);
    out_ += '\n';
  }

  // A gauge family of one unlabelled sample, named the same in both formats.
  void gauge(std::string_view name, std::string_view help, double value) {
    header(name, "", help, "gauge");
    sample(name, "", value);
  }

  // A counter as the Python client exposes it: `name_total`, plus `name_created` unless the
  // collector gives no creation time (the process collector's CPU counter).
  void counter(std::string_view family, std::string_view help, double value,
               std::optional<double> created) {
    if (openmetrics()) {
      header(family, "", help, "counter");
      sample(family, "_total", value);
      if (created) sample(family, "_created", *created);
      return;
    }
    header(family, "_total", help, "counter");
    sample(family, "_total", value);
    if (created) {
      header(family, "_created", help, "gauge");
      sample(family, "_created", *created);
    }
  }

 private:
  std::string& out_;
  ExpositionFormat format_;
};

void write_process(Writer& w, const ProcessMetrics& p) {
  // The Python process collector's order and help texts.
  w.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", p.virtual_memory_bytes);
  w.gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
          p.resident_memory_bytes);
  w.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
          p.start_time_seconds);
  w.counter("process_cpu_seconds", "Total user and system CPU time spent in seconds.",
            p.cpu_seconds_total, std::nullopt);
  w.gauge("process_open_fds", "Number of open file descriptors.", p.open_fds);
  w.gauge("process_max_fds", "Maximum number of open file descriptors.", p.max_fds);
}

void write_python_names(Writer& w, const JobsSnapshot& s) {
  auto count = [](uint64_t n) { return static_cast<double>(n); };
  w.counter(family_name(kTotal), kTotal.help, count(s.total), s.created_at);
  w.counter(family_name(kSuccess), kSuccess.help, count(s.success), s.created_at);
  w.counter(family_name(kFailure), kFailure.help, count(s.failure), s.created_at);
  w.gauge(kActive.name, kActive.help, count(s.active));

  // Each job's series is created when the job finishes, so `_created` is its finish time.
  std::string_view family = family_name(kDuration);
  if (w.openmetrics()) {
    w.header(family, "", kDuration.help, "counter");
    for (const auto& job : s.jobs) {
      w.job_sample(family, "_total", job, job.duration_seconds);
      w.job_sample(family, "_created", job, s.wall_origin + job.finished_at);
    }
    return;
  }
  w.header(family, "_total", kDuration.help, "counter");
  for (const auto& job : s.jobs)
    w.job_sample(family, "_total", job, job.duration_seconds);
  if (s.jobs.empty()) return;  // the client writes no `_created` family without series
  w.header(family, "_created", kDuration.help, "gauge");
  for (const auto& job : s.jobs) {
    w.job_sample(family, "_created", job, s.wall_origin + job.finished_at);
  }
}

// The names exactly as the metrics document's table writes them, with its descriptions:
// what a service exposing the documented names would serve (text format only).
void write_documented_names(Writer& w, const JobsSnapshot& s) {
  auto help = [](const ServiceMetric& metric) {
    const auto* documented = catalog::find_metric(metric.name);
    return documented ? documented->help : metric.help;
  };
  auto type = [](const ServiceMetric& metric) {
    return metric.type == MetricType::counter ? "counter" : "gauge";
  };
  auto count = [](uint64_t n) { return static_cast<double>(n); };
  for (auto [metric, value] : {std::pair{kTotal, s.total}, std::pair{kSuccess, s.success},
                               std::pair{kFailure, s.failure}, std::pair{kActive, s.active}}) {
    w.header(metric.name, "", help(metric), type(metric));
    w.sample(metric.name, "", count(value));
  }
  w.header(kDuration.name, "", help(kDuration), type(kDuration));
  for (const auto& job : s.jobs)
    w.job_sample(kDuration.name, "", job, job.duration_seconds);
}

}  // namespace

ExpositionFormat negotiate_format(std::string_view accept, DemoNames names) {
  if (names == DemoNames::documented) return ExpositionFormat::prometheus_text;
  while (!accept.empty()) {
    std::size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    item = item.substr(0, item.find(';'));
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
      item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
      item.remove_suffix(1);
    if (item == "application/openmetrics-text") return ExpositionFormat::openmetrics;
  }
  return ExpositionFormat::prometheus_text;
}

std::string_view content_type(ExpositionFormat format) {
  return format == ExpositionFormat::openmetrics ? kOpenMetricsContentType : kTextContentType;
}

void write_exposition(std::string& out, ExpositionFormat format, DemoNames names,
                      const std::optional<ProcessMetrics>& process, const JobsSnapshot& jobs) {
  if (names == DemoNames::documented && format == ExpositionFormat::openmetrics) {
    throw std::logic_error("the documented names exist only in the text format");
  }
  // Two lines of about 118 bytes per job dominate the size; reserving short of it would copy
  // the whole body once more at the end.
  out.reserve(out.size() + 4096 + jobs.jobs.size() * 256);
  Writer w(out, format);
  if (process) write_process(w, *process);
  if (names == DemoNames::documented) {
    write_documented_names(w, jobs);
  } else {
    write_python_names(w, jobs);
  }
  if (format == ExpositionFormat::openmetrics) out += "# EOF\n";
}

void append_escaped(std::string& out, std::string_view text, bool escape_quotes) {
  if (text.find_first_of(escape_quotes ? "\\\n\"" : "\\\n") == std::string_view::npos) {
    out += text;  // the common case: job ids and statuses never need escaping
    return;
  }
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        if (escape_quotes) {
          out += "\\\"";
        } else {
          out += c;
        }
        break;
      default:
        out += c;
    }
  }
}

}  // namespace e2e3d::demo
