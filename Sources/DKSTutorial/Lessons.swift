// Lessons: the tutorial's content, as data — from values to containers to cleanup. Each check
// judges the effect of what the learner did, on the local engine and on Docker alike (relative
// paths inside containers, `stop -t 1` because `sleep` as PID 1 ignores SIGTERM on Docker).
// Owns: the lessons' words and checks. Must not: hold logic (TutorialSession runs them);
// scripts/test-prompt walks through every lesson with a wrong answer each, on both engines.

public enum Lessons {
    static let web = Need(check: "type($web) == \"container\" and $web.status == \"running\"",
                          make: "$web = run -d {image} sleep 600",
                          note: "I started $web for you: $web = run -d {image} sleep 600")
    static let talker = Need(
        check: "type($talker) == \"container\" and $talker.status == \"running\"",
        make: """
            $talker = run -d {image} sh -c 'echo "the secret is $(cut -c1-6 /proc/sys/kernel/random/uuid)"; sleep 600'
            wait-log $talker 'the secret is' --timeout 30s
            """,
        note: "I started $talker for you: a container that printed one line")
    static let db = Need(check: "type($db) == \"container\"",
                         make: "$db = run -d {image} sleep 600",
                         note: "I started $db for you: $db = run -d {image} sleep 600")

    /// Every lesson, in order.
    public static let all: [Lesson] = [
        Lesson(
            id: "values", title: "Values and variables",
            text: """
                dks has real values: numbers (42, 1.5), strings ("text"), lists, maps, true, false,
                null. Variables start with $, when you set them and when you read them. Type any
                expression and the prompt shows its value: try 6 * 7.
                """,
            task: """
                Put your name in the variable $name, as a string (in double quotes):
                    $name = "Ada"
                """,
            check: "type($name) == \"string\" and len($name) > 0",
            hints: [
                "variables start with $, and = assigns; a string is written in double quotes: $name = \"...\"",
                "type exactly:  $name = \"Ada\"  (or your own name, in quotes)",
            ],
            done: "$name is set. In double quotes, $name is replaced by its value: try \"hello, $name\"."),
        Lesson(
            id: "collections", title: "Lists, maps and interpolation",
            text: """
                A list is [a, b]; $xs[0] is its first item. A map is {key: value}; $m.key reads a
                key. len() counts. Inside double quotes, "$m.key" inserts the member, and ${...}
                inserts any expression: "${len($xs)} items".
                """,
            task: """
                Make a map $cfg with a name and a list of ports, and a string $summary built from it:
                    $cfg = {name: "web", ports: [80, 443]}
                    $summary = "$cfg.name serves ${len($cfg.ports)} ports"
                """,
            check: """
                type($cfg) == "map" and type(get($cfg, "ports", null)) == "list" and type($summary) == "string" \
                and str(get($cfg, "name", "?")) in $summary and str(len($cfg.ports)) in $summary
                """,
            hints: [
                "first the map: $cfg = {name: \"web\", ports: [80, 443]}; then $summary, a string that uses $cfg.name and ${len($cfg.ports)}",
                "type the two lines of the task: $cfg = {name: \"web\", ports: [80, 443]}  then  $summary = \"$cfg.name serves ${len($cfg.ports)} ports\"",
            ],
            done: "$summary is set: type $summary to see it, and $cfg.ports[0] for the first port.",
            steps: [Step(check: "type($cfg) == \"map\" and type(get($cfg, \"ports\", null)) == \"list\"",
                         say: "$cfg is a map with a list of ports. Now the second line: $summary.")]),
        Lesson(
            id: "commands", title: "Commands",
            text: """
                A line that starts with a bare name is a command, as in a shell: words separated
                by spaces, options like --reverse or -r (help NAME lists a command's options).
                On the right of = a command runs and its value is kept. Inside an expression,
                put the command in parentheses: len((sorted $xs)).
                """,
            task: """
                Sort [3, 1, 2] from largest to smallest with the command sorted and its --reverse
                option, and keep the result in $desc:
                    $desc = sorted [3, 1, 2] --reverse
                """,
            check: "$desc == [3, 2, 1]",
            hints: [
                "a command is its name, then its arguments and options separated by spaces; help sorted shows the options",
                "type:  $desc = sorted [3, 1, 2] --reverse",
            ],
            done: "$desc is [3, 2, 1]. sorted([3, 1, 2], reverse: true) is the same call in expression form."),
        Lesson(
            id: "run", title: "Your first container",
            text: """
                A container is a program the engine runs for you, from an image. run -d starts
                one in the background and gives you a container object; ps lists the running
                ones. (On the local engine, a container is a plain process on this machine, with
                no isolation: help engine.)
                """,
            task: """
                Start a container that sleeps for ten minutes, and keep it in $web:
                    $web = run -d {image} sleep 600
                """,
            check: "type($web) == \"container\" and $web.status == \"running\"",
            hints: [
                "run -d IMAGE COMMAND... starts it; its value is the container, so assign it: $web = run -d ...",
                "type:  $web = run -d {image} sleep 600",
            ],
            done: "$web is running. Type $web to see it, or ps to list the running containers."),
        Lesson(
            id: "inspect", title: "Looking at a container",
            text: """
                Every attribute of a container is read live from the engine, each time: $web.status,
                $web.name, $web.image, $web.started_at, $web.attrs (everything the engine knows).
                There is nothing to reload. Type $web. and press Tab to see them all.
                """,
            task: """
                Stop $web, look at its status, then start it again (-t 1: kill it after 1 s if it
                ignores the polite stop signal, as sleep does in a container):
                    stop $web -t 1
                    $web.status
                    start $web
                """,
            check: "type($web) == \"container\" and $web.status == \"running\" and $web.started_at != $_tutorial_started",
            hints: [
                "three steps: stop $web -t 1, then $web.status (it says exited), then start $web",
                "type:  stop $web -t 1   then   start $web",
            ],
            done: "$web was stopped and started again: $web.status followed it, no reload().",
            needs: [web],
            setup: "$_tutorial_started = $web.started_at",
            steps: [Step(check: "type($web) == \"container\" and $web.status == \"exited\"",
                         say: "$web stopped: its status now reads exited (ask again: $web.status). Now start $web.")]),
        Lesson(
            id: "exec", title: "Commands inside a container: exec",
            text: """
                exec runs a command inside a running container. At the prompt its output is
                printed; kept in a variable it is an exec_result: .exit_code, .stdout, .ok.
                The command is a list of words, no shell: exec $c sh -c '...' when you want one.
                """,
            task: """
                Create a file named hello.txt inside $web:
                    exec $web touch hello.txt
                """,
            check: "type($web) == \"container\" and (exec $web test -f hello.txt).ok",
            hints: [
                "exec CONTAINER COMMAND ARGS...: the container first, then the command, as in docker exec",
                "type:  exec $web touch hello.txt",
            ],
            done: "hello.txt exists inside $web: exec $web ls lists it, and (exec $web test -f hello.txt).ok is true.",
            needs: [web]),
        Lesson(
            id: "logs", title: "Logs",
            text: """
                What a container prints is its log. logs $c prints it, logs $c --tail 5 the end,
                and for $line in (logs -f $c) { ... } follows it line by line. As a value,
                (logs $c) is a string. I started $talker: a container that printed a secret.
                """,
            task: """
                Read the log of $talker and keep the secret (six characters) in $secret:
                    logs $talker
                    $secret = "......"
                """,
            check: "type($secret) == \"string\" and len($secret) == 6 and \"the secret is $secret\" in (logs $talker)",
            hints: [
                "logs $talker prints its line; copy the six characters after \"the secret is\" into $secret = \"...\"",
                "or let dks read it:  $secret = split(trim((logs $talker)), \" \")[-1]",
            ],
            done: "$secret is right: you read it in the log.",
            setup: talker.make,
            steps: [Step(check: "\"logs\" in $_tutorial_entry and \"talker\" in $_tutorial_entry",
                         say: "that is its log. Now keep the six characters after \"the secret is\" in $secret.")]),
        Lesson(
            id: "health", title: "Health checks and waiting",
            text: """
                A running container is not always ready. A health check is a command the engine
                runs again and again; wait-healthy waits until it passes, with a real deadline:
                a Timeout when it passes, an Unhealthy error at once if the check fails. Better
                than sleep-and-hope. (wait-log waits for a line in the log, wait for the exit.)
                """,
            task: """
                Start $db, which becomes healthy after a second, and wait for it:
                    $db = run -d --health-cmd 'test -f ready' --health-interval 1s {image} sh -c 'sleep 1; touch ready; sleep 600'
                    wait-healthy $db --timeout 30s
                """,
            check: "type($db) == \"container\" and $db.health == \"healthy\"",
            hints: [
                "--health-cmd gives the check; the container creates the file ready after a second; then wait-healthy $db",
                "type the two lines of the task (the first is long: copy it whole)",
            ],
            done: "$db is healthy, and you waited for exactly as long as it took.",
            steps: [Step(check: "type($db) == \"container\" and $db.status == \"running\"",
                         say: "$db is running, with its health check. Now wait for it: wait-healthy $db --timeout 30s")]),
        Lesson(
            id: "errors", title: "Errors",
            text: """
                When something fails you get an error with a kind and a message that says what
                to do; a script stops there. try { ... } catch $e { ... } catches it: $e.kind,
                $e.message. For example $web has no health check, so waiting for it to be
                healthy fails at once (help errors lists the kinds).
                """,
            task: """
                Wait for $web to be healthy, catch the error, and keep its kind in $kind:
                    try { wait-healthy $web } catch $e { $kind = $e.kind }
                """,
            check: "$kind == \"ValueError\"",
            hints: [
                "try { the command that fails } catch $e { $kind = $e.kind }",
                "type:  try { wait-healthy $web } catch $e { $kind = $e.kind }",
            ],
            done: "$kind is ValueError: $web has no health check (the message said to add --health-cmd).",
            needs: [web]),
        Lesson(
            id: "pipes", title: "Pipes: containers and host programs",
            text: """
                dks is a shell too: a name it does not know runs that program from your $PATH
                (^name always does), and | joins commands: the bytes of one flow into the next,
                containers and host programs alike. As a value, a pipeline gives a
                process_result (.stdout, .exit_code, .ok).
                """,
            task: """
                Count the lines of $talker's log with the host program wc, and keep the result:
                    $count = logs $talker | ^wc -l
                """,
            check: "type($count) == \"process_result\" and trim($count.stdout) == \"1\"",
            hints: [
                "logs $talker | ^wc -l sends the log into wc; put $count = in front to keep the result",
                "type:  $count = logs $talker | ^wc -l",
            ],
            done: "$count.stdout is \"1\\n\": the log went from the container through wc, with no bash in between.",
            needs: [talker]),
        Lesson(
            id: "cleanup", title: "Cleaning up",
            text: """
                Containers stay until you remove them. rm -f removes them, running or not. In a
                script, write defer { rm -f $c } right after creating $c: it runs however the
                script ends, even on an error or Ctrl-C. prune containers removes stopped ones.
                """,
            task: """
                Remove the three containers of this tutorial:
                    rm -f $web $talker $db
                """,
            check: "$web.status == \"removed\" and $talker.status == \"removed\" and $db.status == \"removed\"",
            hints: [
                "rm -f takes several containers: rm -f $web $talker $db",
                "type:  rm -f $web $talker $db",
            ],
            done: "All three are gone: their status reads removed.",
            needs: [
                Need(check: "type($web) == \"container\"", make: web.make, note: "I started $web again, to remove"),
                Need(check: "type($talker) == \"container\"", make: talker.make, note: "I started $talker again, to remove"),
                Need(check: "type($db) == \"container\"", make: db.make, note: "I started $db again, to remove"),
            ]),
    ]
}
