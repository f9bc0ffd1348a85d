// FakeDaemonTestCase: the fixture shared by tests that talk to fake daemons (FakeDaemon) on a unix
// socket in a temporary directory: the directory, the daemons to stop, and a cleared interrupt
// flag before and after each test. Owns: that set-up and tear-down. Must not: start a daemon.
import DKSSupport
import Foundation
import XCTest

class FakeDaemonTestCase: XCTestCase {
    /// How the subclass names its temporary directories (`dks-faults-…`).
    class var directoryPrefix: String { "dks-fake-daemon-" }
    var directory = ""
    var daemons: [FakeDaemon] = []

    override func setUpWithError() throws {
        #if !canImport(Glibc)
        throw XCTSkip("Linux only")
        #endif
        directory = NSTemporaryDirectory() + Self.directoryPrefix + String(UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        Interruption.clear()
    }

    override func tearDown() {
        for d in daemons { d.stop() }
        daemons.removeAll()
        try? FileManager.default.removeItem(atPath: directory)
        Interruption.clear()
    }

    var socketPath: String { directory + "/docker.sock" }
}
