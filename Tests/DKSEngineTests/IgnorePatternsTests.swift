// IgnorePatternsTests: `.dockerignore` matching against the cases moby/patternmatcher and
// ignorefile document in their own tests (TestMatches, the multi-pattern cases, the filepath
// Match cases through the older Matches, the compile cases' match types, ReadAll), plus the
// regular-expression subset those patterns become. The build context itself is compared with
// the docker CLI's on real directories by scripts/test-docker-images.
import DKSSupport
import XCTest

final class IgnorePatternsTests: XCTestCase {
    /// patternmatcher_test.go TestMatches: MatchesOrParentMatches, and the walk's
    /// MatchesUsingParentResults fed its parents' results.
    static let matches: [(String, String, Bool)] = [
        ("**", "file", true), ("**", "file/", true), ("**/", "file", true), ("**/", "file/", true),
        ("**", "/", true), ("**/", "/", true), ("**", "dir/file", true), ("**/", "dir/file", true),
        ("**", "dir/file/", true), ("**/", "dir/file/", true), ("**/**", "dir/file", true), ("**/**", "dir/file/", true),
        ("dir/**", "dir/file", true), ("dir/**", "dir/file/", true), ("dir/**", "dir/dir2/file", true),
        ("dir/**", "dir/dir2/file/", true), ("**/dir", "dir", true), ("**/dir", "dir/file", true),
        ("**/dir2/*", "dir/dir2/file", true), ("**/dir2/*", "dir/dir2/file/", true), ("**/dir2/**", "dir/dir2/dir3/file", true),
        ("**/dir2/**", "dir/dir2/dir3/file/", true), ("**file", "file", true), ("**file", "dir/file", true),
        ("**/file", "dir/file", true), ("**file", "dir/dir/file", true), ("**/file", "dir/dir/file", true),
        ("**/file*", "dir/dir/file", true), ("**/file*", "dir/dir/file.txt", true), ("**/file*txt", "dir/dir/file.txt", true),
        ("**/file*.txt", "dir/dir/file.txt", true), ("**/file*.txt*", "dir/dir/file.txt", true),
        ("**/**/*.txt", "dir/dir/file.txt", true), ("**/**/*.txt2", "dir/dir/file.txt", false), ("**/*.txt", "file.txt", true),
        ("**/**/*.txt", "file.txt", true), ("a**/*.txt", "a/file.txt", true), ("a**/*.txt", "a/dir/file.txt", true),
        ("a**/*.txt", "a/dir/dir/file.txt", true), ("a/*.txt", "a/dir/file.txt", false), ("a/*.txt", "a/file.txt", true),
        ("a/*.txt**", "a/file.txt", true), ("a[b-d]e", "ae", false), ("a[b-d]e", "ace", true), ("a[b-d]e", "aae", false),
        ("a[^b-d]e", "aze", true), (".*", ".foo", true), (".*", "foo", false), ("abc.def", "abcdef", false),
        ("abc.def", "abc.def", true), ("abc.def", "abcZdef", false), ("abc?def", "abcZdef", true), ("abc?def", "abcdef", false),
        ("a\\\\", "a\\", true), ("**/foo/bar", "foo/bar", true), ("**/foo/bar", "dir/foo/bar", true),
        ("**/foo/bar", "dir/dir2/foo/bar", true), ("abc/**", "abc", false), ("abc/**", "abc/def", true),
        ("abc/**", "abc/def/ghi", true), ("**/.foo", ".foo", true), ("**/.foo", "bar.foo", false),
        ("a(b)c/def", "a(b)c/def", true), ("a(b)c/def", "a(b)c/xyz", false), ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
        ("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
        ("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
        ("a\\*b", "a*b", true),
    ]

    static let multi: [([String], String, Bool)] = [
        (["**", "!util/docker/web"], "util/docker/web/foo", false),
        (["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", true),
        (["**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"], "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false),
        (["**", "!dist/*.whl"], "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false),
        // The docs' own examples: a folder and an exception inside it.
        (["docs", "!docs/README.md"], "docs/README.md", false),
        (["docs/", "!docs/README.md"], "docs/README.md", false),
        (["docs/*", "!docs/README.md"], "docs/README.md", false),
        (["*.go", "!fileutils.go"], "fileutils.go", false),
        (["!fileutils.go", "*.go"], "fileutils.go", true),
        (["*.md", "!README*.md", "README-secret.md"], "README-secret.md", true),
        (["*.md", "README-secret.md", "!README*.md"], "README-secret.md", false),
    ]

    func testMatchesOrParentMatches() throws {
        for (pattern, text, pass) in Self.matches {
            let m = try IgnoreMatcher([pattern])
            XCTAssertEqual(try m.matchesOrParentMatches(text), pass, "pattern \(pattern) text \(text)")
        }
        for (patterns, text, pass) in Self.multi {
            XCTAssertEqual(try IgnoreMatcher(patterns).matchesOrParentMatches(text), pass, "patterns \(patterns) text \(text)")
        }
    }

    /// What the build context's walk asks: each parent directory first, its results handed down.
    func testMatchesUsingParentResults() throws {
        func check(_ m: IgnoreMatcher, _ text: String) throws -> Bool {
            var info = IgnoreMatcher.ParentResults()
            let parent = GoPath.dir(text)
            if parent != "." {
                let dirs = parent.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                for i in dirs.indices { info = try m.matchesUsingParentResults(dirs[...i].joined(separator: "/"), parent: info).1 }
            }
            return try m.matchesUsingParentResults(text, parent: info).0
        }
        for (pattern, text, pass) in Self.matches {
            XCTAssertEqual(try check(IgnoreMatcher([pattern]), text), pass, "pattern \(pattern) text \(text)")
            // Without the parents' results it falls back to looking at the parents itself.
            XCTAssertEqual(try IgnoreMatcher([pattern]).matchesUsingParentResults(text, parent: .init()).0, pass, "no context: \(pattern) \(text)")
        }
        for (patterns, text, pass) in Self.multi {
            XCTAssertEqual(try check(IgnoreMatcher(patterns), text), pass, "patterns \(patterns) text \(text)")
        }
    }

    /// filepath.Match's cases through the older Matches (one parent level), with its syntax errors.
    func testFilepathMatchCases() {
        let cases: [(String, String, Bool?)] = [  // nil: the pattern is refused (ErrBadPattern)
            ("abc", "abc", true), ("*", "abc", true), ("*c", "abc", true), ("a*", "a", true), ("a*", "abc", true),
            ("a*", "ab/c", true), ("a*/b", "abc/b", true), ("a*/b", "a/c/b", false), ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true), ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false), ("a*b?c*x", "abxbbxdbxebxczzx", true), ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true), ("ab[b-d]", "abc", true), ("ab[e-g]", "abc", false), ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abc", false), ("ab[^e-g]", "abc", true), ("a\\*b", "a*b", true), ("a\\*b", "ab", false),
            ("a?b", "a☺b", true), ("a[^a]b", "a☺b", true), ("a???b", "a☺b", false), ("a[^a][^a][^a]b", "a☺b", false),
            ("[a-ζ]*", "α", true), ("*[a-ζ]", "A", false), ("a?b", "a/b", false), ("a*b", "a/b", false),
            ("[\\]a]", "]", true), ("[\\-]", "-", true), ("[x\\-]", "x", true), ("[x\\-]", "-", true), ("[x\\-]", "z", false),
            ("[\\-x]", "x", true), ("[\\-x]", "-", true), ("[\\-x]", "a", false),
            ("[]a]", "]", nil), ("[-]", "-", nil), ("[x-]", "x", nil), ("[x-]", "-", nil), ("[x-]", "z", nil), ("[-x]", "x", nil),
            ("[-x]", "-", nil), ("[-x]", "a", nil), ("\\", "a", nil), ("[a-b-c]", "a", nil), ("[", "a", nil), ("[^", "a", nil),
            ("[^bc", "a", nil), ("a[", "a", nil), ("a[", "ab", nil), ("*x", "xxx", true),
        ]
        for (pattern, text, want) in cases {
            do {
                let got = try IgnoreMatcher.matchesOneParent(text, [pattern])
                XCTAssertEqual(got, want, "pattern \(pattern) text \(text)")
            } catch {
                XCTAssertNil(want, "pattern \(pattern) was refused: \(error)")
            }
        }
    }

    func testSpecialCases() throws {
        XCTAssertThrowsError(try IgnoreMatcher(["!"]), "a lone ! is an error")
        XCTAssertEqual(try IgnoreMatcher.matchesOneParent(".", ["*.go"]), false, "the context itself is never excluded")
        XCTAssertEqual(try IgnoreMatcher([]).matchesOrParentMatches("/any/path/there"), false)
        XCTAssertTrue(try IgnoreMatcher(["  !docs/README.md", "x"]).hasExclusions, "leading space trimmed")
        // Passes filepath.Match's check (it does not compare range ends) but is no regular expression.
        let bad = try IgnoreMatcher(["[Local-Only]/"])
        XCTAssertThrowsError(try bad.matchesOrParentMatches("x"))
        XCTAssertThrowsError(try bad.matchesOrParentMatches("x"), "the second call fails the same way")
        // A `\d` escape means a digit in the regular expression the pattern becomes.
        XCTAssertEqual(try IgnoreMatcher(["log\\d"]).matchesOrParentMatches("log7"), true)
        XCTAssertEqual(try IgnoreMatcher(["log\\d"]).matchesOrParentMatches("logd"), false)
    }

    /// ignorefile_test.go TestReadAll, and the rules it documents.
    func testReadAll() {
        XCTAssertEqual(IgnoreFile.patterns([]), [])
        let content = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! "
        XCTAssertEqual(IgnoreFile.patterns(Array(content.utf8)),
                       ["test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!"])
        XCTAssertEqual(IgnoreFile.patterns([0xEF, 0xBB, 0xBF] + Array("a\r\n./b/../c/\n  # not a comment\n".utf8)),
                       ["a", "c", "# not a comment"])
        XCTAssertEqual(IgnoreFile.patterns(Array("//x\n/\n".utf8)), ["x", "/"])
    }

    func testRegexSubset() throws {
        XCTAssertTrue(try PathRegex("^(.*/)?[^/]*\\.txt$").matches("a/b/c.txt"))
        XCTAssertFalse(try PathRegex("^.*$").matches("a\nb"), "`.` does not match a newline")
        XCTAssertTrue(try PathRegex("^[^/]*$").matches("a\nb"), "a negated class does")
        XCTAssertTrue(try PathRegex("^[[:digit:]x]+$").matches("12x3"))
        XCTAssertThrowsError(try PathRegex("^[z-a]$"))
        XCTAssertThrowsError(try PathRegex("^a\\y$"))
        XCTAssertThrowsError(try PathRegex("^[ab$"))
        XCTAssertThrowsError(try PathRegex("^a**$"))
        // Linear time: a pattern that makes a backtracking matcher explode.
        let long = String(repeating: "a", count: 5000)
        XCTAssertFalse(try PathRegex("^(.*/)?(.*/)?(.*/)?(.*/)?[^/]*[^/]*[^/]*[^/]*b$").matches(long))
    }

    func testGoPathRel() {
        XCTAssertEqual(GoPath.rel("/a/b", "/a/b/c/d"), "c/d")
        XCTAssertEqual(GoPath.rel("/a/b", "/a/b"), ".")
        XCTAssertEqual(GoPath.rel("/a/b", "/a/x/Dockerfile"), "../x/Dockerfile")
        XCTAssertEqual(GoPath.rel("/", "/etc"), "etc")
    }

    func testBase64() {
        XCTAssertEqual(Base64.encode(Array("{}".utf8), urlSafe: true), "e30=")
        XCTAssertEqual(Base64.encode(Array("dks-test:dks-test-secret".utf8)), "ZGtzLXRlc3Q6ZGtzLXRlc3Qtc2VjcmV0")
        XCTAssertEqual(Base64.decode("ZGtzLXRlc3Q6ZGtzLXRlc3Qtc2VjcmV0").map { String(decoding: $0, as: UTF8.self) }, "dks-test:dks-test-secret")
        XCTAssertEqual(Base64.encode([0xfb, 0xff], urlSafe: true), "-_8=")
        XCTAssertEqual(Base64.decode("-_8="), [0xfb, 0xff])
        XCTAssertNil(Base64.decode("a*b"))
    }
}
