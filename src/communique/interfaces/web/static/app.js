/* communique dashboard: one page, hash routes (#/dyad, #/network, #/events, #/article/ID, #/add).
 *
 * Safety rule: every string that comes from the API (article text, titles, names, codes) is
 * put into the page as text (textContent, text nodes, attribute values) and never parsed as
 * HTML; ECharts tooltips, which take HTML, get it through echarts.format.encodeHTML.
 * Links taken from data are kept only when they are http(s).
 */
"use strict";

const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
const QUAD_COLOURS = {1: "#7fc97f", 2: "#1b7837", 3: "#fdb863", 4: "#d7301f"};  // as analysis.QUAD_COLOURS
const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;  // the API's limit (queries.MAX_PAGE_SIZE)
const CSV_MAX_ROWS = 20000;
const VIEWS = ["dyad", "network", "events", "article", "add"];
const charts = {};
let dyadData = null;

// --- small helpers ------------------------------------------------------------------------------

/** An element with attributes and children; string children become text nodes. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace the children of ``el`` (nodes or strings, inserted as text). */
function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** An href that is safe to follow: only http(s) URLs from data, anything else gives null. */
function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(String(url), window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (err) {
    return null;
  }
}

function esc(value) {
  return window.echarts.format.encodeHTML(String(value === null || value === undefined ? "" : value));
}

function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((v) => search.append(key, v));
    else if (value !== null && value !== undefined && value !== "") search.append(key, value);
  }
  const text = search.toString();
  return text ? "?" + text : "";
}

/** GET or POST JSON; a non-2xx answer throws an Error carrying the API's message. */
async function api(path, params, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)};
  const response = await fetch(path + queryString(params || {}), init);
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  if (!response.ok) {
    throw new Error(`${response.status}: ${describeError(data) || response.statusText}`);
  }
  return data;
}

