# fish completion for e2e3d-metrics
#
# Installed in share/fish/vendor_completions.d/. The lists below must match
# `e2e3d-metrics --help` and `e2e3d-metrics COMMAND --help`: tests/packaging/ compares them.

set -g __e2e3d_metrics_commands show query doctor check alerts generate demo
set -g __e2e3d_metrics_generate_kinds prometheus-config rules grafana-dashboard
# Global options that take a value: the word after them is not a command name.
set -g __e2e3d_metrics_value_options --url --file --timeout --connect-timeout -H --header \
    --bearer-token-file --user --cacert --max-bytes --config -o --output --color --target \
    --targets-file --from-prometheus --job --parallel

# Prints the command on the line so far: the first word that is neither an option nor an
# option's value, followed by the kind for generate ("generate rules"). Fails when there is
# no command yet.
function __e2e3d_metrics_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip_next 0
    set -l command
    for token in $tokens
        if test $skip_next = 1
            set skip_next 0
            continue
        end
        if contains -- $token $__e2e3d_metrics_value_options
            set skip_next 1
        else if test -z "$command"; and contains -- $token $__e2e3d_metrics_commands
            set command $token
            test $command = generate; or break
        else if test "$command" = generate; and contains -- $token $__e2e3d_metrics_generate_kinds
            set command "generate $token"
            break
        end
    end
    test -n "$command"; and echo $command
end

function __e2e3d_metrics_using --argument-names command
    test "$(__e2e3d_metrics_command)" = "$command"
end

set -l no_command "not __e2e3d_metrics_command >/dev/null"

complete -c e2e3d-metrics -f

complete -c e2e3d-metrics -n $no_command -a show -d 'The documented metrics, derived values, process metrics'
complete -c e2e3d-metrics -n $no_command -a query -d 'Evaluate a PromQL expression on the scrape'
complete -c e2e3d-metrics -n $no_command -a doctor -d 'The troubleshooting checklist, as one command'
complete -c e2e3d-metrics -n $no_command -a check -d 'CI assertion: every expression must return a non-empty result'
complete -c e2e3d-metrics -n $no_command -a alerts -d 'Evaluate alerting rules on the scrape'
complete -c e2e3d-metrics -n $no_command -a generate -d 'Ready-to-use files: prometheus-config | rules | grafana-dashboard'
complete -c e2e3d-metrics -n $no_command -a demo -d 'Built-in exporter that simulates the E2E3D service'

# Global options: before or after the command name.
complete -c e2e3d-metrics -s h -l help -d 'Print help and exit'
complete -c e2e3d-metrics -l version -d 'Print the version and git revision, then exit'
complete -c e2e3d-metrics -l url -x -d 'Metrics endpoint to scrape'
complete -c e2e3d-metrics -l file -r -F -d "Read the exposition from a file ('-': stdin)"
complete -c e2e3d-metrics -l timeout -x -d 'Total time allowed for the fetch, in seconds'
complete -c e2e3d-metrics -l connect-timeout -x -d 'Time allowed to connect, in seconds'
complete -c e2e3d-metrics -s H -l header -x -d "Extra HTTP header 'Name: value' (repeatable)"
complete -c e2e3d-metrics -l bearer-token-file -r -F -d 'Send the token in this file as a bearer token'
complete -c e2e3d-metrics -l user -x -d 'Basic auth credentials USER:PASSWORD'
complete -c e2e3d-metrics -l cacert -r -F -d "CA bundle to verify the server's certificate"
complete -c e2e3d-metrics -l insecure -d 'Do not verify TLS certificates (testing only)'
complete -c e2e3d-metrics -l max-bytes -x -d 'Largest body accepted, in bytes'
complete -c e2e3d-metrics -l config -r -F -d 'Configuration file (TOML)'
complete -c e2e3d-metrics -s o -l output -x -a 'text json junit nagios' -d 'Output format'
complete -c e2e3d-metrics -l color -x -a 'auto always never' -d 'Colour (auto: terminal only, honours NO_COLOR)'
complete -c e2e3d-metrics -s v -l verbose -d 'Trace the fetch on stderr (credentials masked)'
complete -c e2e3d-metrics -s q -l quiet -d 'Print nothing but errors; the exit code tells'
complete -c e2e3d-metrics -l target -x -d 'A target URL (repeatable; show, query, doctor)'
complete -c e2e3d-metrics -l targets-file -r -F -d 'Targets: URL list or file_sd JSON/YAML'
complete -c e2e3d-metrics -l from-prometheus -x -d "Discover the targets from this Prometheus server"
complete -c e2e3d-metrics -l job -x -d 'The scrape job: job label, discovery, doctor'
complete -c e2e3d-metrics -l parallel -x -d 'Targets scraped at once'

