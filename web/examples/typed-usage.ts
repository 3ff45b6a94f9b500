// A typed tour of the package, compiled (not run) by `tsc --noEmit -p examples` in
// scripts/test-web.sh. The `@ts-expect-error` lines prove the types refuse bad input.
import {
    ActatekError,
    ApiError,
    Client,
    TimePattern,
    TransportError,
    ValidationError,
    checkRecord,
    dateTime,
    init,
    type AnyActatekError,
    type Checkpoint,
    type FullLog,
    type RelaySetting,
    type RuleCode,
    type TerminalStatus,
    type User,
    type ValidationIssue,
} from "../dist/index.js";

export async function tour(): Promise<void> {
    await init(); // optional: only the synchronous helpers need it first
    const t = new Client("https://10.0.0.5", "admin", "secret", { retries: 2, timeoutMs: 10_000 });

    const status: TerminalStatus = await t.getTerminalStatus();
    const users: number | undefined = status.registeredUsers;

    // Filters are one object in the manual's names; date-times are strings or Dates.
    const logs = await t.getLogs({ from: "2025-07-16T00:00:00", employeeID: "A123" });
    const since = await t.getFullLogs({ from: new Date(Date.now() - 3_600_000), limit: 100 });
    const first: string | undefined = logs[0]?.timestamp;
    if (first !== undefined && dateTime.isUtc(first)) console.log(dateTime.toDate(first).toISOString());

    // Positional parameters in table order, options last.
    await t.relayAction("open", "ONE", { signal: AbortSignal.timeout(5_000) });
    const relay: RelaySetting = { id: "TWO", option: "doorbell", delay: 11 };
    await t.setRelaySetting(relay);

    // Replies of other firmware: any field may be absent; a value the SDK could not read stays
    // as the terminal sent it and is refused on write. checkRecord says which, sending nothing.
    for (const r of await t.getRelaySetting("ALL")) {
        const issues: ValidationIssue[] = checkRecord("RelaySetting", r);
        if (issues.length === 0) await t.setRelaySetting({ ...r, delay: 5 });
        else console.log(r.id ?? "?", issues.map((i) => `${i.field}: ${i.rule} (${i.value})`));
    }
    const untimed = logs.filter((l) => l.timestamp === undefined).length;
    console.log(untimed);

    const user: User = {
        userID: "A123",
        firstName: "Ada",
        status: { active: true, autoMatch: false, smartCard: true, fingerprint: false, password: true, facial: false, facialAutoMatch: false },
        expirydate: 0,
    };
    await t.addUser(user);

    await t.updateTrigger({
        type: "F1",
        name: "Lunch",
        freeJobcode: true,
        timespec: [{ weekday: "MONDAY", timePattern: TimePattern.fromRanges("12:00-13:00") }],
    });

    // Exports and watches are async iterators; the checkpoint is plain JSON.
    const exp = t.exportLogs({ from: "2025-01-01T00:00:00" }, { chunk: 500 });
    for await (const chunk of exp.chunks()) {
        const saved: Checkpoint = exp.checkpoint;
        console.log(chunk.length, JSON.stringify(saved));
    }
    const stop = new AbortController();
    for await (const log of t.watchLogs({}, { pollMs: 1000, signal: stop.signal })) {
        const l: FullLog = log;
        if (l.trigger === "IN") stop.abort();
    }

    // Errors: classes with a typed discriminant.
    try {
        await t.deleteUser("A123");
    } catch (e) {
        if (e instanceof ActatekError) {
            const err = e as AnyActatekError;
            switch (err.kind) {
                case "validation": {
                    const rule: RuleCode = err.rule;
                    console.log(err.field, rule, err.errors.length);
                    break;
                }
                case "api":
                    console.log(err.status, err.terminalMessage);
                    break;
                case "protocol":
                    console.log(err.detail, err.maybeApplied);
                    break;
                case "transport":
                    console.log(err.transportKind, err.maybeApplied);
                    break;
            }
        }
        if (e instanceof ValidationError || e instanceof ApiError || e instanceof TransportError) console.log(e.name);
    }

    // Dynamic dispatch by canonical name, fully typed.
    const count = await t.call("get_user_count", {});
    console.log(count.usercount, users, since.length);

    // @ts-expect-error: relay ONE takes no such action
    await t.relayAction("toggle", "ONE");
    // @ts-expect-error: "F41" is no trigger
    await t.clearTrigger("F41");
    // @ts-expect-error: filters use the manual's names (employeeID)
    await t.getLogs({ employeeId: "A123" });
    // @ts-expect-error: checkRecord takes a record model's name
    checkRecord("Relay", relay);
    // @ts-expect-error: log_size is one of the documented sizes
    await t.setLogSetting({ log_size: 12345 });

    await t.close();
}
