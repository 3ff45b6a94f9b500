// Written by hand (generate.sh leaves this file alone): log export and watch as
// AsyncThrowingStream, a fleet of terminals with a task group, and the checkpoint as JSON text,
// over the generated API of Actatek.swift.
//
// Not compiled on this project's CI machines (no Swift toolchain can be installed there); the
// Kotlin suite runs the same Rust objects (LogExport, LogWatch, Checkpoint) against the
// simulator.
import Foundation

extension LogExport {
    /// The export's logs one by one. Ending the iteration (`break`, a cancelled task) cancels
    /// the request in flight; `checkpoint()` then counts exactly the logs yielded, so an export
    /// resumed from it delivers every log exactly once.
    public func logs() -> AsyncThrowingStream<FullLog, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    while let log = try await self.nextLog() {
                        continuation.yield(log)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The export a chunk at a time, each with the checkpoint after it (persist that one).
    public func chunks() -> AsyncThrowingStream<LogChunk, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    while let chunk = try await self.nextChunk() {
                        continuation.yield(chunk)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension LogWatch {
    /// New logs as they arrive, until the iteration ends (which stops polling). A transient
    /// failure (network, terminal restart, a terminal error reply) goes to `onError` and the
    /// watch goes on after its backoff; any other failure ends the stream with that error.
    public func logs(onError: @escaping @Sendable (ActatekError) -> Void = { _ in }) -> AsyncThrowingStream<FullLog, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                while !Task.isCancelled {
                    do {
                        guard let log = try await self.nextLog() else { break }
                        continuation.yield(log)
                    } catch let error as ActatekError where !self.isOver() {
                        onError(error)
                    } catch {
                        continuation.finish(throwing: error)
                        return
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension Checkpoint {
    /// The checkpoint as JSON text, to persist (the same JSON as the Rust, Python, browser and
    /// Kotlin packages).
    public func toJson() throws -> String {
        try checkpointToJson(checkpoint: self)
    }

    /// A checkpoint from JSON text written by `toJson()` (or another language's package).
    public init(json: String) throws {
        self = try checkpointFromJson(json: json)
    }
}

/// One terminal's outcome in a `Fleet` call.
public struct TerminalResult<T> {
    public let url: String
    public let result: Result<T, Error>
}

/// Many terminals at once: `run` calls `body` on every client, at most `concurrency` at a time.
/// One terminal failing never fails the others; results come back in the order of `clients`.
public struct Fleet {
    public let clients: [Client]
    public let concurrency: Int

    public init(clients: [Client], concurrency: Int = Int(defaultFleetConcurrency())) {
        precondition(concurrency >= 1, "concurrency must be at least 1")
        self.clients = clients
        self.concurrency = concurrency
    }

    public func run<T>(_ body: @escaping @Sendable (Client) async throws -> T) async -> [TerminalResult<T>] {
        var results = [TerminalResult<T>?](repeating: nil, count: clients.count)
        await withTaskGroup(of: (Int, TerminalResult<T>).self) { group in
            var next = 0
            func start(_ i: Int) {
                let client = clients[i]
                group.addTask {
                    do {
                        return (i, TerminalResult(url: client.url(), result: .success(try await body(client))))
                    } catch {
                        return (i, TerminalResult(url: client.url(), result: .failure(error)))
                    }
                }
            }
            while next < min(concurrency, clients.count) {
                start(next)
                next += 1
            }
            for await (i, result) in group {
                results[i] = result
                if next < clients.count {
                    start(next)
                    next += 1
                }
            }
        }
        return results.map { $0! }
    }
}
