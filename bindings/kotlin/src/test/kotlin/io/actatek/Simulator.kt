package io.actatek

import java.io.BufferedReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * The `actatek-sim` binary on a free loopback port, started for a test class and stopped after
 * it. Its path comes from the `actatek.sim` system property (set by the pom and the script).
 */
class Simulator(users: Int = 5, logs: Int = 200) : AutoCloseable {
    val process: Process
    val url: String
    val serial: String
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    init {
        val binary = System.getProperty("actatek.sim")
            ?: error("system property actatek.sim (the actatek-sim binary) is not set")
        check(Files.isExecutable(Path.of(binary))) { "no simulator binary at $binary: run scripts/test-kotlin.sh" }
        process = ProcessBuilder(
            binary, "--listen", "127.0.0.1:0", "--users", "$users", "--logs", "$logs", "--seed", "7",
            "--admin-user", USER, "--admin-password", PASSWORD,
        ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        val reader: BufferedReader = process.inputStream.bufferedReader()
        val line = reader.readLine() ?: error("actatek-sim exited before announcing itself")
        val m = Regex("""actatek-sim: terminal (\S+) at (\S+)""").find(line) ?: error("unexpected announcement: $line")
        serial = m.groupValues[1]
        url = m.groupValues[2]
        // Keep draining stdout so the simulator never blocks on a full pipe.
        Thread { reader.useLines { it.forEach { } } }.apply { isDaemon = true }.start()
    }

    /** A client for this terminal with short timeouts and no slow backoff. */
    fun client(user: String = USER, password: String = PASSWORD, retries: Int = 2): Client =
        Client(url, user, password, ClientOptions(timeout = Duration.ofSeconds(10), retries = retries))

    private fun send(method: String, path: String, json: String? = null): String {
        val body = json?.let { HttpRequest.BodyPublishers.ofString(it) } ?: HttpRequest.BodyPublishers.noBody()
        val request = HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(10))
            .header("content-type", "application/json")
            .method(method, body)
            .build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() in 200..299) { "$method $path: HTTP ${response.statusCode()} ${response.body()}" }
        return response.body()
    }

    /** The canonical operations the simulator has seen, from `GET /_sim/requests`. */
    fun operationsSeen(): Set<String> =
        Regex(""""operation"\s*:\s*"([a-z_]+)"""").findAll(send("GET", "/_sim/requests")).map { it.groupValues[1] }.toSet()

    /** How many requests to [operation] (canonical name) the simulator has logged (`GET /_sim/requests`). */
    fun count(operation: String): Int =
        Regex(""""operation"\s*:\s*"([a-z_]+)"""").findAll(send("GET", "/_sim/requests")).count { it.groupValues[1] == operation }

    /** Append [count] logs stamped now (`POST /_sim/logs/generate`). */
    fun generateLogs(count: Int) {
        send("POST", "/_sim/logs/generate", """{"count": $count}""")
    }

    /** How many requests reached the simulator so far (`GET /_sim/state`). */
    fun requestCount(): Int =
        Regex(""""requests"\s*:\s*(\d+)""").find(send("GET", "/_sim/state"))!!.groupValues[1].toInt()

    /**
     * Switch drift mode on (`POST /_sim/drift`): from now on every reply is written as another
     * firmware version might write it, reproducibly for [seed]; only [kinds] when given (see
     * [WRITE_BACK_SAFE_DRIFT]), every kind otherwise. `null` switches it off.
     */
    fun drift(seed: Long?, kinds: List<String>? = null) {
        val list = kinds?.joinToString(",", "[", "]") { "\"$it\"" }
        send("POST", "/_sim/drift", if (list == null) """{"seed": $seed}""" else """{"seed": $seed, "kinds": $list}""")
    }

    /** How many replies drift mode rewrote since it was switched on (`GET /_sim/drift`). */
    fun driftedReplies(): Int =
        Regex(""""replies"\s*:\s*(\d+)""").find(send("GET", "/_sim/drift"))!!.groupValues[1].toInt()

    /** Queue a fault (`POST /_sim/faults`), e.g. `{"kind": "slow", "operation": "get_ntp", "delay_ms": 3000}`. */
    fun fault(json: String) {
        send("POST", "/_sim/faults", json)
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        const val USER = "admin"
        const val PASSWORD = "s3cret-Pa55"

        /**
         * The drift kinds after which every record read can be written back unchanged by a
         * client that writes strictly (`DriftKind::WRITE_BACK_SAFE` in
         * crates/actatek-sim/src/drift.rs). `drop_field`, `off_format` and `unknown_enum`
         * produce records the SDK reads but refuses to write back as they are.
         */
        val WRITE_BACK_SAFE_DRIFT = listOf("extra_field", "number_as_string", "soap_names", "single_object", "trailing_comma")
    }
}
