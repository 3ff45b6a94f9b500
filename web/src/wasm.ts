// Loads the WebAssembly module once, in the browser (fetch, next to the glue) and in Node
// (read from the package's files). Bundlers see `new URL("…wasm", import.meta.url)` and ship
// the file as an asset.
import initModule from "../pkg/actatek_wasm.js";

/** Where to load the `.wasm` from: a URL, a `Response`, bytes or a compiled module. */
export type WasmSource = URL | string | Response | BufferSource | WebAssembly.Module;

let loading: Promise<void> | undefined;
let ready = false;

function isNode(): boolean {
    const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
    return typeof p?.versions?.node === "string" && typeof (globalThis as { document?: unknown }).document === "undefined";
}

async function nodeBytes(url: URL): Promise<Uint8Array> {
    // A computed specifier, so that bundlers for the browser leave it alone.
    const specifier = ["node", "fs/promises"].join(":");
    const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as {
        readFile(path: URL): Promise<Uint8Array>;
    };
    return fs.readFile(url);
}

/**
 * Load the WebAssembly module. Every `Client` call does this by itself; call it first only
 * to use the synchronous helpers (`TimePattern`, `dateTime`, `validateInput`, …) or to pass
 * your own `source` (e.g. a URL your server serves the `.wasm` from).
 */
export function init(source?: WasmSource): Promise<void> {
    loading ??= (async () => {
        const wasmUrl = new URL("../pkg/actatek_wasm_bg.wasm", import.meta.url);
        let input: WasmSource = source ?? wasmUrl;
        if (source === undefined && isNode()) input = await nodeBytes(wasmUrl);
        await initModule({ module_or_path: input });
        ready = true;
    })();
    loading.catch(() => {
        loading = undefined; // let a later call try again
    });
    return loading;
}

/** Whether `init()` has completed. */
export function isReady(): boolean {
    return ready;
}

/** Throws unless `init()` has completed (the synchronous helpers need the module). */
export function assertReady(what: string): void {
    if (!ready) throw new Error(`${what} needs the WebAssembly module: await init() first`);
}
