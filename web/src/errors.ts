import type { RuleCode } from "./generated.js";

/** Which of the five kinds an `ActatekError` is (its discriminant). */
export type ErrorKind = "config" | "validation" | "api" | "protocol" | "transport";

/** Which part of the transport failed. */
export type TransportKind = "connect" | "timeout" | "tls" | "connection";

/**
 * What a failed `fetch` most likely was, found out by a second look after it failed (a
 * `fetch` error says nothing itself): `unreachable` (nothing answers: Node's
 * `ECONNREFUSED`, `ENOTFOUND`, …, or a browser's probe failed too), `cors` (a browser: the
 * terminal answers a `no-cors` probe, so it refused this page's origin), `certificate` (Node:
 * the certificate is not trusted, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`),
 * `unreachable_or_certificate` (a browser and an `https://` terminal: a page cannot tell the two
 * apart).
 */
export type FetchFailure = "unreachable" | "cors" | "certificate" | "unreachable_or_certificate";

/** One broken value rule. */
export interface ValidationIssue {
    /** Where, in wire names: `body.timespec[0].timePattern`, `userID`, or `""` for the whole input. */
    field: string;
    /** The rule's stable code (`time_pattern`, `relay_delay`, …), shared by every language. */
    rule: RuleCode;
    /** The offending value as text (`<missing>` when absent). */
    value: string;
    /** The manual's section the rule comes from (`11.5`), or `project`. */
    section: string;
    /** One sentence: field, value, rule. */
    message: string;
}

/** Base of every error this package throws. `kind` tells them apart in a `switch`. */
export abstract class ActatekError extends Error {
    abstract readonly kind: ErrorKind;
    /** The canonical operation (`open_door`), when the error belongs to one. */
    readonly operation: string | undefined;

    protected constructor(message: string, operation?: string) {
        super(message);
        this.operation = operation;
    }
}

/**
 * A client option cannot be used: a URL that is not `http://` or `https://`, a negative
 * retry count. Thrown by `new Client(…)` (once the module is loaded, as after `await init()`
 * or any call; before that, the first call rejects with it). Nothing was sent.
 */
export class ConfigError extends ActatekError {
    override readonly name = "ConfigError" as const;
    readonly kind = "config" as const;
    /** Which option: `url`, `timeout`, `retries`, `backoffMs`, … (the Rust client's names where it checks them). */
    readonly setting: string;
    /** What is wrong with it. */
    readonly problem: string;

    constructor(message: string, setting: string, problem: string) {
        super(message);
        this.setting = setting;
        this.problem = problem;
    }
}

/** The input breaks a value rule. Thrown before anything is sent to the terminal. */
export class ValidationError extends ActatekError {
    override readonly name = "ValidationError" as const;
    readonly kind = "validation" as const;
    /** The first broken rule's field (see `errors` for all). */
    readonly field: string;
    readonly rule: RuleCode;
    readonly value: string;
    readonly section: string;
    /** Every broken rule, most important first. */
    readonly errors: readonly ValidationIssue[];

    constructor(message: string, issues: readonly ValidationIssue[], operation?: string) {
        super(message, operation);
        const first = issues[0] ?? { field: "", rule: "type", value: "", section: "project", message };
        this.field = first.field;
        this.rule = first.rule;
        this.value = first.value;
        this.section = first.section;
        this.errors = issues;
    }
}

/** The terminal answered with an error (HTTP 400/500, or `"status": "error"`). */
export class ApiError extends ActatekError {
    override readonly name = "ApiError" as const;
    readonly kind = "api" as const;
    /** The HTTP status. */
    readonly status: number;
    /** The terminal's own message, verbatim (`message` adds the operation and status). */
    readonly terminalMessage: string;

    constructor(message: string, status: number, terminalMessage: string, operation?: string) {
        super(message, operation);
        this.status = status;
        this.terminalMessage = terminalMessage;
    }
}

