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
            guard case let ActatekError.validation(_, field, _, rule, _, _, _) = error else {
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

    func testAValueTheSdkCouldNotReadIsInExtra() {
        let extra = #"{"crowd_reset_hhmm": "9:30", "fw_extra_3": 7}"#
        XCTAssertEqual(extraValue(extra: extra, wireName: "crowd_reset_hhmm"), #""9:30""#)
        XCTAssertEqual(extraValue(extra: extra, wireName: "fw_extra_3"), "7")
        XCTAssertNil(extraValue(extra: extra, wireName: "mode"))
    }

    func testWritingBackAnUnreadableValueFailsItsRule() async throws {
        // Refused before anything is sent: no terminal is listening there.
        let client = try Client(url: "http://127.0.0.1:9", username: "admin", password: "x", options: ClientOptions(retries: 0))
        let odd = AutoInOut(mode: .crowdControl, crowdResetHhmm: nil, extra: #"{"crowd_reset_hhmm": "9:30"}"#)
        do {
            _ = try await client.setAutoInOut(setting: odd)
            XCTFail("expected a validation error")
        } catch let ActatekError.validation(_, field, value, rule, _, _, _) {
            XCTAssertEqual(field, "body.crowd_reset_hhmm")
            XCTAssertEqual(value, "9:30")
            XCTAssertEqual(rule, "hhmm")
        }
        do {
            _ = try await client.deleteJobCodes()
            XCTFail("expected a validation error")
        } catch let ActatekError.validation(_, _, _, rule, _, _, _) {
            XCTAssertEqual(rule, "job_code_filter")
        }
    }

    func testUnreachableTerminalThrowsTransport() async throws {
        let client = try Client(url: "http://127.0.0.1:9", username: "admin", password: "x", options: ClientOptions(retries: 0))
        do {
            _ = try await client.getApiVersion()
            XCTFail("expected a transport error")
        } catch let ActatekError.transport(_, kind, _, maybeApplied) {
            XCTAssertEqual(kind, .connect)
            XCTAssertFalse(maybeApplied)
        }
    }
}
