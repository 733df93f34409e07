// The event monitor's dashboard. Everything it shows comes, after sign-in, from the live stream
// (WebSocket /api/live: one snapshot per second) and the operator API (/api/order,
// /api/dead-letters/replay), both with the operator's token. The token lives in sessionStorage:
// this tab only, gone when it closes. Data is written with textContent, never as HTML.
"use strict";

const TOKEN_KEY = "choreo.operator_token";
const SVG = "http://www.w3.org/2000/svg";

// The choreography: who publishes each subject and which durables (of which service) read it.
const SERVICES = ["order-service", "inventory-worker", "payment-worker", "shipping-worker"];
const EDGES = [
  { subject: "events.order.created", from: "order-service", to: "inventory-worker",
    durables: ["inventory_processors"] },
  { subject: "events.inventory.reserved", from: "inventory-worker", to: "payment-worker",
    durables: ["payment_processors"] },
  { subject: "events.payment.charged", from: "payment-worker", to: "shipping-worker",
    durables: ["shipping_handlers"] },
  { subject: "events.order.shipped", from: "shipping-worker", to: "order-service",
    durables: ["order_status_shipped"], back: 1 },
  { subject: "events.payment.charged", from: "payment-worker", to: "order-service",
    durables: ["order_status_paid"], back: 2 },
  { subject: "events.payment.failed", from: "payment-worker", to: "inventory-worker",
    durables: ["compensation_handlers"], back: 3, failure: true },
  { subject: "events.payment.failed", from: "payment-worker", to: "order-service",
    durables: ["order_payment_failed"], back: 4, failure: true },
  { subject: "events.order.failed", from: "inventory-worker", to: "order-service",
    durables: ["order_status_failed"], back: 5, failure: true },
];
const MONITOR_DURABLE = "event_monitoring";
const TERMINAL = new Set(["shipped", "failed", "cancelled"]);

const state = {
  token: null,
  socket: null,
  retryMs: 1000,
  refused: false,
  openOrder: null,      // the order id whose timeline is shown
  openOrderDone: false, // it reached a terminal status: no need to read it again
  snapshot: null,
};

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  }
  return node;
}

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function rate(value) {
  if (value === null || value === undefined) return "–";
  return value >= 10 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2);
}

function milliseconds(value) {
  if (value === null || value === undefined) return "–";
  return value >= 1000 ? (value / 1000).toFixed(2) + " s" : value.toFixed(0) + " ms";
}

function ago(seconds) {
  if (seconds === null || seconds === undefined) return "never";
  if (seconds < 1) return "just now";
  if (seconds < 120) return seconds.toFixed(0) + " s ago";
  if (seconds < 7200) return (seconds / 60).toFixed(0) + " min ago";
  return (seconds / 3600).toFixed(1) + " h ago";
}

function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : "";
}

function replaceRows(table, rows, empty) {
  const body = $(table).tBodies[0];
  body.replaceChildren(...rows);
  if (rows.length === 0) {
    const columns = $(table).tHead.rows[0].cells.length;
    body.append(element("tr", {}, element("td", { colspan: columns, className: "muted" }, empty)));
  }
}

// --- signing in and the live stream --------------------------------------------------------

function setConnection(label, stateName) {
  $("connection").textContent = label;
  $("connection").dataset.state = stateName;
}

function showSignIn(message) {
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  $("dashboard").hidden = true;
  $("sign-out").hidden = true;
  $("sign-in").hidden = false;
  $("sign-in-error").hidden = !message;
  $("sign-in-error").textContent = message || "";
  setConnection("signed out", "signed-out");
}

function signIn(token) {
  state.token = token.trim();
  state.refused = false;
  sessionStorage.setItem(TOKEN_KEY, state.token);
  $("sign-in-error").hidden = true;
  connect();
}

function signOut() {
  state.refused = true;
  if (state.socket) state.socket.close(1000, "signed out");
  state.socket = null;
  state.snapshot = null;
  closeTimeline();
  showSignIn("");
}

