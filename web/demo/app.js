// The dashboard: connects to one terminal from the browser (the terminal must allow this
// page's origin: CORS), shows its status, the last day's events per hour and the recent ones,
// its users, and opens the door. Every time is shown one way: `YYYY-MM-DD HH:MM:SS` on the
// terminal's wall clock (its time zone from getTime; UTC instants are converted into it).
import { ActatekError, Client, dateTime } from "../dist/index.js";

const $ = (sel) => document.querySelector(sel);
const form = $("#connect");
let client;
let refreshTimer;

function banner(error) {
    const el = $("#banner");
    if (!error) {
        el.hidden = true;
        return;
    }
    el.hidden = false;
    el.textContent = error instanceof ActatekError ? `${error.name}: ${error.message}` : String(error);
}

function cell(text, cls) {
    const td = document.createElement("td");
    // A value the SDK could not read is kept as the terminal sent it, maybe not as text.
    td.textContent = text === undefined || text === null ? "" : typeof text === "object" ? JSON.stringify(text) : String(text);
    if (cls) td.className = cls;
    return td;
}

/** Whether a record's date-time is one: firmware may leave it out or send what the SDK cannot read (kept as sent). */
function readable(t) {
    try {
        dateTime.parse(t);
        return true;
    } catch {
        return false;
    }
}

/** The terminal's time zone (getTime), used for every time shown; UTC until it is known. */
let zone = "UTC";

function zoneParts(ms) {
    const f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour % 24, mi: +p.minute, s: +p.second };
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

/** An instant as the one format of this page, on the terminal's wall clock. */
function formatInstant(ms) {
    const p = zoneParts(ms);
    return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
}

/** A terminal-local wall-clock time (no Z) as the instant it names in the terminal's zone. */
function wallToInstant(text) {
    const [, y, mo, d, h, mi, sec] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(text).map(Number);
    const guess = Date.UTC(y, mo - 1, d, h, mi, sec);
    const p = zoneParts(guess);
    const offset = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - guess;
    return guess - offset;
}

/** A readable terminal date-time as an instant (ms), or undefined. */
function instantOf(t) {
    if (typeof t !== "string" || !readable(t)) return undefined;
    return dateTime.isUtc(t) ? dateTime.toDate(t).getTime() : wallToInstant(dateTime.parse(t).canonical);
}

/** A terminal date-time as shown: always `YYYY-MM-DD HH:MM:SS` on the terminal's clock. */
function when(t) {
    const span = document.createElement("span");
    span.className = "time";
    if (typeof t !== "string" || !readable(t)) {
        span.textContent = t === undefined || t === "" ? "—" : typeof t === "string" ? t : JSON.stringify(t);
        span.title = "the terminal sent no readable time";
        return span;
    }
    // Local times are the terminal's wall clock already; UTC ones are converted into it.
    span.textContent = dateTime.isUtc(t) ? formatInstant(instantOf(t)) : dateTime.parse(t).canonical.replace("T", " ").slice(0, 19);
    span.title = `${t} as the terminal sent it`;
    return span;
}

const HOUR = 3600 * 1000;

/** The start of the current hour on the terminal's clock, and the 24 hours up to now. */
function lastDayHours(now = Date.now()) {
    const p = zoneParts(now);
    const thisHour = now - ((p.mi * 60 + p.s) * 1000 + (now % 1000));
    return Array.from({ length: 24 }, (_, i) => thisHour - (23 - i) * HOUR);
}

const SVG = "http://www.w3.org/2000/svg";
function svg(name, attrs, text) {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
}

