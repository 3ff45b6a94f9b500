// Offline checks of the generated binding, for a Mac (no terminal needed):
//   swift test -Xlinker -L../../target/release
// CI does not compile Swift (no toolchain on its machines); the Kotlin suite covers the same
// Rust code against the simulator.
import Foundation
import XCTest
@testable import Actatek

final class ActatekTests: XCTestCase {
    func testEveryCanonicalOperationIsKnown() {
        XCTAssertEqual(operationNames().count, 72)
    }

    func testTimePatternsFromRanges() throws {
        let pattern = try timePatternFromRanges(ranges: "08:00-12:30, 13:30-17:00")
        XCTAssertEqual(pattern.count, 48)
        XCTAssertEqual(try timePatternToRanges(pattern: pattern), "08:00-12:30, 13:30-17:00")
    }

    func testValidationErrorsCarryFieldAndRule() {
        XCTAssertThrowsError(try timePatternFromRanges(ranges: "08:15-09:00")) { error in
            guard case let ActatekError.Validation(_, field, _, rule, _, _, _) = error else {
                return XCTFail("expected a validation error, got \(error)")
            }
            XCTAssertEqual(field, "ranges")
            XCTAssertEqual(rule, "time_range")
        }
    }

    func testLocalAndUtcStayApart() {
        let local = TerminalDateTime.local(dateTime: DateComponents(year: 2025, month: 7, day: 16, hour: 10, minute: 24, second: 13))
        let utc = TerminalDateTime.utc(instant: Date(timeIntervalSince1970: 1_752_661_453))
        XCTAssertNotEqual(local, utc)
    }

    func testUnreachableTerminalThrowsTransport() async throws {
        let client = try Client(url: "http://127.0.0.1:9", username: "admin", password: "x", options: ClientOptions(retries: 0))
        do {
            _ = try await client.getApiVersion()
            XCTFail("expected a transport error")
        } catch let ActatekError.Transport(_, kind, _, maybeApplied) {
            XCTAssertEqual(kind, .connect)
            XCTAssertFalse(maybeApplied)
        }
    }
}
