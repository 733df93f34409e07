// The event monitor's dashboard as an operator uses it, in Debian's Chromium driven by
// playwright-core: signing in (and nothing shown without), an order appearing live with its
// timeline, a stopped worker's lag on its durable clearing after the restart, and a dead letter
// replayed from the page.
//
// Run by `./dev test` against its test stack; by hand against a stack of your own:
//   (set -a; . .stack-test/env; set +a; CHOREO_STACK_DIR=$PWD/.stack-test \
//    CHOREOCTL=$PWD/build/choreoctl/choreoctl node --test tests/browser/)
// It stops and starts that stack's workers, so it is not for a stack anyone else is using.
// DASHBOARD_SCREENSHOTS=DIR saves a PNG of each state (docs/dashboard/ holds the committed ones).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const env = process.env;
const MONITOR = required("EVENT_MONITOR_URL");
const GRAPHQL = required("GRAPHQL_URL");
const STACK_DIR = required("CHOREO_STACK_DIR");
const CHOREOCTL = env.CHOREOCTL || path.join(REPO, "build", "choreoctl", "choreoctl");
const SCREENSHOTS = env.DASHBOARD_SCREENSHOTS || "";
// Generous: a healthy stack settles in well under a second; a loaded CI machine may not.
const SETTLE_MS = 60_000;

function required(name) {
  if (!env[name]) throw new Error(`${name} is not set: source a stack's env file first`);
  return env[name];
}

function operatorToken() {
  return execFileSync(CHOREOCTL, ["token", "--operator"], { encoding: "utf8" }).trim();
}