function describeError(data) {
  if (!data) return "";
  const detail = data.detail !== undefined ? data.detail : data.error || data.message;
  if (Array.isArray(detail)) return detail.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`).join("; ");
  if (detail && typeof detail === "object") return detail.message || JSON.stringify(detail);
  return detail ? String(detail) : "";
}

function showError(container, err) {
  fill(container, h("p", {class: "error", role: "alert"}, String(err.message || err)));
}

function codes(participants) {
  return (participants || []).map((p) => p.code || p.name || p.entity_text || p.text || "?").join(", ") || "—";
}

function names(participants) {
  return (participants || []).map((p) => p.name || p.entity_text || p.text || p.code || "?").join("; ");
}

function eventDate(ev) {
  return ev.date || (ev.date_info && ev.date_info.value) || "";
}

function placeName(ev) {
  return ev.event_loc ? ev.event_loc.name || "" : ev.place || "";
}

/** Fetch every page of a list endpoint (at most ``limit`` rows). */
async function fetchAll(path, params, limit) {
  const items = [];
  let total = 0;
  for (let page = 1; ; page += 1) {
    const data = await api(path, {...params, page, page_size: MAX_PAGE_SIZE});
    total = data.total;
    items.push(...data.items);
    if (data.items.length === 0 || items.length >= Math.min(total, limit)) break;
  }
  return {total, items: items.slice(0, limit)};
}

// --- routing ------------------------------------------------------------------------------------

function route() {
  const hash = window.location.hash.replace(/^#\/?/, "");
  const [path, search] = hash.split("?");
  const parts = path.split("/").filter(Boolean).map(decodePart);
  const view = VIEWS.includes(parts[0]) ? parts[0] : "dyad";
  return {view, rest: parts.slice(1), params: new URLSearchParams(search || "")};
}

function decodePart(part) {
  try {
    return decodeURIComponent(part);
  } catch (err) {
    return part;  // a malformed escape in a hand-typed address: keep it as typed
  }
}

function go(view, rest, params) {
  const path = ["#", view, ...(rest || []).map(encodeURIComponent)].join("/");
  const qs = queryString(params || {});
  if (window.location.hash === path + qs) render();
  else window.location.hash = path + qs;
}

function render() {
  const {view, rest, params} = route();
  for (const name of VIEWS) {
    document.getElementById("view-" + name).hidden = name !== view;
  }
  for (const link of document.querySelectorAll("#tabs a")) {
    link.classList.toggle("active", link.dataset.view === view);
  }
  document.body.dataset.view = view;
  const views = {dyad: showDyad, network: showNetwork, events: showEvents, article: showArticle, add: showAdd};
  views[view](rest, params);
}

function formParams(form) {
  const params = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (typeof value === "string" && value.trim() !== "") params[key] = value.trim();
  }
  return params;
}

function setForm(form, params) {
  for (const el of form.elements) {
    if (el.name && params.has(el.name)) el.value = params.get(el.name);
  }
}

function chart(id) {
  if (!charts[id]) charts[id] = window.echarts.init(document.getElementById(id));
  charts[id].resize();
  return charts[id];
}

// --- dyad view ----------------------------------------------------------------------------------

async function showDyad(rest, params) {
  const form = document.getElementById("dyad-form");
  setForm(form, params);
  const {a, b, by} = formParams(form);
  const el = document.getElementById("dyad-chart");
  const summary = document.getElementById("dyad-reciprocity");
  fill(document.getElementById("dyad-events"));
  el.dataset.points = "0";
  el.dataset.periods = "0";
  fill(summary, "Loading…");
  try {
    dyadData = await api("/api/dyad", {a: (a || "").toUpperCase(), b: (b || "").toUpperCase(), by});
  } catch (err) {
    showError(summary, err);
    return;
  }
  fill(summary, dyadData.reciprocity || "");
  drawDyad(el, dyadData);
}

const PERIOD_DAYS = {day: 1, week: 7, month: 30.44};
const DAY_MS = 86400000;

/** Milliseconds of a YYYY-MM-DD date at UTC midnight. */
function dayMs(iso) {
  return Date.parse(iso + "T00:00:00Z");
}

function drawDyad(el, data) {
  const thaw = data.thaw || [];
  const series = data.series || [];
  const points = data.points || [];
  const by = data.by || "week";
  const half = (PERIOD_DAYS[by] || 7) * DAY_MS / 2;
  const mid = (period) => dayMs(period) + half;  // lines and bars sit in the middle of their period
  const starts = [...thaw.map((r) => dayMs(r.period)), ...series.map((r) => dayMs(r.period))];
  const days = points.map((p) => dayMs(p.date));
  const min = Math.min(...starts, ...days);
  const max = Math.max(...starts.map((t) => t + 2 * half), ...days.map((t) => t + DAY_MS));
  const c = chart("dyad-chart");
  c.off("click");
  const item = (row, value, extra) => ({value: [mid(row.period), value], period: row.period, ...(extra || {})});
  const flags = thaw.filter((r) => r.flag);
  const dateLabel = {year: "{yyyy}", month: "{MMM} {yyyy}", day: by === "month" ? "" : "{d} {MMM}"};
  const timeAxis = {type: "time", min: Number.isFinite(min) ? min : null, max: Number.isFinite(max) ? max : null,
                    axisLabel: {formatter: dateLabel, hideOverlap: true}, splitLine: {show: false}};
  const option = {
    animation: false,
    color: ["#2b6cb0"],
    title: {text: `${data.a || ""} – ${data.b || ""}: thaw index by ${by}`, left: "center",
            textStyle: {fontSize: 15}},
    legend: {top: 28, data: ["thaw index (smoothed)", "uncertainty band", "events", "thaw / freeze",
                             ...[1, 2, 3, 4].map((q) => QUAD_NAMES[q])]},
    tooltip: {trigger: "item", confine: true},
    grid: [{left: 70, right: 30, top: 90, height: "45%"}, {left: 70, right: 30, top: "68%", bottom: 40}],
    xAxis: [
      {...timeAxis, gridIndex: 0},
      {...timeAxis, gridIndex: 1, name: `${by} (bars: events per ${by} by quad class)`, nameLocation: "middle",
       nameGap: 26},
    ],
    yAxis: [
      {type: "value", gridIndex: 0, min: -10, max: 10, interval: 5, name: "index (−10 conflict … +10 cooperation)",
       nameLocation: "middle", nameGap: 40},
      {type: "value", gridIndex: 1, minInterval: 1, name: "events", nameLocation: "middle", nameGap: 40},
    ],
    series: [
      {id: "band-lower", type: "line", stack: "band", stackStrategy: "all", data: thaw.map((r) => item(r, r.lower)),
       symbol: "none", lineStyle: {opacity: 0}, silent: true, tooltip: {show: false}},
      {id: "band", name: "uncertainty band", type: "line", stack: "band", stackStrategy: "all",
       data: thaw.map((r) => item(r, r.upper - r.lower)), symbol: "none", lineStyle: {opacity: 0},
       areaStyle: {color: "#2b6cb0", opacity: 0.16}, itemStyle: {color: "#a9c3e3"}, silent: true,
       tooltip: {show: false}},
      {id: "smoothed", name: "thaw index (smoothed)", type: "line", data: thaw.map((r) => item(r, r.smoothed)),
       symbolSize: 8, lineStyle: {width: 3}, z: 3, tooltip: {formatter: (p) => thawTooltip(thaw[p.dataIndex])}},
      {id: "flags", name: "thaw / freeze", type: "scatter",
       data: flags.map((r) => item(r, r.smoothed, {flag: r.flag, symbolRotate: r.flag === "thaw" ? 0 : 180,
                                                   itemStyle: {color: r.flag === "thaw" ? "#1b7837" : "#d7301f"}})),
       symbol: "triangle", symbolSize: 16, z: 4, label: {show: true, position: "top", formatter: (p) => p.data.flag},
       tooltip: {formatter: (p) => thawTooltip(flags[p.dataIndex])}},
      {id: "events", name: "events", type: "scatter", z: 5,
       data: points.map((p) => ({value: [dayMs(p.date), p.intensity], point: p,
                                 itemStyle: {color: QUAD_COLOURS[p.quad] || "#888"}})),
       symbolSize: (value, p) => Math.min(10 + 3 * ((p.data.point.num_sources || 1) - 1), 22),
       itemStyle: {color: "#888", opacity: 1, borderColor: "#333", borderWidth: 1},
       tooltip: {formatter: (p) => pointTooltip(p.data.point)}},
      // Empty bars in the upper grid, so that ECharts widens both time axes alike and they line up.
      {id: "align", type: "bar", barMaxWidth: 48, data: series.map((row) => item(row, 0)), silent: true,
       itemStyle: {opacity: 0}, tooltip: {show: false}},
      ...[1, 2, 3, 4].map((q) => ({
        id: "q" + q, name: QUAD_NAMES[q], type: "bar", stack: "quads", xAxisIndex: 1, yAxisIndex: 1,
        itemStyle: {color: QUAD_COLOURS[q]}, barMaxWidth: 48,
        data: series.map((row) => item(row, (row.counts || {})[q] || 0)),
        tooltip: {formatter: (p) => `${esc(QUAD_NAMES[q])}<br>${by} of ${esc(p.data.period)}: ` +
          `${esc(p.value[1])} events`},
      })),
    ],
  };
  c.setOption(option, true);
  c.on("click", (p) => onDyadClick(p));
  el.dataset.points = String(points.length);
  el.dataset.periods = String(thaw.length);
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", `Thaw index of ${data.a} and ${data.b} by ${by}: ${points.length} events ` +
    `in ${thaw.length} periods; ${flags.map((r) => `${r.flag} in the ${by} of ${r.period}`).join(", ") || "no flags"}.`);
  if (!points.length) {
    fill(document.getElementById("dyad-reciprocity"),
      (data.reciprocity || "") + ` No dated, occurred events between ${data.a} and ${data.b} yet.`);
  }
}

function thawTooltip(row) {
  return [`period of ${esc(row.period)}`,
    `index ${row.smoothed.toFixed(2)} (band ${row.lower.toFixed(2)} … ${row.upper.toFixed(2)})`,
    `this period: ${esc(row.n_events)} events from ${esc(row.n_sources)} sources`,
    row.flag ? `<b>${esc(row.flag)}</b>` : ""].filter(Boolean).join("<br>");
}

function pointTooltip(p) {
  return [`${esc(p.date)}: ${esc(p.source)} → ${esc(p.target)}`,
    `${esc(p.event)} (${esc(QUAD_NAMES[p.quad] || "quad " + p.quad)}), intensity ${Number(p.intensity).toFixed(1)}`,
    `${esc(p.num_sources || 1)} source(s) — click to list`].join("<br>");
}

function periodRow(period) {
  return (dyadData.series || []).find((row) => row.period === period);
}

async function onDyadClick(p) {
  const target = document.getElementById("dyad-events");
  let heading;
  let ids;
  if (p.seriesId === "events") {
    const day = p.data.point.date;
    const same = dyadData.points.filter((pt) => pt.date === day);
    ids = same.flatMap((pt) => pt.event_ids || [pt.event_id]);
    heading = `Events on ${day}`;
  } else {
    const period = p.data.period;
    const row = periodRow(period);
    ids = row ? row.event_ids || [] : [];
    heading = `Events in the ${dyadData.by || "period"} of ${period}`;
  }
  fill(target, h("h2", {}, heading), h("p", {}, "Loading…"));
  try {
    const events = await eventsByIds([...new Set(ids)]);
    fill(target, h("h2", {}, heading), eventList(events));
  } catch (err) {
    fill(target, h("h2", {}, heading));
    target.append(h("p", {class: "error", role: "alert"}, String(err.message || err)));
  }
}

async function eventsByIds(ids) {
  if (!ids.length) return [];
  const found = [];
  for (let i = 0; i < ids.length; i += MAX_PAGE_SIZE) {
    const data = await api("/api/events", {ids: ids.slice(i, i + MAX_PAGE_SIZE).join(","), status: "all",
                                           page_size: MAX_PAGE_SIZE});
    found.push(...data.items);
  }
  return found;
}

/** Cards of events: what, who, status, the evidence sentence with its trigger, a link to the article. */
function eventList(events) {
  if (!events.length) return h("p", {}, "No events.");
  return h("ol", {class: "event-list"}, events.map((ev) => h("li", {class: "event-card", dataset: {eventId: ev.id}},
    h("div", {class: "event-head"},
      h("span", {class: "badge", style: `background:${QUAD_COLOURS[ev.quad_code] || "#888"}`}, ev.event),
      ` ${eventDate(ev)} · ${codes(ev.actor)} → ${codes(ev.recipient)} · ${ev.status}`,
      ev.mode ? ` · ${ev.mode}` : ""),
    h("blockquote", {class: "evidence"}, emphasise(ev.sentence || ev.event_text || "", ev.trigger || "")),
    h("a", {href: `#/article/${encodeURIComponent(ev.article_id)}?event=${encodeURIComponent(ev.id)}`,
            class: "article-link"}, "Read the article"))));
}

