# Tests/prompt/harness.sh: what the terminal tests share — a private tmux server per dks session
# (its own HOME, XDG_STATE_HOME and working directory), typing keys, reading the screen, waiting
# for text, counting results. Sourced by run.sh and tutorial.sh after DKS is set; prints nothing.
# START_ENV: extra VAR=value words for the dks process of the next `start`.
# After `start`, P is the prompt as shown ("dks> ", or "dks[local]> " on the local engine) and PRE
# a regular expression for it.
TMP=$(mktemp -d /tmp/dks-prompt-tests.XXXXXX)
SOCK_BASE=dks-prompt-test-$$
SESSIONS=0
SOCK=$SOCK_BASE-0
S=dks
mkdir -p "$TMP/home" "$TMP/state" "$TMP/work/subdir"
touch "$TMP/work/notes.txt"
PASS=0
FAIL=0
SKIP=0
FAILED=()
skip() { echo "skip $1"; SKIP=$((SKIP + 1)); }

tm() { tmux -L "$SOCK" "$@" 2>/dev/null; }
cleanup() {
    local i
    # A test may leave containers to remove (its own, by label); it defines extra_cleanup.
    declare -F extra_cleanup >/dev/null && extra_cleanup
    for i in $(seq 0 "$SESSIONS"); do tmux -L "$SOCK_BASE-$i" kill-server 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# The visible screen, wrapped lines joined.
screen() { tm capture-pane -p -J -t "$S" 2>/dev/null; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# wait_for PATTERN [SECONDS] [grep flags]: polls the screen every 50 ms.
wait_for() {
    local pat=$1 secs=${2:-5} flags=${3:--F}
    local end=$(( $(now_ms) + secs * 1000 ))
    while [ "$(now_ms)" -lt "$end" ]; do
        screen | grep -q $flags -- "$pat" && return 0
        sleep 0.05
    done
    return 1
}

# count PATTERN: how many screen lines match exactly.
count() { screen | grep -cxF -- "$1"; }

ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() {
    FAIL=$((FAIL + 1)); FAILED+=("$1"); echo "FAIL $1"
    screen | grep -v '^$' | sed 's/^/     | /' | tail -15
}
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

# start: a fresh dks session; after dks exits the pane shows EXITED-<status>.
start() {
    tm kill-server
    # A new tmux server per session: no race with the previous one shutting down.
    SESSIONS=$((SESSIONS + 1))
    SOCK=$SOCK_BASE-$SESSIONS
    tm new-session -d -s "$S" -x 120 -y 40 \
        "cd '$TMP/work' && env HOME='$TMP/home' XDG_STATE_HOME='$TMP/state' TERM=xterm ${START_ENV:-} '$DKS'; echo EXITED-\$?; sleep 60"
    wait_for '^dks(\[local\])?> ' 10 -E || return 1
    if screen | grep -q '^dks\[local\]> '; then P='dks[local]> '; else P='dks> '; fi
    return 0
}
P='dks> '
PRE='dks(\[local\])?> '

# idle: waits (up to 10 s) until the last non-blank screen line is a bare prompt, so keys
# typed next reach the line editor rather than the running statement.
idle() {
    local end=$(( $(now_ms) + 10000 ))
    while [ "$(now_ms)" -lt "$end" ]; do
        screen | grep -v '^$' | tail -1 | grep -qxE '(dks(\[local\])?|\.\.\.)> ' && return 0
        sleep 0.05
    done
    return 1
}
# run_line TEXT: types TEXT literally, then Enter, then waits for the next prompt.
run_line() { tm send-keys -t "$S" -l -- "$1"; tm send-keys -t "$S" Enter; sleep 0.05; idle; }
# A fresh screen makes "wait for X" mean "X appeared after this point".
clear_screen() { tm send-keys -t "$S" C-l; sleep 0.1; tm clear-history -t "$S"; }

