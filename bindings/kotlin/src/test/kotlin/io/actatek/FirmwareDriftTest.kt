package io.actatek

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Where a paged log export stands. The terminal pages logs only by time (`from`, inclusive)
 * and count (`limit`), so the checkpoint is the timestamp of the last delivered log and the
 * ids already delivered at exactly that timestamp (what the Rust client's `export_logs` keeps).
 */
data class LogCheckpoint(val from: TerminalDateTime? = null, val idsAtFrom: Set<Long> = emptySet(), val done: Boolean = false)

/** One page of a log export from [checkpoint]: delivers each log not delivered yet, once. */
suspend fun Client.exportPage(checkpoint: LogCheckpoint, limit: Int, deliver: (FullLog) -> Unit): LogCheckpoint {
    val page = getFullLogs(limit = limit, from = checkpoint.from)
    var from = checkpoint.from
    var ids = checkpoint.idsAtFrom
    var delivered = 0
    for (log in page) {
        val ts = assertNotNull(log.timestamp, "write-back-safe drift keeps timestamps: $log")
        val id = assertNotNull(log.logId, "write-back-safe drift keeps log ids: $log")
        if (ts == checkpoint.from && id in checkpoint.idsAtFrom) continue
        deliver(log)
        delivered++
        if (ts == from) ids = ids + id else { from = ts; ids = setOf(id) }
    }
    return LogCheckpoint(from, ids, done = page.size < limit || delivered == 0)
}

/**
 * A terminal whose firmware writes its replies differently (the simulator's drift mode,
 * crates/actatek-sim/README.md): what a client reads from it, what it can write back, and what
 * it must refuse to write back (ENDPOINTS.md "Tolerant reading").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirmwareDriftTest {
    private val sim = Simulator(users = 8, logs = 300)
    private val t = sim.client()
    private val safe = Simulator.WRITE_BACK_SAFE_DRIFT

    @AfterEach
    fun driftOff() = sim.drift(null)

    @AfterAll
    fun stop() {
        t.close()
        sim.close()
    }

    @Test
    fun `users read from a drifting terminal are updated and written back unchanged`() = test {
        sim.drift(11, safe)
        val users = t.getUsers()
        assertTrue(users.size >= 8, "seeded users + admin: ${users.size}")
        val u = users.single { it.userId == "U0003" }
        ok(t.updateUser(u.copy(otherName = "Drifted")))
        assertEquals("Drifted", t.getUsers(userId = "U0003").single().otherName)
        t.updateUsers(users.filter { it.userId != Simulator.USER }).forEach(::ok)
        assertTrue(sim.driftedReplies() > 0, "drift rewrote the replies")
    }

    @Test
    fun `a paged log export resumes from its checkpoint with every log once`() = test {
        val expected = t.getFullLogs().map { it.logId!! }
        assertTrue(expected.size >= 300, "seeded logs: ${expected.size}")
        sim.drift(23, safe)
        val delivered = mutableListOf<Long>()
        var checkpoint = LogCheckpoint()
        sim.client().use { first ->
            repeat(2) { checkpoint = first.exportPage(checkpoint, 40) { delivered += it.logId!! } }
        }
        // The second page starts at the first page's last timestamp (inclusive): its first log
        // was delivered already and is dropped.
        assertTrue(delivered.size in 41..80, "${delivered.size} logs in two pages")
        // Interrupted: a new client (another process, in real life) resumes from the checkpoint.
        sim.client().use { second ->
            while (!checkpoint.done) checkpoint = second.exportPage(checkpoint, 40) { delivered += it.logId!! }
        }
        assertEquals(delivered.size, delivered.toSet().size, "no log twice")
        assertEquals(expected.sorted(), delivered.sorted(), "every log")
    }

    @Test
    fun `a relay setting read from a drifting terminal is changed and written back`() = test {
        sim.drift(5, safe)
        val two = t.getRelaySetting(RelayTarget.Two).single()
        ok(t.setRelaySetting(two.copy(delay = 12)))
        assertEquals(12, t.getRelaySetting(RelayTarget.Two).single().delay)
        t.getRelaySetting(RelayTarget.All).forEach { ok(t.setRelaySetting(it)) }
    }

    @Test
    fun `auto in-out read from a drifting terminal is changed and written back`() = test {
        sim.drift(6, safe)
        val aio = t.getAutoInOut()
        ok(t.setAutoInOut(aio.copy(mode = AutoInOutMode.RejectRepeatLogin, rejectRepeatTimeSec = 30)))
        val back = t.getAutoInOut()
        assertEquals(AutoInOutMode.RejectRepeatLogin to 30, back.mode to back.rejectRepeatTimeSec)
        ok(t.setAutoInOut(back))
    }

    @Test
    fun `an off-format crowd_reset_hhmm reads as null, stays in extra and is refused on write`() = test {
        ok(t.setAutoInOut(AutoInOut(AutoInOutMode.CrowdControl, crowdLimitCount = 50, crowdResetHhmm = "09:30")))
        sim.drift(3, listOf("off_format"))
        var odd: AutoInOut? = null
        for (i in 1..200) {
            val read = t.getAutoInOut()
            if (read.crowdResetHhmm == null) {
                odd = read
                break
            }
            assertEquals("09:30", read.crowdResetHhmm)
        }
        assertNotNull(odd, "off_format wrote crowd_reset_hhmm as 9:30 within 200 replies")
        assertEquals(AutoInOutMode.CrowdControl to 50, odd.mode to odd.crowdLimitCount, "the other fields read")
        assertEquals("\"9:30\"", extraValue(odd.extra, "crowd_reset_hhmm"), "the terminal's text, as JSON")
        assertNull(extraValue(odd.extra, "mode"))

        val before = sim.requestCount()
        val e = assertFailsWith<ActatekException.Validation> { t.setAutoInOut(odd) }
        assertEquals("body.crowd_reset_hhmm" to "hhmm", e.field to e.rule, e.description)
        assertEquals("9:30", e.value)
        assertEquals(before, sim.requestCount(), "nothing reached the terminal")
        // A value the caller sets wins over the one kept in extra.
        ok(t.setAutoInOut(odd.copy(crowdResetHhmm = "09:45")))
        sim.drift(null)
        assertEquals("09:45", t.getAutoInOut().crowdResetHhmm)
    }

    @Test
    fun `every kind of drift at once, and every read succeeds`() = test {
        sim.drift(99)
        repeat(10) {
            assertTrue(t.getUsers().isNotEmpty())
            t.getFullLogs(limit = 30)
            t.getLogs()
            t.getRelaySetting(RelayTarget.All)
            t.getAutoInOut()
            t.getAccessRights()
            t.getAccessGroups()
            t.getDepartments()
            t.getTriggers()
            t.getJobCodeSettings()
            t.getJobCodes(jobcode = 1)
            t.getLogSetting()
            t.getRtpSetting()
            t.getConsent()
            t.getNtp()
            t.getTime()
            t.getTerminalStatus()
            t.getApiVersion()
            t.getUserCount()
        }
        assertTrue(sim.driftedReplies() >= 190)
    }

    @Test
    fun `a record with a field left out or an unknown word is refused on write with the field's rule`() = test {
        sim.drift(8, listOf("drop_field", "unknown_enum"))
        var checked = 0
        for (i in 1..200) {
            val relay = t.getRelaySetting(RelayTarget.Two).single()
            val (field, rule) = when {
                relay.delay == null -> "body.delay" to "required"
                relay.option is RelayOption.Unknown -> "body.option" to "relay_option"
                else -> continue
            }
            val before = sim.requestCount()
            val e = assertFailsWith<ActatekException.Validation> { t.setRelaySetting(relay) }
            assertTrue(e.violations.any { it.field == field && it.rule == rule }, "$relay: ${e.description}")
            assertEquals(before, sim.requestCount(), "nothing reached the terminal")
            if (++checked == 2) break
        }
        assertEquals(2, checked, "drift left out a delay or wrote an unknown option within 200 replies")
    }
}
