// ImageReferenceTests: references as the docker CLI parses them (issue 11 item 16: `tag SRC "repo:"`
// created repo:latest and failed afterwards). Each verdict below is what `docker tag` (28.2) said.
import DKSEngine
import XCTest

final class ImageReferenceTests: XCTestCase {
    func testValidReferences() throws {
        let cases: [(String, String, String?, String?)] = [
            ("busybox", "busybox", nil, nil),
            ("busybox:1.36", "busybox", "1.36", nil),
            ("localhost:5000/x:1", "localhost:5000/x", "1", nil),
            ("127.0.0.1:5000/dks-test/busybox:latest", "127.0.0.1:5000/dks-test/busybox", "latest", nil),
            ("UPPER.io/x", "UPPER.io/x", nil, nil),
            ("a__b", "a__b", nil, nil),
            ("a-b--c", "a-b--c", nil, nil),
            ("a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "a/b", nil,
             "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
            ("[::1]:5000/x:v_1.0-rc", "[::1]:5000/x", "v_1.0-rc", nil),
            ("x:Tag_With.Upper-1", "x", "Tag_With.Upper-1", nil),
        ]
        for (text, name, tag, digest) in cases {
            let r = try ImageReference.parse(text)
            XCTAssertEqual(r.name, name, text)
            XCTAssertEqual(r.tag, tag, text)
            XCTAssertEqual(r.digest, digest, text)
        }
    }

    func testInvalidReferencesWithTheDockerCLIsWords() {
        let format = "invalid reference format"
        let cases: [(String, String)] = [
            ("repo:", format), ("repo:tag:x", format), ("a/b@sha256:abc", format), ("-x", format), ("a//b", format),
            ("x:-bad", format), ("x:" + String(repeating: "a", count: 129), format), ("a..b", format), ("a___b", format),
            ("ex.com:port/x", format), ("a.b/c_/d", format), ("", format),
            ("Repo", "invalid reference format: repository name (library/Repo) must be lowercase"),
            ("docker.io/Me/x", "invalid reference format: repository name (Me/x) must be lowercase"),
            (String(repeating: "ab", count: 32), "invalid repository name (\(String(repeating: "ab", count: 32))), cannot specify 64-byte hexadecimal strings"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try ImageReference.parse(text), text) {
                XCTAssertEqual(($0 as? ImageReference.Invalid)?.description, message, text)
            }
        }
        XCTAssertThrowsError(try ImageReference.parseTagTarget("x:latest@sha256:" + String(repeating: "0", count: 64))) {
            XCTAssertEqual(($0 as? ImageReference.Invalid)?.description, "refusing to create a tag with a digest reference")
        }
        XCTAssertThrowsError(try ImageReference.parse(String(repeating: "a", count: 256)))
    }
}
