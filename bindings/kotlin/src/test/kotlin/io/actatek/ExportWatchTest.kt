package io.actatek

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlin.time.measureTime
import kotlin.time.Duration.Companion.seconds

/**
 * Log export as a Flow (interrupted by injected faults and resumed from a persisted checkpoint),
 * the live watch, cancellation (checked in the simulator's request log), `use {}` logging out,
 * and the fleet, against the simulator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportWatchTest {
    private val sim = Simulator(users = 4, logs = 300)

    @AfterAll
    fun stop() = sim.close()

    /** Every log id the terminal holds, in one request. */
    private suspend fun allIds(): List<Long> = sim.client().use { c -> c.getFullLogs(limit = 100_000).map { it.logId!! } }

    @Test
    fun `an export interrupted by faults and resumed from its JSON checkpoint delivers every log exactly once`() = test {
        val expected = allIds().sorted()
        assertTrue(expected.size >= 300)
        val got = mutableListOf<Long>()
        var saved: String? = null
        var interruptions = 0
        // Each round: a fresh client and export from the persisted checkpoint, a fault injected
        // after some logs, the failure caught; until an export runs to its end. The export asks
        // for the next page while it reads one, so a fault injected now meets the request
        // after the one already answered: faults stop well before the last pages.
        val faults = listOf("drop_before", "status500", "truncate", "drop_after")
        var round = 0
        while (true) {
            val done = sim.client(retries = 0).use { c ->
                val export = c.exportLogs(chunk = 40, checkpoint = saved?.let { Checkpoint.fromJson(it) })
                try {
                    export.logs().collect { log ->
                        got += log.logId!!
                        if (got.size % 50 == 0 && round < faults.size) {
                            sim.fault("""{"kind": "${faults[round]}", "operation": "get_full_logs"}""")
                            round++
                        }
                    }
                    true
                } catch (e: ActatekException) {
                    interruptions++
                    false
                } finally {
                    saved = export.checkpoint().toJson()
                }
            }
            if (done) break
            assertTrue(interruptions <= faults.size, "more interruptions than faults injected")
        }
        assertEquals(faults.size, interruptions, "every injected fault interrupted the export")
        assertEquals(expected, got.sorted(), "every log exactly once")
        assertEquals(expected.size.toLong(), Checkpoint.fromJson(saved!!).delivered)
    }

    @Test
    fun `a collection stopped mid-chunk leaves the checkpoint at the last log emitted`() = test {
        val expected = allIds().sorted()
        sim.client().use { c ->
            val first = c.exportLogs(chunk = 100)
            val head = first.logs().take(55).toList()
            val checkpoint = first.checkpoint()
            assertEquals(55L, checkpoint.delivered)
            val rest = c.exportLogs(chunk = 100, checkpoint = checkpoint).chunks().toList()
            assertTrue(rest.isNotEmpty())
            assertEquals(expected.size.toLong(), rest.last().checkpoint.delivered)
            assertEquals(expected, (head + rest.flatMap { it.logs }).map { it.logId!! }.sorted())
        }
    }

    @Test
    fun `a checkpoint survives JSON and a foreign text is a validation error`() = test {
        sim.client().use { c ->
            val export = c.exportLogs(chunk = 10)
            export.nextChunk()
            val checkpoint = export.checkpoint()
            val json = checkpoint.toJson()
            assertTrue(json.contains("\"delivered\":10"), json)
            assertEquals(checkpoint, Checkpoint.fromJson(json))
        }
        val e = assertFailsWith<ActatekException.Validation> { Checkpoint.fromJson("""{"nope": true""") }
        assertEquals("checkpoint", e.field)
        assertFailsWith<ActatekException.Validation> { sim.client().use { it.exportLogs(chunk = 0) } }
    }

    @Test
    fun `the watch sees logs added after it started, and cancelling it stops polling`() = test {
        sim.client().use { c ->
            val start = allIds().size
            val watch = c.watchLogs(poll = Duration.ofMillis(100))
            val seen = mutableListOf<Long>()
            val caughtUp = CompletableDeferred<Unit>()
            val newOnes = CompletableDeferred<Unit>()
            val job = launch {
                watch.logs().collect {
                    seen += it.logId!!
                    if (seen.size == start) caughtUp.complete(Unit)
                    if (seen.size == start + 5) newOnes.complete(Unit)
                }
            }
            withTimeout(20_000) { caughtUp.await() }
            sim.generateLogs(5)
            withTimeout(20_000) { newOnes.await() }
            assertEquals(seen.size, seen.toSet().size, "no log twice")
            assertEquals((start + 5).toLong(), watch.checkpoint().delivered)
            // Quiet terminal: the watch keeps polling until it is cancelled, then stops.
            delay(400)
            job.cancelAndJoin()
            val polls = sim.count("get_full_logs")
            // Longer than the quiet watch's longest backoff (16 × poll): it would have polled.
            delay(3_500)
            assertEquals(polls, sim.count("get_full_logs"), "no request after the collector was cancelled")
        }
    }

    @Test
    fun `a watch reports a transient failure to onError and goes on`() = test {
        sim.client(retries = 0).use { c ->
            val errors = mutableListOf<ActatekException>()
            sim.fault("""{"kind": "status500", "operation": "get_full_logs"}""")
            val logs = withTimeout(20_000) {
                c.watchLogs(poll = Duration.ofMillis(50)).logs(onError = { errors += it }).take(10).toList()
            }
            assertEquals(10, logs.size)
            assertEquals(1, errors.size)
            assertTrue(errors[0] is ActatekException.Api, "$errors")
        }
    }

    @Test
    fun `use {} logs the session out, and close waits for it at most a bounded time`() = test {
        val before = sim.count("logout")
        sim.client().use { c -> c.getNtp() }
        assertEquals(before + 1, sim.count("logout"), "closing the client logged out")
        // Never logged in: nothing to send.
        sim.client().use { }
        assertEquals(before + 1, sim.count("logout"))
        // A terminal that does not answer the logout: close returns after the bounded wait.
        val c = sim.client()
        c.getNtp()
        sim.fault("""{"kind": "slow", "operation": "logout", "delay_ms": 15000}""")
        val took = measureTime { c.close() }
        assertTrue(took < 8.seconds, "close waited $took")
    }

    @Test
    fun `retries and their backoff are options, with the defaults of every language`() = test {
        val options = ClientOptions(retries = 2, backoff = Duration.ofMillis(20), maxBackoff = Duration.ofMillis(40))
        Client(sim.url, Simulator.USER, Simulator.PASSWORD, options).use { c ->
            c.getNtp()
            sim.fault("""{"kind": "status500", "operation": "get_ntp", "count": 2}""")
            val before = sim.count("get_ntp")
            c.getNtp()
            assertEquals(before + 3, sim.count("get_ntp"), "two failed tries, then the answer")
        }
        sim.client(retries = 0).use { c ->
            c.getNtp()
            sim.fault("""{"kind": "status500", "operation": "get_ntp"}""")
            val before = sim.count("get_ntp")
            assertFailsWith<ActatekException.Api> { c.getNtp() }
            assertEquals(before + 1, sim.count("get_ntp"), "no retry with retries = 0")
        }
    }

    @Test
    fun `a fleet call gives every terminal its own result, in order`() = test {
        Simulator(users = 2, logs = 5).use { other ->
            val down = Client("http://127.0.0.1:9", Simulator.USER, Simulator.PASSWORD, ClientOptions(retries = 0))
            Fleet(listOf(sim.client(), down, other.client()), concurrency = 2).use { fleet ->
                val results = fleet.run { it.getTerminalStatus() }
                assertEquals(listOf(sim.url, "http://127.0.0.1:9", other.url), results.map { it.url })
                assertTrue(results[0].result.isSuccess && results[2].result.isSuccess)
                assertNotNull(results[0].result.getOrNull()?.serialNumber)
                val failure = results[1].result.exceptionOrNull()
                assertTrue(failure is ActatekException.Transport, "$failure")
                assertFalse(failure.maybeApplied)
                assertEquals(3, fleet.results { it.getUserCount() }.toList().size)
            }
        }
    }
}
