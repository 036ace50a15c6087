# bash completion for e2e3d-metrics                          -*- shell-script -*-
#
# Installed as share/bash-completion/completions/e2e3d-metrics (loaded on first use by
# bash-completion); it also works when sourced on its own from ~/.bashrc.
# The lists below must match `e2e3d-metrics --help` and `e2e3d-metrics COMMAND --help`:
# tests/packaging/ compares them on every build.

_e2e3d_metrics_commands='show query doctor check alerts generate demo'

# Global options: valid before and after the command name.
_e2e3d_metrics_global_options='--help --version --url --file --timeout --connect-timeout
  --header --bearer-token-file --user --cacert --insecure --max-bytes --config --output
  --color --verbose --quiet --target --targets-file --from-prometheus --job --parallel'

# Commands that have commands of their own: "generate rules" is then the command.
_e2e3d_metrics_subcommands() {
    case $1 in
        generate) echo 'prometheus-config rules grafana-dashboard' ;;
    esac
}

# Options of each command, besides the global ones.
_e2e3d_metrics_command_options() {
    case $1 in
        show) echo '--demo --watch --window --count --record --force --replay' ;;
        query) echo '--prometheus --time --watch --window --count --record --force --replay' ;;
        doctor) echo '--pid --compose --service --prometheus-config --prometheus --rules
            --docker-host --container --prometheus-container --log-lines --job-id-warn --check
            --skip' ;;
        check) echo '--wait-for --interval --value --warning --critical --label' ;;
        alerts) echo '--rules' ;;
        'generate prometheus-config')
            echo '--job --target --interval --metrics-path --rule-file --out' ;;
        'generate rules') echo '--names --window --out --tests' ;;
        'generate grafana-dashboard') echo '--names --window --top --title --uid --out' ;;
        demo) echo '--port --bind --rate --duration --failure-ratio --initial-jobs --names
            --seed' ;;
    esac
}

# The argument an option takes: "words LIST", "file", "free" (anything), or nothing when the
# option is a flag.
_e2e3d_metrics_option_argument() {
    local command=$1 option=$2
    case $option in
        -o | --output) echo 'words text json junit nagios' ;;
        --color) echo 'words auto always never' ;;
        --file | --bearer-token-file | --cacert | --config | --targets-file) echo file ;;
        --url | --timeout | --connect-timeout | -H | --header | --user | --max-bytes) echo free ;;
        --target | --from-prometheus | --job | --parallel) echo free ;;
    esac
    case $command:$option in
        query:--prometheus | query:--time) echo free ;;
        show:--record | show:--replay | query:--record | query:--replay) echo file ;;
        show:--watch | show:--window | show:--count | query:--watch | query:--window | \
            query:--count) echo free ;;
        doctor:--check | doctor:--skip)
            echo 'words env.enable_metrics container.state process.metrics_server port.listening
                http.endpoint exposition.valid metrics.documented metrics.sanity container.logs
                prometheus.config prometheus.target alerts.rules'
            ;;
        doctor:--compose | doctor:--prometheus-config | doctor:--rules) echo file ;;
        doctor:--pid | doctor:--service | doctor:--prometheus | \
            doctor:--job-id-warn | doctor:--docker-host | doctor:--container | \
            doctor:--prometheus-container | doctor:--log-lines) echo free ;;
        check:--wait-for | check:--interval | check:--value | check:--warning | \
            check:--critical | check:--label) echo free ;;
        alerts:--rules) echo file ;;
        'generate prometheus-config:--rule-file' | 'generate prometheus-config:--out') echo file ;;
        'generate prometheus-config:'*) echo free ;;
        'generate rules:--names') echo 'words auto documented python' ;;
        'generate rules:--out' | 'generate rules:--tests') echo file ;;
        'generate rules:--window') echo free ;;
        'generate grafana-dashboard:--names') echo 'words auto documented python' ;;
        'generate grafana-dashboard:--out') echo file ;;
        'generate grafana-dashboard:'*) echo free ;;
        demo:--names) echo 'words python documented' ;;
        demo:--port | demo:--bind | demo:--rate | demo:--duration | demo:--failure-ratio | \
            demo:--initial-jobs | demo:--seed) echo free ;;
    esac
}

_e2e3d_metrics() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    # bash splits "--output=json" at '=' (COMP_WORDBREAKS): the option is then two words back.
    local option=
    if [[ $cur == = ]]; then
        option=$prev
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        option=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        option=${cur%%=*}
        cur=${cur#*=}
    elif [[ $prev == -* ]]; then
        option=$prev
    fi

    # Find the command: the first word that is neither an option nor an option's argument.
    local command= positionals=0 ended=
    local i word argument
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ $word == -- ]]; then
            ended=1
            continue
        fi
        if [[ -z $ended && $word == -* ]]; then
            [[ $word == *=* ]] && continue
            [[ ${COMP_WORDS[i + 1]} == = ]] && { ((i += 2)); continue; }
            argument=$(_e2e3d_metrics_option_argument "$command" "$word")
            [[ -n $argument ]] && ((i++))
            continue
        fi
        [[ $word == = ]] && continue
        if [[ -z $command ]]; then
            [[ " ${_e2e3d_metrics_commands} " == *" $word "* ]] && command=$word
        elif [[ $positionals == 0 && " $(_e2e3d_metrics_subcommands "$command") " == *" $word "* ]]; then
            command="$command $word"
        else
            ((positionals++))
        fi
    done

    if [[ -n $option && -z $ended ]]; then
        argument=$(_e2e3d_metrics_option_argument "$command" "$option")
        case $argument in
            words\ *)
                COMPREPLY=($(compgen -W "${argument#words }" -- "$cur"))
                return
                ;;
            file)
                compopt -o filenames 2>/dev/null
                COMPREPLY=($(compgen -f -- "$cur"))
                return
                ;;
            free) return ;;
        esac
    fi

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$_e2e3d_metrics_global_options" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$_e2e3d_metrics_commands" -- "$cur"))
        fi
        return
    fi

    if [[ -z $ended && $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$_e2e3d_metrics_global_options
            $(_e2e3d_metrics_command_options "$command")" -- "$cur"))
        return
    fi
    if ((positionals == 0)); then
        local subcommands
        subcommands=$(_e2e3d_metrics_subcommands "$command")
        [[ -n $subcommands ]] && COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
    fi
}

complete -F _e2e3d_metrics e2e3d-metrics