/**
 * The terminal's answer could not be read (not JSON, or a top level of an impossible shape);
 * `detail` says what was expected and where. Odd values inside records are not this error:
 * they are kept as sent (see `checkRecord`).
 */
export class ProtocolError extends ActatekError {
    override readonly name = "ProtocolError" as const;
    readonly kind = "protocol" as const;
    readonly status: number;
    readonly detail: string;
    /**
     * True for a write: the terminal answered, so it received the request and may have
     * applied it (a write is never repeated automatically). False for a read.
     */
    readonly maybeApplied: boolean;

    constructor(message: string, status: number, detail: string, maybeApplied: boolean, operation?: string) {
        super(message, operation);
        this.status = status;
        this.detail = detail;
        this.maybeApplied = maybeApplied;
    }
}

/**
 * No usable answer: the terminal is unreachable, refused the browser's cross-origin request
 * (CORS), presented a certificate that is not trusted, timed out, or the connection broke.
 * `fetchFailure` says which of the first three a failed `fetch` was.
 */
export class TransportError extends ActatekError {
    override readonly name = "TransportError" as const;
    readonly kind = "transport" as const;
    readonly transportKind: TransportKind;
    readonly detail: string;
    /** True when a write may have reached the terminal although no answer came back. */
    readonly maybeApplied: boolean;
    /** What a failed `fetch` most likely was; `undefined` for other transport errors. */
    readonly fetchFailure: FetchFailure | undefined;
    /** Node's error code behind it (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`), when there is one. */
    readonly code: string | undefined;

    constructor(message: string, transportKind: TransportKind, detail: string, maybeApplied: boolean, operation?: string, fetchFailure?: FetchFailure, code?: string) {
        super(message, operation);
        this.transportKind = transportKind;
        this.detail = detail;
        this.maybeApplied = maybeApplied;
        this.fetchFailure = fetchFailure;
        this.code = code;
    }
}

/** Any error of this package. */
export type AnyActatekError = ConfigError | ValidationError | ApiError | ProtocolError | TransportError;

/** Whether trying again later may help (network, timeouts, 5xx, unreadable replies). */
export function isTransient(error: unknown): boolean {
    if (error instanceof TransportError || error instanceof ProtocolError) return true;
    return error instanceof ApiError && error.status >= 500;
}

/** Node (and runtimes like it) fetch without CORS; pages and workers are "browsers" here. */
const inBrowser = !(
    typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === "string" &&
    typeof (globalThis as { document?: unknown }).document === "undefined"
);

/** Network failure texts of fetch in Chromium, Firefox, Safari and Node. */
const FETCH_FAILED = /Failed to fetch|NetworkError|Load failed|fetch failed|TypeError/;

type RawFields = {
    kind?: unknown;
    operation?: unknown;
    field?: unknown;
    errors?: unknown;
    status?: unknown;
    terminalMessage?: unknown;
    detail?: unknown;
    transportKind?: unknown;
    maybeApplied?: unknown;
    setting?: unknown;
};

/** Turns an error from the WebAssembly module (an `Error` with `kind` and fields) into its class. */
export function fromRaw(raw: unknown): unknown {
    if (!(raw instanceof Error) || raw instanceof ActatekError) return raw;
    const r = raw as Error & RawFields;
    const operation = typeof r.operation === "string" ? r.operation : undefined;
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    switch (r.kind) {
        case "config":
            return new ConfigError(r.message, text(r.setting), text(r.detail));
        case "validation":
            return new ValidationError(r.message, Array.isArray(r.errors) ? (r.errors as ValidationIssue[]) : [], operation);
        case "api":
            return new ApiError(r.message, Number(r.status), text(r.terminalMessage), operation);
        case "protocol":
            return new ProtocolError(r.message, Number(r.status), text(r.detail), r.maybeApplied === true, operation);
        case "transport": {
            const kind = (typeof r.transportKind === "string" ? r.transportKind : "connection") as TransportKind;
            return new TransportError(r.message, kind, text(r.detail), r.maybeApplied === true, operation);
        }
        default:
            return raw;
    }
}