/**
 * ``sentence`` as text nodes with the trigger in <strong>: the whole trigger when it occurs as
 * written, else each of its words in turn ("expelled … diplomats").
 */
function emphasise(sentence, trigger) {
  const words = (trigger || "").includes(" ") && !sentence.includes(trigger) ? trigger.split(/\s+/) : [trigger];
  const out = [];
  let from = 0;
  for (const word of words.filter(Boolean)) {
    const at = sentence.indexOf(word, from);
    if (at < 0) continue;
    out.push(sentence.slice(from, at), h("strong", {}, word));
    from = at + word.length;
  }
  out.push(sentence.slice(from));
  return out;
}

// --- network view -------------------------------------------------------------------------------

async function showNetwork(rest, params) {
  const form = document.getElementById("network-form");
  setForm(form, params);
  const el = document.getElementById("network-chart");
  el.dataset.nodes = "0";
  el.dataset.edges = "0";
  const status = document.getElementById("network-status");
  fill(status, "Loading…");
  let data;
  let actorNames = {};
  try {
    [data, actorNames] = await Promise.all([api("/api/network", formParams(form)), actorIndex()]);
  } catch (err) {
    chart("network-chart").clear();
    showError(status, err);
    return;
  }
  const nodes = data.nodes || [];
  const edges = data.edges || [];
  fill(status, `${nodes.length} actors, ${edges.length} directed links (occurred events, clustered across articles).`);
  const biggest = Math.max(1, ...edges.map((e) => e.count));
  const c = chart("network-chart");
  c.off("click");
  c.setOption({
    animation: false,
    tooltip: {confine: true, formatter: (p) => networkTooltip(p, actorNames)},
    series: [{
      type: "graph", layout: "force", roam: true, draggable: true,
      force: {repulsion: 1600, edgeLength: [160, 320], gravity: 0.05, layoutAnimation: false},
      edgeSymbol: ["none", "arrow"], edgeSymbolSize: 9,
      label: {show: true, position: "right", fontSize: 13},
      data: nodes.map((n) => ({id: n.id, name: n.id, value: n.events, node: n,
                               symbolSize: 14 + 8 * Math.sqrt(n.events), itemStyle: {color: "#4a6fa5"}})),
      links: edges.map((e) => ({source: e.source, target: e.target, value: e.count, edge: e,
                                lineStyle: {width: 1 + 7 * e.count / biggest, color: intensityColour(e.mean_intensity),
                                            curveness: 0.18, opacity: 0.85}})),
    }],
  }, true);
  c.on("click", (p) => {
    if (p.dataType === "edge") go("events", [], {actor: p.data.source, recipient: p.data.target});
    else if (p.dataType === "node") go("events", [], {actor: p.data.id});
  });
  el.dataset.nodes = String(nodes.length);
  el.dataset.edges = String(edges.length);
}

