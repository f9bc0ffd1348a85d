// FormatterTests: `dks fmt`'s layout rules on small programs, its refusal to touch programs that
// do not parse, and its contract on every .dks file in the repository: the output parses to the
// same tree, keeps every comment, and formatting it again changes nothing.
import XCTest
import DKSLanguage
@testable import DKSFormat

final class FormatterTests: XCTestCase {
    func fmt(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let out = try Formatter.format(s)
            XCTAssertEqual(try Formatter.format(out), out, "not idempotent", file: file, line: line)
            return out
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return ""
        }
    }

    func check(_ input: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(fmt(input, file: file, line: line), expected, file: file, line: line)
    }

    func testOperatorsAndCollectionsGetCanonicalSpacing() {
        check("$x=1+2*3\n", "$x = 1 + 2 * 3\n")
        check("$m={a:1,\"b c\":[1,2 ,3]}\n", "$m = {a: 1, \"b c\": [1, 2, 3]}\n")
        check("$r = 1 .. 5\n$s=0..<$n\n", "$r = 1..5\n$s = 0..<$n\n")
        check("if not $a and($b or $c){echo x}\n", "if not $a and ($b or $c) { echo x }\n")
        check("echo (f( 1 ,k: 2))\n", "echo (f(1, k: 2))\n")
        check("$y = -$x + - 5\n", "$y = -$x + -5\n")
        check("if $x not  in $xs { }\n", "if $x not in $xs {}\n")
    }

    func testParenthesesAreKept() {
        check("$x = ((1 + 2)) * 3\n", "$x = ((1 + 2)) * 3\n")
        check("$x = (1 + 2) + 3\n", "$x = (1 + 2) + 3\n")
        check("$n = (len $xs)\n", "$n = (len $xs)\n")
    }

    func testLiteralsKeepTheirSpelling() {
        check("$x=0x1F+1_000+1e3\n$s='raw $x'\n$t=\"a\\tb $x.y ${1+2}\"\n",
              "$x = 0x1F + 1_000 + 1e3\n$s = 'raw $x'\n$t = \"a\\tb $x.y ${1+2}\"\n")
    }

    func testCommandWordsStayAsWritten() {
        check("^git   checkout 1.10   007\n", "^git checkout 1.10 007\n")
        check("echo \"$web.name\"x  $c.logs(tail: 5)   --name=web 'a  b'\n", "echo \"$web.name\"x $c.logs(tail: 5) --name=web 'a  b'\n")
        check("^make test   2>&1 |   ^tee  build.log\n", "^make test 2>&1 | ^tee build.log\n")
        check("echo hi >out.txt   2>>  err.txt 2>&1\n", "echo hi >out.txt 2>> err.txt 2>&1\n")
        check("exec $db pg_dump app|^gzip>app.sql.gz\n", "exec $db pg_dump app | ^gzip >app.sql.gz\n")
    }

    func testContinuationsAndPipelineBreaksAreKept() {
        check("run -d --name web \\\n      -e A=1 \\\n busybox\n", "run -d --name web \\\n  -e A=1 \\\n  busybox\n")
        check("^cat f |\n    ^sort |\n ^uniq\n", "^cat f |\n  ^sort |\n  ^uniq\n")
    }

    func testBlocksAndIndentation() {
        check("fn f($a,$b=1){\nif $a{\nreturn $a}else{return $b}\n}\n",
              "fn f($a, $b = 1) {\n  if $a {\n    return $a\n  } else { return $b }\n}\n")
        check("for $k,$v in $m {\n    echo $k\n}\n", "for $k, $v in $m {\n  echo $k\n}\n")
        check("try {\nx\n}\ncatch $e {\necho $e\n}\nfinally {\ny\n}\n", "try {\n  x\n} catch $e {\n  echo $e\n} finally {\n  y\n}\n")
        check("if $a { x } else if $b { y }\n", "if $a { x } else if $b { y }\n")
        check("if $a { x } elif $b { y } else { z }\n", "if $a { x } elif $b { y } else { z }\n")
        check("retry 3 --delay 1s {\nexec $c true\n}\n", "retry 3 --delay 1s {\n  exec $c true\n}\n")
        check("defer {rm -f $c}\n", "defer { rm -f $c }\n")
        check("$f = fn($x) { return $x * 2 }\n", "$f = fn($x) { return $x * 2 }\n")
        check("while true { a; b }\n", "while true { a; b }\n")
        check("a; b\n", "a\nb\n")
    }

    func testMultiLineCollections() {
        check("$m = {\n  a: 1, b: [1,\n 2],\n    c: 3}\n", "$m = {\n  a: 1,\n  b: [1, 2],\n  c: 3,\n}\n")
        check("$xs = [1,\n 2]\n", "$xs = [1, 2]\n")
        check("$r = f(\n1, k: 2)\n", "$r = f(\n  1,\n  k: 2,\n)\n")
        check("$c = parallel($xs, fn($x) {\nreturn $x\n}, jobs: 2)\n", "$c = parallel($xs, fn($x) {\n  return $x\n}, jobs: 2)\n")
    }

    func testCommentsStayWhereTheyAre() {
        check("#!/usr/bin/env dks\n# header\n\n\n\necho a   # trailing\n# own line\necho b\n",
              "#!/usr/bin/env dks\n# header\n\necho a  # trailing\n# own line\necho b\n")
        check("fn f() {  # about f\n    # inside\n  x\n  # at the end\n}\n", "fn f() {  # about f\n  # inside\n  x\n  # at the end\n}\n")
        check("$m = {a: 1, # one\n b: 2}\n", "$m = {\n  a: 1,  # one\n  b: 2,\n}\n")
        check("echo a # x\necho long one # y\n\necho c # z\n", "echo a         # x\necho long one  # y\n\necho c  # z\n")
        check("echo a#b\n", "echo a#b\n")
        check("if $a {\n  x\n} # done\n", "if $a {\n  x\n}  # done\n")
    }

    func testBlankLinesAtMostOneAndNoneAtBlockEdges() {
        check("a\n\n\n\nb\n", "a\n\nb\n")
        check("if $x {\n\n  a\n\n}\n", "if $x {\n  a\n}\n")
        check("\n\na\n\n\n", "a\n")
    }

    func testMultiLineStringsAreKeptByteForByte() {
        check("$s = \"line one   \n  line two\"\necho $s\n", "$s = \"line one   \n  line two\"\necho $s\n")
        check("fn f() {\necho 'a\n   b'\n}\n", "fn f() {\n  echo 'a\n   b'\n}\n")
    }

    func testSyntaxErrorsAreReported() {
        XCTAssertThrowsError(try Formatter.format("if {\n")) { error in
            guard case FormatError.syntax = error else { return XCTFail("\(error)") }
        }
    }

    /// Every .dks file in the repository that parses: same tree, same comments, idempotent.
    func testEveryRepositoryScriptKeepsItsTreeAndIsIdempotent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = dksFiles(under: root)
        XCTAssertGreaterThan(files.count, 100)
        var formatted = 0
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            let file = SourceFile(name: path, text: text)
            guard let tree = try? Parser.parse(file) else { continue }
            let out: String
            do { out = try Formatter.format(text, name: path) } catch {
                XCTFail("\(path): \(error)")
                continue
            }
            let again = try Parser.parse(SourceFile(name: path, text: out))
            XCTAssertEqual(SyntaxDump.dump(again), SyntaxDump.dump(tree), path)
            XCTAssertEqual(try Formatter.format(out, name: path), out, "\(path): not idempotent")
            formatted += 1
        }
        XCTAssertGreaterThan(formatted, 100)
    }

    func dksFiles(under root: URL) -> [String] {
        var out: [String] = []
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        while let rel = e.nextObject() as? String {
            if rel.hasPrefix(".build") || rel.hasPrefix(".git") || rel.contains("/.build") { e.skipDescendants(); continue }
            if rel.hasSuffix(".dks") { out.append(root.appendingPathComponent(rel).path) }
        }
        return out.sorted()
    }
}
