// ShellHelp: the syntax help of the shell layer — `help pipes`, `help redirection`,
// `help programs` — each with examples, registered as help topics.
// Must not: describe behaviour the runner does not have (these texts are checked by tests).
import DKSLanguage

enum ShellHelp {
    static func register(_ r: BuiltinRegistry) {
        r.registerTopic("pipes", """
            A | B | C  joins commands: each stage's stdout feeds the next stage's stdin, as bytes
            (binary-safe), all stages run at once, and memory does not grow with the data.

            A stage is a host program (^grep, gzip, ./build.sh), exec -i C CMD, run -i IMAGE CMD,
            logs [-f] C, or any dks command or function: what it prints is its stdout, and it reads
            its stdin with input() (the whole text) or for $l in input_lines(). The first stage may
            be a value: a string is written as it is, a list one item per line.

            pipefail: the pipeline fails if any stage fails; the error (CommandError) names the
            stage and has .exit_code and .exit_codes. A stage ended because the next one stopped
            reading (| ^head -1) does not count as failing. When a stage fails, the stages feeding
            it are ended; Ctrl-C ends every stage.

            As a value, a pipeline gives a process_result (.exit_code, .ok, .stdout, .stderr,
            .output, .exit_codes) and never raises; for $line in (A | B) reads the last stage's
            lines as they come.

            example:
              ^printf "banana\\napple\\ncherry\\n" | ^sort | ^head -2
              fn shout() { for $l in input_lines() { echo (upper $l) } }
              ["one", "two"] | shout
              $c = run -d busybox sleep 30
              defer { rm -f $c }
              exec $c echo "from a container" | ^tr a-z A-Z
              $r = ^printf "ok\\nerror: disk\\n" | ^grep -c error
              echo "errors: ${trim($r.stdout)}" $r.exit_codes

            prints:
              apple
              banana
              ONE
              TWO
              FROM A CONTAINER
              errors: 1 [0, 0]
            """)
        r.registerTopic("redirection", """
            After any command (a host program, exec, run, logs, echo, a function) or a pipeline:
              > FILE    stdout to FILE (created 0666 & ~umask, or emptied)
              >> FILE   stdout appended to FILE
              2> FILE   stderr to FILE;  2>> FILE  appended
              &> FILE   stdout and stderr to FILE;  &>> FILE  appended
              2>&1      stderr to wherever stdout goes now;  >&2  stdout to stderr
              < FILE    stdin from FILE (the first stage of a pipeline)
            They apply in the order written, as in bash (> f 2>&1 sends both to f). FILE is a word
            or a value ($path, "name with spaces"). A file that cannot be opened (a folder, no
            permission) is an error before anything runs. Quote the characters to pass them as
            arguments: ^echo ">" "|".

            example:
              echo "first" > log.txt
              echo "second" >> log.txt
              ^cat < log.txt
              ^sh -c 'echo out; echo oops >&2' > both.txt 2>&1
              echo -n (read_file "both.txt")
              $c = run -d busybox sleep 30
              defer { rm -f $c }
              exec $c echo "from a container" > saved.txt
              echo -n (read_file "saved.txt")

            prints:
              first
              second
              out
              oops
              from a container
            """)
        r.registerTopic("programs", """
            A command word that names no dks command or function runs the program of that name on
            $env.PATH: git status, make -j4, curl -fsS $url. ^NAME always means the program, even
            where dks has a command of that name (^rm -rf build, ^ps aux). ./build.sh, ../x and
            /usr/bin/env run that file; python3.11 and g++ are program names too.

            The words are the program's argv exactly: no shell, no globbing (use glob()), no
            re-splitting; a string is one argument and a list spreads into one per item. A number
            word keeps its spelling (^git checkout 1.10 passes 1.10).

            At statement level the program shares dks's terminal (^vim, ^less work; Ctrl-C goes to
            it) and a non-zero exit raises CommandError (.exit_code), as set -e would. As a value
            it gives a process_result (.exit_code, .ok, .stdout, .stderr, .output) and never raises.
            $env is the programs' environment ($env.NAME = "v" exports, = null unsets); cd changes
            the working directory; which(NAME) finds a program.

            example:
              ^echo "a host program"
              $r = ^sh -c 'exit 3'
              echo $r.exit_code $r.ok
              if (^grep -q root /etc/passwd).ok { echo "root has an account" }
              $env.GREETING = "hello"
              ^sh -c 'echo $GREETING from sh'
              try { ^false } catch $e { echo $e.kind $e.exit_code }
              cd /
              echo (pwd()) (which("sh") != null)

            prints:
              a host program
              3 false
              root has an account
              hello from sh
              CommandError 1
              / true
            """)
    }
}