/** 24 bars: events per hour of the last day (inline SVG, no library). */
function drawChart(hours, logs) {
    const counts = hours.map(() => 0);
    for (const l of logs) {
        const at = instantOf(l.timestamp);
        if (at === undefined) continue;
        const i = Math.floor((at - hours[0]) / HOUR);
        if (i >= 0 && i < 24) counts[i] += 1;
    }
    const [w, h, left, bottom, top] = [720, 170, 30, 22, 16];
    const max = Math.max(1, ...counts);
    const step = (w - left) / 24;
    const chart = svg("svg", { viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": "events per hour, last 24 hours" });
    const y = (n) => h - bottom - ((h - bottom - top) * n) / max;
    chart.append(svg("line", { x1: left, x2: w, y1: y(0), y2: y(0), class: "axis" }), svg("line", { x1: left, x2: w, y1: y(max), y2: y(max), class: "grid" }));
    chart.append(svg("text", { x: left - 4, y: y(max) + 4, class: "label end" }, String(max)), svg("text", { x: left - 4, y: y(0) + 4, class: "label end" }, "0"));
    hours.forEach((start, i) => {
        const x = left + i * step + 2;
        const bar = svg("rect", { x, y: y(counts[i]), width: step - 4, height: y(0) - y(counts[i]), class: "bar", "data-testid": "hour-bar", "data-hour-start": new Date(start).toISOString(), "data-count": counts[i] });
        bar.append(svg("title", {}, `${formatInstant(start).slice(0, 13)}:00 — ${counts[i]} event${counts[i] === 1 ? "" : "s"}`));
        chart.append(bar);
        if (counts[i] > 0) chart.append(svg("text", { x: x + (step - 4) / 2, y: y(counts[i]) - 3, class: "label mid count" }, String(counts[i])));
        if (i % 3 === 0) chart.append(svg("text", { x: x + (step - 4) / 2, y: h - 6, class: "label mid" }, `${formatInstant(start).slice(11, 13)}:00`));
    });
    const figure = $("[data-testid=chart]");
    figure.dataset.from = new Date(hours[0]).toISOString();
    figure.dataset.total = String(counts.reduce((a, b) => a + b, 0));
    figure.replaceChildren(chart);
    $("#chart-note").textContent = `${counts.reduce((a, b) => a + b, 0)} events since ${formatInstant(hours[0]).slice(0, 16)}, per hour`;
}

async function loadStatus() {
    const [status, time] = await Promise.all([client.getTerminalStatus(), client.getTime()]);
    $("[data-testid=serial]").textContent = status.serialNumber ?? "—";
    $("#description").textContent = status.description ?? "—";
    $("#firmware").textContent = [status.firmwareVersion, status.FAMVersion && `FAM ${status.FAMVersion}`].filter(Boolean).join(" · ") || "—";
    $("#users-count").textContent = `${status.registeredUsers ?? "?"} of ${status.maximumUsers ?? "?"}`;
    zone = validZone(time.timezone) ?? "UTC";
    $("#time").replaceChildren(when(time.currentTime), ` ${time.timezone ?? ""}`);
    document.querySelectorAll(".zone-name").forEach((el) => (el.textContent = zone));
    const state = $("#state");
    state.textContent = status.currentStatus ?? "online";
    state.className = "pill ok";
}

/** A time zone name Intl knows, or undefined. */
function validZone(name) {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: name });
        return typeof name === "string" && name ? name : undefined;
    } catch {
        return undefined;
    }
}

async function loadLogs() {
    // The last day in whole hours on the terminal's clock (the chart); the table shows its
    // newest events, or the last 30 days' on a quiet terminal.
    const day = 24 * 3600 * 1000;
    const hours = lastDayHours();
    let logs = await client.getFullLogs({ from: new Date(hours[0]) });
    drawChart(hours, logs);
    let note = "last 24 hours";
    if (logs.length === 0) {
        logs = await client.getFullLogs({ from: new Date(Date.now() - 30 * day) });
        note = "last 30 days";
    }
    const recent = logs.slice(-25).reverse();
    $("#logs-note").textContent = `${note} · ${logs.length} events, newest first`;
    const rows = recent.map((l) => {
        const tr = document.createElement("tr");
        const time = document.createElement("td");
        time.append(when(l.timestamp));
        const trigger = l.trigger ?? "";
        tr.append(time, cell(l.userID), cell(l.userName), cell(trigger, trigger === "IN" ? "in" : trigger === "OUT" ? "out" : ""), cell(l.departmentName), cell(l.accessMethod));
        return tr;
    });
    $("[data-testid=logs] tbody").replaceChildren(...rows);
}