function intensityColour(value) {
  if (value > 0.5) return "#1b7837";
  if (value < -0.5) return "#d7301f";
  return "#999999";
}

function networkTooltip(p, actorNames) {
  if (p.dataType === "edge") {
    const e = p.data.edge;
    const quads = [1, 2, 3, 4].map((q) => `${esc(QUAD_NAMES[q])}: ${esc((e.quads || {})[q] || 0)}`).join("<br>");
    return `${esc(e.source)} → ${esc(e.target)}: ${esc(e.count)} events, mean intensity ` +
      `${Number(e.mean_intensity).toFixed(2)}<br>${quads}`;
  }
  const n = p.data.node;
  const name = actorNames[n.id] ? ` (${esc(actorNames[n.id])})` : "";
  return `${esc(n.id)}${name}<br>${esc(n.events)} events: ${esc(n.out)} sent, ${esc(n.in)} received`;
}

let actorCache = null;

/** Actor code → most frequent name, from /api/actors (also fills the actor input suggestions). */
async function actorIndex() {
  if (actorCache) return actorCache;
  const data = await api("/api/actors", {page_size: MAX_PAGE_SIZE});
  actorCache = {};
  const list = document.getElementById("actor-codes");
  fill(list, data.items.map((a) => {
    actorCache[a.code] = a.name || "";
    return h("option", {value: a.code, label: a.name ? `${a.code} — ${a.name}` : a.code});
  }));
  return actorCache;
}

