// SyntaxHelp: the language's syntax help — `help if`, `help for`, `help fn`, `help try`,
// `help defer`, `help interpolation`, `help operators`, `help values`, `help syntax`,
// `help errors` — each with an example and what it prints, registered as help topics (keywords
// such as `else` or `catch` lead to their statement's topic).
// Owns: these texts. Must not: describe behaviour the language does not have: scripts/test-docs
// runs every example and compares what it prints.
import DKSLanguage

enum SyntaxHelp {
    static func register(_ r: BuiltinRegistry) {
        for (name, text) in topics { r.registerTopic(name, text) }
        for (alias, topic) in aliases { r.registerTopicAlias(alias, of: topic) }
    }

    static let aliases: [String: String] = [
        "elif": "if", "else": "if",
        "in": "for", "break": "for", "continue": "for",
        "return": "fn", "function": "fn", "functions": "fn",
        "catch": "try", "finally": "try", "throw": "try",
        "and": "operators", "or": "operators", "not": "operators",
        "strings": "interpolation", "types": "values", "true": "values", "false": "values", "null": "values",
        "error": "errors", "pipe": "pipes", "|": "pipes", ">": "redirection", "<": "redirection",
    ]

    static let topics: [(String, String)] = [
        ("syntax", """
            Two modes. A line that starts with a bare name is a COMMAND, shell style: words
            separated by spaces, bare words are strings, --options bind to the command's
            parameters (echo hi, run -d busybox sleep 300, logs $c --tail 5). Anything else is an
            EXPRESSION, Python style, with $ on every variable ($n = len($xs) + 1).

            The two meet in two ways. NAME(ARGS) with no space is a call in expression form:
            len($xs), upper("a"), $c.logs(tail: 5). (COMMAND) is a command's value inside an
            expression or as an argument: (len $xs), (ps -a). A command written bare inside an
            expression is a syntax error: write len((ps -a)), not len(ps -a). The right side of
            = and of return is a whole statement, so $c = run -d IMAGE needs no parentheses.

            Statements end at a newline or ;. Inside ( ), [ ] and { } maps, newlines are free;
            a \\ at the end of a line continues it. # starts a comment.

            example:
              $xs = ["b", "a"]
              echo (len $xs) (len($xs)) (sorted $xs --reverse)
              $first = sorted($xs)[0]
              echo "first: $first"

            prints:
              2 2 ["b", "a"]
              first: a
            """),
        ("values", """
            Types: null, bool (true false), int (64-bit: overflow is an error, never a wrap),
            float, string, list [1, "a"], map {name: "web", "any key": 2} (insertion ordered),
            range (1..3 inclusive, 0..<3 exclusive), function, error, and the engine's objects
            (container, image, volume, network, exec_result, engine, stream, process_result).
            type($v) names them.

            Lists and maps are values: assigning copies (cheaply, on write). $xs[0], $xs[-1]
            (from the end), $m.name or $m["name"] read; $xs[0] = v, $m.key = v, $xs += [v] change.
            Falsy: false null 0 0.0 "" [] {}; everything else is truthy, "0" too.
            echo prints a value's str form (strings as they are); lists and maps show their items
            quoted (repr form).

            example:
              $web = {name: "web", ports: [80, 443]}
              $web.ports += [8080]
              echo $web.name $web.ports[-1] (len $web.ports) (type $web) (type 1.5)
              echo $web
              if "" { echo truthy } else { echo "empty strings are falsy" }

            prints:
              web 8080 3 map float
              {name: "web", ports: [80, 443, 8080]}
              empty strings are falsy
            """),
        ("operators", """
            From lowest to highest precedence:
              or  and  not           or/and return the operand that decided: ($x or "default")
              == != < <= > >= in     == compares structure (1 == 1.0; maps ignore order)
              ..  ..<                inclusive and exclusive ranges: 1..3, 0..<len($xs)
              + -                    + adds numbers, joins strings and lists, merges maps
              * / // %               / always gives a float; // floors; % takes the divisor's sign
              -x                     negation
              .  []  ()              member, index, call
            Division by zero and integer overflow are ArithmeticErrors. "a" + 1 is a TypeError:
            write "a${1}" or "a" + str(1). x in LIST, KEY in MAP, "sub" in STRING, n in RANGE.

            example:
              echo (7 / 2) (7 // 2) (-7 % 3) (2 + 3 * 4)
              echo ([1] + [2]) ({a: 1} + {b: 2}) ("ab" + "c")
              echo (null or "default") (3 in 1..5) ("ell" in "hello") (not [])

            prints:
              3.5 3 2 14
              [1, 2] {a: 1, b: 2} abc
              default true true true
            """),
        ("interpolation", """
            "double quotes" interpolate; 'single quotes' are raw (no escapes, no $).
            In double quotes: $name inserts a variable; .member parts after it read the members
            of a map, object or error: "$web.name is $web.status". On a string, number or list
            the dot is plain text, so "$file.txt" is $file then .txt. A member a map or object
            does not have is an error (KeyError), never silent text.
            ${EXPR} inserts any expression (variables inside still take $): "${len($xs)} items",
            "${$m.a + 1}". Escapes: \\n \\t \\r \\\\ \\" \\$ \\u{1F600}.

            example:
              $file = "notes"
              $web = {name: "web", port: 8080}
              echo "$file.txt" "$web.name:$web.port" "${$web.port + 1}" 'raw $file'
              echo "a\\tb" "cost: \\$5"

            prints:
              notes.txt web:8080 8081 raw $file
              a	b cost: $5
            """),
        ("if", """
            if COND { ... } elif COND { ... } else { ... }
            COND is any value, judged by truthiness (false null 0 0.0 "" [] {} are false).
            Braces are required; elif and else go on the line of the closing brace. and, or and
            not combine conditions. A command's result can be a condition: if (exec $c test -f
            /ready).ok { ... }.

            example:
              $free = 12
              if $free < 10 { echo low } elif $free < 50 { echo "getting full" } else { echo fine }
              $name = ""
              if not $name { echo "no name given" }

            prints:
              getting full
              no name given
            """),
        ("for", """
            for $x in ITERABLE { ... }      lists, ranges, strings (by character), maps (by key)
            for $i, $x in LIST { ... }      index and item
            for $k, $v in MAP { ... }       key and value
            for $line in (COMMAND) { ... }  the lines of a host program, exec or logs -f, as they come
            break leaves the loop, continue goes to the next item. Ranges: 1..3 is 1, 2, 3;
            0..<3 is 0, 1, 2; range(0, 10, 2) steps.

            example:
              for $i in 1..3 { echo -n "$i " }
              echo
              for $name, $port in {web: 80, db: 5432} { echo "$name listens on $port" }
              for $i, $c in "ab" { echo "$i:$c" }

            prints:
              1 2 3 
              web listens on 80
              db listens on 5432
              0:a
              1:b
            """),
        ("while", """
            while COND { ... }   repeats while COND is truthy; break and continue work as in for.
            Ctrl-C interrupts any loop. To wait for a container, prefer wait-healthy, wait-log or
            wait (real deadlines) to a loop around sleep; retry N { ... } re-runs a block until it
            succeeds.

            example:
              $n = 0
              while true {
                $n += 1
                if $n % 2 == 0 { continue }
                if $n > 5 { break }
                echo "odd: $n"
              }

            prints:
              odd: 1
              odd: 3
              odd: 5
            """),
        ("fn", """
            fn name($a, $b = DEFAULT, $flag = false) { ...; return VALUE }
            Call it as a command, name 1 --b 2 --flag, or as an expression, name(1, b: 2, flag:
            true): both bind the same way. Defaults are evaluated at each call. A parameter whose
            default is true or false is a --flag in command form. return takes a command too
            (return run -d IMAGE ...); without return a function gives null.
            fn($x) { ... } without a name is a closure (a value): $f = fn($x) { return $x * 2 },
            called as $f(3). Closures see the variables around them. fn declarations are hoisted.

            example:
              fn greet($who, $greeting = "hi", $loud = false) {
                $text = "$greeting, $who"
                if $loud { return upper $text }
                return $text
              }
              echo (greet ada) (greet ada --greeting hello --loud) (greet("bo", greeting: "hey"))
              $double = fn($x) { return $x * 2 }
              echo ($double(21)) (sorted([3, 1, 2], key: fn($x) { return -$x }))

            prints:
              hi, ada HELLO, ADA hey, bo
              42 [3, 2, 1]
            """),
        ("try", """
            try { ... } catch $e { ... } finally { ... }
            catch $e gets the error as a value: $e.kind (ValueError, NotFound, Timeout ...),
            $e.message, $e.line; for container errors $e.exit_code and $e.output. finally always
            runs (after the body, the catch, a return or break). catch or finally may be left out.
            throw VALUE raises: an error value is rethrown as it is, any other value becomes a
            Thrown error whose $e.value is that value. help errors lists the kinds.

            example:
              try {
                $n = int("seven")
              } catch $e {
                echo "$e.kind: $e.message"
              } finally {
                echo "done either way"
              }
              try { throw {code: 7} } catch $e { echo $e.kind $e.value.code }

            prints:
              ValueError: int: "seven" is not an integer
              done either way
              Thrown 7
            """),
        ("defer", """
            defer { ... }   runs the block when the enclosing function (or the script) ends,
            however it ends: return, an error, exit, Ctrl-C. Blocks run last-registered first.
            This is how scripts clean up containers: right after creating one, write
            defer { rm -f $c }. At the prompt, top-level defers run when you leave (Ctrl-D).

            example:
              fn job() {
                defer { echo "cleanup 1" }
                defer { echo "cleanup 2" }
                echo "working"
                throw "failed"
              }
              try { job } catch $e { echo "caught: $e" }

            prints:
              working
              cleanup 2
              cleanup 1
              caught: failed
            """),
        ("errors", """
            Every runtime error has a kind ($e.kind in catch) and a message that says what to do.
              TypeError        wrong type or call: "a" + 1, an unknown option, a missing argument
              ValueError       right type, bad value: int("seven"), bad JSON or regex, no health check
              NameError        unknown variable, command or program (with did-you-mean)
              IndexError       index out of range;  KeyError: missing map key or member
              ArithmeticError  division by zero, integer overflow
              AssertionError   assert failed;  RecursionError: more than 2500 nested calls
              IOError          a file could not be read or written
              CommandError     a host program, pipeline or exec at statement level exited non-zero
              ContainerError   run's container exited non-zero, or a container stopped during a wait
              Unhealthy        wait-healthy saw the health check fail
              NotFound         no such container, image, volume or network
              Conflict         a name already in use, a container that must be stopped first
              Timeout          a --timeout deadline passed
              EngineError      the engine could not be reached or refused the request
              BuildError       a step of build failed (.step, .instruction, .exit_code, .output)
              ServiceError     a service's tasks keep failing in wait-converged (.tasks, .output)
              Interrupted      Ctrl-C, SIGTERM, SIGHUP (exit status 130, 143, 129)
              Thrown           throw of a value that is not an error
              CaptureLimitError  output kept as a value passed DKS_CAPTURE_LIMIT
            An uncaught error prints FILE:LINE:COL: error: MESSAGE, the line and a caret, and dks
            exits with 1 (2 for a syntax error, where nothing ran). docs/errors.md has a typical
            cause and fix for each kind.

            example:
              $m = {a: 1}
              for $f in [fn() { return [1][5] }, fn() { return $m.b }, fn() { return 1 / 0 }, fn() { return int("x") }] {
                try { $f() } catch $e { echo "$e.kind: $e.message" }
              }

            prints:
              IndexError: index 5 out of range for list of length 1
              KeyError: key "b" not found
              ArithmeticError: division by zero
              ValueError: int: "x" is not an integer
            """),
    ]
}
