// The same suite in headless Chromium: the page comes from a static server on 127.0.0.1 and
// calls simulators on other ports, so every call is a cross-origin fetch and CORS is real.
// Then the demo dashboard: status, the chart of the last day's events per hour (its bars must
// count the simulator's logs), one time format, open door (the simulator must register it),
// a screenshot in target/web/demo.png.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ROOT, WEB, deadUrl, launchChromium, serveStatic, startSimulator } from "./harness.js";
import { SECRET } from "./suite.js";

let browser;
let server;
const sims = {};

before(async () => {
    const [sim, drift, noCors, secret, tls, demo] = await Promise.all([
        startSimulator({ users: 5, logs: 200 }),
        startSimulator({ users: 5, logs: 300 }),
        startSimulator({ users: 1, logs: 10, cors: false }),
        startSimulator({ users: 2, logs: 20, password: SECRET }),
        startSimulator({ users: 1, logs: 10, tls: true }),
        startSimulator({ users: 12, logs: 500 }),
    ]);
    Object.assign(sims, { sim, drift, noCors, secret, tls, demo });
    server = await serveStatic({ "/": WEB, "/vectors/": join(ROOT, "tests", "vectors") });
    browser = await launchChromium();
});

after(async () => {
    await browser?.close();
    await server?.close();
    await Promise.all(Object.values(sims).map((s) => s.stop()));
});

test("chromium: the shared suite", async (t) => {
    const page = await browser.newPage();
    const logs = [];
    page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => logs.push(`pageerror: ${e}`));
    const params = new URLSearchParams({ sim: sims.sim.url, drift: sims.drift.url, nocors: sims.noCors.url, secret: sims.secret.url, tls: sims.tls.url, dead: await deadUrl() });
    await page.goto(`${server.url}/test/browser.html?${params}`);
    await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 180_000 });
    const results = await page.evaluate(() => window.__results);
    if (!Array.isArray(results)) throw new Error(`the page failed: ${JSON.stringify(results)}\n${logs.join("\n")}`);
    for (const r of results) {
        await t.test(`chromium: ${r.name}`, () => {
            if (!r.ok) throw new Error(r.error);
        });
    }
    await page.close();
});

test("chromium: the demo dashboard shows status, the last day's events per hour and the logs, in one time format, and opens the door", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(`${e}`));
    const params = new URLSearchParams({ terminal: sims.demo.url, user: "admin", password: "admin" });
    await page.goto(`${server.url}/demo/?${params}`);
    await page.getByTestId("serial").filter({ hasText: "00111D" }).waitFor({ timeout: 30_000 });
    await page.locator("[data-testid=logs] tbody tr").first().waitFor({ timeout: 30_000 });
    const rows = await page.locator("[data-testid=logs] tbody tr").count();
    if (rows < 5) throw new Error(`only ${rows} log rows`);
    await page.locator("[data-testid=users] tbody tr").first().waitFor();

    // The chart: 24 hourly bars whose counts are the simulator's logs of those hours.
    const bars = await page.locator("[data-testid=hour-bar]").evaluateAll((els) => els.map((e) => ({ start: e.dataset.hourStart, count: Number(e.dataset.count) })));
    if (bars.length !== 24) throw new Error(`${bars.length} bars`);
    const from = Date.parse(bars[0].start);
    bars.forEach((b, i) => {
        if (Date.parse(b.start) !== from + i * 3600_000) throw new Error(`bar ${i} starts at ${b.start}`);
    });
    const { Client } = await import("../dist/index.js");
    const t = new Client(sims.demo.url, "admin", "admin");
    const logs = await t.getFullLogs({ from: new Date(from) });
    await t.close();
    const expected = bars.map(() => 0);
    for (const l of logs) {
        const i = Math.floor((Date.parse(l.timestamp) - from) / 3600_000);
        if (i >= 0 && i < 24) expected[i] += 1;
    }
    const counts = bars.map((b) => b.count);
    if (counts.join() !== expected.join()) throw new Error(`bars ${counts.join()} but the simulator holds ${expected.join()}`);
    if (expected.reduce((a, b) => a + b, 0) === 0) throw new Error("no logs in the last day: nothing checked");

    // One time format: the table, the terminal's time.
    const times = await page.locator("[data-testid=logs] tbody .time, #time .time").allTextContents();
    const odd = times.filter((x) => !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(x));
    if (times.length < 6 || odd.length > 0) throw new Error(`times not as YYYY-MM-DD HH:MM:SS: ${JSON.stringify(odd)} of ${times.length}`);

    const before = await (await fetch(`${sims.demo.url}/_sim/state`)).json();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Open door" }).click();
    await page.getByTestId("door-result").filter({ hasText: "Door opened" }).waitFor({ timeout: 15_000 });
    const afterState = await (await fetch(`${sims.demo.url}/_sim/state`)).json();
    if (afterState.door_opens !== before.door_opens + 1) {
        throw new Error(`the simulator registered ${afterState.door_opens - before.door_opens} door openings`);
    }
    const doorTime = await page.locator("#door-result .time").textContent();
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(doorTime ?? "")) throw new Error(`door time ${doorTime}`);
    const shot = join(ROOT, "target", "web", "demo.png");
    mkdirSync(join(ROOT, "target", "web"), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`demo screenshot: ${shot}`);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
    await page.close();
});

test("chromium: the package bundled by esbuild for the browser works", async () => {
    const { build } = await import("esbuild");
    const out = join(WEB, "test-results", "bundle");
    mkdirSync(join(WEB, "test-results", "pkg"), { recursive: true });
    await build({
        absWorkingDir: WEB,
        entryPoints: [join(WEB, "test", "bundle-entry.js")],
        bundle: true,
        format: "esm",
        platform: "browser",
        outfile: join(out, "app.js"),
        alias: { "@actatek/web": "./dist/index.js" },
        logLevel: "warning",
    });
    // The package locates its .wasm at ../pkg/ from its own module: ship it there.
    copyFileSync(join(WEB, "pkg", "actatek_wasm_bg.wasm"), join(WEB, "test-results", "pkg", "actatek_wasm_bg.wasm"));
    writeFileSync(join(out, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="app.js"></script>');
    const page = await browser.newPage();
    await page.goto(`${server.url}/test-results/bundle/index.html`);
    await page.waitForFunction(() => typeof window.run === "function");
    const got = await page.evaluate((url) => window.run(url), sims.sim.url);
    if (!/ \S+ 48$/.test(got)) throw new Error(`unexpected: ${got}`);
    await page.close();
});
