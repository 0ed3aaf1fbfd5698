// Athena's dashboard: the service's own API (docs/api.md) read with the key kept in this tab's
// sessionStorage. Everything shown is set as text, never as HTML, so nothing a record holds can run.
"use strict";

const API = "/athena/api/v1";
const KEY = "athena-api-key";
let timer = null;

function $(id) { return document.getElementById(id); }

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function bytes(n) {
  if (n === undefined || n === null) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = n, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? n + " B" : v.toFixed(1) + " " + units[u];
}

function duration(ms) {
  if (ms === undefined || ms === null) return "";
  if (ms < 10000) return (ms / 1000).toFixed(1) + " s";
  const s = Math.round(ms / 1000);
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
  if (s < 172800) return Math.floor(s / 3600) + " h " + String(Math.floor((s % 3600) / 60)).padStart(2, "0") + " min";
  return Math.floor(s / 86400) + " days";
}

function when(instant) {
  return instant ? instant.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC") : "";
}

function age(instant) {
  return instant ? duration(Date.now() - Date.parse(instant)) + " ago" : "";
}

async function call(method, path, body) {
  const key = sessionStorage.getItem(KEY);
  const r = await fetch(API + path, {
    method,
    headers: { "Authorization": key || "", "Content-Type": "application/json", "X-Athena-Requested-By": "the dashboard" },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const text = await r.text();
  if (r.status === 401) {
    logout("The key was refused: log in again with one of the service's ATHENA_API_KEYS.");
    throw new Error("unauthorised");
  }
  if (!r.ok) {
    let message = text;
    try { message = JSON.parse(text).message; } catch (e) { /* not JSON */ }
    throw new Error(message || ("HTTP " + r.status));
  }
  return text;
}

async function json(method, path, body) {
  return JSON.parse(await call(method, path, body));
}

function statusCell(record) {
  const td = el("td");
  td.append(el("span", record.status + (record.request && record.request.dryRun ? " (dry run)" : "") + (record.damaged ? " (damaged)" : ""),
    { class: "status-" + record.status }));
  const p = record.progress;
  if (p) {
    const pct = p.percent === undefined || p.percent === null ? null : p.percent;
    const bar = el("span", null, { class: "bar", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
      "aria-label": p.phase });
    if (pct !== null) bar.setAttribute("aria-valuenow", String(pct));
    const fill = el("span");
    fill.style.width = (pct === null ? 100 : pct) + "%";
    if (pct === null) fill.style.opacity = ".35";
    bar.append(fill);
    td.append(bar);
    let line = p.phase + (p.components && p.components.length ? ": " + p.components.join(", ") : "") + ", " + bytes(p.bytesDone);
    if (p.bytesTotal !== undefined && p.bytesTotal !== null) line += " of " + (p.totalsEstimated ? "about " : "") + bytes(p.bytesTotal);
    if (p.filesDone) line += ", " + p.filesDone.toLocaleString("en") + " files";
    if (p.bytesPerSecond) line += ", " + bytes(p.bytesPerSecond) + "/s";
    if (p.secondsLeft) line += ", about " + duration(p.secondsLeft * 1000) + " left";
    td.append(el("div", line, { class: "progress" }));
  } else if (record.error) {
    td.append(el("div", record.error, { class: "progress" }));
  }
  return td;
}

function keepText(k) {
  if (!k) return "";
  const parts = [["hourly", k.hourly], ["daily", k.daily], ["weekly", k.weekly], ["monthly", k.monthly], ["yearly", k.yearly]]
    .filter(([, n]) => n > 0).map(([name, n]) => n + " " + name);
  return parts.length ? "; besides, the newest of: " + parts.join(", ") : "";
}

function renderSchedule(s) {
  $("namespace").textContent = "namespace " + s.namespace;
  const dl = $("schedule");
  dl.replaceChildren();
  const rows = [
    ["Periodic backups", s.regularBackups ? "on, " + s.frequency + " (UTC)" : "off (ENABLE_REGULAR_BACKUPS)"],
    ["Next backup", s.nextBackup ? when(s.nextBackup) : "none scheduled"],
    ["Retention", s.retentionDays + " days" + keepText(s.retentionKeep)],
    ["Location", s.location],
    ["Components", s.components.join(", ") || "none configured"],
    ["Platform version", s.platformVersion || "not set"],
  ];
  if (s.copy) {
    const c = s.copy;
    const last = c.lastResult ? "; last copy " + c.lastResult + (c.lastFinishedAt ? " at " + when(c.lastFinishedAt) : "")
      + (c.backupsThere != null ? ", " + c.backupsThere + (c.backupsThere === 1 ? " backup" : " backups") + " there" : "")
      + (c.lastError ? ": " + c.lastError : "") : "; no copy yet since the service started";
    rows.push(["Second location", c.location + ", " + c.when + ", kept " + c.retentionDays + " days" + last]);
  }
  $("restore-from-copy-label").hidden = !s.copy;
  for (const [k, v] of rows) { dl.append(el("dt", k), el("dd", v)); }
  const skip = $("restore-skip");
  if (skip.querySelectorAll("input").length === 0) {
    for (const c of s.components) {
      const label = el("label");
      const box = el("input", null, { type: "checkbox", value: c, "data-component": c });
      label.append(box, document.createTextNode(" " + c));
      skip.append(label);
    }
  }
}

// GET /verifystatus answers 404 when VERIFY_FREQUENCY is unset: then the section says how to turn it on.
function renderVerification(v) {
  const dl = $("verification");
  dl.replaceChildren();
  const rows = [];
  if (v.off) {
    rows.push(["Status", v.off]);
  } else {
    const cycle = v.cycle || {};
    const run = v.lastRun;
    rows.push(["Schedule", v.when + ", reading back " + v.readDataPercent + "% of the packs per run"]);
    const total = run ? run.packsTotal : null;
    rows.push(["This cycle", cycle.cycleStartedAt ? (cycle.cyclePacksDone || 0).toLocaleString("en") + (total !== null ? " of " + total.toLocaleString("en") : "")
      + " packs read back since " + when(cycle.cycleStartedAt) : "not begun"]);
    rows.push(["Last complete cycle", cycle.lastCycleFinishedAt ? when(cycle.lastCycleFinishedAt) + " (" + (cycle.lastCyclePacks || 0).toLocaleString("en")
      + " packs, every stored byte read back)" : "none yet"]);
    rows.push(["Last run", v.lastResult ? v.lastResult + " at " + when(v.lastFinishedAt) + (v.summary ? ": " + v.summary : "") : "no run yet"]);
    const affected = run && run.affected ? Object.entries(run.affected) : [];
    if (affected.length) rows.push(["Damaged backups", affected.map(([ts, why]) => ts + ": " + why).join("; ")]);
    if (v.error) rows.push(["Error", v.error]);
  }
  for (const [k, value] of rows) {
    const dd = el("dd", value);
    if (k === "Damaged backups" || k === "Error" || (k === "Last run" && v.lastResult === "Failed")) dd.className = "error";
    dl.append(el("dt", k), dd);
  }
}

function retentionCell(entry) {
  if (!entry) return el("td", "");
  const td = el("td", null, { class: entry.keep ? "kept" : "expiring" });
  td.append(el("span", entry.keep ? "kept" : "deleted at the next sweep"));
  if (entry.reasons && entry.reasons.length) td.append(el("div", entry.reasons.join("; "), { class: "progress" }));
  return td;
}

function renderBackups(list, plan) {
  const retention = new Map(((plan && plan.backups) || []).map(e => [e.timestamp, e]));
  const body = $("backups").querySelector("tbody");
  body.replaceChildren();
  $("no-backups").hidden = list.length > 0;
  const select = $("restore-timestamp");
  const chosen = select.value;
  select.replaceChildren();
  for (const b of list) {
    const tr = el("tr", null, { "data-timestamp": b.timestamp });
    tr.append(el("td", b.timestamp), statusCell(b), el("td", age(b.startedAt)), el("td", bytes(b.bytes)),
      el("td", (b.components || []).join(", ")), el("td", duration(b.durationMs)), retentionCell(retention.get(b.timestamp)));
    const actions = el("td");
    if (b.status === "Success") {
      const restore = el("button", "Restore…", { type: "button", class: "secondary" });
      restore.addEventListener("click", () => {
        $("restore-timestamp").value = b.timestamp;
        $("restore-dry-run").checked = true;
        $("restore-section").scrollIntoView();
      });
      actions.append(restore);
      select.append(el("option", b.timestamp + (b.onlyConfig ? " (configuration only)" : ""), { value: b.timestamp }));
    }
    tr.append(actions);
    body.append(tr);
  }
  if (chosen) select.value = chosen;
}

function renderRestores(list, table = "restores", empty = "no-restores", reportPath = restoreReportPath) {
  const body = $(table).querySelector("tbody");
  body.replaceChildren();
  $(empty).hidden = list.length > 0;
  for (const r of list) {
    const tr = el("tr", null, { "data-restore-id": r.restoreId });
    const phases = el("ul", null, { class: "phases" });
    for (const p of r.phases || []) {
      phases.append(el("li", p.name + ": " + (p.detail && p.detail.startsWith("skipped") ? "skipped" : p.status)
        + (p.durationMs ? " (" + duration(p.durationMs) + ")" : "")));
    }
    const phaseCell = el("td");
    phaseCell.append(phases);
    tr.append(el("td", r.restoreId), el("td", r.timestamp + (r.namespace ? " of " + r.namespace : "")), statusCell(r),
      el("td", age(r.startedAt)), el("td", r.rtoSeconds === undefined ? "" : duration(r.rtoSeconds * 1000)), phaseCell);
    const actions = el("td");
    if (r.status !== "Running") {
      const report = el("button", "Report", { type: "button", class: "secondary", "data-report": r.restoreId });
      report.addEventListener("click", () => openReport(reportPath(r)));
      actions.append(report);
    }
    tr.append(actions);
    body.append(tr);
  }
}

function restoreReportPath(r) {
  return "/restorereport?timestamp=" + encodeURIComponent(r.timestamp) + "&restoreId=" + encodeURIComponent(r.restoreId);
}

function drillReportPath(r) {
  return "/drillreport?drillId=" + encodeURIComponent(r.restoreId);
}

async function openReport(path) {
  // The report needs the key, which a plain link cannot send: fetch it, then show it from memory.
  const win = window.open("", "_blank");
  try {
    const html = await call("GET", path);
    const url = URL.createObjectURL(new Blob([html], { type: "text/html" }));
    if (win) { win.location = url; } else { window.location = url; }
  } catch (e) {
    if (win) win.close();
    showError("The report could not be read: " + e.message);
  }
}

function showError(message) {
  $("error").textContent = message || "";
}

async function refresh() {
  clearTimeout(timer);
  let busy = false;
  try {
    const [schedule, backups, restores, drills, verification, plan] = await Promise.all([json("GET", "/schedule"), json("GET", "/backuplist"),
      json("GET", "/restorelist"), json("GET", "/drilllist"),
      json("GET", "/verifystatus").catch(e => { if (e.message === "unauthorised") throw e; return { off: e.message }; }),
      json("GET", "/retentionplan")]);
    renderSchedule(schedule);
    renderVerification(verification);
    renderBackups(backups, plan);
    renderRestores(restores);
    renderRestores(drills, "drills", "no-drills", drillReportPath);
    busy = backups.some(b => b.status === "Running") || restores.some(r => r.status === "Running") || drills.some(d => d.status === "Running");
    showError("");
  } catch (e) {
    if (e.message === "unauthorised") return;
    showError("Athena did not answer: " + e.message + ". Trying again.");
  }
  // Often while something runs, so its progress moves; rarely otherwise.
  timer = setTimeout(refresh, busy ? 1000 : 10000);
}

function login(key) {
  sessionStorage.setItem(KEY, key);
  $("login").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  refresh();
}

function logout(message) {
  clearTimeout(timer);
  sessionStorage.removeItem(KEY);
  $("app").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message || "";
  $("api-key").value = "";
  $("api-key").focus();
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const key = $("api-key").value.trim();
    sessionStorage.setItem(KEY, key);
    try {
      await call("GET", "/schedule");
      login(key);
    } catch (e) {
      if (e.message !== "unauthorised") $("login-error").textContent = "Athena did not answer: " + e.message;
    }
  });
  $("logout").addEventListener("click", () => logout(""));
  $("backup-now").addEventListener("click", async () => {
    $("backup-now").disabled = true;
    try {
      const answer = await json("POST", "/ondemandbackup", $("only-config").checked ? { onlyConfig: true } : {});
      $("backup-message").textContent = answer.message;
    } catch (e) {
      $("backup-message").textContent = e.message;
    } finally {
      $("backup-now").disabled = false;
      refresh();
    }
  });
  $("drill-now").addEventListener("click", async () => {
    $("drill-now").disabled = true;
    try {
      const answer = await json("POST", "/ondemanddrill", {});
      $("drill-message").textContent = answer.message;
    } catch (e) {
      $("drill-message").textContent = e.message;
    } finally {
      $("drill-now").disabled = false;
      refresh();
    }
  });
  $("restore-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {
      timestamp: $("restore-timestamp").value,
      dryRun: $("restore-dry-run").checked,
      disableUpgrade: $("restore-no-upgrade").checked,
      disablePostRestoreChecks: $("restore-no-post-checks").checked,
      enableReportGeneration: $("restore-report").checked,
    };
    if (!$("restore-from-copy-label").hidden && $("restore-from-copy").checked) body.location = "secondary";
    const source = $("restore-source").value.trim();
    if (source) body.sourceNamespace = source;
    const moment = $("restore-target-time").value.trim();
    if (moment) body.targetTime = moment;
    const skipped = [...document.querySelectorAll("#restore-skip input:checked")].map(i => i.value);
    if (skipped.length) {
      body.svcs = {};
      for (const c of skipped) body.svcs[c] = { disable: true };
    }
    if (!body.dryRun && !window.confirm("Restore backup " + body.timestamp + (body.targetTime ? " (PostgreSQL to " + body.targetTime + ")" : "")
        + " over this cluster's platform? What is there now is replaced.")) {
      return;
    }
    try {
      await json("POST", "/ondemandrestore", body);
      $("restore-message").textContent = (body.dryRun ? "Dry run" : "Restore") + " of " + body.timestamp
        + (body.targetTime ? " to " + body.targetTime : "") + " started.";
    } catch (e) {
      $("restore-message").textContent = e.message;
    }
    refresh();
  });
  const key = sessionStorage.getItem(KEY);
  if (key) login(key); else logout("");
});
