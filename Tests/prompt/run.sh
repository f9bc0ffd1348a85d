#!/usr/bin/env bash
# Terminal tests for the interactive prompt: drives the real `dks` binary inside tmux, types
# keys with send-keys and reads the screen with capture-pane. Builds nothing.
#   Tests/prompt/run.sh PATH/TO/dks        prints "N passed, N failed, N skipped"; exit 1 on any failure
# A check that cannot run here prints "skip ID: REASON" and counts as skipped (scripts/test fails on
# a skip that scripts/expected-skips does not list).
# Each session gets its own tmux server socket, HOME, XDG_STATE_HOME and working directory.
set -u
if [ $# -lt 1 ] || [ ! -x "$1" ]; then echo "usage: $0 PATH/TO/dks" >&2; exit 2; fi
DKS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/harness.sh"

# ---- session 1 --------------------------------------------------------------
check "starts with a banner and prompt" start
check "banner names the version" wait_for 'dks 0.' 2
ENGINE_WIRED=yes
screen | grep -q 'not connected yet' && ENGINE_WIRED=no
# The local engine has no images and no terminal sessions: those tests need Docker.
ENGINE_LOCAL=no
screen | grep -q 'engine: local' && ENGINE_LOCAL=yes

run_line '1 + 2'
check "expression value is echoed" wait_for '^3$' 5 -x

run_line '"a" + "b"'
check "string echoed in repr form" wait_for '"ab"' 5 -x

run_line '$x = 41'
run_line '$x + 1'
check "variables persist between entries" wait_for '42' 5 -x

clear_screen
run_line 'echo $nosuchvar'
check "error printed in the spec format" wait_for '<prompt>:[0-9]+:6: error: undefined variable' 5 -E
run_line 'echo still-working'
check "prompt goes on after an error" wait_for 'still-working' 5 -x

clear_screen
tm send-keys -t "$S" -l 'ech'; tm send-keys -t "$S" Tab
check "Tab completes a command" wait_for "${P}echo " 3 -xF
tm send-keys -t "$S" -l 'tab-done'; tm send-keys -t "$S" Enter
check "completed command runs" wait_for 'tab-done' 3 -x

clear_screen
tm send-keys -t "$S" -l 'sorted [3, 1, 2] --rev'; tm send-keys -t "$S" Tab
check "Tab completes an option" wait_for "${P}sorted [3, 1, 2] --reverse " 3 -xF
tm send-keys -t "$S" Enter
check "completed option binds" wait_for '[3, 2, 1]' 3 -xF

clear_screen
run_line '$xyzzy_var = "plugh"'
tm send-keys -t "$S" -l 'echo $xyzz'; tm send-keys -t "$S" Tab
check "Tab completes a variable" wait_for "${P}echo \$xyzzy_var" 3 -F
tm send-keys -t "$S" Enter
check "completed variable evaluates" wait_for 'plugh' 3 -x

clear_screen
run_line '$m = {alpha: 1, beta: 2}'
tm send-keys -t "$S" -l 'echo $m.al'; tm send-keys -t "$S" Tab
check "Tab completes a member" wait_for "${P}echo \$m.alpha" 3 -F
tm send-keys -t "$S" Enter
check "completed member evaluates" wait_for '^1$' 3 -x

clear_screen
tm send-keys -t "$S" -l 'e'; tm send-keys -t "$S" Tab; sleep 0.2; tm send-keys -t "$S" Tab
check "second Tab lists candidates" wait_for 'echo .*exit' 3 -E
tm send-keys -t "$S" C-c

clear_screen
tm send-keys -t "$S" -l 'echo ./sub'; tm send-keys -t "$S" Tab
check "Tab completes a file path" wait_for "${P}echo ./subdir/" 3 -F
tm send-keys -t "$S" C-c

clear_screen
run_line '$l = [1,'
check "unfinished entry continues on ...>" wait_for '...> ' 3 -F
run_line '2]'
run_line '$l'
check "continued entry ran as one statement" wait_for '[1, 2]' 3 -xF

clear_screen
run_line 'echo one \'
check "trailing backslash continues" wait_for '...> ' 3 -F
run_line 'two'
check "backslash-continued entry ran" wait_for 'one two' 3 -x

clear_screen
run_line '"héllo wörld" + "✓"'
check "UTF-8 input is edited and echoed" wait_for '"héllo wörld✓"' 3 -xF

clear_screen
tm send-keys -t "$S" -l '$never = [1,'; tm send-keys -t "$S" Enter
idle
tm send-keys -t "$S" C-d
idle
run_line 'echo after-ctrl-d'
check "Ctrl-D in an unfinished entry abandons it" wait_for 'after-ctrl-d' 3 -xF
run_line '$never'
check "the abandoned entry did not run" wait_for 'error: undefined variable $never' 3 -F

clear_screen
tm send-keys -t "$S" -l 'echo never-run'; tm send-keys -t "$S" C-c
run_line 'echo after-cancel'
check "Ctrl-C clears the line being typed" wait_for 'after-cancel' 3 -x
check "the cleared line did not run" test "$(count never-run)" -eq 0

clear_screen
tm send-keys -t "$S" -l 'echo abcdef'; tm send-keys -t "$S" Left Left Left; tm send-keys -t "$S" C-c
check "Ctrl-C mid-line marks the end of the abandoned text" wait_for "${P}echo abcdef^C" 3 -xF
idle

clear_screen
run_line '$n = 0'
tm send-keys -t "$S" -l 'while true { $n += 1 }'; tm send-keys -t "$S" Enter
sleep 0.3
tm send-keys -t "$S" C-c
check "Ctrl-C interrupts a loop" wait_for '^interrupted at <prompt>:[0-9]+:[0-9]+: while true' 3 -E
check "an interruption is a calm line: no error, no caret" test "$(screen | grep -cE 'error:|^ *\^$')" -eq 0
idle
run_line '$n > 0'
check "the loop's variable kept its progress" wait_for 'true' 3 -x

clear_screen
tm send-keys -t "$S" -l 'sleep 30'; tm send-keys -t "$S" Enter
sleep 0.5
t0=$(now_ms)
tm send-keys -t "$S" C-c
wait_for 'interrupted at <prompt>' 5 -F
t1=$(now_ms)
check "Ctrl-C interrupts a running statement" wait_for 'interrupted' 1 -F
check "interrupt returns to the prompt within 2 s" test $((t1 - t0)) -lt 2000
run_line '$x'
check "variables survive an interrupt" wait_for '41' 3 -x

# Host programs get the terminal (its foreground process group) and give it back (spec §10).
clear_screen
tm send-keys -t "$S" -l '^cat'; tm send-keys -t "$S" Enter
sleep 0.5
tm send-keys -t "$S" -l 'typed-into-cat'; tm send-keys -t "$S" Enter
check "^cat reads the terminal and echoes a typed line" wait_for 'typed-into-cat' 3 -x
sleep 0.2
check "the line shows twice: typed, then printed by cat" test "$(count typed-into-cat)" -eq 2
tm send-keys -t "$S" C-d
check "Ctrl-D ends ^cat and the prompt comes back" idle
run_line 'echo after-cat'
check "the prompt edits and runs after ^cat" wait_for 'after-cat' 3 -x
clear_screen
tm send-keys -t "$S" -l "^sleep 100.$$"; tm send-keys -t "$S" Enter
sleep 0.5
t0=$(now_ms)
tm send-keys -t "$S" C-c
check "Ctrl-C during ^sleep returns to the prompt" idle
t1=$(now_ms)
check "within 2 s" test $((t1 - t0)) -lt 2000
check "the program is gone" test -z "$(pgrep -f "sleep 100.$$")"
run_line 'echo after-sleep'
check "the prompt works after an interrupted program" wait_for 'after-sleep' 3 -x
clear_screen
tm send-keys -t "$S" -l '^ech'; tm send-keys -t "$S" Tab
check "^ + Tab completes a program on PATH" wait_for "${P}^echo " 3 -xF
tm send-keys -t "$S" -l 'piped | ^tr a-z A-Z'; tm send-keys -t "$S" Enter
check "a pipeline of programs runs at the prompt" wait_for 'PIPED' 3 -x
idle

if [ "$ENGINE_WIRED" = no ]; then
    skip "container-name completion and exec -it: no engine wired"
else
    IMAGE=${DKS_TEST_IMAGE:-dks-test/busybox}
    clear_screen
    tm send-keys -t "$S" -l "\$pc = run -d --name dks-prompt-test-$$ $IMAGE sleep 60"; tm send-keys -t "$S" Enter
    wait_for "^${PRE}\$" 30 -E
    tm send-keys -t "$S" -l "logs dks-prompt-test-"; tm send-keys -t "$S" Tab
    # The entry that made the container marked the cached names stale, so this Tab asks the
    # engine; Tab waits at most 200 ms for it, so a loaded machine may need the second Tab a
    # person would press (the answer has arrived by then).
    wait_for "logs dks-prompt-test-$$ " 2 -F || tm send-keys -t "$S" Tab
    check "Tab completes a container name" wait_for "logs dks-prompt-test-$$ " 3 -F
    tm send-keys -t "$S" C-c
    if [ "$ENGINE_LOCAL" = no ]; then
        clear_screen
        tm send-keys -t "$S" -l "run ${IMAGE:0:6}"; tm send-keys -t "$S" Tab
        check "Tab completes an image name" wait_for "run $IMAGE" 3 -F
        tm send-keys -t "$S" C-c
        clear_screen
        tm send-keys -t "$S" -l "push ${IMAGE:0:6}"; tm send-keys -t "$S" Tab
        check "Tab completes an image name for push" wait_for "push $IMAGE" 3 -F
        tm send-keys -t "$S" C-c
        clear_screen
        tm send-keys -t "$S" -l "build --no-"; tm send-keys -t "$S" Tab
        check "Tab completes build's options" wait_for "build --no-cache " 3 -F
        tm send-keys -t "$S" C-c
    fi
    clear_screen
    run_line '$pc'
    check "a container echoes as a one-line summary" wait_for "<container dks-prompt-test-$$ [0-9a-f]{12}> .*running" 5 -E
    run_line "ps --filter name=dks-prompt-test-$$"
    check "a list of containers echoes as a table" wait_for 'CONTAINER ID +IMAGE +COMMAND +STATUS +NAMES' 5 -E
    if [ "$ENGINE_LOCAL" = yes ]; then
        skip "image-name completion and exec -it: the local engine has neither"
    else
        clear_screen
        tm send-keys -t "$S" -l 'exec -it $pc sh'; tm send-keys -t "$S" Enter
        if wait_for '# $' 10 -E; then
            tm send-keys -t "$S" -l 'echo inside-$((20+22))'; tm send-keys -t "$S" Enter
            check "exec -it runs an interactive shell" wait_for 'inside-42' 5 -x
            tm send-keys -t "$S" -l 'exit'; tm send-keys -t "$S" Enter
            check "exec -it returns to the prompt" idle
        else
            bad "exec -it runs an interactive shell"
        fi
        clear_screen
        run_line "\$ac = run -d -it --name dks-attach-test-$$ $IMAGE sh"
        wait_for "^${PRE}\$" 30 -E
        clear_screen
        tm send-keys -t "$S" -l 'attach $ac'; tm send-keys -t "$S" Enter
        sleep 0.5
        tm send-keys -t "$S" -l 'echo attached-$((40+2))'; tm send-keys -t "$S" Enter
        check "attach joins the container's shell" wait_for 'attached-42' 5 -x
        tm send-keys -t "$S" C-p; tm send-keys -t "$S" C-q
        check "Ctrl-P Ctrl-Q detaches back to the prompt" idle
        run_line '$ac.status'
        check "the detached container keeps running" wait_for '"running"' 5 -F
        run_line 'rm -f $ac'
    fi
    run_line 'rm -f $pc'
fi

# A password typed on the command line never reaches the history file (the login itself fails).
run_line "login 127.0.0.1:1 -u someone -p hunter2-prompt-$$"
check "a failed login returns to the prompt" idle
run_line 'defer { echo deferred-at-exit }'
clear_screen
tm send-keys -t "$S" C-d
check "Ctrl-D exits with status 0" wait_for 'EXITED-0' 5 -F
check "top-level defers run at exit" wait_for 'deferred-at-exit' 1 -x
check "history file written" test -s "$TMP/state/dks/history"
# (libedit writes a space as \040)
check "a login password never reaches the history file" \
    bash -c "! grep -q hunter2 '$TMP/state/dks/history' && grep -qF 'someone\\040-p\\040********' '$TMP/state/dks/history'"

# ---- session 2: history ------------------------------------------------------
check "second session starts" start
tm send-keys -t "$S" Up
check "history from the last session (Up)" wait_for "${P}defer { echo deferred-at-exit }" 3 -F
tm send-keys -t "$S" Up; tm send-keys -t "$S" Up
tm send-keys -t "$S" C-c
clear_screen
tm send-keys -t "$S" C-r; tm send-keys -t "$S" -l '$l = '
check "a multi-line entry is one history item" wait_for '2]' 3 -F
tm send-keys -t "$S" C-c
tm send-keys -t "$S" -l 'exit 3'; tm send-keys -t "$S" Enter
check "exit N ends the session with N" wait_for 'EXITED-3' 5 -F

echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