# show
set -l show "__e2e3d_metrics_using show"
complete -c e2e3d-metrics -n $show -l demo -d 'Start the built-in demo exporter and show it'
complete -c e2e3d-metrics -n $show -l watch -d 'Scrape again every INTERVAL (default 5s) and redraw'
complete -c e2e3d-metrics -n $show -l window -x -d 'Range of the live rates'
complete -c e2e3d-metrics -n $show -l count -x -d 'Stop after this many scrapes'
complete -c e2e3d-metrics -n $show -l record -r -F -d 'Write the recorded window to this file'
complete -c e2e3d-metrics -n $show -l force -d 'With --record: replace the file if it exists'
complete -c e2e3d-metrics -n $show -l replay -r -F -d 'Show a recording instead of scraping'

# query
set -l query "__e2e3d_metrics_using query"
complete -c e2e3d-metrics -n $query -l prometheus -x -d "Send the expression to this Prometheus server's /api/v1/query"
complete -c e2e3d-metrics -n $query -l time -x -d 'Evaluation time in Unix seconds (default: now)'
complete -c e2e3d-metrics -n $query -l watch -x -d 'Scrape every INTERVAL, evaluate over the window'
complete -c e2e3d-metrics -n $query -l window -x -d 'How much history --watch keeps'
complete -c e2e3d-metrics -n $query -l count -x -d 'Stop after this many scrapes'
complete -c e2e3d-metrics -n $query -l record -r -F -d 'Write the recorded scrapes to this file'
complete -c e2e3d-metrics -n $query -l force -d 'With --record: replace the file if it exists'
complete -c e2e3d-metrics -n $query -l replay -r -F -d 'Evaluate over a recording instead of scraping'

# doctor
set -l doctor "__e2e3d_metrics_using doctor"
set -l check_ids env.enable_metrics container.state process.metrics_server port.listening \
    http.endpoint exposition.valid metrics.documented metrics.sanity container.logs \
    prometheus.config prometheus.target alerts.rules
complete -c e2e3d-metrics -n $doctor -l pid -x -a '(__fish_complete_pids)' -d "The service's process (its environment is read for ENABLE_METRICS)"
complete -c e2e3d-metrics -n $doctor -l compose -r -F -d "Docker Compose file to read the service's ENABLE_METRICS from"
complete -c e2e3d-metrics -n $doctor -l service -x -d 'Service in the Compose file'
complete -c e2e3d-metrics -n $doctor -l prometheus-config -r -F -d 'prometheus.yml to check for the scrape job'
complete -c e2e3d-metrics -n $doctor -l prometheus -x -d 'Prometheus server to ask about the target'
complete -c e2e3d-metrics -n $doctor -l rules -r -F -d 'Prometheus rule file to check'
complete -c e2e3d-metrics -n $doctor -l docker-host -x -d 'Container runtime API: unix:///PATH or tcp://HOST:PORT'
complete -c e2e3d-metrics -n $doctor -l container -x -d "The service's container (name or id)"
complete -c e2e3d-metrics -n $doctor -l prometheus-container -x -d "Prometheus's container (name or id)"
complete -c e2e3d-metrics -n $doctor -l log-lines -x -d "How many lines of each container's log to read"
complete -c e2e3d-metrics -n $doctor -l job-id-warn -x -d 'Warn past this many distinct job_id values'
complete -c e2e3d-metrics -n $doctor -l check -x -a "$check_ids" -d 'Run only this check (repeatable)'
complete -c e2e3d-metrics -n $doctor -l skip -x -a "$check_ids" -d 'Do not run this check (repeatable)'

