/* communique dashboard: one page, hash routes (#/overview, #/map, #/dyad, #/network, #/events,
 * #/article/ID, #/add); the overview is the landing page.
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
const VIEWS = ["overview", "map", "dyad", "network", "events", "article", "add"];
const COUNT_LABELS = [
  ["articles", "articles"], ["dated_articles", "with a date"], ["sources", "sources"], ["events", "events"],
  ["occurred", "occurred"], ["planned", "planned"], ["negated", "negated"], ["hypothetical", "hypothetical"],
  ["historical", "historical"], ["quad1", "verbal cooperation"], ["quad2", "material cooperation"],
  ["quad3", "verbal conflict"], ["quad4", "material conflict"], ["quotes", "quotes"],
];
const charts = {};
let dyadData = null;
let worldMap = null;  // the registered world map's names (map id → country name), once loaded

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
  const view = VIEWS.includes(parts[0]) ? parts[0] : "overview";
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
  const views = {overview: showOverview, map: showMap, dyad: showDyad, network: showNetwork, events: showEvents,
                 article: showArticle, add: showAdd};
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

// --- overview -----------------------------------------------------------------------------------

async function showOverview(rest, params) {
  const form = document.getElementById("overview-form");
  setForm(form, params);
  const notes = document.getElementById("overview-notes");
  fill(notes, h("p", {class: "summary"}, "Loading…"));
  let data;
  try {
    data = await api("/api/overview", formParams(form));
  } catch (err) {
    showError(notes, err);
    return;
  }
  fill(notes, data.missing.map((note) => h("p", {class: "note", role: "note", dataset: {missing: note.what}},
    note.message)));
  const c = data.counts;
  const values = {...c, ...c.by_status, ...Object.fromEntries([1, 2, 3, 4].map((q) => ["quad" + q,
    c.by_quad[q] || 0]))};
  fill(document.getElementById("overview-counts"), COUNT_LABELS.map(([key, label]) => h("div",
    {class: "count", dataset: {count: key}}, h("span", {class: "n"}, String(values[key] ?? 0)),
    h("span", {class: "label"}, label))));
  drawTimeline(data);
  fill(document.getElementById("overview-dyads"), data.dyads.map((d) => h("li", {},
    h("a", {href: dyadHref(d.a, d.b)}, `${d.a} – ${d.b}`),
    ` ${plural(d.events, "event")} (${d.a_to_b} → · ← ${d.b_to_a}), last ${d.last}`)));
  fill(document.getElementById("overview-actors"), data.actors.map((a) => h("li", {},
    h("a", {href: `#/events${queryString({actor: a.code})}`}, a.code), a.name ? ` ${a.name}` : "",
    ` · ${plural(a.events, "event")}, ${plural(a.quotes, "quote")}`)));
  fill(document.getElementById("overview-speakers"), data.speakers.map((sp) => h("li", {},
    sp.speaker, sp.code ? ` [${sp.code}]` : "", ` · ${plural(sp.quotes, "quote")}`)));
  fill(document.getElementById("overview-latest"), eventList(data.latest));
}

function drawTimeline(data) {
  const el = document.getElementById("overview-timeline");
  const rows = data.timeline || [];
  const c = chart("overview-timeline");
  c.setOption({
    animation: false,
    title: {text: rows.length ? `Occurred events per ${data.by}` : "No dated events yet", left: "center",
            textStyle: {fontSize: 14}},
    legend: {top: 24, data: [1, 2, 3, 4].map((q) => QUAD_NAMES[q])},
    tooltip: {trigger: "axis", confine: true},
    grid: {left: 50, right: 20, top: 60, bottom: 30},
    xAxis: {type: "category", data: rows.map((r) => r.period)},
    yAxis: {type: "value", minInterval: 1},
    series: [1, 2, 3, 4].map((q) => ({name: QUAD_NAMES[q], type: "bar", stack: "quads", barMaxWidth: 40,
      itemStyle: {color: QUAD_COLOURS[q]}, data: rows.map((r) => r.counts[q] || 0)})),
  }, true);
  el.dataset.periods = String(rows.length);
}

// --- map ----------------------------------------------------------------------------------------

/** Load the vendored TopoJSON decoder and world boundaries once, and register them as the "world" map. */
async function loadWorld() {
  if (worldMap) return worldMap;
  if (!window.topojson) {
    await new Promise((resolve, reject) => {
      document.head.append(h("script", {src: "/static/vendor/topojson-client.min.js", onload: resolve,
                                        onerror: () => reject(new Error("cannot load the map decoder"))}));
    });
  }
  const response = await fetch("/static/vendor/countries-110m.json");
  if (!response.ok) throw new Error(`${response.status}: cannot load the world map`);
  const topology = await response.json();
  const world = window.topojson.feature(topology, topology.objects.countries);
  const names = {};
  for (const feature of world.features) {
    const polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    feature.geometry = {type: "MultiPolygon", coordinates: polygons.flatMap(splitAtAntimeridian)};
    const key = feature.id !== undefined ? String(feature.id) : feature.properties.name;
    names[key] = feature.properties.name;
    feature.properties = {name: key};  // the region name ECharts matches is the map id of /api/places
  }
  window.echarts.registerMap("world", world);
  worldMap = names;
  return worldMap;
}