// --- events table -------------------------------------------------------------------------------

const EVENT_COLUMNS = [
  ["date", "Date", (ev) => eventDate(ev)],
  ["event", "Event", (ev) => ev.event],
  ["quad_code", "Quad", (ev) => ev.quad_code],
  ["status", "Status", (ev) => ev.status],
  ["actor", "Actors", (ev) => codes(ev.actor)],
  ["recipient", "Recipients", (ev) => codes(ev.recipient)],
  ["intensity", "Intensity", (ev) => ev.intensity],
  ["place", "Place", (ev) => placeName(ev)],
  ["trigger", "Trigger", (ev) => ev.trigger],
  ["sentence", "Evidence", (ev) => ev.sentence],
];

function eventFilters(params) {
  const form = document.getElementById("events-form");
  for (const el of form.elements) if (el.name) el.value = params.get(el.name) || "";
  if (!params.has("status")) form.elements.status.value = "";
  return formParams(form);
}

async function showEvents(rest, params) {
  const filters = eventFilters(params);
  const page = Math.max(1, Number(params.get("page")) || 1);
  const table = document.getElementById("events-table");
  const summary = document.getElementById("events-summary");
  fill(summary, "Loading…");
  let data;
  try {
    data = await api("/api/events", {...apiEventFilters(filters), page, page_size: PAGE_SIZE});
  } catch (err) {
    fill(table);
    showError(summary, err);
    return;
  }
  const first = data.total ? (page - 1) * data.page_size + 1 : 0;
  const last = (page - 1) * data.page_size + data.items.length;
  fill(summary, `${data.total} events match; showing ${first}–${last}.`);
  table.dataset.total = String(data.total);
  fill(table,
    h("thead", {}, h("tr", {}, EVENT_COLUMNS.map(([, label]) => h("th", {}, label)), h("th", {}, "Article"))),
    h("tbody", {}, data.items.map((ev) => h("tr", {dataset: {eventId: ev.id}},
      EVENT_COLUMNS.map(([key, , get]) => h("td", {class: "col-" + key}, get(ev) ?? "")),
      h("td", {}, h("a", {href: `#/article/${encodeURIComponent(ev.article_id)}?event=${encodeURIComponent(ev.id)}`},
        "open"))))));
  const pages = Math.max(1, Math.ceil(data.total / data.page_size));
  fill(document.getElementById("events-page"), `page ${page} of ${pages}`);
  const prev = document.getElementById("events-prev");
  const next = document.getElementById("events-next");
  prev.disabled = page <= 1;
  next.disabled = page >= pages;
  prev.onclick = () => go("events", [], {...filters, page: page - 1});
  next.onclick = () => go("events", [], {...filters, page: page + 1});
}

