// The dashboard: connects to one terminal from the browser (the terminal must allow this
// page's origin: CORS), shows its status, recent events and users, and opens the door.
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

/** A terminal date-time as shown: local times as the terminal's wall clock, UTC in the viewer's zone. */
function when(t) {
    const span = document.createElement("span");
    if (typeof t !== "string" || !readable(t)) {
        span.textContent = t === undefined || t === "" ? "—" : typeof t === "string" ? t : JSON.stringify(t);
        span.title = "the terminal sent no readable time";
        return span;
    }
    if (dateTime.isUtc(t)) {
        span.textContent = dateTime.toDate(t).toLocaleString();
        span.title = `${t} (UTC)`;
    } else {
        span.textContent = t.replace("T", " ").slice(0, 19);
        span.title = `${t} (terminal local time)`;
        const zone = document.createElement("span");
        zone.className = "zone";
        zone.textContent = "local";
        span.append(zone);
    }
    return span;
}

async function loadStatus() {
    const [status, time] = await Promise.all([client.getTerminalStatus(), client.getTime()]);
    $("[data-testid=serial]").textContent = status.serialNumber ?? "—";
    $("#description").textContent = status.description ?? "—";
    $("#firmware").textContent = [status.firmwareVersion, status.FAMVersion && `FAM ${status.FAMVersion}`].filter(Boolean).join(" · ") || "—";
    $("#users-count").textContent = `${status.registeredUsers ?? "?"} of ${status.maximumUsers ?? "?"}`;
    $("#time").replaceChildren(when(time.currentTime), ` ${time.timezone ?? ""}`);
    const state = $("#state");
    state.textContent = status.currentStatus ?? "online";
    state.className = "pill ok";
}

async function loadLogs() {
    // The newest events: the last day, or the last 30 days on a quiet terminal.
    const day = 24 * 3600 * 1000;
    let logs = await client.getFullLogs({ from: new Date(Date.now() - day) });
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
        await Promise.all([loadStatus(), loadLogs(), loadUsers()]);
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
        result.textContent = `Door opened at ${new Date().toLocaleTimeString()}`;
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