function connect() {
  if (!state.token) return;
  setConnection("connecting…", "connecting");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/api/live`);
  state.socket = socket;
  socket.addEventListener("open", () => {
    socket.send(JSON.stringify({ type: "sign_in", token: state.token }));
  });
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "signed_in") {
      state.retryMs = 1000;
      $("sign-in").hidden = true;
      $("dashboard").hidden = false;
      $("sign-out").hidden = false;
      setConnection("live", "live");
    } else if (data.type === "snapshot") {
      render(data);
    } else if (data.type === "error") {
      if (data.status === 401 || data.status === 403 || data.status === 400) {
        state.refused = true;
        showSignIn(`The monitor refused this token (${data.status}): ${data.message}`);
      } else {
        $("unreachable").hidden = false;
        $("unreachable").textContent = data.message;
      }
    }
  });
  socket.addEventListener("close", () => {
    if (state.socket !== socket) return;
    state.socket = null;
    if (state.refused || !state.token) return;
    // The monitor restarted, or this page fell behind: come back, more slowly each time.
    setConnection(`reconnecting in ${Math.round(state.retryMs / 1000)} s`, "connecting");
    setTimeout(connect, state.retryMs);
    state.retryMs = Math.min(state.retryMs * 2, 10000);
  });
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${state.token}`, ...(options.headers || {}) },
    cache: "no-store",
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 403) {
    state.refused = true;
    if (state.socket) state.socket.close(1000, "refused");
    showSignIn(`The monitor refused this token (${response.status}): ${body.error || ""}`);
  }
  return { status: response.status, body };
}

// --- rendering a snapshot --------------------------------------------------------------------

function render(snapshot) {
  state.snapshot = snapshot;
  const overview = snapshot.overview || {};
  const consumers = new Map((snapshot.consumers || []).map((c) => [c.name, c]));
  const unreachable = snapshot.unreachable || [];
  $("unreachable").hidden = unreachable.length === 0;
  $("unreachable").textContent = unreachable.length
    ? "Not answering: " + unreachable.join("; ") : "";

  renderFlow(overview.events || {}, consumers);
  renderFigures(overview, snapshot.history || []);
  renderConsumers(snapshot.consumers || []);
  renderOutboxes(snapshot.outboxes || []);
  renderOrders(overview.recent_orders || []);
  renderDeadLetters(snapshot.dead_letters || []);
  renderFailures(overview.recent_failures || []);
  $("updated").textContent = `updated ${clock(snapshot.at)}`;
  if (state.openOrder && !state.openOrderDone) loadTimeline(state.openOrder);
}

function backlogOf(consumer) {
  return consumer ? Number(consumer.num_pending) + Number(consumer.num_ack_pending) : 0;
}

function renderFlow(events, consumers) {
  const flow = $("flow");
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8a93a6" }));
  defs.append(marker);
  const parts = [defs];
  const width = 150, height = 60, top = 30, gap = (940 - 20 - width * 4) / 3;
  const x = (service) => 10 + SERVICES.indexOf(service) * (width + gap);
  const recent = (subject) => (events[subject] ? events[subject].recent_per_second : 0);
  // Where the edges returning into a node arrive and leave along its bottom, spread apart.
  const slot = (service, index) => x(service) + 20 + index * 27;

  for (const edge of EDGES) {
    const perSecond = recent(edge.subject);
    const lag = edge.durables.reduce((sum, name) => sum + backlogOf(consumers.get(name)), 0);
    const group = svg("g", { class: "edge" + (perSecond > 0 ? " active" : "") +
      (edge.failure ? " failure" : ""), "data-subject": edge.subject });
    const label = edge.subject.replace("events.", "");
    const figure = `${rate(perSecond)}/s` + (lag > 0 ? ` · ${lag} waiting` : "");
    if (!edge.back) {
      // Forward: straight along the row, the subject above the arrow and the rate below.
      const x1 = x(edge.from) + width, x2 = x(edge.to), y = top + height / 2;
      group.append(svg("path", { d: `M${x1},${y} L${x2 - 2},${y}` }));
      group.append(svg("text", { x: (x1 + x2) / 2, y: y - 8 }, label));
      group.append(svg("text", { x: (x1 + x2) / 2, y: y + 16 }, figure));
    } else {
      // Back: down, along a lane of its own under the row, and up into the target, labelled on
      // its lane: no two labels share a line.
      const x1 = slot(edge.from, 4 - (edge.back % 5)), x2 = slot(edge.to, edge.back - 1);
      const bottom = top + height, lane = bottom + 6 + edge.back * 30;
      group.append(svg("path", { d: `M${x1},${bottom} L${x1},${lane} L${x2},${lane} ` +
        `L${x2},${bottom + 2}` }));
      group.append(svg("text", { x: (x1 + x2) / 2, y: lane - 5 }, `${label} ${figure}`));
    }
    parts.push(group);
  }

  for (const service of SERVICES) {
    const durables = EDGES.filter((e) => e.to === service).flatMap((e) => e.durables);
    const lag = durables.reduce((sum, name) => sum + backlogOf(consumers.get(name)), 0);
    parts.push(node(service, x(service), top, width, height, lag, durables.length));
  }
  const monitor = consumers.get(MONITOR_DURABLE);
  const monitorLag = backlogOf(monitor);
  const all = Object.values(events).reduce((sum, e) => sum + e.recent_per_second, 0);
  parts.push(node("event-monitor", 395, 272, width, 48, monitorLag, 1, `events.> ${rate(all)}/s`));
  flow.replaceChildren(...parts);
}