/** The form's filters as API parameters ("any" status means every status). */
function apiEventFilters(filters) {
  return {...filters, status: filters.status || "all"};
}

function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;  // no spreadsheet formulas
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const CSV_COLUMNS = [
  ["id", (ev) => ev.id], ["article_id", (ev) => ev.article_id], ["date", (ev) => eventDate(ev)],
  ["event", (ev) => ev.event], ["mode", (ev) => ev.mode], ["status", (ev) => ev.status],
  ["quad_code", (ev) => ev.quad_code], ["intensity", (ev) => ev.intensity],
  ["actor_codes", (ev) => codes(ev.actor)], ["actor_names", (ev) => names(ev.actor)],
  ["recipient_codes", (ev) => codes(ev.recipient)], ["recipient_names", (ev) => names(ev.recipient)],
  ["place", (ev) => placeName(ev)], ["trigger", (ev) => ev.trigger], ["event_text", (ev) => ev.event_text],
  ["sentence", (ev) => ev.sentence],
];

async function downloadCsv() {
  const summary = document.getElementById("events-summary");
  const filters = eventFilters(route().params);
  let data;
  try {
    data = await fetchAll("/api/events", apiEventFilters(filters), CSV_MAX_ROWS);
  } catch (err) {
    showError(summary, err);
    return;
  }
  const lines = [CSV_COLUMNS.map(([name]) => name).join(",")];
  for (const ev of data.items) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(ev))).join(","));
  const blob = new Blob([lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
  const link = h("a", {href: URL.createObjectURL(blob), download: "communique-events.csv"});
  document.body.append(link);
  link.click();
  link.remove();
  if (data.total > data.items.length) {
    summary.append(` The CSV holds the first ${data.items.length} of ${data.total} rows.`);
  }
}

// --- article reader -----------------------------------------------------------------------------

async function showArticle(rest, params) {
  const target = document.getElementById("article");
  const form = document.getElementById("article-form");
  form.elements.id.value = rest[0] || "";
  if (!rest[0]) {
    await articleIndex(target);
    return;
  }
  fill(target, h("p", {}, "Loading…"));
  try {
    const data = await api("/api/articles/" + encodeURIComponent(rest[0]));
    renderArticle(target, data, params.get("event"), params.get("quote"));
  } catch (err) {
    showError(target, err);
  }
}

async function articleIndex(target) {
  try {
    const data = await api("/api/articles", {page_size: PAGE_SIZE});
    fill(target, h("h2", {}, "Latest articles"), h("ul", {class: "article-index"}, data.items.map((a) => h("li", {},
      h("a", {href: `#/article/${encodeURIComponent(a.id)}`}, a.title || a.source || a.id),
      ` ${a.published || "undated"} · ${a.quotes} quotes · ${a.events} events`))));
  } catch (err) {
    fill(target, h("p", {}, "Open an article from the event table or the dyad view, or give its id above."));
  }
}

/** Render an article view: metadata, the text with quotes/evidence/triggers highlighted, and side lists. */
function renderArticle(target, data, focusEvent, focusQuote) {
  const art = data.article || {};
  const quotes = data.quotes || [];
  const events = data.events || [];
  const url = safeUrl(art.url);
  const meta = [art.published || "undated", art.site || (art.dateline && art.dateline.agency) || art.source]
    .filter(Boolean).join(" · ");
  const textEl = h("div", {class: "article-text", id: "article-text"}, highlight(data.text || "", quotes, events));
  const jump = (kind, id) => (e) => {
    e.preventDefault();
    focusSpans(textEl, kind, id);
  };
  const quoteItems = quotes.map((q) => h("li", {},
    h("a", {href: "#", dataset: {quote: q.id}, onclick: jump("quote", q.id)}, speakerLabel(q.speaker)), `: ${q.text}`));
  const eventItems = events.map((ev) => h("li", {},
    h("a", {href: "#", dataset: {event: ev.id}, onclick: jump("trigger", ev.id)}, ev.event),
    ` ${codes(ev.actors)} → ${codes(ev.recipients)} · ${ev.status}${ev.date ? " · " + ev.date : ""}`));
  fill(target,
    h("h2", {class: "article-title"}, art.title || "(untitled)"),
    h("p", {class: "meta"}, meta,
      url ? [" · ", h("a", {href: url, rel: "noopener noreferrer", target: "_blank"}, "original")] : null),
    h("p", {class: "legend"}, h("span", {class: "q"}, "quote"), " ", h("span", {class: "ev"}, "event evidence"),
      " ", h("span", {class: "ev tr"}, "event trigger"),
      " — hover for the speaker, or the trigger, actors and status."),
    h("div", {class: "reader"}, textEl, h("aside", {},
      h("h3", {}, `Quotes (${quotes.length})`), h("ol", {class: "side-list"}, quoteItems),
      h("h3", {}, `Events (${events.length})`), h("ol", {class: "side-list"}, eventItems))));
  if (focusEvent) focusSpans(textEl, "trigger", focusEvent);
  else if (focusQuote) focusSpans(textEl, "quote", focusQuote);
}

function speakerLabel(sp) {
  if (!sp) return "unknown speaker";
  const who = sp.name || sp.mention || "unknown speaker";
  return sp.code ? `${who} [${sp.code}${sp.sector ? ":" + sp.sector : ""}]` : who;
}

function quoteTitle(q) {
  const sp = q.speaker;
  const said = sp && sp.mention && sp.mention !== sp.name ? ` (as “${sp.mention}”)` : "";
  return `Quote, ${q.kind}: ${speakerLabel(q.speaker)}${said}`;
}

function eventTitle(ev) {
  return `Event ${ev.event}${ev.mode ? " / " + ev.mode : ""} · ${ev.status} · trigger “${ev.trigger || ""}” · ` +
    `${codes(ev.actors)} → ${codes(ev.recipients)}${ev.date ? " · " + ev.date : ""}`;
}

/**
 * The text cut at every quote, evidence and trigger boundary: each piece is a text node, or a
 * <span> whose data-quote / data-event / data-trigger list the ids covering it, so overlapping
 * annotations stay exact. The title attribute says who speaks and what event it is.
 */
function highlight(text, quotes, events) {
  const ranges = [];
  const add = (start, end, kind, item) => {
    const s = Math.max(0, Math.min(text.length, Number(start)));
    const e = Math.max(0, Math.min(text.length, Number(end)));
    if (Number.isFinite(s) && Number.isFinite(e) && e > s) ranges.push({s, e, kind, item});
  };
  for (const q of quotes) add(q.start, q.end, "quote", q);
  for (const ev of events) {
    add(ev.start, ev.end, "event", ev);
    add(ev.trigger_start, ev.trigger_end, "trigger", ev);
  }
  const cuts = [...new Set([0, text.length, ...ranges.flatMap((r) => [r.s, r.e])])].sort((x, y) => x - y);
  const pieces = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const covering = ranges.filter((r) => r.s <= from && to <= r.e);
    const piece = text.slice(from, to);
    if (!covering.length) {
      pieces.push(document.createTextNode(piece));
      continue;
    }
    const ids = (kind) => covering.filter((r) => r.kind === kind).map((r) => r.item.id);
    const [q, ev, tr] = [ids("quote"), ids("event"), ids("trigger")];
    const titles = [...covering.filter((r) => r.kind === "quote").map((r) => quoteTitle(r.item)),
      ...covering.filter((r) => r.kind === "trigger").map((r) => eventTitle(r.item)),
      ...covering.filter((r) => r.kind === "event" && !tr.includes(r.item.id))
        .map((r) => "evidence of " + eventTitle(r.item))];
    pieces.push(h("span", {
      class: [q.length ? "q" : "", ev.length ? "ev" : "", tr.length ? "tr" : ""].filter(Boolean).join(" "),
      "data-quote": q.join(" ") || null, "data-event": ev.join(" ") || null, "data-trigger": tr.join(" ") || null,
      title: titles.join("\n"),
    }, piece));
  }
  return pieces;
}

