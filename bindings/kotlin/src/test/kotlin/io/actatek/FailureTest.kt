package io.actatek

import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import kotlin.time.measureTime
import kotlin.time.Duration.Companion.seconds

/** Terminal errors, transport errors, cancelled coroutines and Rust panics, as Kotlin exceptions. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureTest {
    private val sim = Simulator(users = 3, logs = 10)
    private val t = sim.client()

    @AfterAll
    fun stop() {
        t.close()
        sim.close()
    }

    @Test
    fun `a terminal error is an Api exception with status and detail`() = test {
        val e = assertFailsWith<ActatekException.Api> { t.deleteUser("nobody-here") }
        assertEquals("delete_user", e.operation)
        assertTrue(e.status in 400..499, "status ${e.status}")
        assertTrue(e.detail.isNotBlank())
    }

    @Test
    fun `a personal user is refused by the terminal`() = test {
        sim.client(user = "U0001", password = "U0001").use { personal ->
            assertEquals("U0001", personal.getMyself().userId)
            val e = assertFailsWith<ActatekException.Api> { personal.getUserCount() }
            assertTrue(e.detail.contains("permission"), e.detail)
        }
    }

    @Test
    fun `a wrong password is an Api exception that does not show the password`() = test {
        sim.client(password = "wrong-Pa55word").use { c ->
            val e = assertFailsWith<ActatekException.Api> { c.getNtp() }
            assertFalse("wrong-Pa55word" in e.toString() + e.detail)
        }
    }

    @Test
    fun `a failed write is reported, never repeated`() = test {
        sim.fault("""{"kind": "status500", "operation": "open_door"}""")
        val e = assertFailsWith<ActatekException.Api> { t.openDoor() }
        assertEquals(500, e.status)
    }

    @Test
    fun `an unreadable reply is a Protocol exception`() = test {
        sim.client(retries = 0).use { c ->
            sim.fault("""{"kind": "truncate", "operation": "get_agents"}""")
            val e = assertFailsWith<ActatekException.Protocol> { c.getAgents() }
            assertEquals("get_agents", e.operation)
            assertFalse(e.maybeApplied, "a read changes nothing")
        }
    }

    @Test
    fun `an unreadable reply to a write says it may have been applied`() = test {
        // Retries allowed, so that a repeated write would reach the simulator a second time.
        sim.client(retries = 3).use { c ->
            c.getNtp() // logged in (get_api_version needs no session)
            sim.fault("""{"kind": "truncate", "operation": "set_ntp"}""")
            val before = sim.requestCount()
            val e = assertFailsWith<ActatekException.Protocol> { c.setNtp(Ntp("pool.ntp.org", true)) }
            assertEquals(before + 1, sim.requestCount(), "the write was sent once and never repeated")
            assertEquals("set_ntp", e.operation)
            assertTrue(e.maybeApplied, "the terminal received the write")
            assertTrue(e.message!!.contains("maybeApplied=true"), e.message)
            assertEquals("pool.ntp.org", c.getNtp().serveraddr, "truncate applies the write, then cuts the reply")
        }
    }

    @Test
    fun `no terminal is a Transport exception of kind Connect`() = test {
        Client("http://127.0.0.1:9", "admin", "x", ClientOptions(retries = 0)).use { c ->
            val e = assertFailsWith<ActatekException.Transport> { c.getApiVersion() }
            assertEquals(TransportKind.CONNECT, e.kind)
            assertFalse(e.maybeApplied)
        }
    }

    @Test
    fun `a URL that is not http is refused when the client is built`() {
        val e = assertFailsWith<ActatekException.Config> { Client("ftp://10.0.0.5", "admin", "x") }
        assertEquals("url", e.setting)
        assertTrue(e.detail.contains("http://"), e.detail)
    }

    @Test
    fun `a cancelled coroutine drops the call and the client goes on`() = test {
        sim.fault("""{"kind": "slow", "operation": "get_ntp", "delay_ms": 4000}""")
        val took = measureTime {
            assertFailsWith<TimeoutCancellationException> { withTimeout(300) { t.getNtp() } }
        }
        assertTrue(took < 2.seconds, "cancellation is prompt: $took")
        // The slow fault was used up by the cancelled call: this one answers at once.
        assertTrue(measureTime { t.getNtp() } < 2.seconds)
    }

    @Test
    fun `cancelling a launched call's job stops it`() = test {
        sim.fault("""{"kind": "slow", "operation": "get_log_setting", "delay_ms": 4000}""")
        var finished = false
        val took = measureTime {
            val job = launch { t.getLogSetting(); finished = true }
            delay(200)
            job.cancelAndJoin()
            assertTrue(job.isCancelled)
        }
        assertFalse(finished)
        assertTrue(took < 2.seconds, "took $took")
    }

    @Test
    fun `a Rust panic is an InternalException, not a crash`() {
        val e = assertFailsWith<InternalException> { panicForTest("boom") }
        assertTrue(e.message!!.contains("boom"), e.message)
        // The library is still usable afterwards.
        assertEquals(72, operationNames().size)
    }

    @Test
    fun `a Rust panic inside an async call is an InternalException too`() = test {
        val e = assertFailsWith<InternalException> { panicForTestAsync("async boom") }
        assertTrue(e.message!!.contains("async boom"), e.message)
        assertTrue(!t.getApiVersion().version.isNullOrEmpty())
    }
}
