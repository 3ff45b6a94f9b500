package example

import io.actatek.Client
import io.actatek.ClientOptions
import io.actatek.User
import io.actatek.UserStatus
import io.actatek.active
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Test
import java.time.Duration
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** Uses the installed jar as an app would: log in, status, add a user, read it back. */
class ConsumerTest {
    @Test
    fun `the dist jar talks to a terminal with its bundled native library`() {
        val sim = ProcessBuilder(System.getProperty("actatek.sim"), "--listen", "127.0.0.1:0", "--users", "2", "--logs", "10")
            .redirectError(ProcessBuilder.Redirect.INHERIT).start()
        try {
            val line = sim.inputStream.bufferedReader().readLine() ?: error("the simulator did not start")
            val (serial, url) = Regex("""terminal (\S+) at (\S+)""").find(line)!!.destructured
            // The library is loaded from the jar (JNA's class-path lookup), not from a build tree.
            assertEquals(null, System.getProperty("jna.library.path"))
            runBlocking {
                Client(url, "admin", "admin", ClientOptions(timeout = Duration.ofSeconds(10))).use { t ->
                    assertEquals(serial, t.getTerminalStatus().serialNumber)
                    assertEquals("success", t.addUser(User(userId = "K1", firstName = "Kay", status = UserStatus.active())).status)
                    val found = t.getUsers(userId = "K1")
                    assertEquals(listOf("Kay"), found.map { it.firstName })
                    assertTrue(t.getUsers().size >= 3)
                    t.closeSession()
                }
            }
        } finally {
            sim.destroy()
        }
    }
}