function focusSpans(textEl, kind, id) {
  for (const el of textEl.querySelectorAll(".focus")) el.classList.remove("focus");
  const spans = [...textEl.querySelectorAll(`[data-${kind}]`)].filter((el) => el.dataset[kind].split(" ").includes(id));
  spans.forEach((el) => el.classList.add("focus"));
  if (spans.length) spans[0].scrollIntoView({block: "center"});
}

// --- add a story --------------------------------------------------------------------------------

function showAdd() {
  document.getElementById("add-form").elements.text.focus();
}

async function submitStory(event) {
  event.preventDefault();
  const form = event.target;
  const fields = formParams(form);
  const result = document.getElementById("add-result");
  const body = {};
  if (form.elements.text.value.trim()) {
    body.text = form.elements.text.value;
    body.headline = form.elements.headline.checked;
  } else if (fields.url) body.url = fields.url;
  else {
    fill(result, h("p", {class: "error", role: "alert"}, "Paste a story or give a URL first."));
    return;
  }
  if (fields.title) body.title = fields.title;
  if (fields.published) body.published = fields.published;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  fill(result, h("p", {class: "working"}, "Coding… (quotes, actors, events)"));
  try {
    const coded = await api("/api/articles", {}, body);
    const count = (x) => (Array.isArray(x) ? x.length : x || 0);
    const status = coded.stored === false ? "Already in the store" : "Stored";
    const view = await api("/api/articles/" + encodeURIComponent(coded.id));
    const reader = h("div", {id: "add-article"});
    fill(result, h("p", {class: "done", dataset: {articleId: coded.id}},
      `${status} as ${coded.id}: ${count(coded.quotes)} quotes, ${count(coded.events)} events. `,
      h("a", {href: `#/article/${encodeURIComponent(coded.id)}`}, "Open in the reader")), reader);
    renderArticle(reader, view);
    actorCache = null;
  } catch (err) {
    showError(result, err);
  } finally {
    button.disabled = false;
  }
}

// --- start --------------------------------------------------------------------------------------

function start() {
  document.getElementById("dyad-form").addEventListener("submit", (e) => {
    e.preventDefault();
    go("dyad", [], formParams(e.target));
  });
  document.getElementById("network-form").addEventListener("submit", (e) => {
    e.preventDefault();
    go("network", [], formParams(e.target));
  });
  document.getElementById("events-form").addEventListener("submit", (e) => {
    e.preventDefault();
    go("events", [], formParams(e.target));
  });
  document.getElementById("events-csv").addEventListener("click", downloadCsv);
  document.getElementById("article-form").addEventListener("submit", (e) => {
    e.preventDefault();
    go("article", [formParams(e.target).id || ""]);
  });
  document.getElementById("add-form").addEventListener("submit", submitStory);
  window.addEventListener("hashchange", render);
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  actorIndex().catch(() => null);
  render();
}

start();
