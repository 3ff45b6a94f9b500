// The browser package's test suite, run unchanged in Node (test/node.test.js) and in headless
// Chromium (test/browser.test.js loads it into a page served from another origin than the
// simulator, so every call is a real cross-origin fetch). No Node or DOM APIs here.
//
// env: {
//   api:       the package (dist/index.js),
//   simUrl:    a simulator with CORS on (seeded: 5 users, 200 logs; admin/admin),
//   driftUrl:  another one (5 users, 300 logs) whose replies the tests make drift
//              (`POST /_sim/drift`) as other firmware versions might write them,
//   noCorsUrl: a simulator started with --no-cors,
//   secretUrl: a simulator whose admin password is SECRET (the tests of events and retries),
//   tlsUrl:    a simulator serving HTTPS with a self-signed certificate nobody here trusts,
//   deadUrl:   a URL where nothing listens,
//   vectors:   { requests, responses, validation, values } from tests/vectors/,
//   browser:   true in Chromium,
// }

export const USER = "admin";
export const PASSWORD = "admin";
/** The admin password of the simulator at env.secretUrl: no event may carry it. */
export const SECRET = "Pa55-not-in-any-event";

// --- tiny assertions (no node:assert in the browser) ------------------------------------------

class AssertionError extends Error {
    constructor(message) {
        super(message);
        this.name = "AssertionError";
    }
}

function show(v) {
    return typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v, null, 0);
}

function ok(cond, message) {
    if (!cond) throw new AssertionError(message ?? "assertion failed");
}

/** Deep equality, ignoring object key order. */
function same(a, b) {
    if (a === b) return true;
    if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same(a[k], b[k]));
}

function eq(actual, expected, message) {
    if (!same(actual, expected)) {
        throw new AssertionError(`${message ?? "not equal"}: got ${show(actual)}, expected ${show(expected)}`);
    }
}

async function rejects(promise, check, message) {
    let error;
    try {
        await promise;
    } catch (e) {
        error = e;
    }
    ok(error !== undefined, `${message ?? "expected a rejection"}: it resolved`);
    check(error);
    return error;
}

function failIfAny(failures, total) {
    if (failures.length > 0) {
        throw new AssertionError(`${failures.length} of ${total} failed:\n  ${failures.slice(0, 20).join("\n  ")}`);
    }
}

// --- the simulator's control API --------------------------------------------------------------

async function control(url, path, init) {
    const reply = await fetch(`${url}/_sim/${path}`, init);
    ok(reply.ok, `control ${path}: HTTP ${reply.status}`);
    return reply.json();
}

const post = (body) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const state = (url) => control(url, "state");
const requestCount = async (url) => (await state(url)).requests;
const seenOperations = async (url) => new Set((await control(url, "requests")).map((r) => r.operation).filter(Boolean));

/** The simulator's drift preset that a strictly writing client can write back (drift.rs). */
const WRITE_BACK_SAFE = ["extra_field", "number_as_string", "soap_names", "single_object", "trailing_comma"];

/** Run `fn` while the simulator's replies drift with `kinds` (seeded), then switch drift off. */
async function drifting(url, seed, kinds, fn) {
    const on = await control(url, "drift", post({ seed, kinds }));
    eq([on.seed, [...on.kinds].sort()], [seed, [...kinds].sort()], "drift switched on");
    try {
        await fn();
    } finally {
        await control(url, "drift", { method: "DELETE" });
    }
}

/** The drift kinds the simulator applied to the replies of `operations` since `seq`. */
async function driftHits(url, operations, seq = 0) {
    const hits = new Set();
    for (const r of await control(url, "requests")) {
        if (r.seq > seq && operations.includes(r.operation)) (r.drift ?? []).forEach((k) => hits.add(k));
    }
    return hits;
}

// --- the suite --------------------------------------------------------------------------------

