// Keeps N dashboards open on the event monitor, each its own page (and so its own WebSocket) in
// one headless Chromium, until stdin closes or SIGTERM: `./dev bench --dashboards N` runs it
// beside the load to measure what an audience costs the monitor.
//   node tests/browser/dashboards.mjs N   (EVENT_MONITOR_URL, OPERATOR_TOKEN)
// Prints "N dashboards live" once every page has signed in, then a line per minute.
import { chromium } from "playwright-core";

const count = Number(process.argv[2] || "20");
const monitor = process.env.EVENT_MONITOR_URL;
const token = process.env.OPERATOR_TOKEN;
if (!monitor || !token || !(count >= 1)) {
  console.error("usage: EVENT_MONITOR_URL=... OPERATOR_TOKEN=... node dashboards.mjs N");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await browser.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();

const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
const pages = [];
for (let i = 0; i < count; i++) {
  const page = await context.newPage();
  await page.goto(`${monitor}/#token=${token}`);
  pages.push(page);
}
for (const page of pages) {
  await page.locator("#connection[data-state=live]").waitFor({ timeout: 60_000 });
}
console.log(`${count} dashboards live`);
setInterval(async () => {
  let live = 0;
  for (const page of pages) {
    if ((await page.locator("#connection[data-state=live]").count()) > 0) live++;
  }
  console.log(`${live} of ${count} dashboards live`);
}, 60_000);
