// Coroutine-shaped helpers over the generated API: log export and watch as Flows, a fleet of
// terminals, and the checkpoint as JSON text. Written by hand; everything they call is generated
// from the Rust core (bindings/uniffi).
package io.actatek

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.channelFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit

/**
 * The export's logs one by one, cold: collecting asks the terminal page by page, and stopping
 * the collection (cancellation, `take(n)`, an exception) stops the requests. [LogExport.checkpoint]
 * then counts exactly the logs this flow emitted, so an export resumed from it delivers every log
 * exactly once.
 *
 * ```
 * val export = client.exportLogs(checkpoint = saved?.let(Checkpoint::fromJson))
 * export.logs().collect { store(it) }
 * save(export.checkpoint().toJson())
 * ```
 */
fun LogExport.logs(): Flow<FullLog> = flow {
    while (true) {
        val log = nextLog() ?: break
        emit(log)
    }
}

/** The export a chunk at a time, each with the checkpoint after it (persist that one). */
fun LogExport.chunks(): Flow<LogChunk> = flow {
    while (true) {
        val chunk = nextChunk() ?: break
        emit(chunk)
    }
}

/**
 * New logs as they arrive, endless until the collector stops (cancelling it stops polling at
 * once). A transient failure (network, terminal restart, a terminal error reply) goes to
 * [onError] and the watch goes on after its backoff; any other failure ends the flow with that
 * exception. [LogWatch.checkpoint] counts exactly the logs emitted.
 */
fun LogWatch.logs(onError: suspend (ActatekException) -> Unit = {}): Flow<FullLog> = flow {
    while (true) {
        val log = try {
            nextLog()
        } catch (e: ActatekException) {
            if (isOver()) throw e
            onError(e)
            continue
        } ?: break
        emit(log)
    }
}

/** The checkpoint as JSON text, to persist (the same JSON as the Rust, Python and browser packages). */
fun Checkpoint.toJson(): String = checkpointToJson(this)

/** A checkpoint from JSON text written by [toJson] (or another language's package). */
fun Checkpoint.Companion.fromJson(json: String): Checkpoint = checkpointFromJson(json)

/** One terminal's outcome in a [Fleet] call. */
data class TerminalResult<T>(val url: String, val result: Result<T>)

/**
 * Many terminals at once: [run] calls [block] on every client, at most [concurrency] at a time.
 * One terminal failing never fails the others; every terminal gets its own [TerminalResult].
 * `close()` closes (and logs out) every client.
 */
class Fleet(val clients: List<Client>, val concurrency: Int = defaultFleetConcurrency().toInt()) : AutoCloseable {
    init {
        require(concurrency >= 1) { "concurrency must be at least 1, not $concurrency" }
    }

    /** Results in the order of [clients], when all are done. */
    suspend fun <T> run(block: suspend (Client) -> T): List<TerminalResult<T>> = coroutineScope {
        val permits = Semaphore(concurrency)
        clients.map { client ->
            async { permits.withPermit { outcome(client, block) } }
        }.awaitAll()
    }

    /** Results as each terminal finishes. */
    fun <T> results(block: suspend (Client) -> T): Flow<TerminalResult<T>> = channelFlow {
        val permits = Semaphore(concurrency)
        for (client in clients) {
            launch { permits.withPermit { send(outcome(client, block)) } }
        }
    }

    override fun close() = clients.forEach { it.close() }

    private suspend fun <T> outcome(client: Client, block: suspend (Client) -> T): TerminalResult<T> =
        try {
            TerminalResult(client.url(), Result.success(block(client)))
        } catch (e: ActatekException) {
            TerminalResult(client.url(), Result.failure(e))
        }
}
