// An app that uses the package through a bundler (esbuild, platform browser): the test
// bundles this, serves it with the .wasm where the package's URL points, and calls a terminal.
import { Client, TimePattern, init } from "@actatek/web";

window.run = async (url) => {
    await init();
    const t = new Client(url, "admin", "admin");
    const version = await t.getApiVersion();
    const pattern = TimePattern.fromRanges("08:00-12:00");
    return `${version.name} ${version.version} ${pattern.length}`;
};
