// The client in a real browser: Debian's Chromium (CHROMIUM, default /usr/bin/chromium) driven by
// playwright-core loads a page from another origin than the server's and calls it over gRPC-web and
// REST. The allowed origin (GPUBROKER_PAGE_PORT, in the server's server.cors_origins) gets answers;
// a page on any other port is refused by the browser's CORS check. clients/test sets it all up.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";

import type { PageResult } from "./browser/page.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (run through clients/test)`);
  return value;
}

const baseUrl = env("GPUBROKER_URL");
const allowedPort = Number(env("GPUBROKER_PAGE_PORT"));
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

async function bundle(): Promise<string> {
  const entry = fileURLToPath(new URL("../../test/browser/page.ts", import.meta.url));
  const out = await build({ entryPoints: [entry], bundle: true, write: false, format: "iife", target: "es2022" });
  return out.outputFiles[0].text;
}

/** Serves one page with the bundled client on localhost:`port` (0: any free port). */
async function servePage(script: string, port: number): Promise<{ server: Server; origin: string }> {
  const html = `<!doctype html><html><body><script>${script}</script></body></html>`;
  const server = createServer((_, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return { server, origin: `http://localhost:${bound}` };
}

async function checksFrom(browser: Browser, origin: string): Promise<PageResult> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    return await page.evaluate(
      (url) => (globalThis as unknown as { runChecks(u: string): Promise<PageResult> }).runChecks(url),
      baseUrl,
    );
  } finally {
    await page.close();
  }
}

test("a page on an allowed origin uses gRPC-web and REST; another origin is refused", async () => {
  assert.ok(existsSync(executablePath), `no Chromium at ${executablePath} (set CHROMIUM)`);
  const script = await bundle();
  const allowed = await servePage(script, allowedPort);
  const other = await servePage(script, 0);
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const ok = await checksFrom(browser, allowed.origin);
    assert.deepEqual(ok, {
      rucValid: true,
      typedError: { code: 3, field: "email" },
      restValid: true,
    });
    const refused = await checksFrom(browser, other.origin);
    assert.equal(refused.rucValid, undefined, JSON.stringify(refused));
    assert.match(refused.failure ?? "", /fetch/i, "the browser blocked the cross-origin call");
  } finally {
    await browser.close();
    allowed.server.close();
    other.server.close();
  }
});
