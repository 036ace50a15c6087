#!/usr/bin/zsh -f
# Prints the candidates zsh's real completion system offers for each command line given.
#
#   zsh -f zsh_complete.zsh COMPLETION_DIR 'e2e3d-metrics show --' 'e2e3d-metrics ' ...
#
# Output: for each line, a header "@@ LINE" then its candidates, one per line.
#
# Completion widgets only run inside the line editor, so an interactive `zsh -f -i` is started
# on a pseudo-terminal (zsh/zpty), compinit loads the completion from COMPLETION_DIR, and
# `compadd` is wrapped to print every candidate that survives matching against the typed word.
# Each line is typed followed by TAB, then erased. All lines share one shell: compinit is the
# slow part.
zmodload zsh/zpty zsh/zselect || { print -u2 'zsh/zpty or zsh/zselect is missing'; exit 3 }

completion_dir=$1
shift
zcompdump=$(mktemp -u /tmp/e2e3d-zcompdump-XXXXXX)

finish() {
  zpty -d shell 2>/dev/null
  rm -f $zcompdump
  exit $1
}

# Reads the shell's output until a line containing the marker; candidates go to $seen.
# The terminal echoes what is typed, so the markers are typed split by quotes ('RE''ADY') and
# only the shell's own output contains them whole.
typeset -aU seen
read_until() {
  local marker=$1 out piece
  integer deadline=$(( SECONDS + 10 ))
  while (( SECONDS < deadline )); do
    zpty -r -t shell out || { zselect -t 2; continue }
    for piece in ${(f)out}; do
      piece=${piece//$'\r'/}
      if [[ $piece == *CANDIDATE:* ]]; then
        seen+=(${piece##*CANDIDATE:})
      elif [[ $piece == *$marker* ]]; then
        return 0
      fi
    done
  done
  print -u2 "timed out waiting for $marker"
  finish 3
}

zpty shell zsh -f -i
zpty -w shell "PROMPT=''; fpath=(${(q)completion_dir} \$fpath); autoload -U compinit; compinit -u -d ${(q)zcompdump}"
zpty -w shell "bindkey '^I' complete-word; zstyle ':completion:*' insert-tab false"
# The wrapper: -O/-A/-D calls only fill arrays (no candidates are offered), so they pass through.
zpty -w shell 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a __hits; builtin compadd -A __hits "$@"
  (( $#__hits )) && print -rl -- CANDI""DATE:${^__hits}
  builtin compadd "$@"
}'
zpty -w shell 'print -r -- REA""DY'
read_until READY

for line_to_complete in "$@"; do
  seen=()
  zpty -w -n shell "$line_to_complete"$'\t'
  zpty -w -n shell $'\C-e\C-u'"print -r -- DO''NE"$'\n'
  read_until DONE
  print -r -- "@@ $line_to_complete"
  (( $#seen )) && print -rl -- $seen
done
finish 0
