// The JS boundary, measured side by side in one run (issue 14): values cross as JSON text
// (what the package does: Rust writes text, JS runs JSON.parse; JS runs JSON.stringify, Rust
// reads text) against serde-wasm-bindgen (Rust builds JS objects; Rust reads JS objects).
// Runs the module built with the `boundary-bench` feature (scripts/bench-wasm-boundary.sh),
// never the npm package's.
//
//   node web/bench/boundary.mjs MODULE.js [LOGS]
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { startSimulator } from "../test/harness.js";

const [modulePath, logsArg] = process.argv.slice(2);
const LOGS = Number(logsArg ?? 100_000);
const wasm = createRequire(import.meta.url)(modulePath);

function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

/** Median milliseconds of `f` over `n` runs (after one warm-up run). */
function time(f, n) {
    f();
    const runs = [];
    for (let i = 0; i < n; i++) {
        const t = performance.now();
        f();
        runs.push(performance.now() - t);
    }
    return median(runs);
}

function line(name, figure, baseline, ratio, goal) {
    console.log(`bench: ${name} | ${figure} | ${baseline} | ${ratio} | ${goal}`);
}

const sim = await startSimulator({ users: 50, logs: LOGS });
try {
    const base = `${sim.url}/cgi-bin/restapi`;
    const login = await fetch(`${base}/login`, { method: "POST", body: JSON.stringify({ username: "admin", password: "admin" }) });
    const sid = (await login.json()).sessionid;
    const text = await (await fetch(`${base}/getLogs/${sid}/${LOGS}`)).text();
    const reply = new wasm.BenchReply(text);
    const viaText = () => JSON.parse(reply.asJsonText());
    const viaValue = () => reply.asJsValue();
    const a = viaText();
    const b = viaValue();
    if (a.length !== b.length || JSON.stringify(a[7]) !== JSON.stringify(b[7])) throw new Error("the two ways disagree");
    console.log(`${a.length} logs, ${(text.length / 1e6).toFixed(1)} MB of JSON`);
    const tText = time(viaText, 5);
    const tValue = time(viaValue, 5);
    line(
        `browser boundary: a ${a.length}-log reply into JS objects (Node)`,
        `serde-wasm-bindgen ${tValue.toFixed(0)} ms`,
        `JSON text + JSON.parse ${tText.toFixed(0)} ms`,
        (tValue / tText).toFixed(2),
        "use serde-wasm-bindgen where not measurably worse",
    );

    const input = {
        body: {
            userID: "A0001", lastName: "John", firstName: "Ben", adminLevel: "PERSONALUSER", groupID: [0], departmentID: [1],
            status: { active: true, autoMatch: false, smartCard: false, fingerprint: false, password: true, facial: false, facialAutoMatch: false },
        },
    };
    const n = 20_000;
    const inText = () => { for (let i = 0; i < n; i++) wasm.benchInputFromText("add_user", JSON.stringify(input)); };
    const inValue = () => { for (let i = 0; i < n; i++) wasm.benchInputFromValue("add_user", input); };
    const uText = (time(inText, 5) / n) * 1000;
    const uValue = (time(inValue, 5) / n) * 1000;
    line(
        "browser boundary: one add_user input from JS, read and validated (Node)",
        `serde-wasm-bindgen ${uValue.toFixed(1)} µs`,
        `JSON.stringify + text ${uText.toFixed(1)} µs`,
        (uValue / uText).toFixed(2),
        "use serde-wasm-bindgen where not measurably worse",
    );
} finally {
    await sim.stop();
}