# check
set -l check "__e2e3d_metrics_using check"
complete -c e2e3d-metrics -n $check -l wait-for -x -d 'Retry until every expression holds or this much time has passed'
complete -c e2e3d-metrics -n $check -l interval -x -d 'Pause between attempts with --wait-for'
complete -c e2e3d-metrics -n $check -l value -x -d 'Threshold mode: judge the value(s) of this expression'
complete -c e2e3d-metrics -n $check -l warning -x -d 'Monitoring Plugins range for WARNING'
complete -c e2e3d-metrics -n $check -l critical -x -d 'Monitoring Plugins range for CRITICAL'
complete -c e2e3d-metrics -n $check -l label -x -d 'Performance-data label of the value'

# alerts
set -l alerts "__e2e3d_metrics_using alerts"
complete -c e2e3d-metrics -n $alerts -l rules -r -F -d 'Prometheus rule file (default: the documented alerts)'

# generate
set -l generate "__e2e3d_metrics_using generate"
complete -c e2e3d-metrics -n $generate -a prometheus-config -d "The metrics document's scrape job, as prometheus.yml"
complete -c e2e3d-metrics -n $generate -a rules -d "The metrics document's alert rules, with the names the target exposes"
complete -c e2e3d-metrics -n $generate -a grafana-dashboard -d 'A Grafana 9/10 dashboard (JSON to import) with the names the target exposes'
set -l config "__e2e3d_metrics_using 'generate prometheus-config'"
complete -c e2e3d-metrics -n $config -l job -x -d 'job_name (default: e2e3d)'
complete -c e2e3d-metrics -n $config -l target -x -d 'HOST:PORT to scrape'
complete -c e2e3d-metrics -n $config -l interval -x -d 'scrape_interval (default: 15s)'
complete -c e2e3d-metrics -n $config -l metrics-path -x -d 'metrics_path (default: /metrics)'
complete -c e2e3d-metrics -n $config -l rule-file -r -F -d 'Add this file to rule_files (repeatable)'
complete -c e2e3d-metrics -n $config -l out -r -F -d 'Write to this file instead of standard output'
set -l rules "__e2e3d_metrics_using 'generate rules'"
complete -c e2e3d-metrics -n $rules -l names -x -a 'auto documented python' -d 'Metric names: resolved against the target, as documented, or as the Python client exposes them'
complete -c e2e3d-metrics -n $rules -l out -r -F -d 'Write the rules to this file instead of standard output'
complete -c e2e3d-metrics -n $rules -l tests -r -F -d 'Also write a promtool test rules file (needs --out)'
complete -c e2e3d-metrics -n $rules -l window -x -d 'Alert on rates over this window instead of lifetime totals'
set -l dashboard "__e2e3d_metrics_using 'generate grafana-dashboard'"
complete -c e2e3d-metrics -n $dashboard -l names -x -a 'auto documented python' -d 'Metric names: resolved against the target, as documented, or as the Python client exposes them'
complete -c e2e3d-metrics -n $dashboard -l window -x -d 'Range of the rates and ratios (default 5m)'
complete -c e2e3d-metrics -n $dashboard -l top -x -d 'Jobs in the slowest-jobs list (1 to 100)'
complete -c e2e3d-metrics -n $dashboard -l title -x -d 'Dashboard title'
complete -c e2e3d-metrics -n $dashboard -l uid -x -d 'Dashboard uid: importing again replaces it'
complete -c e2e3d-metrics -n $dashboard -l out -r -F -d 'Write the JSON to this file instead of standard output'

# demo
set -l demo "__e2e3d_metrics_using demo"
complete -c e2e3d-metrics -n $demo -l port -x -d 'Port to serve /metrics on (0: any free port)'
complete -c e2e3d-metrics -n $demo -l bind -x -d 'Address to listen on (IPv4 or IPv6)'
complete -c e2e3d-metrics -n $demo -l rate -x -d 'Jobs arriving per minute, on average'
complete -c e2e3d-metrics -n $demo -l duration -x -d 'Mean job duration in seconds'
complete -c e2e3d-metrics -n $demo -l failure-ratio -x -d 'Share of finished jobs that fail, 0 to 1'
complete -c e2e3d-metrics -n $demo -l initial-jobs -x -d 'Jobs already finished when it starts'
complete -c e2e3d-metrics -n $demo -l names -x -a 'python documented' -d 'Metric names: as exposed by the Python client, or as documented'
complete -c e2e3d-metrics -n $demo -l seed -x -d 'Seed of the simulation (0: random)'
