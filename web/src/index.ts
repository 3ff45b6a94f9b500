/**
 * ACTAtek access-control terminals from the browser and Node ≥ 20.
 *
 * ```ts
 * import { Client, TimePattern } from "@actatek/web";
 * const t = new Client("https://10.0.0.5", "admin", "secret", { timeoutMs: 10_000 });
 * const status = await t.getTerminalStatus();
 * const logs = await t.getLogs({ from: "2025-07-16T00:00:00", employeeID: "A123" });
 * await t.openDoor();
 * ```
 *
 * Every input is validated before anything is sent (`ValidationError` with `field` and
 * `rule`); terminal errors are `ApiError` (`status`, `terminalMessage`), unreadable replies
 * `ProtocolError`, network/CORS/timeouts `TransportError`.
 *
 * Replies are read tolerantly: every field of a record may be absent, and a value the SDK
 * could not read stays in its field exactly as the terminal sent it (it may not match the
 * field's TypeScript type). Writing such a record back is refused with a `ValidationError`
 * naming the field; `checkRecord(model, record)` lists those fields beforehand.
 *
 * Date-times are ISO strings as the terminal writes them: without `Z` the terminal's local
 * wall-clock time, with `Z` UTC; they are never converted into each other. Date-time
 * parameters also take a `Date`, sent as UTC.
 */
import * as wasm from "../pkg/actatek_wasm.js";
import { ActatekError, ConfigError, TransportError, explainFetchFailure, fromRaw } from "./errors.js";
import type { ValidationIssue } from "./errors.js";
import type { Checkpoint, FullLog, GetFullLogsInput, ModelName, Models, OperationInputs, OperationName, OperationReplies } from "./generated.js";
import type { TimePattern as TimePatternText, TerminalDateTime } from "./generated.js";
import { OPERATIONS, Operations } from "./generated.js";
import type { CallOptions, ClientEvent, ClientOptions, ExportOptions, Logger, WatchOptions } from "./options.js";
import { assertReady, init, isReady } from "./wasm.js";

export * from "./generated.js";
export * from "./errors.js";
export type { CallOptions, ClientEvent, ClientOptions, EventLevel, ExportOptions, Logger, WatchOptions } from "./options.js";
export { init } from "./wasm.js";
export type { WasmSource } from "./wasm.js";

declare global {
    interface SymbolConstructor {
        /**
         * `await using` (explicit resource management, ES2024+), declared here too so that a
         * project whose `lib` lacks `esnext.disposable` still compiles against these types.
         */
        readonly asyncDispose: unique symbol;
    }
}

/** A pending cancellation: a promise that rejects on abort or timeout, and its clean-up. */
interface Cancellation {
    promise: Promise<never> | undefined;
    done(): void;
}