let users = [];

function renderUsers() {
    const q = $("#user-filter").value.trim().toLowerCase();
    const shown = users.filter((u) => !q || [u.userID, u.firstName, u.lastName].some((s) => typeof s === "string" && s.toLowerCase().includes(q)));
    const rows = shown.map((u) => {
        const tr = document.createElement("tr");
        const active = u.status?.active !== false;
        const toggle = document.createElement("button");
        toggle.className = "quiet";
        toggle.type = "button";
        toggle.textContent = active ? "Suspend" : "Activate";
        toggle.addEventListener("click", async () => {
            toggle.disabled = true;
            try {
                await (active ? client.deactivateUser(u.userID) : client.activateUser(u.userID));
                await loadUsers();
            } catch (e) {
                banner(e);
                toggle.disabled = false;
            }
        });
        const action = document.createElement("td");
        action.append(toggle);
        const name = [u.firstName, u.lastName].filter(Boolean).join(" ");
        tr.append(cell(u.userID), cell(name), cell(u.adminLevel ?? "PERSONALUSER"), cell(active ? "active" : "suspended", active ? "in" : "out"), action);
        return tr;
    });
    $("[data-testid=users] tbody").replaceChildren(...rows);
}

async function loadUsers() {
    users = await client.getUsers();
    renderUsers();
}

async function refresh() {
    try {
        await loadStatus(); // first: the terminal's time zone, for every time shown
        await Promise.all([loadLogs(), loadUsers()]);
        banner(null);
    } catch (e) {
        const state = $("#state");
        state.textContent = "unreachable";
        state.className = "pill bad";
        banner(e);
    }
}

async function connect(terminal, user, password) {
    await client?.close();
    clearInterval(refreshTimer);
    client = new Client(terminal, user, password, { timeoutMs: 15_000 });
    localStorage.setItem("actatek-demo", JSON.stringify({ terminal, user }));
    $("#open-door").disabled = false;
    $("#refresh").disabled = false;
    await refresh();
    refreshTimer = setInterval(refresh, 15_000);
}

$("#open-door").addEventListener("click", async () => {
    if (!confirm("Open the door now?")) return;
    const result = $("#door-result");
    const button = $("#open-door");
    button.disabled = true;
    result.className = "";
    result.textContent = "Opening…";
    try {
        await client.openDoor();
        result.replaceChildren("Door opened at ", Object.assign(document.createElement("span"), { className: "time", textContent: formatInstant(Date.now()) }));
        result.className = "ok";
        loadLogs().catch(banner);
    } catch (e) {
        result.textContent = `Not opened: ${e.message}`;
        result.className = "bad";
    } finally {
        button.disabled = false;
    }
});

$("#refresh").addEventListener("click", refresh);
$("#user-filter").addEventListener("input", renderUsers);

form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    connect(String(data.get("terminal")), String(data.get("user")), String(data.get("password")));
});

// Prefill from the URL (`?terminal=…&user=…&password=…`, as `npm run demo` prints) or from
// the last session (never the password).
const params = new URLSearchParams(location.search);
const saved = JSON.parse(localStorage.getItem("actatek-demo") ?? "{}");
form.terminal.value = params.get("terminal") ?? saved.terminal ?? "";
form.user.value = params.get("user") ?? saved.user ?? "admin";
form.password.value = params.get("password") ?? "";
if (form.terminal.value && form.password.value) connect(form.terminal.value, form.user.value, form.password.value);