export function suite(env) {
    const { api, simUrl, driftUrl, noCorsUrl, deadUrl, secretUrl, tlsUrl, vectors } = env;
    const { Client, TimePattern, ValidationError, ApiError, TransportError, ProtocolError, ActatekError, ConfigError } = api;
    const done = new Set();
    const did = (...names) => names.forEach((n) => done.add(n));
    const success = (r) => ok(r.status !== "error", `status ${show(r)}`);
    let t;
    const client = () => (t ??= new Client(simUrl, USER, PASSWORD, { timeoutMs: 20_000 }));

    const tests = [];
    const test = (name, fn) => tests.push({ name, fn });

    // --- shared vectors (tests/vectors), through the WebAssembly core ---

    test("vectors: every requests.json case builds the exact request", async () => {
        await api.init();
        const failures = [];
        for (const c of vectors.requests.cases) {
            try {
                const got = api.describeRequest(c.operation, c.input, c.session ?? vectors.requests.session);
                for (const key of ["method", "path", "query", "url", "body"]) {
                    if (!same(got[key], c.expect[key])) failures.push(`${c.name}: ${key} ${show(got[key])} != ${show(c.expect[key])}`);
                }
            } catch (e) {
                failures.push(`${c.name}: ${e}`);
            }
        }
        failIfAny(failures, vectors.requests.cases.length);
    });

    test("vectors: every responses.json case reads to the normalized reply or the error", async () => {
        await api.init();
        const failures = [];
        for (const c of vectors.responses.cases) {
            try {
                const got = api.readReply(c.operation, c.status, c.body);
                if (c.error) failures.push(`${c.name}: expected ${c.error.kind} error, got ${show(got)}`);
                else if (!same(got, c.expect)) failures.push(`${c.name}: ${show(got)} != ${show(c.expect)}`);
            } catch (e) {
                if (!c.error) failures.push(`${c.name}: ${e}`);
                else if (c.error.kind === "api") {
                    if (!(e instanceof ApiError && e.status === c.error.status && e.terminalMessage === c.error.message)) {
                        failures.push(`${c.name}: expected ApiError ${c.error.status} ${show(c.error.message)}, got ${e?.name} ${e?.status} ${show(e?.terminalMessage)}`);
                    }
                } else if (!(e instanceof ProtocolError)) failures.push(`${c.name}: expected ProtocolError, got ${e}`);
                else if (e.maybeApplied !== false) failures.push(`${c.name}: a reply read locally says maybeApplied ${e.maybeApplied}`);
            }
        }
        failIfAny(failures, vectors.responses.cases.length);
    });

    test("vectors: every validation.json case passes or fails with exactly its rule and field", async () => {
        await api.init();
        const failures = [];
        for (const [i, c] of vectors.validation.cases.entries()) {
            const label = `#${i} ${c.rule} ${c.operation} ${show(c.input)}`;
            let error;
            try {
                if (c.operation === "time_pattern_from_ranges") TimePattern.fromRanges(c.input.ranges);
                else api.validateInput(c.operation, c.input);
            } catch (e) {
                error = e;
            }
            if (c.valid && error) failures.push(`${label}: expected valid, got ${error.message}`);
            if (!c.valid) {
                if (!(error instanceof ValidationError)) {
                    failures.push(`${label}: expected ValidationError ${c.rule}, got ${error}`);
                    continue;
                }
                ok(error instanceof ActatekError && error.name === "ValidationError" && error.kind === "validation", label);
                const field = c.operation === "time_pattern_from_ranges" ? "" : c.field;
                const hit = error.errors.some((x) => x.rule === c.rule && x.field === field);
                if (!hit) failures.push(`${label}: expected ${c.rule} at ${show(field)}, got ${show(error.errors)}`);
            }
        }
        failIfAny(failures, vectors.validation.cases.length);
    });

    test("vectors: values.json time patterns, date-times and holiday queries", async () => {
        await api.init();
        const failures = [];
        for (const c of vectors.values.time_pattern_ranges) {
            try {
                const p = TimePattern.fromRanges(c.ranges);
                if (c.error) failures.push(`${show(c.ranges)}: expected ${c.error}`);
                else {
                    if (p !== c.pattern) failures.push(`${show(c.ranges)} → ${p}`);
                    if (TimePattern.toRanges(p) !== c.canonical) failures.push(`${p} → ${show(TimePattern.toRanges(p))}`);
                }
            } catch (e) {
                if (!c.error || e.rule !== c.error) failures.push(`${show(c.ranges)}: ${e}`);
            }
        }
        for (const c of vectors.values.datetimes) {
            try {
                const got = api.dateTime.parse(c.wire);
                if (c.error) failures.push(`${show(c.wire)}: expected ${c.error}`);
                else if (got.kind !== c.kind || got.canonical !== c.canonical) failures.push(`${show(c.wire)} → ${show(got)}`);
            } catch (e) {
                if (!c.error || e.rule !== c.error) failures.push(`${show(c.wire)}: ${e}`);
            }
        }
        for (const c of vectors.values.holiday_queries) {
            try {
                if ("year" in c) {
                    const wire = api.holidayQuery(c.year, c.month, c.day);
                    if (wire !== c.wire) failures.push(`${c.year}-${c.month}-${c.day} → ${wire}`);
                } else {
                    const parts = api.parseHolidayQuery(c.wire);
                    if (c.error) failures.push(`${show(c.wire)}: expected ${c.error}`);
                    else if (!same(parts, c.parsed)) failures.push(`${show(c.wire)} → ${show(parts)}`);
                }
            } catch (e) {
                if (!c.error || e.rule !== c.error) failures.push(`${show(c.wire)}: ${e}`);
            }
        }
        const total = vectors.values.time_pattern_ranges.length + vectors.values.datetimes.length + vectors.values.holiday_queries.length;
        failIfAny(failures, total);
        ok(TimePattern.isOnAt(TimePattern.fromRanges("08:00-12:30"), 12, 15), "isOnAt 12:15");
        ok(!TimePattern.isOnAt(TimePattern.fromRanges("08:00-12:30"), 12, 30), "isOnAt 12:30");
        eq(api.dateTime.toDate("2025-07-16T10:24:13Z").getTime(), Date.UTC(2025, 6, 16, 10, 24, 13), "toDate");
        eq(api.dateTime.fromDate(new Date(Date.UTC(2025, 6, 16, 10, 24, 13))), "2025-07-16T10:24:13Z", "fromDate");
        eq(api.dateTime.local(2025, 7, 16, 10, 24, 13), "2025-07-16T10:24:13", "local");
        let refused = false;
        try {
            api.dateTime.toDate("2025-07-16T10:24:13");
        } catch (e) {
            refused = e instanceof RangeError;
        }
        ok(refused, "a local terminal time is not silently turned into an instant");
    });

    // --- validation failures send nothing ---

    test("validation failures reject before any request: the simulator sees nothing", async () => {
        const fresh = new Client(simUrl, USER, PASSWORD);
        const before = await requestCount(simUrl);
        const invalid = vectors.validation.cases.filter((c) => !c.valid && c.operation !== "time_pattern_from_ranges");
        const failures = [];
        for (const c of invalid) {
            try {
                await fresh.call(c.operation, c.input);
                failures.push(`${c.rule} ${c.operation}: resolved`);
            } catch (e) {
                if (!(e instanceof ValidationError) || !e.errors.some((x) => x.rule === c.rule && x.field === c.field)) {
                    failures.push(`${c.rule} ${c.operation}: ${e}`);
                }
            }
        }
        // The camelCase methods too, with the manual's typical mistakes.
        await rejects(fresh.setRelaySetting({ id: "ONE", option: "doorbell", delay: 5 }), (e) => {
            ok(e instanceof ValidationError && e.rule === "relay_option" && e.field === "body.option", `${e}`);
        });
        await rejects(fresh.updateTrigger({ type: "F1", timespec: [{ weekday: "MONDAY", timePattern: "0101" }] }), (e) => {
            ok(e instanceof ValidationError && e.rule === "time_pattern" && e.field === "body.timespec[0].timePattern", `${e}`);
            ok(e.message.includes("time_pattern") && e.section === "5.1", e.message);
        });
        await rejects(fresh.getLogs({ from: "2025-07-16 10:24" }), (e) => ok(e instanceof ValidationError && e.rule === "datetime" && e.field === "from", `${e}`));
        await rejects(fresh.deleteUser(""), (e) => ok(e instanceof ValidationError && e.field === "userID", `${e}`));
        // No filter (or a blank name) would match every job code: refused, never sent.
        for (const filter of [undefined, {}, { name: "  " }]) {
            await rejects(fresh.deleteJobCodes(filter), (e) => {
                ok(e instanceof ValidationError && e.rule === "job_code_filter" && e.field === "" && e.section === "12.5", `${show(filter)}: ${e}`);
            });
        }
        failIfAny(failures, invalid.length);
        eq(await requestCount(simUrl), before, "requests the simulator saw during the invalid calls");
    });


    // --- terminals that send odd data (ENDPOINTS.md "Tolerant reading — Precisely") ---

    test("odd data: absent fields are undefined, unreadable values stay as sent, writing them back is refused before sending", async () => {
        await api.init();
        // One log without a timestamp, one with an empty one, one with an object: every log is read.
        const body = JSON.stringify([
            { logID: 1, userID: "A1", timestamp: "2025-07-16T10:24:13", trigger: "IN" },
            { logID: 2, userID: "A2", trigger: "OUT" },
            { logID: "3", timestamp: "", trigger: "IN" },
            { logID: 4, timestamp: { at: "noon" } },
        ]);
        for (const name of ["get_logs", "get_full_logs"]) {
            const logs = api.readReply(name, 200, body);
            eq(logs.map((l) => l.logID), [1, 2, 3, 4], `${name}: every log, ids as numbers`);
            ok(!("timestamp" in logs[1]), `${name}: an absent timestamp is absent (undefined), not null`);
            eq([logs[0].timestamp, logs[2].timestamp, logs[3].timestamp], ["2025-07-16T10:24:13", "", { at: "noon" }], `${name}: timestamps as sent`);
            const model = name === "get_logs" ? "Log" : "FullLog";
            eq(logs.map((l) => api.checkRecord(model, l).map((i) => [i.field, i.rule, i.value])), [[], [], [["timestamp", "datetime", ""]], [["timestamp", "datetime", '{"at":"noon"}']]], `${name}: checkRecord`);
        }

        // A number sent as text is read; an off-format HH:MM and an unknown field are kept as sent.
        const auto = api.readReply("get_auto_in_out", 200, '{"mode": "crowd_control", "crowd_limit_count": "100", "crowd_reset_hhmm": "9:30", "fw_extra": {"x": 1}}');
        eq(auto, { mode: "crowd_control", crowd_limit_count: 100, crowd_reset_hhmm: "9:30", fw_extra: { x: 1 } }, "auto in/out in wire form");
        eq(api.checkRecord("AutoInOut", auto).map((i) => [i.field, i.rule, i.value, i.section]), [["crowd_reset_hhmm", "hhmm", "9:30", "11.7"]], "checkRecord names the field");
        eq(api.checkRecord("AutoInOut", { ...auto, crowd_reset_hhmm: "09:30" }), [], "corrected, it can be written");

        // An unknown option word, a delay of an impossible type, no id.
        const [relay] = api.readReply("get_relay_setting", 200, '{"option": "emergency_release", "delay": {"seconds": 5}}');
        eq(relay, { option: "emergency_release", delay: { seconds: 5 } }, "relay as sent");
        eq(api.checkRecord("RelaySetting", relay).map((i) => `${i.field} ${i.rule}`).sort(), ["delay relay_delay", "id required", "option relay_option"], "relay issues");

        // Written back: refused with the field and its rule, nothing sent.
        const fresh = new Client(simUrl, USER, PASSWORD);
        const before = await requestCount(simUrl);
        await rejects(fresh.setAutoInOut(auto), (e) => {
            ok(e instanceof ValidationError && e.field === "body.crowd_reset_hhmm" && e.rule === "hhmm" && e.value === "9:30", `${e}`);
        });
        await rejects(fresh.setRelaySetting(relay), (e) => {
            ok(e instanceof ValidationError, `${e}`);
            eq(e.errors.map((x) => `${x.field} ${x.rule}`).sort(), ["body.delay relay_delay", "body.id required", "body.option relay_option"], "every issue, under body");
        });
        eq(await requestCount(simUrl), before, "requests the simulator saw");

        let unknown;
        try {
            api.checkRecord("Relay", {});
        } catch (e) {
            unknown = e;
        }
        ok(unknown instanceof ValidationError && unknown.field === "model", `an unknown model: ${unknown}`);
    });

    test("odd data from a drifting simulator (drop_field): getLogs and getFullLogs give every log, some without a timestamp", async () => {
        const t = new Client(driftUrl, USER, PASSWORD);
        const total = (await state(driftUrl)).logs;
        const seq = (await state(driftUrl)).requests;
        await drifting(driftUrl, 7, ["drop_field"], async () => {
            for (const name of ["getLogs", "getFullLogs"]) {
                const logs = await t[name]();
                eq(logs.length, total, `${name}: every log`);
                const untimed = logs.filter((l) => l.timestamp === undefined);
                ok(untimed.length > 0 && untimed.length < total, `${name}: ${untimed.length} logs came without a timestamp`);
                ok(untimed.every((l) => !("timestamp" in l)), `${name}: absent, not null`);
                ok(logs.every((l) => l.timestamp === undefined || /^\d{4}-\d\d-\d\dT/.test(l.timestamp)), `${name}: the others are date-times`);
            }
        });
        ok((await driftHits(driftUrl, ["get_logs", "get_full_logs"], seq)).has("drop_field"), "the simulator dropped fields");
    });

    test("a drifting simulator (write-back-safe kinds): get users → update, export resumed, relay setting and auto in/out read and written back", async () => {
        const t = new Client(driftUrl, USER, PASSWORD);
        const seq = (await state(driftUrl)).requests;
        await drifting(driftUrl, 11, WRITE_BACK_SAFE, async () => {
            // Users: read, modified, written back with whatever the terminal added.
            const users = await t.getUsers();
            ok(users.length >= 5, `users: ${users.length}`);
            const user = users.find((u) => u.userID !== USER);
            eq(api.checkRecord("User", user), [], "a user read under write-back-safe drift can be written back");
            success(await t.updateUser({ ...user, otherName: "Drifted" }));
            const [back] = await t.getUsers({ userID: user.userID });
            eq([back.userID, back.otherName], [user.userID, "Drifted"], "updated");

            // Export in chunks, interrupted and resumed from the saved checkpoint: every log once.
            const total = (await state(driftUrl)).logs;
            const first = t.exportLogs({}, { chunk: 64 });
            const chunk = await first.nextChunk();
            eq(chunk.length, 64, "first chunk");
            const saved = JSON.parse(JSON.stringify(first.checkpoint));
            const rest = [];
            for await (const log of t.exportLogs({}, { chunk: 64, checkpoint: saved })) rest.push(log);
            const ids = [...chunk, ...rest].map((l) => l.logID);
            ok(ids.every((id) => typeof id === "number"), "log ids are numbers (also when sent as text)");
            eq(new Set(ids).size, ids.length, "no log twice");
            eq(ids.length, total, "every log once");

            // Relay settings: read and written back as read, with a new delay.
            const relays = await t.getRelaySetting("ALL");
            eq(relays.map((r) => r.id).sort(), ["ONE", "TWO"], "both relays");
            for (const r of relays) {
                eq(api.checkRecord("RelaySetting", r), [], `relay ${r.id} can be written back`);
                success(await t.setRelaySetting({ ...r, delay: 7 }));
            }
            const relaysAfter = await t.getRelaySetting("ALL");
            eq(relaysAfter.map((r) => [r.id, r.delay]).sort(), [["ONE", 7], ["TWO", 7]], "delays written, read as numbers");

            // Auto in/out: read, written back with changes, read again.
            const auto = await t.getAutoInOut();
            eq(api.checkRecord("AutoInOut", auto), [], "auto in/out can be written back");
            success(await t.setAutoInOut({ ...auto, mode: "crowd_control", crowd_limit_count: 42, crowd_reset_hhmm: "07:30" }));
            const autoAfter = await t.getAutoInOut();
            eq([autoAfter.mode, autoAfter.crowd_limit_count, autoAfter.crowd_reset_hhmm], ["crowd_control", 42, "07:30"], "auto in/out written");
        });
        const hits = await driftHits(driftUrl, ["get_users", "get_full_logs", "get_relay_setting", "get_auto_in_out"], seq);
        for (const kind of ["extra_field", "number_as_string"]) ok(hits.has(kind), `the simulator applied ${kind}: ${show([...hits])}`);
        ok([...hits].every((k) => WRITE_BACK_SAFE.includes(k)), `only write-back-safe kinds: ${show([...hits])}`);
    });

    test("a drifting simulator (drop_field, off_format, unknown_enum): a record either writes back or is refused with checkRecord's issues, nothing sent", async () => {
        const t = new Client(driftUrl, USER, PASSWORD);
        success(await t.setAutoInOut({ mode: "crowd_control", crowd_limit_count: 100, crowd_reset_hhmm: "09:30" }));
        let written = 0;
        let refused = 0;
        let offFormat;
        await drifting(driftUrl, 3, ["drop_field", "off_format", "unknown_enum"], async () => {
            for (let round = 0; round < 60 && (written < 2 || refused < 2 || offFormat === undefined); round++) {
                const records = [...(await t.getRelaySetting("ALL")).map((r) => ["RelaySetting", r]), ["AutoInOut", await t.getAutoInOut()]];
                for (const [model, record] of records) {
                    const issues = api.checkRecord(model, record);
                    if (model === "AutoInOut" && typeof record.crowd_reset_hhmm === "string" && record.crowd_reset_hhmm !== "09:30") offFormat = record;
                    const write = () => (model === "RelaySetting" ? t.setRelaySetting(record) : t.setAutoInOut(record));
                    if (issues.length === 0) {
                        success(await write());
                        written++;
                    } else {
                        const before = await requestCount(driftUrl);
                        await rejects(write(), (e) => {
                            ok(e instanceof ValidationError, `${model} ${show(record)}: ${e}`);
                            eq(e.errors.map((x) => [x.field, x.rule, x.value]), issues.map((x) => [`body.${x.field}`, x.rule, x.value]), `${model} ${show(record)}: the write's errors are checkRecord's`);
                        });
                        eq(await requestCount(driftUrl), before, "a refused write sends nothing");
                        refused++;
                    }
                }
            }
        });
        ok(written >= 2 && refused >= 2, `written ${written}, refused ${refused}`);
        ok(offFormat !== undefined, "the simulator sent an off-format crowd_reset_hhmm");
        eq(offFormat.crowd_reset_hhmm, "9:30", "kept exactly as sent");
        eq(api.checkRecord("AutoInOut", offFormat).find((i) => i.field === "crowd_reset_hhmm")?.rule, "hhmm", "refused under its rule");
        await t.close();
    });

    // --- every operation against the simulator ---

    test("session and terminal: login, getApiVersion, getTerminalStatus", async () => {
        const t = client();
        const login = await t.login({ username: USER, password: PASSWORD });
        ok(typeof login.sessionid === "string" && login.sessionid.length > 0, "session id");
        const version = await t.getApiVersion();
        ok(version.version.length > 0, "version");
        const status = await t.getTerminalStatus();
        ok(typeof status.serialNumber === "string", "serial number");
        did("login", "get_api_version", "get_terminal_status");
    });

    test("users (§3): add, get, update, batch, activate, messages, TOTP, delete", async () => {
        const t = client();
        const status = { active: true, autoMatch: false, smartCard: true, fingerprint: true, password: true, facial: true, facialAutoMatch: false };
        success(await t.addUser({ userID: "A/1 #2?", firstName: "Ben", lastName: "John", status, vendorField: { kept: true } }));
        const found = await t.getUsers({ userID: "A/1 #2?" });
        eq(found.length, 1, "found");
        eq(found[0].firstName, "Ben", "first name");
        eq(found[0].vendorField, { kept: true }, "unknown fields survive");
        const replies = await t.addUsers([{ userID: "B1", status }, { userID: "B2", status }]);
        eq(replies.length, 2, "one reply per user");
        replies.forEach(success);
        success(await t.updateUser({ ...found[0], otherName: "Teddy" }));
        (await t.updateUsers([{ userID: "B1", firstName: "Bee" }, { userID: "B2", firstName: "Bea" }])).forEach(success);
        eq((await t.getUserCount()).usercount, 5 + 1 + 3, "seeded users + admin + three added");
        eq((await t.getUserBatch(0, 4)).length, 4, "batch");
        success(await t.deactivateUser("B1"));
        eq((await t.getUsers({ userID: "B1" }))[0].status.active, false, "deactivated");
        success(await t.activateUser("B1"));
        success(await t.setUserMessage("B1", { usermessage: "Hello" }));
        eq((await t.getUserMessage("B1")).usermessage, "Hello", "message");
        success(await t.deleteUserMessage("B1"));
        eq((await t.getUserApiTotp("B1", "OTP_PASSCODE")).format, "OTP_PASSCODE", "TOTP");
        success(await t.deleteUser("B2"));
        did("add_user", "get_users", "add_users", "update_user", "update_users", "get_user_count", "get_user_batch", "deactivate_user", "activate_user", "set_user_message", "get_user_message", "delete_user_message", "get_user_api_totp", "delete_user");
    });

    test("departments (§4), access rights (§5) and groups (§6)", async () => {
        const t = client();
        (await t.addDepartments([{ id: 21, name: "ABC", description: "LONG" }])).forEach(success);
        (await t.updateDepartments([{ id: 21, name: "ABD", description: "LONGER" }])).forEach(success);
        eq((await t.getDepartments({ id: 21 }))[0].name, "ABD", "department");
        success(await t.deleteDepartments({ id: 21 }));
        const office = TimePattern.fromRanges("08:00-12:30, 13:30-17:00");
        const right = { id: 14, name: "Office", timespec: [{ weekday: "MONDAY", timePattern: office }] };
        (await t.addAccessRights([right])).forEach(success);
        (await t.updateAccessRights([{ ...right, name: "Office hours" }])).forEach(success);
        eq((await t.getAccessRights(14))[0].timespec[0].timePattern, office, "pattern");
        const group = { id: 9, name: "Staff", departmentid: 1, accessrightid: [14] };
        (await t.addAccessGroups([group])).forEach(success);
        (await t.updateAccessGroups([{ ...group, name: "All staff" }])).forEach(success);
        eq((await t.getAccessGroups({ groupid: 9 }))[0].name, "All staff", "group");
        success(await t.deleteAccessGroup(9));
        success(await t.deleteAccessRight(14));
        did("add_departments", "update_departments", "get_departments", "delete_departments", "add_access_rights", "update_access_rights", "get_access_rights", "delete_access_right", "add_access_groups", "update_access_groups", "get_access_groups", "delete_access_group");
    });

    test("desired state: plan, apply, then nothing left to do; an invalid entry rejects with every problem, nothing written", async () => {
        const t = client();
        const all = { active: true, autoMatch: false, smartCard: false, fingerprint: false, password: true, facial: false, facialAutoMatch: false };
        const desired = {
            departments: [{ id: 77, name: "Desired", description: "from the browser package" }],
            access_rights: [{ id: 78, name: "Desired hours", schedule: { MONDAY: "08:00-12:00", FRIDAY: "13:00-17:30" } }],
            users: [{ userID: "DS01", lastName: "Desired", departmentID: [77], status: all }],
        };
        const planned = await t.plan(desired);
        eq(planned.map((c) => `${c.action} ${c.kind} ${c.key}`).sort().join(", "), "create access_rights 78, create departments 77, create users DS01", "plan");
        const report = await t.apply(desired);
        ok(report.converged && report.rounds === 2 && report.refused.length === 0, show(report));
        eq((await t.plan(desired)).length, 0, "changes left after apply");
        eq((await t.getUsers({ userID: "DS01" }))[0].departmentID.join(), "77", "user's department");
        eq((await t.getAccessRights(78))[0].timespec.length, 2, "schedule days");
        // A changed field is an update of just that field.
        const renamed = { users: [{ userID: "DS01", lastName: "Renamed" }] };
        const update = await t.plan(renamed);
        eq(show(update), show([{ kind: "users", key: "DS01", action: "update", fields: [{ field: "lastName", from: "Desired", to: "Renamed" }] }]), "update");
        const before = Math.max(0, ...(await control(simUrl, "requests")).map((r) => r.seq));
        await rejects(t.apply({ users: [{ userID: "DS02" }, { userID: "DS01", adminLevel: "ROOT" }] }), (e) => {
            ok(e instanceof ValidationError, `${e}`);
            const fields = e.errors.map((x) => x.field).sort().join(", ");
            eq(fields, "users[DS01].adminLevel, users[DS02].status", "problems");
        });
        // The state was read (one get_users), nothing was written.
        const seen = (await control(simUrl, "requests")).filter((r) => r.seq > before).map((r) => r.operation);
        ok(seen.every((op) => op === "get_users" || op === "login"), show(seen));
        success(await t.deleteUser("DS01"));
        success(await t.deleteAccessRight(78));
        success(await t.deleteDepartments({ id: 77 }));
    });

    test("desired state: a document with terminal sections and trigger schedules needs the terminal's name", async () => {
        const t = client();
        const all = { active: true, autoMatch: false, smartCard: false, fingerprint: false, password: true, facial: false, facialAutoMatch: false };
        const doc = {
            triggers: [{ type: "F5", enable: true, schedule: { TUESDAY: "10:00-11:00" } }],
            terminals: {
                "door-7": { users: [{ userID: "DS07", lastName: "Door seven", status: all }] },
                "door-8": { users: [{ userID: "DS08", lastName: "Door eight", status: all }] },
            },
        };
        await rejects(t.plan(doc), (e) => {
            ok(e instanceof ValidationError, `${e}`);
            eq(e.errors[0].rule, "desired_section", "rule");
        });
        const planned = await t.plan(doc, { terminal: "door-7" });
        eq(planned.map((c) => `${c.action} ${c.kind} ${c.key}`).sort().join(", "), "create users DS07, update triggers F5", "plan");
        const report = await t.apply(doc, { terminal: "door-7" });
        ok(report.converged, show(report));
        eq((await t.plan(doc, { terminal: "door-7" })).length, 0, "changes left after apply");
        eq((await t.getUsers({ userID: "DS08" })).length, 0, "door-8's user is not door-7's");
        eq((await t.getTriggers("F5"))[0].timespec.length, 1, "F5's schedule");
        success(await t.deleteUser("DS07"));
        success(await t.clearTrigger("F5"));
    });

    test("triggers (§7), myself (§8), agents (§9), time (§10)", async () => {
        const t = client();
        const lunch = { type: "F1", name: "Lunch", enable: true, freeJobcode: true, timespec: [{ weekday: "FRIDAY", timePattern: TimePattern.fromRanges("12:00-13:00") }] };
        success(await t.updateTrigger(lunch));
        eq((await t.getTriggers("F1"))[0].name, "Lunch", "trigger");
        success(await t.clearTrigger("F1"));
        ok(((await t.getTriggers("F1"))[0].timespec ?? []).length === 0, "schedule cleared");
        const me = await t.getMyself();
        eq(me.userID, USER, "myself");
        success(await t.updateMyself({ userID: me.userID, otherName: "Root" }));
        eq((await t.getMyself()).otherName, "Root", "updated myself");
        const url = "https://anc.cde.com/agent";
        success(await t.registerAgent({ url }));
        ok((await t.getAgents()).some((a) => a.url === url), "agent registered");
        success(await t.unregisterAgent(url));
        ok(!(await t.getAgents()).some((a) => a.url === url), "agent unregistered");
        success(await t.setNtp({ serveraddr: "0.pool.ntp.org", enable: true }));
        eq((await t.getNtp()).serveraddr, "0.pool.ntp.org", "ntp");
        success(await t.setTime({ currentTime: "2025-09-02T16:29:14", timezone: "Europe/London" }));
        const now = await t.getTime();
        eq(now.timezone, "Europe/London", "time zone");
        ok(!api.dateTime.isUtc(now.currentTime), "getTime answers the terminal's local time (no Z)");
        did("update_trigger", "get_triggers", "clear_trigger", "get_myself", "update_myself", "register_agent", "get_agents", "unregister_agent", "set_ntp", "get_ntp", "set_time", "get_time");
    });

    test("terminal functions (§11): door, relays, modes, streaming, consent, log setting", async () => {
        const t = client();
        const opensBefore = (await state(simUrl)).door_opens;
        success(await t.openDoor());
        eq((await state(simUrl)).door_opens, opensBefore + 1, "the simulator registered the door opening");
        success(await t.relayAction("open", "ALL"));
        success(await t.setRelaySetting({ id: "TWO", option: "doorbell", delay: 11 }));
        eq((await t.getRelaySetting("ALL")).length, 2, "both relays");
        eq((await t.getRelaySetting("TWO"))[0].option, "doorbell", "relay TWO");
        success(await t.setAutoInOut({ mode: "crowd_control", crowd_limit_count: 100, crowd_reset_hhmm: "10:11" }));
        eq((await t.getAutoInOut()).mode, "crowd_control", "auto in/out");
        success(await t.setLogUnauthorizedEvent(true));
        ok((await t.getLogUnauthorizedEvent()).enable, "unauthorized events");
        await t.getCaptureFingerprint();
        success(await t.setRtpSetting({ mode: "SRTP", key: "k3y", fps: 15 }));
        const rtp = await t.getRtpSetting();
        eq([rtp.mode, rtp.fps], ["SRTP", 15], "rtp");
        success(await t.setConsent("enable", "Jakin ID/Front"));
        const consent = await t.getConsent();
        ok(consent.enable && consent.display_name === "Jakin ID/Front", "consent");
        success(await t.setLogSetting({ log_event: "user_event", log_size: 75000 }));
        eq((await t.getLogSetting()).log_event, "user_event", "log setting");
        did("open_door", "relay_action", "set_relay_setting", "get_relay_setting", "set_auto_in_out", "get_auto_in_out", "set_log_unauthorized_event", "get_log_unauthorized_event", "get_capture_fingerprint", "set_rtp_setting", "get_rtp_setting", "set_consent", "get_consent", "set_log_setting", "get_log_setting");
    });

    test("job codes (§12) and holidays (§13)", async () => {
        const t = client();
        const settings = await t.getJobCodeSettings();
        eq(settings.length, 3, "three settings");
        (await t.updateJobCodeSettings([{ ...settings[0], enable: "enable" }])).forEach(success);
        const code = (id, enable) => ({ jobcode: 1, id, name: `Job 1-${id}`, enable });
        (await t.addJobCodes([code(101, "enable"), code(102, "enable")])).forEach(success);
        (await t.updateJobCodes([code(102, "disable")])).forEach(success);
        eq((await t.getJobCodes({ jobcode: 1, id: 102 }))[0].enable, "disable", "job code");
        (await t.deleteJobCodes({ jobcode: 1, id: 102 })).forEach(success);
        const set = await t.setHolidays({ dates: ["2031-12-25", "2031-12-26", "2032-01-01"] });
        ok(set.status !== "error", show(set));
        eq((await t.getHolidays(api.holidayQuery(2031))).dates, ["2031-12-25", "2031-12-26"], "2031");
        await t.deleteHolidays({ dates: ["2031-12-26"] });
        eq((await t.getHolidays("2031-12-0")).dates, ["2031-12-25"], "December 2031");
        did("get_job_code_settings", "update_job_code_settings", "add_job_codes", "update_job_codes", "get_job_codes", "delete_job_codes", "set_holidays", "get_holidays", "delete_holidays");
    });

    test("logs (§2): get, full, photo, add; export and watch as async iterators; delete, reset", async () => {
        const t = client();
        const logs = await t.getLogs();
        ok(logs.length >= 200, `seeded logs: ${logs.length}`);
        eq((await t.getFullLogs({ limit: 50 })).length, 50, "limit");
        const withPhoto = (await t.getFullLogs()).find((l) => l.jpegPhoto !== undefined);
        ok(withPhoto, "some logs have photos");
        const photo = await t.getLogPhoto(withPhoto.timestamp, withPhoto.terminalSN);
        eq(photo.jpegPhoto, withPhoto.jpegPhoto, "photo");
        success(await t.addLog("2030-01-01T08:00:00", "B1", "IN"));
        const mine = await t.getLogs({ employeeID: "B1" });
        eq(mine[mine.length - 1].timestamp, "2030-01-01T08:00:00", "local time kept as written");
        const utc = await t.getLogs({ from: new Date(Date.UTC(2000, 0, 1)), to: "2100-01-01T00:00:00Z" });
        ok(utc.length > 0 && utc.every((l) => l.timestamp.endsWith("Z")), "UTC bounds (a Date is sent as UTC) → UTC timestamps");

        // Export in chunks, interrupted after the first chunk and resumed from the checkpoint.
        const all = await t.getFullLogs();
        const first = t.exportLogs({}, { chunk: 64 });
        const chunk = await first.nextChunk();
        eq(chunk.length, 64, "first chunk");
        const saved = JSON.parse(JSON.stringify(first.checkpoint));
        eq(saved.delivered, 64, "checkpoint");
        const rest = [];
        for await (const log of t.exportLogs({}, { chunk: 64, checkpoint: saved })) rest.push(log);
        const ids = [...chunk, ...rest].map((l) => l.logID);
        eq(new Set(ids).size, ids.length, "no log twice");
        eq(ids.length, all.length, "every log once");

        // Watch: new logs arrive while iterating; stop with an AbortSignal.
        const stop = new AbortController();
        const watch = t.watchLogs({}, { checkpoint: { timestamp: all[all.length - 1].timestamp, ids: all.filter((l) => l.timestamp === all[all.length - 1].timestamp).map((l) => l.logID), delivered: 0 }, pollMs: 50, signal: stop.signal });
        await control(simUrl, "logs/generate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ count: 3 }) });
        const seen = [];
        await rejects(
            (async () => {
                for await (const log of watch) {
                    seen.push(log);
                    if (seen.length === 3) stop.abort();
                }
            })(),
            (e) => ok(e?.name === "AbortError", `the watch ends with the abort: ${e}`),
        );
        eq(seen.length, 3, "the three new logs");
        eq(watch.checkpoint.delivered, 3, "watch checkpoint");

        success(await t.deleteLogs(36500));
        success(await t.resetLog());
        eq((await t.getLogs()).length, 0, "reset");
        did("get_logs", "get_full_logs", "get_log_photo", "add_log", "delete_logs", "reset_log");
    });

    test("logout, then the client logs in again by itself", async () => {
        const t = client();
        success(await t.logout());
        ok((await t.getUserCount()).usercount > 0, "logged in again");
        await t.close();
        did("logout");
    });

    test("every canonical operation was called once and the simulator saw each", async () => {
        const all = Object.keys(api.OPERATIONS);
        eq(all.length, 72, "operations in the table");
        const missing = all.filter((n) => !done.has(n));
        eq(missing, [], "operations not exercised");
        const seen = await seenOperations(simUrl);
        eq(all.filter((n) => !seen.has(n)), [], "operations the simulator never saw");
        for (const n of all) ok(typeof client()[api.OPERATIONS[n].method] === "function", `method ${api.OPERATIONS[n].method}`);
    });

    // --- errors ---

    test("a terminal error is an ApiError with status and the terminal's message", async () => {
        const e = await rejects(client().deleteUser("nobody-here"), (e) => ok(e instanceof ApiError, `${e}`));
        eq([e.name, e.kind, e.status, e.operation], ["ApiError", "api", 400, "delete_user"], "fields");
        ok(e.terminalMessage.length > 0 && e.message.includes(e.terminalMessage), e.message);
    });

    test("a CORS-off terminal: a browser gets a clear CORS TransportError, Node (no CORS) gets through", async () => {
        const t = new Client(noCorsUrl, USER, PASSWORD, { retries: 0 });
        if (env.browser) {
            const e = await rejects(t.getTerminalStatus(), (e) => ok(e instanceof TransportError, `${e}`));
            eq([e.name, e.kind], ["TransportError", "transport"], "class");
            ok(e.message.includes("refused the cross-origin request (CORS)"), e.message);
            eq(e.fetchFailure, "cors", "told apart from an unreachable terminal");
            ok(e.message.includes(noCorsUrl), `names the terminal: ${e.message}`);
        } else {
            ok((await t.getTerminalStatus()).serialNumber, "Node does not enforce CORS");
        }
    });

    test("an unreachable terminal is a TransportError, a write says it may have been applied", async () => {
        const t = new Client(deadUrl, USER, PASSWORD, { retries: 0 });
        const e = await rejects(t.getApiVersion(), (e) => ok(e instanceof TransportError, `${e}`));
        ok(/unreachable/.test(e.message), e.message);
        eq(e.maybeApplied, false, "a read");
    });

    test("an unreadable reply: a write says the terminal may have applied it and is not repeated, a read does not", async () => {
        // Retries allowed, so that a repeated write would show in the request log.
        const t = new Client(simUrl, USER, PASSWORD, { retries: 3 });
        await t.getUserCount(); // logged in
        const opensBefore = (await state(simUrl)).door_opens;
        const seq = (await state(simUrl)).requests;
        await control(simUrl, "faults", post({ kind: "truncate", operation: "open_door" }));
        const e = await rejects(t.openDoor(), (e) => ok(e instanceof ProtocolError, `${e}`));
        eq([e.name, e.kind, e.operation, e.status, e.maybeApplied], ["ProtocolError", "protocol", "open_door", 200, true], "fields");
        ok(e instanceof ActatekError && e.message.includes("may have applied it"), e.message);
        eq((await state(simUrl)).door_opens, opensBefore + 1, "the terminal applied it");
        const sent = (await control(simUrl, "requests")).filter((r) => r.seq > seq && r.operation === "open_door");
        eq(sent.map((r) => r.fault), ["truncate"], "sent once, never repeated");
        // A read is retried: the second answer is whole.
        await control(simUrl, "faults", post({ kind: "truncate", operation: "get_user_count" }));
        ok((await t.getUserCount()).usercount > 0, "a read whose reply was cut off is tried again");
        const once = new Client(simUrl, USER, PASSWORD, { retries: 0 });
        await control(simUrl, "faults", post({ kind: "truncate", operation: "get_user_count" }));
        const read = await rejects(once.getUserCount(), (e) => ok(e instanceof ProtocolError, `${e}`));
        eq(read.maybeApplied, false, "a read");
        ok(api.isTransient(read) && api.isTransient(e), "unreadable replies are transient");
        await once.close();
        await t.close();
    });

    test("AbortSignal and timeout per call", async () => {
        const t = client();
        const before = await requestCount(simUrl);
        await rejects(t.openDoor({ signal: AbortSignal.abort() }), (e) => eq(e?.name, "AbortError", "aborted before sending"));
        eq(await requestCount(simUrl), before, "an aborted call sends nothing");
        await control(simUrl, "faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "slow", operation: "get_user_count", delay_ms: 1500 }) });
        const e = await rejects(t.getUserCount({ timeoutMs: 150 }), (e) => ok(e instanceof TransportError, `${e}`));
        eq([e.transportKind, e.maybeApplied], ["timeout", false], "timeout of a read");
        const stop = new AbortController();
        await control(simUrl, "faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "slow", operation: "get_ntp", delay_ms: 1500 }) });
        const pending = t.getNtp({ signal: stop.signal });
        setTimeout(() => stop.abort(new Error("user navigated away")), 100);
        await rejects(pending, (e) => eq(e?.message, "user navigated away", "rejects with the signal's reason"));
        ok((await t.getUserCount()).usercount > 0, "the client still works");
    });

    // --- events, retries, timeouts, fetch failures, disposal (issue 12) ---

    /** Run `fn` while recording the session ids the terminal hands out (the module calls the global fetch). */
    async function withSessions(fn) {
        const sessions = [];
        const original = globalThis.fetch;
        globalThis.fetch = async (input, init) => {
            const reply = await original(input, init);
            const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
            if (url.endsWith("/cgi-bin/restapi/login")) {
                const body = await reply.clone().json().catch(() => ({}));
                if (body.sessionid !== undefined) sessions.push(String(body.sessionid));
            }
            return reply;
        };
        try {
            await fn();
        } finally {
            globalThis.fetch = original;
        }
        return sessions;
    }

    const fault = (url, kind, operation, count = 1, extra = {}) => control(url, "faults", post({ kind, operation, count, ...extra }));

    function noSecrets(events, sessions) {
        ok(sessions.length > 0 && sessions.every((s) => s.length >= 3), `sessions seen: ${show(sessions)}`);
        for (const e of events) {
            const text = JSON.stringify(e);
            ok(!text.includes(SECRET), `the password in an event: ${text}`);
            for (const s of sessions) ok(!text.includes(s), `the session id in an event: ${text}`);
        }
    }

    test("retries: by default 3, waiting 200 ms doubling (the waits are real); each retry is a logger event without secrets", async () => {
        const events = [];
        const t = new Client(secretUrl, USER, SECRET, { logger: (e) => events.push(e) });
        const sessions = await withSessions(async () => {
            await t.getUserCount(); // logged in
            await fault(secretUrl, "status500", "get_user_count", 3);
            const started = Date.now();
            ok((await t.getUserCount()).usercount > 0, "the fourth try answers");
            const took = Date.now() - started;
            ok(took >= 200 + 400 + 800, `3 retries waited 200 + 400 + 800 ms at least: ${took} ms`);
        });
        const retries = events.filter((e) => e.message === "retrying");
        eq(retries.map((e) => [e.level, e.target, e.operation, e.attempt]), [0, 1, 2].map((a) => ["debug", "actatek", "get_user_count", a]), "one event per retry");
        retries.forEach((e, i) => {
            const base = 200 * 2 ** i;
            ok(e.delayMs >= base && e.delayMs <= base * 1.25 + 1, `retry ${i} waits ${e.delayMs} ms (${e.delay}): ${base} ms plus up to 25 % jitter`);
            ok(typeof e.error === "string" && e.error.includes("500"), `the error that caused it: ${e.error}`);
        });
        const calls = events.filter((e) => e.message === "terminal call");
        ok(calls.length >= 5 && calls.every((e) => typeof e.status === "number" && typeof e.method === "string"), `terminal calls: ${show(calls)}`);
        ok(calls.filter((e) => e.operation === "get_user_count").every((e) => e.path.endsWith("/UserCount/***")), "paths show the session id as ***");
        noSecrets(events, sessions);
        await t.close();
    });

    test("retries and backoff are options: count, first wait, longest wait", async () => {
        const events = [];
        const t = new Client(secretUrl, USER, SECRET, { retries: 3, backoffMs: 100, maxBackoffMs: 150, logger: (e) => events.push(e) });
        await t.getUserCount();
        await fault(secretUrl, "status500", "get_user_count", 3);
        const started = Date.now();
        await t.getUserCount();
        const took = Date.now() - started;
        const delays = events.filter((e) => e.message === "retrying").map((e) => e.delayMs);
        eq(delays.length, 3, "three retries");
        ok(delays[0] >= 100 && delays[0] <= 126 && delays.slice(1).every((d) => d >= 150 && d <= 188), `100 ms, then capped at 150 ms: ${show(delays)}`);
        ok(took >= 400, `waited 100 + 150 + 150 ms: ${took} ms`);
        const once = new Client(secretUrl, USER, SECRET, { retries: 1, backoffMs: 0 });
        await once.getUserCount();
        await fault(secretUrl, "status500", "get_user_count", 2);
        await rejects(once.getUserCount(), (e) => ok(e instanceof ApiError && e.status === 500, `one retry, then the 500: ${e}`));
        await control(secretUrl, "faults", { method: "DELETE" });
        await once.close();
        await t.close();
    });

    test("a renewed session is a logger event; a console-like logger gets (message, event); nothing is printed by default", async () => {
        const events = [];
        const lines = [];
        const consoleLike = { debug: (message, event) => lines.push([message, event.operation]) };
        const t = new Client(secretUrl, USER, SECRET, { logger: (e) => events.push(e) });
        const c = new Client(secretUrl, USER, SECRET, { logger: consoleLike });
        const sessions = await withSessions(async () => {
            await t.getUserCount();
            await fault(secretUrl, "expire_session", "get_user_count");
            ok((await t.getUserCount()).usercount > 0, "logged in again by itself");
            await c.getApiVersion();
        });
        const renewed = events.filter((e) => e.message === "session expired; logging in again");
        eq(renewed.map((e) => [e.level, e.operation]), [["debug", "get_user_count"]], "the renewal");
        eq(sessions.length, 2, "two logins for t (c's get_api_version needs no session)");
        noSecrets(events, sessions);
        ok(lines.some(([m, op]) => m === "actatek: terminal call" && op === "get_api_version"), `console-like: ${show(lines)}`);

        // No logger: the console stays silent through retries and a renewal.
        const printed = [];
        const methods = ["log", "debug", "info", "warn", "error", "trace"];
        const saved = methods.map((m) => console[m]);
        methods.forEach((m) => (console[m] = (...args) => printed.push([m, ...args])));
        try {
            const quiet = new Client(secretUrl, USER, SECRET, { backoffMs: 1 });
            await quiet.getUserCount();
            await fault(secretUrl, "status500", "get_user_count", 2);
            await fault(secretUrl, "expire_session", "get_ntp");
            await quiet.getUserCount();
            await quiet.getNtp();
            await quiet.close();
        } finally {
            methods.forEach((m, i) => (console[m] = saved[i]));
        }
        eq(printed, [], "printed without a logger");
        await t.close();
        await c.close();
    });

    test("the watch is the Rust client's: an error it goes on after reaches onError and the logger (warn), then new logs come", async () => {
        const events = [];
        const t = new Client(secretUrl, USER, SECRET, { retries: 0, logger: (e) => events.push(e) });
        const all = await t.getFullLogs();
        const last = all[all.length - 1].timestamp;
        const checkpoint = { timestamp: last, ids: all.filter((l) => l.timestamp === last).map((l) => l.logID), delivered: 0 };
        await fault(secretUrl, "status500", "get_full_logs");
        const stop = new AbortController();
        const errors = [];
        const watch = t.watchLogs({}, { checkpoint, pollMs: 50, signal: stop.signal, onError: (e) => errors.push(e) });
        const seen = [];
        const generated = control(secretUrl, "logs/generate", post({ count: 2 }));
        await rejects(
            (async () => {
                for await (const log of watch) {
                    seen.push(log);
                    if (seen.length === 2) stop.abort();
                }
            })(),
            (e) => ok(e?.name === "AbortError", `ends with the abort: ${e}`),
        );
        await generated;
        eq(errors.map((e) => [e.name, e.status]), [["ApiError", 500]], "onError");
        const warned = events.filter((e) => e.message === "watch error; polling again");
        eq(warned.map((e) => [e.level, e.target, e.operation, e.kind]), [["warn", "actatek::web", "get_full_logs", "api"]], "the reconnect event");
        eq(seen.length, 2, "the new logs after the error");
        eq(watch.checkpoint.delivered, 2, "the checkpoint advanced per log");
        await t.close();
    });

    test("a default timeout of 30 s like every language's, a client-wide one, and per call (0: none)", async () => {
        const t = new Client(secretUrl, USER, SECRET, { retries: 0, timeoutMs: 300 });
        eq(new Client(secretUrl, USER, SECRET).defaultTimeoutMs, 30_000, "the default");
        eq(t.defaultTimeoutMs, 300, "the option");
        await t.getUserCount();
        await fault(secretUrl, "slow", "get_user_count", 1, { delay_ms: 1000 });
        const e = await rejects(t.getUserCount(), (e) => ok(e instanceof TransportError, `${e}`));
        eq(e.transportKind, "timeout", "the client's timeout");
        await fault(secretUrl, "slow", "get_user_count", 1, { delay_ms: 600 });
        ok((await t.getUserCount({ timeoutMs: 0 })).usercount > 0, "timeoutMs 0 for this call: no timeout");
        await fault(secretUrl, "slow", "get_user_count", 1, { delay_ms: 600 });
        ok((await t.getUserCount({ timeoutMs: 5000 })).usercount > 0, "a longer timeout for this call");
        await t.close();
    });

    test("a failed fetch says what it may be: unreachable, refused for CORS, or an untrusted certificate", async () => {
        const dead = await rejects(new Client(deadUrl, USER, PASSWORD, { retries: 0 }).getApiVersion(), (e) => ok(e instanceof TransportError, `${e}`));
        eq(dead.fetchFailure, "unreachable", `a closed port: ${dead.message}`);
        ok(dead.message.includes(`the terminal at ${deadUrl} is unreachable`), dead.message);
        if (!env.browser) eq(dead.code, "ECONNREFUSED", "Node's code");

        const tls = new Client(tlsUrl, USER, PASSWORD, { retries: 0 });
        const cert = await rejects(tls.openDoor(), (e) => ok(e instanceof TransportError, `${e}`));
        if (env.browser) {
            eq(cert.fetchFailure, "unreachable_or_certificate", `a page cannot tell these apart: ${cert.message}`);
            ok(cert.message.includes("does not trust its certificate") && cert.message.includes("certificate store"), cert.message);
        } else {
            eq([cert.fetchFailure, cert.transportKind, cert.maybeApplied], ["certificate", "tls", false], `a self-signed certificate: ${cert.message}`);
            ok(/SELF_SIGNED|UNABLE_TO_VERIFY/.test(cert.code), `Node's code: ${cert.code}`);
            ok(cert.message.includes("NODE_EXTRA_CA_CERTS"), `says how to trust it: ${cert.message}`);
        }

        if (env.browser) {
            const cors = await rejects(new Client(noCorsUrl, USER, PASSWORD, { retries: 0 }).getTerminalStatus(), (e) => ok(e instanceof TransportError, `${e}`));
            eq(cors.fetchFailure, "cors", cors.message);
            ok(cors.message.includes("refused the cross-origin request (CORS)") && cors.message.includes("Access-Control-Allow-Origin"), cors.message);
        }
    });

    test("await using: Symbol.asyncDispose logs out like close(), and the client logs in again after", async () => {
        const t = new Client(secretUrl, USER, SECRET);
        await t.getUserCount();
        const seq = (await state(secretUrl)).requests;
        ok(typeof t[Symbol.asyncDispose] === "function", "Symbol.asyncDispose");
        await t[Symbol.asyncDispose]();
        const after = (await control(secretUrl, "requests")).filter((r) => r.seq > seq);
        eq(after.map((r) => [r.operation, r.status]), [["logout", 200]], "the simulator saw the logout");
        ok((await t.getUserCount()).usercount > 0, "usable again");
        await t.close();
    });

    test("a client option that cannot be used is a ConfigError at construction, nothing sent", async () => {
        await api.init();
        const e = (() => {
            try {
                new Client("ftp://10.0.0.5", USER, PASSWORD);
            } catch (e) {
                return e;
            }
        })();
        ok(e instanceof ConfigError && e instanceof ActatekError, `ftp://: ${e}`);
        eq([e.name, e.kind, e.setting], ["ConfigError", "config", "url"], "fields");
        ok(e.message.includes("ftp://10.0.0.5") && e.problem.length > 0, e.message);
        for (const [options, setting] of [[{ retries: -1 }, "retries"], [{ retries: 1.5 }, "retries"], [{ backoffMs: -5 }, "backoffMs"], [{ timeoutMs: Number.NaN }, "timeoutMs"]]) {
            let err;
            try {
                new Client(simUrl, USER, PASSWORD, options);
            } catch (x) {
                err = x;
            }
            ok(err instanceof ConfigError && err.setting === setting, `${show(options)}: ${err}`);
        }
        ok(!api.isTransient(e), "not worth retrying");
    });

    return tests;
}

/** Run the suite in order; one result per test (used by the browser page). */
export async function runAll(env) {
    const results = [];
    for (const { name, fn } of suite(env)) {
        const started = Date.now();
        try {
            await fn();
            results.push({ name, ok: true, ms: Date.now() - started });
        } catch (e) {
            results.push({ name, ok: false, ms: Date.now() - started, error: `${e?.stack ?? e}` });
        }
    }
    return results;
}
