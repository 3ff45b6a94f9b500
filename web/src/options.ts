/** Per-call options, accepted as the last argument of every `Client` method. */
export interface CallOptions {
    /**
     * Cancel the call: it rejects with `signal.reason` (an `AbortError` by default) and the
     * HTTP request in flight is aborted. An already aborted signal sends nothing.
     */
    signal?: AbortSignal;
    /**
     * Give up after this many milliseconds (including retries and logging in) with a
     * `TransportError` of kind `timeout`. Overrides `ClientOptions.timeoutMs` (default 30 s);
     * `0` or `Infinity`: no timeout.
     */
    timeoutMs?: number;
}

/** Levels of `ClientEvent`, as `tracing` and `console` name them. */
export type EventLevel = "trace" | "debug" | "info" | "warn" | "error";

/**
 * One event of the client, the same the Rust client emits (`tracing`) and the CLI and Python
 * log: `"terminal call"` (each HTTP exchange: `operation`, `method`, `path`, `status`,
 * `bytes`), `"retrying"` (`operation`, `attempt` from 0, `delay` and `delayMs` before the
 * next try, `error`), `"session expired; logging in again"` (`operation`), and from
 * `watchLogs` `"watch error; polling again"` (level `warn`: `operation`, `error`, `kind`).
 * No event carries the password or the session id: paths show the session id as `***`,
 * error texts have both removed.
 */
export interface ClientEvent {
    level: EventLevel;
    /** Where it comes from: `actatek` (the Rust client) or `actatek::web` (this package). */
    target: string;
    /** What happened, as the Rust client words it. */
    message: string;
    /** The canonical operation (`get_user_count`). */
    operation?: string;
    /** HTTP method and path (session id as `***`) of a terminal call. */
    method?: string;
    path?: string;
    /** HTTP status and body size of a terminal call. */
    status?: number;
    bytes?: number;
    /** Which retry this is (0 for the first). */
    attempt?: number;
    /** The wait before the next try, as the Rust client prints it (`212.5ms`) and in ms. */
    delay?: string;
    delayMs?: number;
    /** The error that caused a retry or a watch reconnect (no secrets). */
    error?: string;
    /** Other fields the Rust client adds. */
    [field: string]: unknown;
}

/**
 * Where the client's events go: a function, or a `console`-like object whose method of the
 * event's level (`debug`, `warn`, …, else `log`) is called with `"actatek: <message>"` and
 * the event (`logger: console` works). Nothing is logged without one.
 */
export type Logger = ((event: ClientEvent) => void) | Partial<Record<EventLevel | "log", (message: string, event: ClientEvent) => void>>;

/** Options of `new Client(url, username, password, options)`. Defaults are every language's. */
export interface ClientOptions {
    /** How often a failed read (or login) is tried again; writes never are. Default 3. */
    retries?: number;
    /** Wait before the first retry in milliseconds, doubled per retry (plus up to 25 % jitter). Default 200. */
    backoffMs?: number;
    /** Longest wait between two tries in milliseconds. Default 5000. */
    maxBackoffMs?: number;
    /**
     * Default timeout of every call in milliseconds (retries and logging in included).
     * Default 30 000; `0` or `Infinity`: none. `CallOptions.timeoutMs` overrides it per call.
     */
    timeoutMs?: number;
    /** Receives the client's events (calls, retries, session renewals, watch reconnects). */
    logger?: Logger;
}

/** Options of `Client.exportLogs`. */
export interface ExportOptions {
    /** Logs per request (default 500). */
    chunk?: number;
    /** Resume from a checkpoint saved earlier (`LogExport.checkpoint`). */
    checkpoint?: import("./generated.js").Checkpoint;
    /** Stops the export: the current chunk's request is aborted. */
    signal?: AbortSignal;
    /** Timeout of each chunk's request in milliseconds (default: the client's). */
    timeoutMs?: number;
}

/** Options of `Client.watchLogs`: the Rust client's watch, so its policy is every language's. */
export interface WatchOptions {
    /**
     * Poll interval in milliseconds while logs keep coming (default 2000); the watch backs
     * off, doubling, up to 16 × this while the terminal is quiet or unreachable.
     */
    pollMs?: number;
    /** Resume from a checkpoint saved earlier (`LogWatch.checkpoint`). */
    checkpoint?: import("./generated.js").Checkpoint;
    /** Stops the watch: the iteration rejects with the signal's reason. */
    signal?: AbortSignal;
    /**
     * Called with each error the watch goes on after (network, timeout, terminal restart,
     * 5xx, a terminal error); also logged as a `warn` event. An error it cannot go on after
     * (the filter breaks a rule) ends the iteration instead.
     */
    onError?: (error: Error) => void;
}
