package io.actatek

import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** Desired state (issue 16) from Kotlin: plan and apply on one client against the simulator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DesiredStateTest {
    private val sim = Simulator(users = 4, logs = 0)
    private val t = sim.client()

    @AfterAll
    fun stop() {
        t.close()
        sim.close()
    }

    private val desired = """
        {
          "departments": [{"id": 40, "name": "Kotlin", "description": "from the JVM"}],
          "access_rights": [{"id": 41, "name": "Mornings", "schedule": {"TUESDAY": "08:00-12:00"}}],
          "users": [
            {"userID": "U0001", "lastName": "Moved", "departmentID": [40]},
            {"userID": "KT01", "lastName": "New", "status": {"active": true, "autoMatch": false, "smartCard": false,
             "fingerprint": false, "password": true, "facial": false, "facialAutoMatch": false}}
          ]
        }
    """.trimIndent()

    @Test
    fun `plan lists the changes, apply makes them, and nothing is left`() = test {
        val plan = t.plan(desired)
        val shown = plan.map { "${it.action} ${it.kind} ${it.key}" }.sorted()
        assertEquals(listOf("create access_rights 41", "create departments 40", "create users KT01", "update users U0001"), shown)
        val moved = plan.single { it.key == "U0001" }
        assertTrue(moved.fields.any { it.field == "departmentID" && it.toJson == "[40]" }, moved.toString())

        val report = t.apply(desired)
        assertTrue(report.converged, report.toString())
        assertEquals(2u, report.rounds)
        assertEquals(emptyList(), t.plan(desired))
        assertEquals(listOf(40L), t.getUsers(userId = "U0001").single().departmentId)
        assertEquals(1, t.getAccessRights(41).single().timespec?.size)
    }

    @Test
    fun `an invalid entry is a Validation error listing every problem, nothing written`() = test {
        val before = sim.count("add_users") + sim.count("update_users")
        val e = assertFailsWith<ActatekException.Validation> {
            t.apply("""{"users": [{"userID": "KT02"}, {"userID": "U0002", "adminLevel": "ROOT"}]}""")
        }
        assertEquals(setOf("users[KT02].status", "users[U0002].adminLevel"), e.violations.map { it.field }.toSet())
        assertEquals(before, sim.count("add_users") + sim.count("update_users"))
        assertFailsWith<ActatekException.Validation> { t.plan("not json") }
    }

    @Test
    fun `a document with terminal and group sections applies the sections named, and trigger schedules`() = test {
        val doc = """
            {
              "triggers": [{"type": "F6", "enable": true, "schedule": {"WEDNESDAY": "09:00-10:30"}}],
              "groups": {"lobby": {"departments": [{"id": 44, "name": "Lobby", "description": "front desk"}]}},
              "terminals": {"door-1": {"departments": [{"id": 45, "name": "Door one", "description": "its own"}]}}
            }
        """.trimIndent()
        val e = assertFailsWith<ActatekException.Validation> { t.plan(doc) }
        assertEquals("desired_section", e.violations.first().rule)
        val shown = t.plan(doc, groups = listOf("lobby")).map { "${it.action} ${it.kind} ${it.key}" }.sorted()
        assertEquals(listOf("create departments 44", "update triggers F6"), shown)
        val report = t.apply(doc, terminal = "door-1", groups = listOf("lobby"))
        assertTrue(report.converged, report.toString())
        assertEquals(emptyList(), t.plan(doc, terminal = "door-1", groups = listOf("lobby")))
        assertEquals(1, t.getTriggers(TriggerType.F(6)).single().timespec?.size)
    }
}
