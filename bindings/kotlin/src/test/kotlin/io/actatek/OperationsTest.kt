package io.actatek

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.util.Base64
import kotlin.coroutines.Continuation
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** Runs a suspending test body; the test method returns Unit, so JUnit sees it. */
fun test(block: suspend CoroutineScope.() -> Unit) = runBlocking(block = block)

fun ok(reply: StatusReply) = assertEquals("success", reply.status, "$reply")

fun snakeToCamel(name: String): String =
    name.split('_').mapIndexed { i, part -> if (i == 0) part else part.replaceFirstChar { it.uppercase() } }.joinToString("")

/**
 * Every canonical operation, through the Kotlin API, against the simulator: the same scenario
 * as the Rust client's loopback test, section by section of the manual.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class OperationsTest {
    private val sim = Simulator(users = 5, logs = 200)
    private val t = sim.client()

    @AfterAll
    fun stop() {
        runBlocking { t.closeSession() }
        t.close()
        sim.close()
    }

    @Test @Order(1)
    fun `session and terminal info (1, 11_2, 11_3)`() = test {
        val login = t.login(Credentials(Simulator.USER, Secret(Simulator.PASSWORD)))
        assertTrue(login.sessionid!!.expose().isNotEmpty())
        assertEquals("***", login.sessionid.toString(), "a session id never shows")
        assertTrue(!t.getApiVersion().version.isNullOrEmpty())
        assertEquals(sim.serial, t.getTerminalStatus().serialNumber)
    }

    @Test @Order(2)
    fun `users (3)`() = test {
        val user = User(
            userId = "A/1 #2?", firstName = "Ben", lastName = "John", status = UserStatus.active(),
            extra = """{"vendorField":{"kept":true}}""",
        )
        ok(t.addUser(user))
        val found = t.getUsers(userId = "A/1 #2?")
        assertEquals(1, found.size)
        assertEquals("Ben", found[0].firstName)
        assertTrue(found[0].extra.contains(""""vendorField":{"kept":true}"""), "unknown fields survive: ${found[0].extra}")
        val all = UserStatus(true, true, true, true, true, true, true)
        val batch = listOf(User("B1", status = all), User("B2", status = all))
        t.addUsers(batch).also { assertEquals(2, it.size) }.forEach(::ok)
        ok(t.updateUser(found[0].copy(otherName = "Teddy")))
        t.updateUsers(listOf(batch[0].copy(firstName = "Bee"), batch[1].copy(firstName = "Bea"))).forEach(::ok)
        assertEquals(5L + 1 + 3, t.getUserCount().usercount, "seeded users + admin + three added")
        assertEquals(4, t.getUserBatch(0, 4).size)
        ok(t.deactivateUser("B1"))
        assertEquals(false, t.getUsers(userId = "B1")[0].status?.active)
        ok(t.activateUser("B1"))
        ok(t.setUserMessage("B1", UserMessage("Hello")))
        assertEquals("Hello", t.getUserMessage("B1").usermessage)
        ok(t.deleteUserMessage("B1"))
        assertEquals(TotpType.OtpPasscode, t.getUserApiTotp("B1", TotpType.OtpPasscode).format)
        ok(t.deleteUser("B2"))
    }

    @Test @Order(3)
    fun `departments (4)`() = test {
        t.addDepartments(listOf(Department(21, "ABC", "LONG"))).forEach(::ok)
        t.updateDepartments(listOf(Department(21, "ABD", "LONGER"))).forEach(::ok)
        assertEquals("ABD", t.getDepartments(id = 21)[0].name)
        ok(t.deleteDepartments(id = 21))
        assertTrue(runCatching { t.getDepartments(id = 21) }.getOrDefault(emptyList()).isEmpty())
    }

    @Test @Order(4)
    fun `access rights and groups (5, 6)`() = test {
        val office = timePatternFromRanges("08:00-12:30, 13:30-17:00")
        assertEquals("08:00-12:30, 13:30-17:00", timePatternToRanges(office))
        val right = AccessRight(id = 14, name = "Office", timespec = listOf(TimeSpec(Weekday.Monday, office)))
        t.addAccessRights(listOf(right)).forEach(::ok)
        t.updateAccessRights(listOf(right.copy(name = "Office hours"))).forEach(::ok)
        val rights = t.getAccessRights(14)
        assertEquals(office, rights[0].timespec!![0].timePattern)
        assertEquals("Office hours", rights[0].name)
        val group = AccessGroup(id = 9, name = "Staff", departmentid = 1, accessrightid = listOf(14))
        t.addAccessGroups(listOf(group)).forEach(::ok)
        t.updateAccessGroups(listOf(group.copy(name = "All staff"))).forEach(::ok)
        assertEquals("All staff", t.getAccessGroups(groupid = 9)[0].name)
        ok(t.deleteAccessGroup(9))
        ok(t.deleteAccessRight(14))
    }

    @Test @Order(5)
    fun `triggers (7)`() = test {
        val lunch = Trigger(
            TriggerType.F(1), name = "Lunch", enable = true, freeJobcode = true,
            timespec = listOf(TimeSpec(Weekday.Friday, timePatternFromRanges("12:00-13:00"))),
        )
        ok(t.updateTrigger(lunch))
        assertEquals("Lunch", t.getTriggers(TriggerType.F(1))[0].name)
        assertTrue(t.getTriggers().any { it.triggerType == TriggerType.In })
        ok(t.clearTrigger(TriggerType.F(1)))
        assertTrue(t.getTriggers(TriggerType.F(1))[0].timespec.isNullOrEmpty(), "schedule cleared")
    }

    @Test @Order(6)
    fun `myself (8)`() = test {
        val me = t.getMyself()
        assertEquals(Simulator.USER, me.userId)
        ok(t.updateMyself(MyselfUpdate(userId = me.userId!!, otherName = "Root")))
        assertEquals("Root", t.getMyself().otherName)
    }

    @Test @Order(7)
    fun `agents (9)`() = test {
        val url = "https://anc.cde.com/agent"
        ok(t.registerAgent(AgentRegistration(url)))
        assertTrue(t.getAgents().any { it.url == url })
        ok(t.unregisterAgent(url))
        assertFalse(t.getAgents().any { it.url == url })
    }

    @Test @Order(8)
    fun `time (10)`() = test {
        ok(t.setNtp(Ntp("0.pool.ntp.org", true)))
        assertEquals("0.pool.ntp.org", t.getNtp().serveraddr)
        ok(t.setTime(TerminalTime(LocalDateTime.of(2025, 9, 2, 16, 29, 14).asTerminalLocal(), "Europe/London")))
        val now = t.getTime()
        assertEquals("Europe/London", now.timezone)
        assertFalse(now.currentTime!!.isUtc, "get_time answers the terminal's local time")
    }

    @Test @Order(9)
    fun `terminal functions (11)`() = test {
        ok(t.openDoor())
        ok(t.relayAction(RelayAction.Open, RelayTarget.All))
        ok(t.setRelaySetting(RelaySetting(RelayId.Two, RelayOption.Doorbell, 11)))
        assertEquals(2, t.getRelaySetting(RelayTarget.All).size)
        assertEquals(RelayOption.Doorbell, t.getRelaySetting(RelayTarget.Two)[0].option)
        ok(t.setAutoInOut(AutoInOut(AutoInOutMode.CrowdControl, crowdLimitCount = 100, crowdResetHhmm = "10:11")))
        val aio = t.getAutoInOut()
        assertEquals(AutoInOutMode.CrowdControl, aio.mode)
        assertEquals(100, aio.crowdLimitCount)
        ok(t.setLogUnauthorizedEvent(true))
        assertEquals(true, t.getLogUnauthorizedEvent().enable)
        t.getCaptureFingerprint()
        ok(t.setRtpSetting(RtpSetting(RtpMode.Srtp, key = Secret("k3y"), fps = 15)))
        val rtp = t.getRtpSetting()
        assertEquals(RtpMode.Srtp to 15, rtp.mode to rtp.fps)
        ok(t.setConsent(ConsentMode.Enable, "Jakin ID/Front"))
        val consent = t.getConsent()
        assertEquals(true, consent.enable)
        assertEquals("Jakin ID/Front", consent.displayName)
        ok(t.setLogSetting(LogSetting(logEvent = LogEvent.UserEvent, logSize = 75_000)))
        assertEquals(LogEvent.UserEvent, t.getLogSetting().logEvent)
    }

    @Test @Order(10)
    fun `job codes (12)`() = test {
        val settings = t.getJobCodeSettings()
        assertEquals(3, settings.size)
        t.updateJobCodeSettings(listOf(settings[0].copy(enable = JobCodeEnable.Enable))).forEach(::ok)
        fun code(id: Int, enable: JobCodeEnable) = JobCode(1, id, "Job 1-$id", enable)
        t.addJobCodes(listOf(code(101, JobCodeEnable.Enable), code(102, JobCodeEnable.Enable))).forEach(::ok)
        t.updateJobCodes(listOf(code(102, JobCodeEnable.Disable))).forEach(::ok)
        assertEquals(JobCodeEnable.Disable, t.getJobCodes(jobcode = 1, id = 102)[0].enable)
        t.deleteJobCodes(jobcode = 1, id = 102).forEach(::ok)
    }

    @Test @Order(11)
    fun `holidays (13) as java_time LocalDate`() = test {
        val reply = t.setHolidays(Holidays(listOf(LocalDate.of(2031, 12, 25), LocalDate.of(2031, 12, 26), LocalDate.of(2032, 1, 1))))
        assertEquals("success", reply.status, "$reply")
        assertEquals(listOf(LocalDate.of(2031, 12, 25), LocalDate.of(2031, 12, 26)), t.getHolidays(HolidayQuery(2031)).dates)
        t.deleteHolidays(Holidays(listOf(LocalDate.of(2031, 12, 26))))
        assertEquals(listOf(LocalDate.of(2031, 12, 25)), t.getHolidays(HolidayQuery(2031, 12)).dates)
    }

    @Test @Order(12)
    fun `logs (2) with local and UTC date-times kept apart`() = test {
        val logs = t.getLogs()
        assertTrue(logs.size >= 200, "seeded logs + door open: ${logs.size}")
        assertTrue(logs.all { it.timestamp is TerminalDateTime.Local }, "without bounds the terminal answers local time")
        assertEquals(50, t.getFullLogs(limit = 50).size)
        val withPhoto = t.getFullLogs().first { it.jpegPhoto != null }
        val photo = t.getLogPhoto(withPhoto.timestamp!!, withPhoto.terminalSn)
        val decode = { b64: String? -> Base64.getMimeDecoder().decode(b64!!) }
        assertTrue(decode(photo.jpegPhoto).contentEquals(decode(withPhoto.jpegPhoto)))
        val at = LocalDateTime.of(2030, 1, 1, 8, 0)
        ok(t.addLog(at.asTerminalLocal(), "B1", "IN"))
        val mine = t.getLogs(employeeId = "B1")
        assertEquals(TerminalDateTime.Local(at), mine.last().timestamp)
        val from = Instant.parse("2000-01-01T00:00:00Z")
        val to = Instant.parse("2100-01-01T00:00:00Z")
        val utc = t.getLogs(from = from.asTerminalUtc(), to = to.asTerminalUtc())
        assertTrue(utc.isNotEmpty())
        for (log in utc) {
            val ts = log.timestamp
            assertTrue(ts is TerminalDateTime.Utc, "both bounds UTC → UTC timestamps: $ts")
            assertTrue(ts.instant in from..to)
        }
        ok(t.deleteLogs(36_500))
        ok(t.resetLog())
        assertTrue(t.getLogs().isEmpty())
    }

    @Test @Order(13)
    fun `logout, then the client logs in again by itself`() = test {
        ok(t.logout())
        assertTrue(t.getUserCount().usercount!! > 0)
    }

    @Test @Order(100)
    fun `every canonical operation was called and seen by the simulator`() {
        val names = operationNames()
        assertEquals(72, names.size)
        val missing = names.toSet() - sim.operationsSeen()
        assertTrue(missing.isEmpty(), "the simulator never saw: $missing")
    }

    @Test
    fun `the Kotlin client has one suspend fun per canonical operation`() {
        val methods = Client::class.java.methods
        val missing = operationNames().map(::snakeToCamel).filterNot { name ->
            methods.any { it.name == name && it.parameterTypes.lastOrNull() == Continuation::class.java }
        }
        assertTrue(missing.isEmpty(), "no suspend fun for: $missing")
    }
}
