package io.actatek

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import java.time.LocalDateTime
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * Every value rule reachable through the typed API raises `ActatekException.Validation` with
 * the field (in wire names, as in tests/vectors/validation.json) and the rule code, and sends
 * nothing. Rules that java.time makes unrepresentable (a 13th month, an hour 25) have no case.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationTest {
    private val sim = Simulator(users = 1, logs = 0)
    private val t = sim.client()

    @AfterAll
    fun stop() {
        t.close()
        sim.close()
    }

    private class Case(val rule: String, val field: String, val call: suspend (Client) -> Unit)

    private val day = "000000000000000011111111111111111100000000000000"
    private val door = Trigger(TriggerType.F(1), name = "Door", enable = true, timespec = listOf(TimeSpec(Weekday.Monday, day)))
    private val crowd = AutoInOut(AutoInOutMode.CrowdControl, autoReset = true, rejectRepeatTimeSec = 8, lockoutTimeMin = 20, crowdLimitCount = 100, crowdResetHhmm = "10:11")
    private val newUser = User("A0001", lastName = "John", firstName = "Ben", status = UserStatus.active())

    private val cases = listOf(
        Case("required", "body[0].name") { it.addDepartments(listOf(Department(id = 21, description = "LONG"))) },
        Case("time_pattern", "body.timespec[0].timePattern") { it.updateTrigger(door.copy(timespec = listOf(TimeSpec(Weekday.Monday, "0101")))) },
        Case("weekday", "body.timespec[0].weekday") { it.updateTrigger(door.copy(timespec = listOf(TimeSpec(Weekday.Unknown("MON"), day)))) },
        Case("trigger_type", "body.type") { it.updateTrigger(door.copy(triggerType = TriggerType.F(0))) },
        Case("trigger_type", "type") { it.clearTrigger(TriggerType.F(41)) },
        Case("free_jobcode", "body.freeJobcode") { it.updateTrigger(door.copy(triggerType = TriggerType.F(11), freeJobcode = true)) },
        Case("relay_id", "body.id") { it.setRelaySetting(RelaySetting(RelayId.Unknown("ALL"), RelayOption.Disable, 11)) },
        Case("relay_target", "relayid") { it.relayAction(RelayAction.Open, RelayTarget.Unknown("THREE")) },
        Case("relay_action", "relayaction") { it.relayAction(RelayAction.Unknown("toggle"), RelayTarget.All) },
        Case("relay_option", "body.option") { it.setRelaySetting(RelaySetting(RelayId.One, RelayOption.Doorbell, 11)) },
        Case("relay_delay", "body.delay") { it.setRelaySetting(RelaySetting(RelayId.One, RelayOption.Disable, 0)) },
        Case("relay_delay", "body.delay") { it.setRelaySetting(RelaySetting(RelayId.One, RelayOption.Disable, 1801)) },
        Case("auto_in_out_mode", "body.mode") { it.setAutoInOut(crowd.copy(mode = AutoInOutMode.Unknown("Disable"))) },
        Case("reject_repeat_time", "body.rejectRepeat_time_sec") { it.setAutoInOut(crowd.copy(rejectRepeatTimeSec = 0)) },
        Case("lockout_time", "body.lockout_time_min") { it.setAutoInOut(crowd.copy(lockoutTimeMin = 0)) },
        Case("crowd_limit", "body.crowd_limit_count") { it.setAutoInOut(crowd.copy(crowdLimitCount = 0)) },
        Case("hhmm", "body.crowd_reset_hhmm") { it.setAutoInOut(crowd.copy(crowdResetHhmm = "24:00")) },
        Case("log_event", "body.log_event") { it.setLogSetting(LogSetting(logEvent = LogEvent.Unknown("enable"))) },
        Case("log_size", "body.log_size") { it.setLogSetting(LogSetting(logSize = 50_000)) },
        Case("em_option", "body.log_EM_Option") { it.setLogSetting(LogSetting(logEmOption = EmOption.Unknown("SN"))) },
        Case("rtp_mode", "body.mode") { it.setRtpSetting(RtpSetting(RtpMode.Unknown("srtp"), key = Secret("123"))) },
        Case("rtp_fps", "body.fps") { it.setRtpSetting(RtpSetting(RtpMode.Rtp, fps = 0)) },
        Case("rtp_key", "body.key") { it.setRtpSetting(RtpSetting(RtpMode.Srtp, target = "abc", fps = 10)) },
        Case("job_code_setting_id", "body[0].jobcode") { it.updateJobCodeSettings(listOf(JobCodeSetting(0, "Job", JobCodeEnable.Disable))) },
        Case("job_code_id", "body[0].id") { it.addJobCodes(listOf(JobCode(1, 0, "Job 1-1", JobCodeEnable.Disable))) },
        Case("job_code_enable", "body[0].enable") { it.addJobCodes(listOf(JobCode(1, 1, "Job 1-1", JobCodeEnable.Unknown("Default")))) },
        Case("job_code_one_default", "body[1].enable") {
            it.addJobCodes(listOf(JobCode(1, 1, "Job 1-1", JobCodeEnable.Default), JobCode(1, 2, "Job 1-2", JobCodeEnable.Default)))
        },
        Case("job_code_query", "jobcode") { it.getJobCodes(id = 1) },
        Case("holiday_query", "date") { it.getHolidays(HolidayQuery(2025, 13, 0)) },
        Case("admin_level", "body.adminLevel") { it.addUser(newUser.copy(adminLevel = AdminLevel.Unknown("ADMIN"))) },
        Case("user_status", "body.status") { it.addUser(newUser.copy(status = null)) },
        Case("user_status", "body.status.facial") { it.addUser(newUser.copy(status = UserStatus(active = true, autoMatch = true, smartCard = true, fingerprint = true, password = true, facialAutoMatch = true))) },
        Case("user_id", "body.userID") { it.addUser(newUser.copy(userId = "")) },
        Case("totp_type", "TOTPType") { it.getUserApiTotp("A33322", TotpType.Unknown("PNG")) },
        Case("agent_url", "body.url") { it.registerAgent(AgentRegistration("anc.cde.com", magic = "1", initSync = false)) },
        Case("department_filter", "") { it.deleteDepartments() },
        Case("job_code_filter", "") { it.deleteJobCodes() },
        Case("job_code_filter", "") { it.deleteJobCodes(name = " ") },
        Case("consent", "enable") { it.setConsent(ConsentMode.Unknown("true"), "JakinID") },
        Case("consent", "display_name") { it.setConsent(ConsentMode.Enable, " ") },
        Case("timezone", "body.timezone") { it.setTime(TerminalTime(LocalDateTime.of(2025, 9, 2, 16, 29, 14).asTerminalLocal(), "Mars/Olympus")) },
        Case("path_segment", "userID") { it.deleteUser("") },
        Case("type", "daysToKeep") { it.deleteLogs(-1) },
        Case("type", "body.extra") { it.setNtp(Ntp("pool.ntp.org", true, extra = "not json")) },
    )

    @TestFactory
    fun `each broken rule is a Validation exception with field and rule, and nothing is sent`() = cases.map { case ->
        DynamicTest.dynamicTest("${case.rule} at ${case.field.ifEmpty { "(request)" }}") {
            test {
                val before = sim.requestCount()
                val e = assertFailsWith<ActatekException.Validation> { case.call(t) }
                assertEquals(case.rule, e.rule, e.description)
                assertEquals(case.field, e.field, e.description)
                assertTrue(e.violations.isNotEmpty() && e.violations[0].rule == e.rule)
                assertTrue(e.section.isNotEmpty())
                assertTrue(e.description.contains("rule ${case.rule}"), e.description)
                assertTrue(e.message!!.contains("rule=${case.rule}"), "the exception message names the rule: ${e.message}")
                assertEquals(before, sim.requestCount(), "nothing reached the terminal")
            }
        }
    }

    @Test
    fun `every broken rule of one request is listed`() = test {
        val e = assertFailsWith<ActatekException.Validation> {
            t.setAutoInOut(crowd.copy(mode = AutoInOutMode.Unknown("x"), lockoutTimeMin = 999))
        }
        assertEquals(setOf("auto_in_out_mode", "lockout_time"), e.violations.map { it.rule }.toSet())
        assertEquals("set_auto_in_out", e.operation)
        assertTrue(e is ActatekException, "one exception tree")
    }

    @Test
    fun `time patterns from ranges follow the half-hour rule`() {
        val e = assertFailsWith<ActatekException.Validation> { timePatternFromRanges("08:15-09:00") }
        assertEquals("time_range" to "ranges", e.rule to e.field)
        assertEquals(48, timePatternFromRanges("00:00-24:00").length)
    }

    @Test
    fun `secrets never show`() {
        val credentials = Credentials("admin", Secret("s3cret-Pa55"))
        assertTrue("s3cret" !in credentials.toString(), credentials.toString())
        assertEquals("s3cret-Pa55", credentials.password.expose())
        assertEquals(Secret("a"), Secret("a"), "secrets compare by value")
    }
}
