import type { RuleCode } from "./generated.js";

/** Which of the four kinds an `ActatekError` is (its discriminant). */
export type ErrorKind = "validation" | "api" | "protocol" | "transport";

/** Which part of the transport failed. */
export type TransportKind = "connect" | "timeout" | "tls" | "connection";

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
 * (CORS), timed out, or the connection broke.
 */
export class TransportError extends ActatekError {
    override readonly name = "TransportError" as const;
    readonly kind = "transport" as const;
    readonly transportKind: TransportKind;
    readonly detail: string;
    /** True when a write may have reached the terminal although no answer came back. */
    readonly maybeApplied: boolean;

    constructor(message: string, transportKind: TransportKind, detail: string, maybeApplied: boolean, operation?: string) {
        super(message, operation);
        this.transportKind = transportKind;
        this.detail = detail;
        this.maybeApplied = maybeApplied;
    }
}

/** Any error of this package. */
export type AnyActatekError = ValidationError | ApiError | ProtocolError | TransportError;

/** Whether trying again later may help (network, timeouts, 5xx, unreadable replies). */
export function isTransient(error: unknown): boolean {
    if (error instanceof TransportError || error instanceof ProtocolError) return true;
    return error instanceof ApiError && error.status >= 500;
}

const inBrowser = typeof (globalThis as { document?: unknown }).document !== "undefined";

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
};

/** Turns an error from the WebAssembly module (an `Error` with `kind` and fields) into its class. */
export function fromRaw(raw: unknown, url?: string): unknown {
    if (!(raw instanceof Error) || raw instanceof ActatekError) return raw;
    const r = raw as Error & RawFields;
    const operation = typeof r.operation === "string" ? r.operation : undefined;
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    switch (r.kind) {
        case "validation":
            return new ValidationError(r.message, Array.isArray(r.errors) ? (r.errors as ValidationIssue[]) : [], operation);
        case "api":
            return new ApiError(r.message, Number(r.status), text(r.terminalMessage), operation);
        case "protocol":
            return new ProtocolError(r.message, Number(r.status), text(r.detail), r.maybeApplied === true, operation);
        case "transport": {
            const detail = text(r.detail);
            const kind = (typeof r.transportKind === "string" ? r.transportKind : "connection") as TransportKind;
            let message = r.message;
            if ((kind === "connection" || kind === "connect") && FETCH_FAILED.test(detail)) {
                const where = url === undefined ? "the terminal" : `the terminal at ${url}`;
                message = inBrowser
                    ? `${operation ?? "request"}: ${where} refused the cross-origin request (CORS) or is unreachable. ` +
                      `A page may call a terminal on another origin only if the terminal answers with ` +
                      `Access-Control-Allow-Origin. (${r.message})`
                    : `${operation ?? "request"}: ${where} is unreachable (${r.message})`;
            }
            return new TransportError(message, kind, detail, r.maybeApplied === true, operation);
        }
        default:
            return raw;
    }
}
