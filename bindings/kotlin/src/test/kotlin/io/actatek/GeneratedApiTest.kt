package io.actatek

import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneId
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** The generated Swift (committed, not compiled here) and the date-time helpers. */
class GeneratedApiTest {
    @Test
    fun `the generated Swift has one async throws method per canonical operation`() {
        val file = Path.of(System.getProperty("actatek.swift.file") ?: error("actatek.swift.file is not set"))
        val swift = Files.readString(file)
        val names = operationNames()
        assertEquals(72, names.size)
        assertEquals(72, names.toSet().size)
        val missing = names.map(::snakeToCamel).filterNot { name ->
            Regex("""open func $name\([^)]*\)\s*async throws""").containsMatchIn(swift)
        }
        assertTrue(missing.isEmpty(), "not in $file: $missing")
        assertTrue(swift.contains("public typealias UtcInstant = Date"))
        assertTrue(swift.contains("public typealias WallClockTime = DateComponents"))
    }

    @Test
    fun `the native library is packaged where JNA looks for it on the class path`() {
        val resource = "${com.sun.jna.Platform.RESOURCE_PREFIX}/${System.mapLibraryName("actatek_uniffi")}"
        assertNotNull(javaClass.classLoader.getResource(resource), "$resource is not on the class path")
    }

    @Test
    fun `local and UTC date-times stay apart until a zone is given`() {
        val wall = LocalDateTime.of(2025, 7, 16, 10, 24, 13, 250_000_000)
        val local = wall.asTerminalLocal()
        val utc = Instant.parse("2025-07-16T10:24:13.250Z").asTerminalUtc()
        assertTrue(local != utc)
        assertTrue(utc.isUtc && !local.isUtc)
        assertEquals(Instant.parse("2025-07-16T08:24:13.250Z"), local.toInstant(ZoneId.of("Europe/Berlin")))
        assertEquals(Instant.parse("2025-07-16T10:24:13.250Z"), utc.toInstant(ZoneId.of("Europe/Berlin")))
    }
}