/** Node's TLS verification codes (and the host name check). */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;
/** Node's codes for "nothing answers there". */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT"]);

/** The code on a Node `fetch` error's cause (or the first of an `AggregateError`'s). */
function causeCode(error: unknown): string | undefined {
    let c: unknown = (error as { cause?: unknown } | undefined)?.cause;
    for (let depth = 0; depth < 4 && c !== undefined && c !== null; depth++) {
        const code = (c as { code?: unknown }).code;
        if (typeof code === "string") return code;
        const all = (c as { errors?: unknown }).errors;
        c = Array.isArray(all) && all.length > 0 ? all[0] : (c as { cause?: unknown }).cause;
    }
    return undefined;
}

/** What one more request to the terminal's base URL says (never throws). */
async function probe(url: string): Promise<{ answered: boolean; code?: string }> {
    try {
        // A browser's `no-cors` request gets an opaque answer past CORS: it resolves if
        // anything answered. Node has no CORS; its failure carries the reason's code.
        const init: RequestInit = inBrowser ? { mode: "no-cors", cache: "no-store" } : { method: "HEAD" };
        await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
        return { answered: true };
    } catch (e) {
        const code = causeCode(e);
        return code === undefined ? { answered: false } : { answered: false, code };
    }
}

/**
 * A failed `fetch` (the module reports only "connection error: … fetch failed") told apart by
 * a probe: unreachable, refused for CORS, or an untrusted certificate. Other errors pass.
 */
export async function explainFetchFailure(error: unknown, url: string): Promise<unknown> {
    if (!(error instanceof TransportError) || error.fetchFailure !== undefined) return error;
    if (!(error.transportKind === "connection" || error.transportKind === "connect") || !FETCH_FAILED.test(error.detail)) return error;
    const op = error.operation ?? "request";
    const where = `the terminal at ${url}`;
    const was = `(${error.message})`;
    const seen = await probe(url);
    const make = (message: string, failure: FetchFailure, kind: TransportKind = error.transportKind, maybeApplied = error.maybeApplied) =>
        new TransportError(message, kind, error.detail, maybeApplied, error.operation, failure, seen.code);
    if (inBrowser) {
        if (seen.answered) {
            const origin = (globalThis as { location?: { origin?: string } }).location?.origin ?? "this page's origin";
            return make(
                `${op}: the browser refused the cross-origin request (CORS): ${where} answers, but not with ` +
                    `Access-Control-Allow-Origin for ${origin} (and preflight answers for PUT, DELETE and JSON bodies). ${was}`,
                "cors",
            );
        }
        if (url.startsWith("https:")) {
            return make(
                `${op}: ${where} is unreachable, or this browser does not trust its certificate (terminals use self-signed ` +
                    `ones: add it to the browser's or the system's certificate store; opening ${url} in a tab shows which). ${was}`,
                "unreachable_or_certificate",
            );
        }
        return make(`${op}: ${where} is unreachable (nothing answered: check the address and the network). ${was}`, "unreachable");
    }
    if (seen.code !== undefined && CERTIFICATE_CODE.test(seen.code)) {
        // The TLS handshake failed before any request was sent.
        return make(
            `${op}: ${where} presented a certificate Node does not trust (${seen.code}). Terminals use self-signed ` +
                `certificates: start Node with NODE_EXTRA_CA_CERTS=<the terminal's certificate, PEM>. ${was}`,
            "certificate",
            "tls",
            false,
        );
    }
    if (seen.code !== undefined && UNREACHABLE_CODES.has(seen.code)) {
        return make(`${op}: ${where} is unreachable (${seen.code}). ${was}`, "unreachable");
    }
    return error;
}
