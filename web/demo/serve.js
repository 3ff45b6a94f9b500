// `npm run demo`: serve the dashboard on 127.0.0.1 and, unless `--terminal URL` is given,
// start the bundled simulator (CORS on) with demo users and events.
//   node demo/serve.js [--terminal https://10.0.0.5] [--port 8000]
import { join } from "node:path";
import { ROOT, WEB, serveStatic, startSimulator } from "../test/harness.js";

const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
};

let terminal = arg("--terminal");
let sim;
if (!terminal) {
    sim = await startSimulator({ users: 25, logs: 3000 });
    terminal = sim.url;
    console.log(`simulator: ${terminal} (admin / admin)`);
}
const server = await serveStatic({ "/": WEB, "/vectors/": join(ROOT, "tests", "vectors") }, Number(arg("--port") ?? 0));
const query = new URLSearchParams({ terminal, user: "admin", ...(sim ? { password: "admin" } : {}) });
console.log(`dashboard: ${server.url}/demo/?${query}`);
console.log("Ctrl-C to stop");
const stop = async () => {
    await server.close();
    await sim?.stop();
    process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
