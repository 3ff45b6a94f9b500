/** Per-call options, accepted as the last argument of every `Client` method. */
export interface CallOptions {
    /**
     * Cancel the call: it rejects with `signal.reason` (an `AbortError` by default) and the
     * HTTP request in flight is aborted. An already aborted signal sends nothing.
     */
    signal?: AbortSignal;
    /**
     * Give up after this many milliseconds (including retries and logging in) with a
     * `TransportError` of kind `timeout`. Overrides `ClientOptions.timeoutMs`.
     */
    timeoutMs?: number;
}

/** Options of `new Client(url, username, password, options)`. */
export interface ClientOptions {
    /** How often a failed read (or login) is tried again; writes never are. Default 3. */
    retries?: number;
    /** Default timeout of every call in milliseconds (none by default). */
    timeoutMs?: number;
}

/** Options of `Client.exportLogs`. */
export interface ExportOptions {
    /** Logs per request (default 500). */
    chunk?: number;
    /** Resume from a checkpoint saved earlier (`LogExport.checkpoint`). */
    checkpoint?: import("./generated.js").Checkpoint;
    /** Stops the export: the current chunk's request is aborted. */
    signal?: AbortSignal;
    /** Timeout of each chunk's request, in milliseconds. */
    timeoutMs?: number;
}

/** Options of `Client.watchLogs`. */
export interface WatchOptions extends ExportOptions {
    /**
     * Poll interval in milliseconds while logs keep coming (default 2000); the watch backs
     * off up to 16 × this while the terminal is quiet or unreachable.
     */
    pollMs?: number;
    /**
     * Called with each transient error (network, timeout, terminal restart, 5xx); the watch
     * goes on. Other errors end the iteration.
     */
    onError?: (error: Error) => void;
}