function stack(verb, service) {
  execFileSync(path.join(REPO, "dev"), ["stack", "--dir", STACK_DIR, verb, service],
    { stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
}

function psql(url, sql) {
  return execFileSync("psql", [url, "-XAtqc", sql], { encoding: "utf8" }).trim();
}

async function graphql(query) {
  const response = await fetch(GRAPHQL, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${env.TOKEN}` },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.ok(!body.errors, JSON.stringify(body.errors));
  return body.data;
}

async function createOrder(prefix) {
  const identifier = `${prefix}-${randomUUID().slice(0, 12)}`;
  const data = await graphql(`mutation { createOrder(input: { identifier: "${identifier}", ` +
    'total: "19.99" }) { id } }');
  return { id: data.createOrder.id, identifier };
}

async function statusOf(orderId) {
  return (await graphql(`query { order(id: "${orderId}") { status } }`)).order.status;
}

// Calls condition() until it returns something truthy, and returns that.
async function poll(condition, what, timeoutMs = SETTLE_MS) {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    const result = await condition();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
}

async function screenshot(page, name) {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: env.CHROMIUM || "/usr/bin/chromium",
    // No sandbox: CI runs as root. The rest keeps Chromium off the (closed) network.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
});

async function signedInPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(`${MONITOR}/#token=${operatorToken()}`);
  await page.locator("#connection[data-state=live]").waitFor({ timeout: SETTLE_MS });
  assert.equal(new URL(page.url()).hash, "", "the token leaves the address bar");
  return page;
}

// The durable's "unprocessed" figure as the page shows it.
async function unprocessed(page, durable) {
  const cell = page.locator(`#consumers tr[data-durable="${durable}"] [data-field=unprocessed]`);
  if ((await cell.count()) === 0) return null;
  return Number(await cell.textContent());
}

test("without a token the page is a sign-in and shows no data", async () => {
  const order = await createOrder("browser-private");
  const page = await browser.newPage();
  const response = await page.goto(MONITOR + "/");
  assert.equal(response.status(), 200);
  assert.match(response.headers()["content-type"], /^text\/html/);
  await page.locator("#sign-in").waitFor();
  assert.equal(await page.locator("#dashboard").isVisible(), false);
  assert.ok(!(await page.content()).includes(order.identifier), "no order data before sign-in");
  await screenshot(page, "signed-out");

  // The stream refuses a socket that does not sign in as an operator (4000 + 401).
  const closeCode = await page.evaluate((url) => new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, "ws") + "/api/live");
    socket.onopen = () => socket.send(JSON.stringify({ type: "sign_in", token: "not-a-token" }));
    socket.onclose = (event) => resolve(event.code);
  }), MONITOR);
  assert.equal(closeCode, 4401);
  const api = await page.evaluate(async () => (await fetch("/api/overview")).status);
  assert.equal(api, 401);

  // A token that does not verify is refused on the page, which stays signed out.
  await page.fill("#token", "eyJhbGciOiJIUzI1NiJ9.e30.not-signed");
  await page.click("#sign-in-button");
  await page.locator("#sign-in-error").waitFor();
  assert.match(await page.locator("#sign-in-error").textContent(), /refused/);
  assert.equal(await page.locator("#dashboard").isVisible(), false);

  // An operator's pasted token signs in.
  await page.fill("#token", operatorToken());
  await page.click("#sign-in-button");
  await page.locator("#connection[data-state=live]").waitFor({ timeout: SETTLE_MS });
  assert.equal(await page.locator("#dashboard").isVisible(), true);
  await page.close();
});

test("a new order appears live and its timeline shows every step", async () => {
  const page = await signedInPage();
  const order = await createOrder("browser-live");
  const row = page.locator(`#orders tr[data-order-id="${order.id}"]`);
  await row.waitFor({ timeout: SETTLE_MS });
  assert.match(await row.textContent(), new RegExp(order.identifier));
  await poll(async () => (await statusOf(order.id)) === "shipped", "the order to ship");
  await page.locator(`#orders tr[data-order-id="${order.id}"] [data-field=status]`)
    .filter({ hasText: "shipped" }).waitFor({ timeout: SETTLE_MS });

  await row.click();
  const steps = ["events.order.created", "events.inventory.reserved", "events.payment.charged",
    "events.order.shipped", "events.order.status_updated"];
  for (const subject of steps) {
    await page.locator(`#timeline-events li[data-subject="${subject}"]`).first()
      .waitFor({ timeout: SETTLE_MS });
  }
  assert.match(await page.locator("#timeline-summary").textContent(), /trace [0-9a-f]{32}/);
  assert.match(await page.locator("#timeline-events").textContent(), /status shipped/);
  // The edge the order took carries a rate.
  assert.match(await page.locator('#flow .edge[data-subject="events.order.created"]').textContent(),
    /order\.created\D*[0-9.]+\/s/);
  await screenshot(page, "live-order-timeline");
  await page.close();
});

test("a stopped worker shows as lag on its durable and clears after the restart", async () => {
  const page = await signedInPage();
  stack("stop", "payment-worker");
  let restarted = false;
  try {
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push(await createOrder("browser-lag"));
    await poll(async () => (await unprocessed(page, "payment_processors")) >= 3,
      "payment_processors to show 3 unprocessed events");
    assert.ok(await page.locator('#consumers tr[data-durable="payment_processors"].lagging').count());
    await page.locator('#flow .node.lagging[data-service="payment-worker"]')
      .waitFor({ timeout: SETTLE_MS });
    await screenshot(page, "stopped-worker-lag");

    stack("start", "payment-worker");
    restarted = true;
    await poll(async () => (await unprocessed(page, "payment_processors")) === 0,
      "payment_processors to drain after the restart");
    await page.locator('#flow .node.lagging[data-service="payment-worker"]')
      .waitFor({ state: "detached", timeout: SETTLE_MS });
    for (const order of orders) {
      await poll(async () => (await statusOf(order.id)) === "shipped", "the held orders to ship");
    }
  } finally {
    if (!restarted) stack("start", "payment-worker");
  }
  await page.close();
});

test("a dead letter is replayed from the page to exactly one effect", async () => {
  const shippingUrl = required("SHIPPING_WORKER_DATABASE_URL");
  const constraint = "browser_test_refuse_" + randomUUID().slice(0, 8);
  const page = await signedInPage();
  let order;
  stack("stop", "shipping-worker");
  try {
    order = await createOrder("browser-dlq");
    await poll(async () => (await statusOf(order.id)) === "paid", "the order to be paid");
    psql(shippingUrl, `ALTER TABLE shipping_worker.tb_shipping ADD CONSTRAINT ${constraint} ` +
      `CHECK (order_id <> '${order.id}'::uuid) NOT VALID`);
  } finally {
    stack("start", "shipping-worker");
  }
  let letter;
  try {
    letter = page.locator("#dead-letters tr[data-dead-letter]").filter({ hasText: constraint });
    await letter.waitFor({ timeout: SETTLE_MS });
    assert.match(await letter.textContent(), /shipping_handlers/);
    await screenshot(page, "dead-letter");
  } finally {
    psql(shippingUrl, `ALTER TABLE shipping_worker.tb_shipping DROP CONSTRAINT ${constraint}`);
  }
  await letter.locator("button.replay").click();
  await page.locator('#replay-result[data-ok="true"]').waitFor({ timeout: SETTLE_MS });
  assert.match(await page.locator("#replay-result").textContent(), /Replayed shipping-worker\//);
  await poll(async () => (await statusOf(order.id)) === "shipped", "the order to ship after it");
  await letter.waitFor({ state: "detached", timeout: SETTLE_MS });
  await screenshot(page, "dead-letter-replayed");
  const shipments = psql(shippingUrl,
    `SELECT count(*) FROM shipping_worker.tb_shipping WHERE order_id = '${order.id}'`);
  assert.equal(shipments, "1", "exactly one shipment");
  await page.close();
});
