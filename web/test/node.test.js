// The suite in Node ≥ 20, against simulators started from here.
import { after, before, test } from "node:test";
import * as api from "../dist/index.js";
import { deadUrl, loadVectors, startSimulator } from "./harness.js";
import { suite } from "./suite.js";

const sims = [];
const env = { api, browser: false };

before(async () => {
    const [sim, drift, noCors] = await Promise.all([
        startSimulator({ users: 5, logs: 200 }),
        startSimulator({ users: 5, logs: 300 }),
        startSimulator({ users: 1, logs: 10, cors: false }),
    ]);
    sims.push(sim, drift, noCors);
    Object.assign(env, { simUrl: sim.url, driftUrl: drift.url, noCorsUrl: noCors.url, deadUrl: await deadUrl(), vectors: await loadVectors() });
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
