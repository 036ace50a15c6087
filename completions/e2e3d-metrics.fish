# fish completion for e2e3d-metrics
#
# Installed in share/fish/vendor_completions.d/. The lists below must match
# `e2e3d-metrics --help` and `e2e3d-metrics COMMAND --help`: tests/packaging/ compares them.

set -g __e2e3d_metrics_commands show demo
# Global options that take a value: the word after them is not a command name.
set -g __e2e3d_metrics_value_options --url --file --timeout --connect-timeout -H --header \
    --bearer-token-file --user --cacert --max-bytes --config -o --output --color

# Prints the command on the line so far (the first word that is neither an option nor an
# option's value); fails when there is none yet.
function __e2e3d_metrics_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip_next 0
    for token in $tokens
        if test $skip_next = 1
            set skip_next 0
            continue
        end
        if contains -- $token $__e2e3d_metrics_value_options
            set skip_next 1
        else if contains -- $token $__e2e3d_metrics_commands
            echo $token
            return 0
        end
    end
    return 1
end

function __e2e3d_metrics_using --argument-names command
    test "$(__e2e3d_metrics_command)" = "$command"
end

set -l no_command "not __e2e3d_metrics_command >/dev/null"

complete -c e2e3d-metrics -f

complete -c e2e3d-metrics -n $no_command -a show -d 'The documented metrics, derived values, process metrics'
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

# show
set -l show "__e2e3d_metrics_using show"
complete -c e2e3d-metrics -n $show -l demo -d 'Start the built-in demo exporter and show it'

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
