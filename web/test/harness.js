// Node-side helpers for the test runners and the demo: start the simulator binary, serve
// files, read the shared vectors.
import { spawn } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const WEB = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const ROOT = resolve(WEB, "..");

/** The simulator binary (`cargo build -p actatek-sim`), or $ACTATEK_SIM_BIN. */
export function simulatorBinary() {
    const bin = process.env.ACTATEK_SIM_BIN ?? join(ROOT, "target", "debug", "actatek-sim");
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`cargo build -p actatek-sim\` (scripts/test-web.sh does)`);
    return bin;
}

/**
 * Start `actatek-sim --listen 127.0.0.1:0 …` and wait for the URL it prints.
 * Returns { url, cert (the PEM file with `tls`), stop() }.
 */
export async function startSimulator({ users = 5, logs = 200, cors = true, quirks = false, tls = false, password } = {}) {
    const args = ["--listen", "127.0.0.1:0", "--users", String(users), "--logs", String(logs)];
    if (!cors) args.push("--no-cors");
    if (quirks) args.push("--quirks");
    // --tls: HTTPS with a self-signed certificate for 127.0.0.1, written out as PEM.
    let cert;
    if (tls) {
        cert = join(mkdtempSync(join(tmpdir(), "actatek-sim-")), "terminal.pem");
        args.push("--tls", "--cert-out", cert);
    }
    const env = password === undefined ? process.env : { ...process.env, ACTATEK_SIM_PASSWORD: password };
    const child = spawn(simulatorBinary(), args, { stdio: ["ignore", "pipe", "inherit"], env });
    const url = await new Promise((resolvePromise, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`actatek-sim did not announce a URL: ${out}`)), 15_000);
        child.on("exit", (code) => reject(new Error(`actatek-sim exited (${code}): ${out}`)));
        child.stdout.on("data", (data) => {
            out += data;
            const m = /at (https?:\/\/\S+)/.exec(out);
            if (m) {
                clearTimeout(timer);
                resolvePromise(m[1]);
            }
        });
    });
    return {
        url,
        cert,
        stop: () =>
            new Promise((done) => {
                if (child.exitCode !== null) return done();
                child.once("exit", () => done());
                child.kill("SIGTERM");
            }),
    };
}

const TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
};

/**
 * A static file server on 127.0.0.1 (a free port). `mounts` maps URL prefixes to folders,
 * e.g. { "/": WEB, "/vectors/": ROOT/tests/vectors }. Returns { url, close() }.
 */
export async function serveStatic(mounts, port = 0) {
    const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
    const server = createServer((req, res) => {
        const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
        const mount = entries.find(([prefix]) => path.startsWith(prefix));
        if (!mount) return void res.writeHead(404).end("not found");
        const [prefix, dir] = mount;
        let file = normalize(join(dir, path.slice(prefix.length)));
        if (!(file === dir || file.startsWith(dir + sep))) return void res.writeHead(403).end("forbidden");
        if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
        if (!existsSync(file)) return void res.writeHead(404).end("not found");
        res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
        createReadStream(file).pipe(res);
    });
    await new Promise((done) => server.listen(port, "127.0.0.1", done));
    const bound = server.address().port;
    return { url: `http://127.0.0.1:${bound}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** tests/vectors/*.json, shared by every language. */
export async function loadVectors() {
    const read = async (name) => JSON.parse(await readFile(join(ROOT, "tests", "vectors", `${name}.json`), "utf8"));
    return { requests: await read("requests"), responses: await read("responses"), validation: await read("validation"), values: await read("values") };
}

/** A URL where nothing listens (a port just freed). */
export async function deadUrl() {
    const server = createServer();
    await new Promise((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address();
    await new Promise((done) => server.close(() => done()));
    return `http://127.0.0.1:${port}`;
}

/** Debian's Chromium, with the flags that work in containers (TOOLCHAIN.md). */
export async function launchChromium() {
    const { chromium } = await import("playwright-core");
    return chromium.launch({
        executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
}
