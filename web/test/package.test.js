// The npm tarball as a user installs it: `npm install actatek-web-<v>.tgz` into a scratch
// project outside the repository, then an ESM script and a CommonJS script talk to the
// simulator in Node, a TypeScript file type-checks against the installed types, and an esbuild
// bundle of a page that imports the package does the same in headless Chromium.
// scripts/test-web.sh passes the tarball in ACTATEK_WEB_TARBALL (built by scripts/dist.sh).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { WEB, launchChromium, serveStatic, startSimulator } from "./harness.js";

const TARBALL = process.env.ACTATEK_WEB_TARBALL;
let scratch;
let sim;

function ok(cond, what) {
    if (!cond) throw new Error(what);
}

before(async () => {
    ok(TARBALL && existsSync(TARBALL), `ACTATEK_WEB_TARBALL (${TARBALL}) must name the packed tarball`);
    scratch = mkdtempSync(join(tmpdir(), "actatek-web-consumer-"));
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", TARBALL], { cwd: scratch, stdio: "inherit" });
    sim = await startSimulator({ users: 3, logs: 50 });
});

after(async () => {
    await sim?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// One script, two module systems: log in, read the status and the users, add a user.
const BODY = (userID) => `
    const t = new Client(process.argv[2], "admin", "admin");
    const status = await t.getTerminalStatus();
    await t.addUser({ userID: "${userID}", firstName: "Ada", status: { active: true, autoMatch: false, smartCard: false, fingerprint: false, password: true, facial: false, facialAutoMatch: false } });
    const users = await t.getUsers({});
    await t.close();
    console.log(JSON.stringify({ serial: status.serialNumber, users: users.map((u) => u.userID) }));`;

function runNode(file, source) {
    writeFileSync(join(scratch, file), source);
    const out = execFileSync(process.execPath, [file, sim.url], { cwd: scratch, encoding: "utf8" });
    return JSON.parse(out.trim().split("\n").pop());
}

test("package: the tarball holds the built module, both entry points, types and the licences", () => {
    const pkg = join(scratch, "node_modules", "@actatek", "web");
    for (const f of ["package.json", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "dist/index.js", "dist/index.cjs", "dist/index.d.ts", "pkg/actatek_wasm_bg.wasm", "pkg/actatek_wasm.js"]) {
        ok(existsSync(join(pkg, f)), `${f} is in the package`);
    }
    ok(!existsSync(join(pkg, "src")) && !existsSync(join(pkg, "test")), "sources and tests stay out of the package");
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
    const root = manifest.exports["."];
    ok(root.types && root.import && root.require && root.default, `exports conditions: ${JSON.stringify(root)}`);
});

test("package: an ESM script (import) talks to the terminal", () => {
    const got = runNode("esm.mjs", `import { Client } from "@actatek/web";\n${BODY("ESM1")}`);
    ok(got.serial.length > 0, "serial number");
    ok(got.users.includes("ESM1"), `users: ${got.users}`);
});

test("package: a CommonJS script (require) talks to the terminal", () => {
    const got = runNode("cjs.cjs", `const { Client } = require("@actatek/web");\n(async () => {${BODY("CJS1")}\n})().catch((e) => { console.error(e); process.exit(1); });`);
    ok(got.serial.length > 0, "serial number");
    ok(got.users.includes("CJS1"), `users: ${got.users}`);
});

test("package: TypeScript resolves the installed types (NodeNext)", () => {
    writeFileSync(join(scratch, "typed.ts"), `import { Client, ValidationError, type User } from "@actatek/web";
const u: User = { userID: "T1" };
export async function main(url: string): Promise<string | undefined> {
    const t = new Client(url, "admin", "admin");
    try { return (await t.getTerminalStatus()).serialNumber; } catch (e) { if (e instanceof ValidationError) return e.rule; throw e; }
}
export const id: string | undefined = u.userID;
`);
    writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, lib: ["ES2022", "DOM"], types: [] }, files: ["typed.ts"] }));
    execFileSync(process.execPath, [join(WEB, "node_modules", "typescript", "bin", "tsc"), "-p", scratch], { cwd: scratch, stdio: "inherit" });
});

test("package: an esbuild bundle of a page that imports it works in headless Chromium", async () => {
    const { build } = await import("esbuild");
    const out = join(scratch, "site");
    writeFileSync(join(scratch, "page.js"), `import { Client, init } from "@actatek/web";
import wasmUrl from "@actatek/web/actatek_wasm_bg.wasm";
window.run = async (url) => {
    await init(new URL(wasmUrl, location.href));
    const t = new Client(url, "admin", "admin");
    const status = await t.getTerminalStatus();
    await t.addUser({ userID: "WEB1", status: { active: true, autoMatch: false, smartCard: false, fingerprint: false, password: true, facial: false, facialAutoMatch: false } });
    const users = await t.getUsers({});
    await t.close();
    return { serial: status.serialNumber, users: users.map((u) => u.userID) };
};
`);
    await build({
        absWorkingDir: scratch,
        entryPoints: [join(scratch, "page.js")],
        bundle: true,
        format: "esm",
        platform: "browser",
        outdir: out,
        loader: { ".wasm": "file" },
        logLevel: "warning",
    });
    writeFileSync(join(out, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>');
    const server = await serveStatic({ "/": out });
    const browser = await launchChromium();
    try {
        const page = await browser.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(`${e}`));
        await page.goto(`${server.url}/index.html`);
        await page.waitForFunction(() => typeof window.run === "function", null, { timeout: 30_000 });
        const got = await page.evaluate((url) => window.run(url), sim.url);
        ok(got.serial.length > 0, "serial number");
        ok(got.users.includes("WEB1"), `users: ${got.users}`);
        ok(errors.length === 0, `page errors: ${errors}`);
    } finally {
        await browser.close();
        await server.close();
    }
});
