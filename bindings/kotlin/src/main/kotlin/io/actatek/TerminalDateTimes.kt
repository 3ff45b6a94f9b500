// Small helpers over the generated API (package io.actatek, generated into
// target/generated-sources/uniffi by scripts/test-kotlin.sh).
package io.actatek

import java.time.Instant
import java.time.LocalDateTime
import java.time.ZoneId

/** This wall-clock time as the terminal's local time (sent without a `Z`). */
fun LocalDateTime.asTerminalLocal(): TerminalDateTime = TerminalDateTime.Local(this)

/** This instant as a UTC date-time (sent with a `Z`). */
fun Instant.asTerminalUtc(): TerminalDateTime = TerminalDateTime.Utc(this)

/** True for a UTC date-time, false for the terminal's local wall-clock time. */
val TerminalDateTime.isUtc: Boolean
    get() = this is TerminalDateTime.Utc

/**
 * The instant this date-time names. A local time is read in [terminalZone], the terminal's own
 * zone (`getTime().timezone`): the SDK never guesses it.
 */
fun TerminalDateTime.toInstant(terminalZone: ZoneId): Instant = when (this) {
    is TerminalDateTime.Local -> dateTime.atZone(terminalZone).toInstant()
    is TerminalDateTime.Utc -> instant
}

/** The user is active and may identify by any method (what a new user usually needs). */
fun UserStatus.Companion.active(): UserStatus = UserStatus(
    active = true, autoMatch = false, smartCard = true, fingerprint = true,
    password = true, facial = true, facialAutoMatch = false,
)

/** A password, key or session id; shown as `***`. */
fun String.asSecret(): Secret = Secret(this)