function node(service, x, y, width, height, lag, durables, detail) {
  const group = svg("g", { class: "node" + (lag > 0 ? " lagging" : ""), "data-service": service });
  group.append(svg("rect", { x, y, width, height }));
  group.append(svg("text", { x: x + width / 2, y: y + 22 }, service));
  const line = detail ? `${detail}${lag > 0 ? ` · ${lag} waiting` : ""}`
    : durables === 0 ? "" : lag > 0 ? `${lag} waiting` : "keeping up";
  group.append(svg("text", { class: "detail", x: x + width / 2, y: y + 42 }, line));
  return group;
}

function sparkline(target, series, colours) {
  const chart = $(target);
  const lines = [];
  const max = Math.max(1e-9, ...series.flat().filter((v) => v !== null));
  series.forEach((values, index) => {
    if (values.length < 2) return;
    const points = values.map((v, i) =>
      `${(i / (values.length - 1)) * 300},${58 - ((v ?? 0) / max) * 54}`).join(" ");
    lines.push(svg("polyline", { points, stroke: colours[index] }));
  });
  chart.replaceChildren(...lines);
}

function renderFigures(overview, history) {
  const throughput = overview.throughput || {};
  const latency = overview.latency || {};
  $("window").textContent = overview.window_seconds ? `last ${overview.window_seconds} s` : "";
  $("created-rate").textContent = rate(throughput.created_per_second);
  $("shipped-rate").textContent = rate(throughput.shipped_per_second);
  $("failed-rate").textContent = rate(throughput.failed_per_second);
  $("latency-p50").textContent = milliseconds(latency.created_to_shipped_p50_ms);
  $("latency-p99").textContent = milliseconds(latency.created_to_shipped_p99_ms);
  $("latency-orders").textContent = latency.orders ?? "–";
  const recent = (sample, subject) =>
    (sample.recent && sample.recent[subject] ? sample.recent[subject].recent_per_second : 0);
  sparkline("throughput-chart", [
    history.map((s) => recent(s, "events.order.created")),
    history.map((s) => recent(s, "events.order.shipped")),
  ], ["#2f5fc6", "#1f8a4c"]);
  sparkline("latency-chart", [
    history.map((s) => s.latency.created_to_shipped_p50_ms),
    history.map((s) => s.latency.created_to_shipped_p99_ms),
  ], ["#1f8a4c", "#c77700"]);
}

function renderConsumers(consumers) {
  replaceRows("consumers", consumers.map((c) => {
    const unprocessed = Number(c.num_pending) + Number(c.num_ack_pending);
    return element("tr", { className: unprocessed > 0 ? "lagging" : "", "data-durable": c.name },
      element("td", { className: "mono" }, c.name),
      element("td", { className: "mono" }, c.filter_subject),
      element("td", { className: "number", "data-field": "unprocessed" }, unprocessed),
      element("td", { className: "number" }, c.num_ack_pending),
      element("td", { className: "number" }, c.num_redelivered),
      element("td", {}, ago(c.last_delivered_seconds_ago)));
  }), "no durables on the stream yet");
}

function renderOutboxes(outboxes) {
  replaceRows("outboxes", outboxes.map((o) =>
    element("tr", { className: o.unpublished > 0 ? "lagging" : "", "data-service": o.service },
      element("td", {}, o.service),
      element("td", { className: "number" }, o.unpublished),
      element("td", {}, o.unpublished > 0 ? `${o.oldest_age_seconds.toFixed(1)} s` : "–"))),
  "no outboxes read");
}