function abortReason(signal: AbortSignal): unknown {
    return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

/** Every language's default timeout of a call (the Rust client's 30 s). */
const DEFAULT_TIMEOUT_MS = 30_000;

function cancellation(name: OperationName | "plan" | "apply", signal: AbortSignal | undefined, timeoutMs: number | undefined): Cancellation {
    // 0 or Infinity: no timeout (setTimeout would fire at once for either).
    if (timeoutMs !== undefined && !(timeoutMs > 0 && Number.isFinite(timeoutMs))) timeoutMs = undefined;
    if (signal === undefined && timeoutMs === undefined) return { promise: undefined, done() {} };
    if (signal?.aborted) throw abortReason(signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    let settle: (() => void) | undefined;
    const promise = new Promise<never>((resolve, reject) => {
        // Settling after the call ends frees the WebAssembly side's callbacks.
        settle = () => resolve(undefined as never);
        if (signal !== undefined) {
            onAbort = () => reject(abortReason(signal));
            signal.addEventListener("abort", onAbort, { once: true });
        }
        if (timeoutMs !== undefined) {
            timer = setTimeout(() => {
                // plan only reads; apply writes.
                const maybeApplied = name === "apply" || (name !== "plan" && !OPERATIONS[name].retrySafe);
                const note = maybeApplied
                    ? " (the request may have reached the terminal; a write is never repeated automatically)"
                    : "";
                reject(new TransportError(`${name}: no answer within ${timeoutMs} ms${note}`, "timeout", `timed out after ${timeoutMs} ms`, maybeApplied, name));
            }, timeoutMs);
        }
    });
    return {
        promise,
        done() {
            if (timer !== undefined) clearTimeout(timer);
            if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
            settle?.();
        },
    };
}

/** JSON text → value; a reply the module produced is always JSON. */
function parse<T>(text: string): T {
    return JSON.parse(text) as T;
}

/** A number option: a non-negative number (an integer for counts), else a `ConfigError`. */
function checkNumber(setting: string, value: number | undefined, integer: boolean): void {
    if (value === undefined) return;
    const fine = typeof value === "number" && value >= 0 && (integer ? Number.isInteger(value) && value <= 0xffff_ffff : !Number.isNaN(value));
    if (!fine) {
        const problem = `${String(value)} must be ${integer ? "a whole number" : "a number of milliseconds"}, 0 or more`;
        throw new ConfigError(`invalid ${setting}: ${problem}`, setting, problem);
    }
}

/** The client's events to the user's logger; a throwing logger does not break the call. */
function deliver(logger: Logger, event: ClientEvent): void {
    try {
        if (typeof logger === "function") return logger(event);
        const method = logger[event.level] ?? logger.log;
        method?.call(logger, `actatek: ${event.message}`, event);
    } catch {
        // the logger's own trouble
    }
}

/** The records of a desired state in wire form (as the terminal's API writes them). */
export interface DesiredRecords {
    departments?: Record<string, unknown>[];
    access_rights?: Record<string, unknown>[];
    access_groups?: Record<string, unknown>[];
    users?: Record<string, unknown>[];
    /** Trigger schedules by `type` (a `schedule` of time ranges may stand for `timespec`). */
    triggers?: Record<string, unknown>[];
    holidays?: string[];
}

/**
 * A desired-state document: the records every terminal holds, and sections of more records
 * (or other values of the same records) for named terminals and groups of terminals.
 */
export interface DesiredState extends DesiredRecords {
    terminals?: Record<string, DesiredRecords>;
    groups?: Record<string, DesiredRecords>;
}

/** Options of `Client.plan` and `Client.apply`. */
export interface DesiredOptions extends CallOptions {
    /** Also delete the undeclared records of each declared kind. */
    prune?: boolean;
    /** This terminal's name: its `terminals.NAME` section applies. */
    terminal?: string;
    /** The groups this terminal is in: their `groups.NAME` sections apply, in this order. */
    groups?: string[];
}

/** One change of a plan. */
export interface PlannedChange {
    kind: "departments" | "access_rights" | "access_groups" | "users" | "triggers" | "holidays";
    key: string;
    action: "create" | "update" | "delete";
    fields?: { field: string; from?: unknown; to: unknown }[];
}

/** What `Client.apply` did. */
export interface ApplyReport {
    converged: boolean;
    rounds: number;
    requests: number;
    refused: string[];
    changes: PlannedChange[];
}

/**
 * One terminal. Methods log in on first use and again once when the session expired (§1.1);
 * reads are retried on network errors and 5xx answers with backoff, writes never blindly.
 * Safe to use from many concurrent tasks; `close()` (or `await using`) logs out.
 */
export class Client extends Operations {
    /** The terminal's base URL, as given. */
    readonly url: string;
    readonly #raw: Promise<wasm.WasmClient>;
    readonly #timeoutMs: number;
    readonly #logger: Logger | undefined;

    /**
     * Nothing is sent until the first call. Throws `ConfigError` for an option that cannot be
     * used; the URL is checked by the module, so at once only when it is loaded (after
     * `await init()` or any call), else the first call rejects with it.
     */
    constructor(url: string, username: string, password: string, options: ClientOptions = {}) {
        super();
        this.url = url;
        checkNumber("retries", options.retries, true);
        checkNumber("backoffMs", options.backoffMs, false);
        checkNumber("maxBackoffMs", options.maxBackoffMs, false);
        checkNumber("timeoutMs", options.timeoutMs, false);
        this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const logger = options.logger;
        this.#logger = logger;
        const hook = logger === undefined ? undefined : (event: ClientEvent) => deliver(logger, event);
        const make = () => {
            try {
                return new wasm.WasmClient(url, username, password, options.retries, options.backoffMs, options.maxBackoffMs, hook);
            } catch (e) {
                throw fromRaw(e);
            }
        };
        // Built at once when the module is loaded, so that a bad URL throws here.
        this.#raw = isReady() ? Promise.resolve(make()) : init().then(make);
        // Reported by the first call; not an unhandled rejection meanwhile.
        this.#raw.catch(() => undefined);
    }

    /** @internal An event of this package's own (the watch), to the logger if there is one. */
    emit(event: Omit<ClientEvent, "target">): void {
        if (this.#logger !== undefined) deliver(this.#logger, { target: "actatek::web", ...event } as ClientEvent);
    }

    /** @internal */
    get defaultTimeoutMs(): number {
        return this.#timeoutMs;
    }

    /**
     * Run any operation by its canonical name with its wire-form input:
     * `client.call("get_users", { userID: "A1" })`. The camelCase methods call this.
     */
    async call<N extends OperationName>(name: N, input: OperationInputs[N], options: CallOptions = {}): Promise<OperationReplies[N]> {
        const cancel = cancellation(name, options.signal, options.timeoutMs ?? this.#timeoutMs);
        try {
            const raw = await this.#raw;
            const text = (await raw.call(name, JSON.stringify(input ?? {}), cancel.promise)) as string;
            return parse<OperationReplies[N]>(text);
        } catch (e) {
            throw await explainFetchFailure(fromRaw(e), this.url);
        } finally {
            cancel.done();
        }
    }

    /**
     * Export every log matching `filter` (`limit` is ignored; `from` is where to start) in
     * chunks, resumable from `export.checkpoint` after any interruption: each log is delivered
     * exactly once. Iterate logs with `for await (const log of export)`, or chunks with
     * `export.chunks()`.
     */
    exportLogs(filter: GetFullLogsInput = {}, options: ExportOptions = {}): LogExport {
        return new LogExport(this, filter, options);
    }

    /**
     * New logs as they arrive (an endless async iterator; stop with `break` or `signal`).
     * Start from a saved `checkpoint`, or from `filter.from` (e.g. now) to see only new logs.
     * The Rust client's watch: it polls every `pollMs` while logs come and backs off up to 16 ×
     * that while the terminal is quiet or failing; errors it goes on after go to `onError`
     * and the logger (`warn`).
     */
    watchLogs(filter: GetFullLogsInput = {}, options: WatchOptions = {}): LogWatch {
        return new LogWatch(this, filter, options);
    }

    /**
     * What the terminal must be sent to hold `desired`, nothing written: one entry per
     * change (`kind`, `key`, `action`, and an update's `fields` with `field`, `from`, `to`).
     * `desired` is the wire form of `actatek plan`'s file: `departments`, `access_rights` (a
     * `schedule` such as `{ MONDAY: "08:00-12:30" }` may stand for `timespec`),
     * `access_groups`, `users`, `triggers` (records in wire names) and `holidays` (dates),
     * and `terminals`/`groups` sections of the same kinds: `options.terminal` and
     * `options.groups` say which sections are this terminal's (a document with sections needs
     * one of them). Records and fields it does not mention are left alone; `prune` also deletes the
     * undeclared records of each declared kind (never the user logged in as). An invalid entry
     * rejects with a `ValidationError` listing every problem before anything is written.
     */
    async plan(desired: DesiredState, options: DesiredOptions = {}): Promise<PlannedChange[]> {
        return this.#desired("plan", desired, options) as Promise<PlannedChange[]>;
    }

    /**
     * Make the terminal hold `desired` (see `plan`): read, plan, write in batches, read again
     * until nothing is left to do. A write whose answer is lost is read again, never resent.
     */
    async apply(desired: DesiredState, options: DesiredOptions = {}): Promise<ApplyReport> {
        return this.#desired("apply", desired, options) as Promise<ApplyReport>;
    }

    async #desired(which: "plan" | "apply", desired: DesiredState, options: DesiredOptions): Promise<unknown> {
        const cancel = cancellation(which, options.signal, options.timeoutMs ?? this.#timeoutMs * 10);
        try {
            const raw = await this.#raw;
            const text = (await raw.desired(
                JSON.stringify(desired),
                options.prune ?? false,
                options.terminal,
                options.groups ?? [],
                which === "apply",
                cancel.promise,
            )) as string;
            return parse<unknown>(text);
        } catch (e) {
            throw await explainFetchFailure(fromRaw(e), this.url);
        } finally {
            cancel.done();
        }
    }

    /**
     * Log out (if logged in). Never throws: the session also expires by itself. The client
     * stays usable (the next call logs in again).
     */
    async close(): Promise<void> {
        try {
            await (await this.#raw).close();
        } catch {
            // nothing to do: not logged in, or the terminal is gone
        }
    }

    /**
     * `await using t = new Client(…)` logs out when the scope ends, as `close()` does
     * (where the runtime has `Symbol.asyncDispose`: Node ≥ 20, current browsers).
     */
    async [Symbol.asyncDispose](): Promise<void> {
        await this.close();
    }

    /** @internal */
    async rawExport(filter: GetFullLogsInput, chunk: number, checkpoint: Checkpoint | undefined): Promise<wasm.WasmLogExport> {
        const raw = await this.#raw;
        try {
            return raw.exportLogs(JSON.stringify(filter), chunk, checkpoint === undefined ? undefined : JSON.stringify(checkpoint));
        } catch (e) {
            throw fromRaw(e);
        }
    }

    /** @internal */
    async rawWatch(filter: GetFullLogsInput, pollMs: number, checkpoint: Checkpoint | undefined): Promise<wasm.WasmLogWatch> {
        const raw = await this.#raw;
        try {
            return raw.watchLogs(JSON.stringify(filter), pollMs, checkpoint === undefined ? undefined : JSON.stringify(checkpoint));
        } catch (e) {
            throw fromRaw(e);
        }
    }
}

/** A log export in progress; see `Client.exportLogs`. */
export class LogExport implements AsyncIterable<FullLog> {
    readonly #client: Client;
    readonly #options: ExportOptions;
    readonly #raw: Promise<wasm.WasmLogExport>;
    #checkpoint: Checkpoint;

    /** @internal */
    constructor(client: Client, filter: GetFullLogsInput, options: ExportOptions) {
        this.#client = client;
        this.#options = options;
        this.#checkpoint = options.checkpoint ?? { timestamp: null, ids: [], delivered: 0 };
        this.#raw = client.rawExport(filter, options.chunk ?? 500, options.checkpoint);
        this.#raw.catch(() => undefined);
    }

    /** Where the export stands after the last chunk: persist it (JSON) to resume later. */
    get checkpoint(): Checkpoint {
        return this.#checkpoint;
    }

    /** The next chunk of logs (oldest first), or `null` when every log has been delivered. */
    async nextChunk(options: CallOptions = {}): Promise<FullLog[] | null> {
        const raw = await this.#raw;
        const signal = options.signal ?? this.#options.signal;
        const cancel = cancellation("get_full_logs", signal, options.timeoutMs ?? this.#options.timeoutMs ?? this.#client.defaultTimeoutMs);
        try {
            const text = (await raw.nextChunk(cancel.promise)) as string | null;
            this.#checkpoint = parse<Checkpoint>(raw.checkpoint());
            return text === null ? null : parse<FullLog[]>(text);
        } catch (e) {
            throw await explainFetchFailure(fromRaw(e), this.#client.url);
        } finally {
            cancel.done();
        }
    }

    /** The remaining chunks. */
    async *chunks(): AsyncGenerator<FullLog[], void, undefined> {
        for (;;) {
            const chunk = await this.nextChunk();
            if (chunk === null) return;
            yield chunk;
        }
    }

    async *[Symbol.asyncIterator](): AsyncGenerator<FullLog, void, undefined> {
        for await (const chunk of this.chunks()) yield* chunk;
    }
}

/** New logs as they arrive; see `Client.watchLogs`. */
export class LogWatch implements AsyncIterable<FullLog> {
    readonly #client: Client;
    readonly #filter: GetFullLogsInput;
    readonly #options: WatchOptions;
    #checkpoint: Checkpoint;

    /** @internal */
    constructor(client: Client, filter: GetFullLogsInput, options: WatchOptions) {
        this.#client = client;
        this.#filter = filter;
        this.#options = options;
        this.#checkpoint = options.checkpoint ?? { timestamp: null, ids: [], delivered: 0 };
    }

    /** Where the watch stands (after the last delivered log); persist it to resume. */
    get checkpoint(): Checkpoint {
        return this.#checkpoint;
    }

    async *[Symbol.asyncIterator](): AsyncGenerator<FullLog, void, undefined> {
        const { signal, onError } = this.#options;
        if (signal?.aborted) throw abortReason(signal);
        const raw = await this.#client.rawWatch(this.#filter, this.#options.pollMs ?? 2000, this.#checkpoint);
        try {
            for (;;) {
                // Only the signal ends a wait: a quiet terminal may keep one `next` for minutes.
                const cancel = cancellation("get_full_logs", signal, undefined);
                let text: string | null;
                try {
                    text = (await raw.next(cancel.promise)) as string | null;
                } catch (e) {
                    const ended = (e as { ended?: unknown } | null)?.ended === true;
                    const error = await explainFetchFailure(fromRaw(e), this.#client.url);
                    if (ended || !(error instanceof ActatekError)) throw error;
                    this.#client.emit({ level: "warn", message: "watch error; polling again", operation: "get_full_logs", error: error.message, kind: error.kind });
                    onError?.(error);
                    continue;
                } finally {
                    cancel.done();
                }
                if (text === null) return;
                this.#checkpoint = parse<Checkpoint>(raw.checkpoint());
                yield parse<FullLog>(text);
            }
        } finally {
            raw.free();
        }
    }
}

// --- Value helpers (pure; need the module loaded: `await init()`) ---------------------------

function rethrow<T>(f: () => T): T {
    try {
        return f();
    } catch (e) {
        throw fromRaw(e);
    }
}

/** A day's schedule of 48 half-hour slots (§5.1) and its helpers. */
export type TimePattern = TimePatternText;
export const TimePattern = {
    /** No slot on. */
    EMPTY: "0".repeat(48) as TimePattern,
    /** Every slot on. */
    ALL_DAY: "1".repeat(48) as TimePattern,
    /**
     * `"08:00-12:30, 13:30-17:00"` → the 48-character pattern. Ranges on half hours; `24:00`
     * may end one; overlapping ranges merge. Throws `ValidationError` (rule `time_range`).
     */
    fromRanges(ranges: string): TimePattern {
        assertReady("TimePattern.fromRanges");
        return rethrow(() => wasm.timePatternFromRanges(ranges));
    },
    /** The pattern as merged ranges, `"08:00-12:30, 13:30-17:00"` (`""` when empty). */
    toRanges(pattern: TimePattern): string {
        assertReady("TimePattern.toRanges");
        return rethrow(() => wasm.timePatternToRanges(pattern));
    },
    /** Whether the schedule is on at `hour:minute`. */
    isOnAt(pattern: TimePattern, hour: number, minute = 0): boolean {
        if (!(hour >= 0 && hour < 24 && minute >= 0 && minute < 60)) return false;
        return pattern.charAt(hour * 2 + Math.floor(minute / 30)) === "1";
    },
} as const;

/** Helpers for terminal date-times (local wall-clock time vs UTC). */
export const dateTime = {
    /** `local` (no `Z`: the terminal's wall-clock time) or `utc`, and the canonical form. */
    parse(text: TerminalDateTime): { kind: "local" | "utc"; canonical: TerminalDateTime } {
        assertReady("dateTime.parse");
        const [kind, canonical] = parse<["local" | "utc", string]>(rethrow(() => wasm.parseDateTime(text)));
        return { kind, canonical };
    },
    /** Whether the date-time is UTC (ends in `Z` or has an offset). */
    isUtc(text: TerminalDateTime): boolean {
        return dateTime.parse(text).kind === "utc";
    },
    /**
     * The instant of a UTC date-time. A local terminal time names no instant without the
     * terminal's time zone (`getTime()`), so it is refused rather than guessed.
     */
    toDate(text: TerminalDateTime): Date {
        const { kind, canonical } = dateTime.parse(text);
        if (kind !== "utc") {
            throw new RangeError(`${text} is the terminal's local time, not an instant: use it as text, or ask the terminal for its time zone (getTime)`);
        }
        return new Date(canonical);
    },
    /** A `Date` as a UTC terminal date-time (`2025-07-16T10:24:13Z`, milliseconds kept). */
    fromDate(date: Date): TerminalDateTime {
        return date.toISOString().replace(".000Z", "Z");
    },
    /** A terminal-local wall-clock time from its parts (month 1–12). */
    local(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): TerminalDateTime {
        const p = (n: number, w = 2) => String(n).padStart(w, "0");
        return `${p(year, 4)}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}:${p(second)}`;
    },
} as const;

/** A get_holidays filter where 0 is a wildcard: `holidayQuery(2025, 7, 0)` → `"2025-07-0"`. */
export function holidayQuery(year: number, month = 0, day = 0): string {
    assertReady("holidayQuery");
    return rethrow(() => wasm.formatHolidayQuery(year, month, day));
}

/** `"2025-07-0"` → `[2025, 7, 0]`; throws `ValidationError` (rule `holiday_query`). */
export function parseHolidayQuery(text: string): [number, number, number] {
    assertReady("parseHolidayQuery");
    return parse<[number, number, number]>(rethrow(() => wasm.parseHolidayQuery(text)));
}

/** Check an operation's input as `call` would, without sending anything. */
export function validateInput<N extends OperationName>(name: N, input: OperationInputs[N]): void {
    assertReady("validateInput");
    rethrow(() => wasm.validateInput(name, JSON.stringify(input ?? {})));
}

/** The HTTP request an input becomes (for logs and debugging; nothing is sent). */
export interface RequestDescription {
    method: "GET" | "POST" | "PUT" | "DELETE";
    /** Encoded path, starting with `/cgi-bin/restapi`. */
    path: string;
    /** Decoded query pairs in table order. */
    query: [string, string][];
    /** Path plus encoded query. */
    url: string;
    /** The JSON body, or null. */
    body: unknown;
}

/** The request `call(name, input)` would send with session id `session`. */
export function describeRequest<N extends OperationName>(name: N, input: OperationInputs[N], session = "SESSION"): RequestDescription {
    assertReady("describeRequest");
    return parse<RequestDescription>(rethrow(() => wasm.describeRequest(name, JSON.stringify(input ?? {}), session)));
}

/**
 * What writing `record` (a `model` as a reply gave it) back would be refused for, checked by
 * the core without sending anything: one issue per broken rule, fields in wire names relative
 * to the record (`crowd_reset_hhmm`, `timespec[0].timePattern`); empty when it can be written
 * as it is. A value the terminal sent that the SDK could not read (kept as sent, so it may not
 * match the field's TypeScript type) or a word outside a documented set is listed with its
 * field's rule and the terminal's text; a field a write needs but the record lacks, with
 * `required` (`user_id` for a user's id). Throws `ValidationError` for an unknown model or a
 * value that is not a record.
 */
export function checkRecord<M extends ModelName>(model: M, record: Models[M]): ValidationIssue[] {
    assertReady("checkRecord");
    return rethrow(() => wasm.checkRecord(model, JSON.stringify(record))) as ValidationIssue[];
}

/** Read a terminal reply of `name` as the client does (tolerant of real terminals' quirks). */
export function readReply<N extends OperationName>(name: N, status: number, body: string): OperationReplies[N] {
    assertReady("readReply");
    return parse<OperationReplies[N]>(rethrow(() => wasm.readReply(name, status, body)));
}

