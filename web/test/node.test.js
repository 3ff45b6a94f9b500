// The suite in Node ≥ 20, against simulators started from here; then what only Node can show:
// a terminal's self-signed certificate trusted through NODE_EXTRA_CA_CERTS, and `await using`
// (examples/await-using.ts, compiled by the repository's TypeScript) logging out.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import * as api from "../dist/index.js";
import { WEB, deadUrl, loadVectors, startSimulator } from "./harness.js";
import { SECRET, suite } from "./suite.js";

const sims = [];
const env = { api, browser: false };
let tlsSim;

before(async () => {
    const [sim, drift, noCors, secret, tls] = await Promise.all([
        startSimulator({ users: 5, logs: 200 }),
        startSimulator({ users: 5, logs: 300 }),
        startSimulator({ users: 1, logs: 10, cors: false }),
        startSimulator({ users: 2, logs: 20, password: SECRET }),
        startSimulator({ users: 1, logs: 10, tls: true }),
    ]);
    sims.push(sim, drift, noCors, secret, tls);
    tlsSim = tls;
    Object.assign(env, {
        simUrl: sim.url,
        driftUrl: drift.url,
        noCorsUrl: noCors.url,
        secretUrl: secret.url,
        tlsUrl: tls.url,
        deadUrl: await deadUrl(),
        vectors: await loadVectors(),
    });
});

after(async () => {
    await Promise.all(sims.map((s) => s.stop()));
});

// One suite instance (its tests share a client and a record of the operations called),
// built once before() has filled in env; the names are known up front.
let tests;
for (const [i, { name }] of suite({ ...env }).entries()) {
    test(`node: ${name}`, async () => {
        tests ??= suite(env);
        await tests[i].fn();
    });
}

test("node: the terminal's self-signed certificate, trusted through NODE_EXTRA_CA_CERTS, works", async () => {
    const script = `
        import { Client } from ${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)};
        const t = new Client(process.argv[1], "admin", "admin", { retries: 0 });
        console.log((await t.getTerminalStatus()).serialNumber);
        await t.close();`;
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script, tlsSim.url], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: tlsSim.cert },
    });
    if (!/^00111D/.test(stdout.trim())) throw new Error(`unexpected: ${stdout}`);
});

test("node: `await using` (examples/await-using.ts, compiled by tsc) logs out when the scope ends", async () => {
    // Node 20 cannot parse `await using`: tsc (ES2022) turns it into the disposal helpers.
    const source = readFileSync(join(WEB, "examples", "await-using.ts"), "utf8");
    const { outputText } = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } });
    mkdirSync(join(WEB, "test-results"), { recursive: true });
    const file = join(WEB, "test-results", "await-using.mjs"); // ../dist/index.js resolves as from examples/
    writeFileSync(file, outputText);
    const { serialOf } = await import(pathToFileURL(file).href);
    const url = env.secretUrl;
    const seq = (await (await fetch(`${url}/_sim/state`)).json()).requests;
    const serial = await serialOf(url, "admin", SECRET);
    if (!/^00111D/.test(serial)) throw new Error(`serial ${serial}`);
    const after = (await (await fetch(`${url}/_sim/requests`)).json()).filter((r) => r.seq > seq).map((r) => r.operation);
    if (after.join(",") !== "login,get_terminal_status,logout") throw new Error(`the simulator saw ${after.join(", ")}`);
});