/**
 * A polygon whose rings jump across ±180° (Russia, Fiji) as one or two polygons within −180…180: each ring is
 * made continuous, then drawn where it is and shifted by 360°, clamped to the map's edge.
 */
function splitAtAntimeridian(polygon) {
  const unwrapped = polygon.map((ring) => {
    const out = [];
    for (const [x, y] of ring) {
      const previous = out.length ? out[out.length - 1][0] : x;
      out.push([x - 360 * Math.round((x - previous) / 360), y]);
    }
    return out;
  });
  const xs = unwrapped.flat().map(([x]) => x);
  const shifts = [0, ...(Math.min(...xs) < -180 ? [360] : []), ...(Math.max(...xs) > 180 ? [-360] : [])];
  return shifts.map((shift) => unwrapped.map((ring) => ring.map(([x, y]) =>
    [Math.max(-180, Math.min(180, x + shift)), y])));
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Diverging colour of a mean intensity (−10 red … 0 grey … +10 green). */
function intensityScale(value) {
  const t = Math.max(-1, Math.min(1, Number(value) / 10 || 0));
  const [from, to] = t < 0 ? [[0x99, 0x99, 0x99], [0xd7, 0x30, 0x1f]] : [[0x99, 0x99, 0x99], [0x1b, 0x78, 0x37]];
  const mix = from.map((v, i) => Math.round(v + (to[i] - v) * Math.abs(t)));
  return `rgb(${mix.join(",")})`;
}

function placeTooltip(item, label) {
  const quads = Object.entries(item.quads || {}).map(([q, n]) => `${esc(QUAD_NAMES[q] || "quad " + q)}: ${esc(n)}`);
  return [`<b>${esc(label)}</b> (${esc(item.country || "?")}, ${esc(item.resolution)})`,
    `${esc(item.events)} events, mean intensity ${Number(item.mean_intensity).toFixed(1)}`, ...quads,
    "click to list them"].join("<br>");
}

async function showMap(rest, params) {
  const form = document.getElementById("map-form");
  const filters = mapFilters(form, params);
  const el = document.getElementById("map-chart");
  const summary = document.getElementById("map-summary");
  fill(document.getElementById("map-events"));
  el.dataset.markers = "0";
  el.dataset.countries = "0";
  fill(summary, "Loading…");
  let data;
  let names;
  try {
    [data, names] = await Promise.all([api("/api/places", filters), loadWorld()]);
  } catch (err) {
    showError(summary, err);
    return;
  }
  fill(summary, `${plural(data.events, "event")} match: ${plural(data.points.length, "place")} with coordinates, ` +
    `${data.countries.length} ${data.countries.length === 1 ? "country" : "countries"} as a whole; ` +
    `${plural(data.unplaced, "event")} without a place.`);
  const biggest = Math.max(1, ...data.points.map((p) => p.events));
  const shaded = data.countries.filter((cty) => cty.map_id && names[cty.map_id] !== undefined);
  const c = chart("map-chart");
  c.off("click");
  c.setOption({
    animation: false,
    tooltip: {trigger: "item", confine: true},
    geo: {
      map: "world", roam: true, left: 10, right: 10, top: 10, bottom: 10,
      itemStyle: {areaColor: "#eef1f5", borderColor: "#a7b1bf", borderWidth: 0.5},
      emphasis: {itemStyle: {areaColor: "#dde3ea"}, label: {show: false}},
      label: {show: false}, select: {disabled: true},
      tooltip: {show: true, formatter: (p) => {
        const cty = shaded.find((x) => x.map_id === p.name);
        return cty ? placeTooltip(cty, names[p.name]) : esc(names[p.name] || p.name);
      }},
      regions: shaded.map((cty) => ({name: cty.map_id, itemStyle: {areaColor: intensityScale(cty.mean_intensity),
                                                                   opacity: 0.85}})),
    },
    series: [{
      id: "places", type: "scatter", coordinateSystem: "geo", z: 5,
      data: data.points.map((pt) => ({name: pt.name, value: [pt.lon, pt.lat, pt.events], place: pt,
                                      itemStyle: {color: intensityScale(pt.mean_intensity)}})),
      symbolSize: (value) => 8 + 22 * Math.sqrt(value[2] / biggest),
      itemStyle: {borderColor: "#1f2933", borderWidth: 1, opacity: 0.9},
      tooltip: {formatter: (p) => placeTooltip(p.data.place, p.data.place.name)},
    }],
  }, true);
  c.on("click", (p) => {
    if (p.seriesId === "places") {
      const pt = p.data.place;
      placeEvents(pt.name, {...filters, level: "point", west: pt.lon, east: pt.lon, south: pt.lat, north: pt.lat});
    } else if (p.componentType === "geo") {
      const cty = shaded.find((x) => x.map_id === p.name);
      if (cty) placeEvents(names[cty.map_id] || cty.name, {...filters, level: "country", country: cty.country});
    }
  });
  el.dataset.markers = String(data.points.length);
  el.dataset.countries = String(shaded.length);
  el.setAttribute("role", "img");
  el.setAttribute("aria-label", `Map of ${data.events} events: ` +
    data.points.map((pt) => `${pt.name} ${pt.events}`).join(", "));
}

/** The map form's filters from the address (status "any" means every status, as in the event table). */
function mapFilters(form, params) {
  for (const el of form.elements) if (el.name) el.value = params.get(el.name) || "";
  return apiEventFilters(formParams(form));
}

async function placeEvents(label, query) {
  const target = document.getElementById("map-events");
  const heading = `Events at ${label}`;
  fill(target, h("h2", {}, heading), h("p", {}, "Loading…"));
  try {
    const data = await fetchAll("/api/events", query, CSV_MAX_ROWS);
    const more = data.total > data.items.length ? ` (the first ${data.items.length} of ${data.total})` : "";
    fill(target, h("h2", {}, heading), h("p", {class: "summary"}, `${data.total} events${more}.`),
      eventList(data.items));
  } catch (err) {
    fill(target, h("h2", {}, heading));
    target.append(h("p", {class: "error", role: "alert"}, String(err.message || err)));
  }
}

// --- dyad view ----------------------------------------------------------------------------------

async function showDyad(rest, params) {
  const form = document.getElementById("dyad-form");
  setForm(form, params);
  const el = document.getElementById("dyad-chart");
  const summary = document.getElementById("dyad-reciprocity");
  fill(document.getElementById("dyad-events"));
  el.dataset.points = "0";
  el.dataset.periods = "0";
  fill(summary, "Loading…");
  let pairs;
  try {
    pairs = (await api("/api/dyads", {page_size: 8})).items;
  } catch (err) {
    showError(summary, err);
    return;
  }
  fill(document.getElementById("dyad-pairs"), pairs.length ? "Most active pairs: " : "",
    pairs.flatMap((d, i) => [i ? " · " : "", h("a", {href: dyadHref(d.a, d.b)}, `${d.a}–${d.b}`), ` (${d.events})`]));
  if (!params.has("a") && !params.has("b") && pairs.length) {  // open on the store's most active pair
    form.elements.a.value = pairs[0].a;
    form.elements.b.value = pairs[0].b;
  }
  const {a, b, by} = formParams(form);
  if (!a || !b) {
    fill(summary, "No pair of actors has dated, occurred events yet.");
    await showMissing(summary);
    return;
  }
  try {
    dyadData = await api("/api/dyad", {a: a.toUpperCase(), b: b.toUpperCase(), by});
  } catch (err) {
    showError(summary, err);
    return;
  }
  fill(summary, dyadData.reciprocity || "");
  drawDyad(el, dyadData);
  if (!dyadData.points.length) await showMissing(summary);
}

function dyadHref(a, b) {
  return `#/dyad${queryString({a, b})}`;
}

/** Append the store's notes on what is missing (no dates, no places) to ``container``. */
async function showMissing(container) {
  try {
    const data = await api("/api/overview", {rows: 1});
    container.append(...data.missing.map((note) => h("span", {class: "note", dataset: {missing: note.what}},
      " " + note.message)));
  } catch (err) {
    container.append(h("span", {class: "error"}, " " + String(err.message || err)));
  }
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
      ev.mode ? ` · ${ev.mode}` : "", placeName(ev) ? ` · ${placeName(ev)}` : ""),
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
  const box = el.getBoundingClientRect();
  const at = forceLayout(nodes.map((n) => n.id), edges, (box.width - 130) / Math.max(box.height - 80, 1));
  const c = chart("network-chart");
  c.off("click");
  c.setOption({
    animation: false,
    tooltip: {confine: true, formatter: (p) => networkTooltip(p, actorNames)},
    series: [{
      // Positions computed here and fitted into the box by ECharts (layout "none"), so every actor is in view.
      type: "graph", layout: "none", roam: true, left: 40, right: 90, top: 40, bottom: 40,
      edgeSymbol: ["none", "arrow"], edgeSymbolSize: 9,
      label: {show: true, position: "right", fontSize: 13},
      data: nodes.map((n) => ({id: n.id, name: n.id, value: n.events, node: n, x: at[n.id][0], y: at[n.id][1],
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

/**
 * Node positions by a Fruchterman–Reingold layout: deterministic (nodes start on a circle), linked actors pull
 * together, all push apart, then spread over a box ``aspect`` wide and 1 high.
 */
function forceLayout(ids, edges, aspect) {
  const n = ids.length;
  const pos = {};
  ids.forEach((id, i) => {
    pos[id] = [0.5 + 0.4 * Math.cos(2 * Math.PI * i / Math.max(n, 1)), 0.5 + 0.4 * Math.sin(2 * Math.PI * i / Math.max(n, 1))];
  });
  const k = Math.sqrt(1 / Math.max(n, 1));
  let heat = 0.1;
  for (let round = 0; round < 300; round += 1) {
    const move = Object.fromEntries(ids.map((id) => [id, [0, 0]]));
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        const [a, b] = [pos[ids[i]], pos[ids[j]]];
        const dx = a[0] - b[0] || 1e-4;
        const dy = a[1] - b[1];
        const d2 = Math.max(dx * dx + dy * dy, 1e-6);
        const f = k * k / d2;
        move[ids[i]][0] += dx * f; move[ids[i]][1] += dy * f;
        move[ids[j]][0] -= dx * f; move[ids[j]][1] -= dy * f;
      }
    }
    for (const e of edges) {
      if (e.source === e.target || !pos[e.source] || !pos[e.target]) continue;
      const [a, b] = [pos[e.source], pos[e.target]];
      const dx = a[0] - b[0];
      const dy = a[1] - b[1];
      const d = Math.sqrt(dx * dx + dy * dy) || 1e-4;
      const f = d / k;
      move[e.source][0] -= dx * f; move[e.source][1] -= dy * f;
      move[e.target][0] += dx * f; move[e.target][1] += dy * f;
    }
    for (const id of ids) {
      move[id][0] += (0.5 - pos[id][0]) * n * k;  // gravity: unlinked groups stay near the middle
      move[id][1] += (0.5 - pos[id][1]) * n * k;
      const [mx, my] = move[id];
      const len = Math.sqrt(mx * mx + my * my) || 1;
      pos[id][0] += mx / len * Math.min(len, heat);
      pos[id][1] += my / len * Math.min(len, heat);
    }
    heat *= 0.985;
  }
  // Spread over a box of the chart's shape, so that fitting it into the chart scales x and y alike.
  const span = (axis) => [Math.min(...ids.map((id) => pos[id][axis])), Math.max(...ids.map((id) => pos[id][axis]))];
  const [[x0, x1], [y0, y1]] = [span(0), span(1)];
  for (const id of ids) {
    pos[id] = [aspect * (pos[id][0] - x0) / (x1 - x0 || 1), (pos[id][1] - y0) / (y1 - y0 || 1)];
  }
  return pos;
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
  document.getElementById("overview-form").addEventListener("change", (e) => {
    go("overview", [], formParams(e.currentTarget));
  });
  document.getElementById("map-form").addEventListener("submit", (e) => {
    e.preventDefault();
    go("map", [], formParams(e.target));
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