function renderOrders(orders) {
  replaceRows("orders", orders.map((o) =>
    element("tr", { className: "clickable" + (o.order_id === state.openOrder ? " selected" : ""),
      "data-order-id": o.order_id, onclick: () => openTimeline(o.order_id, o.identifier) },
    element("td", { className: "mono" }, o.identifier || o.order_id),
    element("td", { className: `status-${o.status}`, "data-field": "status" }, o.status),
    element("td", {}, clock(o.created_at)))),
  "no orders yet: create one through GraphQL and it appears here");
}

function renderDeadLetters(letters) {
  replaceRows("dead-letters", letters.map((letter) =>
    element("tr", { "data-dead-letter": letter.id },
      element("td", { className: "mono" }, letter.id),
      element("td", { className: "mono" }, letter.consumer),
      element("td", { className: "mono" }, letter.subject),
      element("td", {}, letter.reason),
      element("td", { className: "number" }, letter.attempts),
      element("td", {}, clock(letter.created_at)),
      element("td", {}, element("button", { type: "button", className: "replay",
        onclick: (event) => replay(letter, event.target) }, "Replay")))),
  "none: every event was handled");
}

function renderFailures(failures) {
  replaceRows("failures", failures.map((f) =>
    element("tr", {},
      element("td", { className: "mono" }, f.subject),
      element("td", { className: "mono" }, f.order_id),
      element("td", {}, clock(f.at)),
      element("td", {}, (f.data && (f.data.reason || f.data.error)) || ""))),
  "no failures in the window");
}

// --- one order's timeline ----------------------------------------------------------------------

function openTimeline(orderId, identifier) {
  state.openOrder = orderId;
  state.openOrderDone = false;
  $("timeline").hidden = false;
  $("timeline-title").textContent = identifier || orderId;
  $("timeline-events").replaceChildren();
  $("timeline-summary").textContent = "loading…";
  loadTimeline(orderId);
}

function closeTimeline() {
  state.openOrder = null;
  $("timeline").hidden = true;
}

async function loadTimeline(orderId) {
  const { status, body } = await api(`/api/order?id=${encodeURIComponent(orderId)}`);
  if (state.openOrder !== orderId) return;
  if (status !== 200) {
    $("timeline-summary").textContent = body.error || `the monitor answered ${status}`;
    return;
  }
  const events = body.events || [];
  const last = events.length ? events[events.length - 1] : null;
  const finalStatus = events.filter((e) => e.subject === "events.order.status_updated")
    .map((e) => e.data && e.data.status).pop();
  state.openOrderDone = TERMINAL.has(finalStatus);
  $("timeline-summary").textContent = `${events.length} events over ` +
    `${milliseconds(body.duration_ms)}` + (body.trace_id ? ` · trace ${body.trace_id}` : "") +
    (last ? ` · last: ${last.subject}` : "");
  $("timeline-events").replaceChildren(...events.map((e) =>
    element("li", { "data-subject": e.subject },
      element("span", { className: "subject mono" }, e.subject),
      " ",
      element("span", { className: "when" }, `${clock(e.at)}` +
        (e.since_previous_ms !== null ? ` · +${milliseconds(e.since_previous_ms)}` : "") +
        (e.monitor_deliveries > 1 ? ` · ${e.monitor_deliveries} deliveries` : "")),
      e.data && e.data.status ? element("div", { className: "muted" }, `status ${e.data.status}`)
        : "")));
}

// --- replaying a dead letter -------------------------------------------------------------------

async function replay(letter, button) {
  button.disabled = true;
  const { status, body } = await api("/api/dead-letters/replay", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ service: letter.service, number: letter.number }),
  });
  const result = $("replay-result");
  result.hidden = false;
  result.dataset.ok = String(status === 200);
  result.textContent = status === 200
    ? `Replayed ${body.id} (${body.subject}) as stream message ${body.stream_seq}` +
      (body.also_marked && body.also_marked.length ? `; also marked ${body.also_marked.join(", ")}` : "")
    : `Not replayed: ${body.detail || body.error || status}`;
  button.disabled = false;
}

// --- start -------------------------------------------------------------------------------------

document.addEventListener("DOMContentLoaded", () => {
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("token").value;
    $("token").value = "";
    if (token.trim()) signIn(token);
  });
  $("sign-out").addEventListener("click", signOut);
  $("timeline-close").addEventListener("click", closeTimeline);

  // ./dev up prints a link with the token after '#': read it, then drop it from the address bar
  // (a fragment never reaches the server, and now not the history either).
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("token")) {
    sessionStorage.setItem(TOKEN_KEY, fragment.get("token"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) signIn(saved);
  else showSignIn("");
});
