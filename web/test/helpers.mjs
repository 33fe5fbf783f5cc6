// What the browser tests share: the environment web/test/run sets, one Chromium for the file,
// pages that report CSP violations and script errors, axe-core and screenshots at two widths,
// the email outbox, polling with a deadline, and REST calls.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (run through web/test/run)`);
  return value;
}
export const base = env("GPUBROKER_URL");
export const outbox = env("GPUBROKER_OUTBOX_DIR");
export const pods = env("GPUBROKER_POD_DIR");
export const artifacts = env("ARTIFACTS");
export const paypal = env("PAYPAL_EMULATOR_URL");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
mkdirSync(artifacts, { recursive: true });

let browser;
before(async () => {
  assert.ok(existsSync(executablePath), `no Chromium at ${executablePath} (set CHROMIUM)`);
  browser = await chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run"],
  });
});
after(async () => browser?.close());

export const unique = () => `${Date.now()}-${Math.floor(Math.random() * 1e9)}`;

/** A browser context in `locale` whose pages report CSP violations and script errors. */
export async function open(locale = "es-EC") {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { context, page, problems };
}

/** axe-core on the page as it is now, then screenshots at desktop and phone width. */
export async function inspect(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(result, [], `axe on ${name}`);
  await fits(page, `${name} at desktop width`);
  await page.screenshot({ path: join(artifacts, `${name}-desktop.png`), fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  await fits(page, `${name} at phone width`);
  await page.screenshot({ path: join(artifacts, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(size);
}

/** Nothing sticks out sideways: the page never scrolls horizontally. */
async function fits(page, what) {
  const wider = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} > ${width})`);
  });
  assert.deepEqual(wider, [], what);
}

export function emailed(to, pattern) {
  const files = readdirSync(outbox)
    .filter((n) => n.endsWith(".eml"))
    .map((n) => join(outbox, n))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const file of files) {
    const text = readFileSync(file, "utf8").replace(/=\r?\n/g, "");
    const match = text.match(pattern);
    if (text.includes(`\nTo: ${to}\r\n`) && match) return match[1];
  }
  return undefined;
}

export async function waitFor(what, check, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function rest(path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

export async function adminToken() {
  const login = await rest("/api/v2/admin/public/admin/login", {
    email: env("GPUBROKER_ADMIN_EMAIL"),
    password: env("GPUBROKER_ADMIN_PASSWORD"),
  });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return login.body.access_token;
}
