// docs/index.html (rendered from docs/openapi.json by Redocly's CLI) in headless Chromium with
// every request off 127.0.0.1 refused, so the page must be whole by itself: each manual
// chapter in the menu, under it every operation of the document, and the two operations that
// share a path with another (add_user, update_user) named on their page. The screenshot is
// kept in target/openapi/reference.png.
import { readFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { serveStatic } from "../../web/test/harness.js";

const DOCS = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(DOCS, "..", "target", "openapi");
const doc = JSON.parse(readFileSync(join(DOCS, "openapi.json"), "utf8"));
const core = JSON.parse(readFileSync(join(DOCS, "api.json"), "utf8"));

test("the reference page lists every operation of the document, offline", async () => {
    const server = await serveStatic({ "/": DOCS });
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    });
    try {
        // The menu renders only the entries in view: a tall window shows them all.
        const page = await browser.newPage({ viewport: { width: 1280, height: 4000 } });
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (r) => r.abort());
        await page.goto(`${server.url}/index.html`);
        const tags = doc.tags.map((t) => t.name);
        assert.equal(tags.length, 13);
        const ops = Object.values(doc.paths).flatMap((item) => Object.values(item));
        const ids = ops.map((o) => o.operationId);
        // Opening a chapter in the menu lists its operations, each linking to
        // #/<chapter>/<operationId> (opening the next chapter may close this one).
        const linked = () =>
            page.evaluate(() =>
                [...document.querySelectorAll('a[href^="#/"] [data-testid="menu-item-label"]')]
                    .map((li) => /^#\/[a-z-]+\/([a-z_]+)$/.exec(li.closest("a").getAttribute("href"))?.[1])
                    .filter(Boolean),
            );
        const listed = new Set();
        for (const tag of tags) {
            const expected = ops.filter((o) => o.tags.includes(tag)).length;
            await page.getByText(tag, { exact: true }).first().click();
            let seen = [];
            for (let i = 0; i < 100; i++) {
                seen = (await linked()).filter((id) => ops.find((o) => o.operationId === id)?.tags.includes(tag));
                if (seen.length >= expected) break;
                await page.waitForTimeout(100);
            }
            assert.equal(seen.length, expected, `${tag}: ${seen}`);
            seen.forEach((id) => listed.add(id));
        }
        console.log(`reference page: ${listed.size} operations listed under ${tags.length} chapters`);
        const extra = [...listed].filter((x) => !ids.includes(x));
        const absent = ids.filter((x) => !listed.has(x));
        assert.deepEqual({ extra, absent }, { extra: [], absent: [] });
        assert.equal(ids.length, 70);

        // 72 canonical names: the two single forms are on their batch form's page.
        const names = core.operations.map((o) => o.name);
        const missing = names.filter((n) => !ids.includes(n));
        assert.deepEqual(missing.sort(), ["add_user", "update_user"]);
        await page.locator('a[href$="/add_users"]').first().click();
        await page.getByText("(`add_user`: one object, one reply)").first().waitFor({ timeout: 10_000 }).catch(async () => {
            // Markdown renders the backticks as code: look for the name in the text instead.
            await page.waitForFunction(() => document.body.innerText.includes("add_user:") || document.body.innerText.includes("add_user"));
        });
        const text = await page.evaluate(() => document.body.innerText);
        assert.match(text, /add_user\b/);
        assert.match(text, /POST/);
        await page.setViewportSize({ width: 1280, height: 900 });
        mkdirSync(OUT, { recursive: true });
        await page.screenshot({ path: join(OUT, "reference.png") });
        assert.deepEqual(errors, []);
    } finally {
        await browser.close();
        await server.close();
    }
});
