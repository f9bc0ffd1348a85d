#!/usr/bin/env bash
# The tutorial at the prompt, in a real terminal (tmux), from the first lesson to the last, with
# one wrong answer per lesson (each must get a hint, and the right one must move on), on one
# engine: a newcomer's path from values to containers to cleanup. It stops after lesson 4 and
# leaves dks, and a new session resumes at lesson 5 (re-creating the container it needs); at the
# end the progress file says so, `tutorial reset` starts over, and no container is left.
#   Tests/prompt/tutorial.sh PATH/TO/dks local|docker     prints "N passed, N failed, N skipped"
# The lessons' image is dks-test/busybox (DKS_TUTORIAL_IMAGE) on Docker; the local engine
# ignores it.
set -u
if [ $# -lt 2 ] || [ ! -x "$1" ]; then echo "usage: $0 PATH/TO/dks local|docker" >&2; exit 2; fi
DKS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ENGINE=$2
. "$(dirname "$0")/harness.sh"
IMAGE=${DKS_TEST_IMAGE:-dks-test/busybox}
START_ENV="DKS_ENGINE=$ENGINE DKS_TUTORIAL_IMAGE=$IMAGE"
SESSION_IDS=()
# Containers of these sessions that a failed run left behind (Docker; the local engine's end with dks).
extra_cleanup() {
    [ "$ENGINE" = docker ] || return 0
    local id
    for id in "${SESSION_IDS[@]}"; do
        docker ps -aq --filter "label=dks.session=$id" | xargs -r docker rm -f >/dev/null 2>&1
    done
}

# type TEXT: types a line and waits for the prompt to come back.
type_line() { clear_screen; run_line "$1"; }
# lesson N TITLE: the lesson's heading is on the screen.
lesson() { wait_for "── Lesson $1 of 11: $2 " 10 -F; }
# wrong TEXT: a wrong answer gets a hint (✗ ...) and no ✓.
wrong() {
    type_line "$1"
    wait_for '^✗ (Not yet|That raised an error): ' 10 -E && ! screen | grep -q '^✓ '
}
# right TEXT DONE: the answer is accepted (✓ DONE...).
right() { type_line "$1"; wait_for "✓ $2" 15 -F; }
# session_id: the dks.session label of this session's containers (for the cleanup).
session_id() {
    type_line 'echo "SESSION-${(engine).session}-END"'
    local id
    id=$(screen | sed -n 's/^SESSION-\([0-9a-f]*\)-END$/\1/p' | tail -1)
    [ -n "$id" ] && SESSION_IDS+=("$id")
}

# ---- session 1: lessons 1 to 4 ------------------------------------------------
check "$ENGINE: the prompt starts" start
if [ "$ENGINE" = local ]; then
    check "$ENGINE: the banner says what no isolation means" wait_for 'runs containers as plain processes on this machine: no isolation' 2 -F
    check "$ENGINE: the prompt itself names the local engine" test "$P" = 'dks[local]> '
fi
session_id
type_line 'tutorial'
check "$ENGINE: tutorial welcomes and shows lesson 1" lesson 1 'Values and variables'
check "$ENGINE: 1 wrong: a number is no name" wrong '$name = 42'
check "$ENGINE: 1 right: \$name is set" right '$name = "Ada"' '$name is set'
check "$ENGINE: lesson 2 follows" lesson 2 'Lists, maps and interpolation'
check "$ENGINE: 2 wrong: a list is no map" wrong '$cfg = [80, 443]'
check "$ENGINE: 2 step: the map" right '$cfg = {name: "web", ports: [80, 443]}' '$cfg is a map with a list of ports'
check "$ENGINE: 2 right: the summary" right '$summary = "$cfg.name serves ${len($cfg.ports)} ports"' '$summary is set'
check "$ENGINE: lesson 3 follows" lesson 3 'Commands'
check "$ENGINE: 3 wrong: not reversed" wrong '$desc = sorted [3, 1, 2]'
check "$ENGINE: 3 right: sorted --reverse" right '$desc = sorted [3, 1, 2] --reverse' '$desc is [3, 2, 1]'
check "$ENGINE: lesson 4 follows" lesson 4 'Your first container'
check "$ENGINE: 4 wrong: a name is no container" wrong '$web = "web"'
check "$ENGINE: 4 right: run -d" right "\$web = run -d $IMAGE sleep 600" '$web is running'
check "$ENGINE: lesson 5 follows" lesson 5 'Looking at a container'
type_line 'tutorial stop'
check "$ENGINE: tutorial stop keeps the progress" wait_for 'Tutorial stopped at lesson 5 of 11' 5 -F
tm send-keys -t "$S" C-d
check "$ENGINE: Ctrl-D leaves dks" wait_for 'EXITED-0' 10 -F
check "$ENGINE: the progress is on disk (4 lessons done)" grep -qx 'lesson 4' "$TMP/state/dks/tutorial"

# ---- session 2: a new dks resumes at lesson 5 -------------------------------------
check "$ENGINE: a new session starts" start
session_id
type_line 'tutorial'
check "$ENGINE: tutorial resumes at lesson 5" wait_for 'Welcome back: lesson 5 of 11' 10 -F
check "$ENGINE: the container lesson 5 needs is made again" wait_for 'I started $web for you' 10 -F
check "$ENGINE: 5 wrong: start without a stop" wrong 'start $web'
check "$ENGINE: 5 step: stop" right 'stop $web -t 1' '$web stopped: its status now reads exited'
type_line '$web.status'
check "$ENGINE: 5: the status is live" wait_for '"exited"' 5 -xF
check "$ENGINE: 5 right: start again" right 'start $web' '$web was stopped and started again'
check "$ENGINE: lesson 6 follows" lesson 6 'Commands inside a container: exec'
check "$ENGINE: 6 wrong: touch with no file" wrong 'exec $web touch'
check "$ENGINE: 6 right: exec touch" right 'exec $web touch hello.txt' 'hello.txt exists inside $web'
check "$ENGINE: lesson 7 follows" lesson 7 'Logs'
check "$ENGINE: 7 step: reading the log" right 'logs $talker' 'that is its log'
check "$ENGINE: 7: the secret was printed" wait_for '^the secret is [0-9a-f]{6}$' 5 -E
check "$ENGINE: 7 wrong: a made-up secret" wrong '$secret = "zzzzzz"'
check "$ENGINE: 7 right: the secret from the log" right '$secret = split(trim((logs $talker)), " ")[-1]' '$secret is right'
check "$ENGINE: lesson 8 follows" lesson 8 'Health checks and waiting'
check "$ENGINE: 8 wrong: \$web has no health check" wrong 'wait-healthy $web --timeout 2s'
check "$ENGINE: 8 step: a container with a health check" right "\$db = run -d --health-cmd 'test -f ready' --health-interval 1s $IMAGE sh -c 'sleep 1; touch ready; sleep 600'" '$db is running, with its health check'
check "$ENGINE: 8 right: wait-healthy" right 'wait-healthy $db --timeout 30s' '$db is healthy'
check "$ENGINE: lesson 9 follows" lesson 9 'Errors'
check "$ENGINE: 9 wrong: a guess" wrong '$kind = "Timeout"'
check "$ENGINE: 9 right: try/catch" right 'try { wait-healthy $web } catch $e { $kind = $e.kind }' '$kind is ValueError'
check "$ENGINE: lesson 10 follows" lesson 10 'Pipes: containers and host programs'
check "$ENGINE: 10 wrong: no pipe" wrong '$count = logs $talker'
check "$ENGINE: 10 right: logs | ^wc -l" right '$count = logs $talker | ^wc -l' '$count.stdout is "1\n"'
check "$ENGINE: lesson 11 follows" lesson 11 'Cleaning up'
check "$ENGINE: 11 wrong: one of three" wrong 'rm -f $web'
check "$ENGINE: 11 right: rm -f the rest" right 'rm -f $talker $db' 'All three are gone'
check "$ENGINE: the end says what was covered" wait_for 'That was the last lesson: you ran a container' 5 -F
check "$ENGINE: the progress says all 11 are done" grep -qx 'lesson 11' "$TMP/state/dks/tutorial"
type_line 'echo "left: ${len(ps(all: true, filter: "label=dks.session=${(engine).session}"))}"'
check "$ENGINE: no container of the tutorial is left" wait_for '^left: 0$' 10 -E
type_line 'tutorial'
check "$ENGINE: tutorial after the end says so" wait_for 'You have finished the tutorial' 5 -F
type_line 'tutorial reset'
check "$ENGINE: tutorial reset starts over" lesson 1 'Values and variables'
check "$ENGINE: ... and clears the progress" grep -qx 'lesson 0' "$TMP/state/dks/tutorial"
tm send-keys -t "$S" C-d
wait_for 'EXITED-0' 10 -F

echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
