// `await using` logs out when the scope ends (Symbol.asyncDispose, like close()). Type-checked
// by `tsc --noEmit -p examples` and run by test/node.test.js (compiled by the same TypeScript).
import { Client, type TerminalStatus } from "../dist/index.js";

export async function serialOf(url: string, user: string, password: string): Promise<string> {
    await using t = new Client(url, user, password);
    const status: TerminalStatus = await t.getTerminalStatus();
    return status.serialNumber ?? "?";
}
