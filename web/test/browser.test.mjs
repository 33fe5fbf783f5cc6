// The customer's journey in a real browser (Debian's Chromium driven by playwright-core) against
// the real server that web/test/run starts (PostgreSQL, local stand-in pods). Every page visited
// is checked with axe-core (no serious or critical violation), watched for CSP violations and
// script errors, and saved as a screenshot at desktop and phone width under ARTIFACTS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join } from "node:path";

import { adminToken, artifacts, base, emailed, env, inspect, open, paypal, pods, rest, unique, waitFor } from "./helpers.mjs";

test("the plans come from the server, in Spanish first and English on request", async () => {
  const { context, page, problems } = await open("es-EC");
  try {
    await page.goto(`${base}/`);
    await page.getByRole("heading", { level: 1, name: "Elige tu plan" }).waitFor();
    const served = (await rest("/api/v2/admin/public/plans?language=LANGUAGE_ES")).body.plans;
    const cards = page.locator(".plan");
    await cards.first().waitFor();
    assert.equal(await cards.count(), served.length);
    const trial = served.find((p) => p.plan === "PLAN_TRIAL");
    const trialCard = page.locator(".plan", { hasText: trial.display_name });
    assert.match(await trialCard.innerText(), /1 M\s+tokens/);
    await inspect(page, "plans");
    // Keyboard only: the skip link, then the toggle by Tab and Enter.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.className), "skip");
    await page.getByRole("button", { name: "English" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Choose your plan" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Choose your plan" }).waitFor();
    await inspect(page, "plans-en");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a bad RUC is named next to its field and creates nothing", async () => {
  const { context, page, problems } = await open();
  const email = `bad-ruc-${unique()}@example.ec`;
  try {
    await page.goto(`${base}/checkout?plan=trial`);
    await page.getByLabel("Correo electrónico").fill(email);
    await page.locator("#tax_id").fill("1710034066");
    // The live check says what is wrong while typing.
    await page.locator("#tax_id-check .field-error").waitFor();
    await page.getByRole("button", { name: "Crear prueba gratuita" }).click();
    const error = page.locator("#tax_id-error");
    await error.waitFor();
    assert.notEqual((await error.innerText()).trim(), "");
    assert.equal(await page.locator("#tax_id").getAttribute("aria-invalid"), "true");
    assert.equal(await page.locator("#tax_id-check .field-error").count(), 0, "said once, by the server");
    await inspect(page, "checkout-bad-ruc");
    const admin = await adminToken();
    const listed = await rest(`/api/v2/admin/subscriptions?customer_email=${encodeURIComponent(email)}`, undefined, admin);
    assert.equal(listed.status, 200);
    assert.equal((listed.body.subscriptions ?? []).length, 0, "nothing was created");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a trial from the plans page to a running pod, then the account: live budget, new key, cancel", async () => {
  const { context, page, problems } = await open();
  const email = `web-${unique()}@example.ec`;
  const xss = `<img src=x onerror="window.__xss=1">Ana "O'Brien"`;
  try {
    await page.goto(`${base}/`);
    await page.locator(".plan a", { hasText: "Probar gratis" }).click();
    await page.waitForURL(/\/checkout\?plan=trial$/);
    await page.getByLabel("Nombre o razón social").fill(xss);
    await page.getByLabel("Correo electrónico").fill(email);
    await page.locator("#tax_id").fill("1790011674001");
    await page.locator("#tax_id-check .ok").waitFor();
    assert.match(await page.locator("#tax_id-check").innerText(), /Pichincha/);
    await inspect(page, "checkout");
    // A double click sends the same idempotency key twice: one subscription.
    await page.getByRole("button", { name: "Crear prueba gratuita" }).dblclick();
    const key = await page.locator("#api-key").inputValue({ timeout: 30_000 });
    assert.match(key, /^gpk_/);
    // The name is shown as text, never run as HTML.
    assert.ok((await page.locator(".thanks").innerText()).includes(xss));
    assert.equal(await page.evaluate(() => globalThis.__xss), undefined);
    await inspect(page, "checkout-key");
    const admin = await adminToken();
    const listed = await rest(`/api/v2/admin/subscriptions?customer_email=${encodeURIComponent(email)}`, undefined, admin);
    assert.equal(listed.body.subscriptions.length, 1, "one subscription for a double click");
    // Never in a URL, never again on reload.
    assert.ok(!page.url().includes(key));
    await page.reload();
    assert.equal(await page.locator("#api-key").count(), 0);

    const link = await waitFor("the activation email", () => emailed(email, /(http[^\s"<>]*\/activate\?token=act_[A-Za-z0-9_-]+)/));
    await page.goto(link);
    await inspect(page, "activate");
    await page.getByRole("button", { name: "Activar" }).click();
    await page.waitForURL(/\/(provisioning|ready)$/);
    await inspect(page, "provisioning");
    await page.waitForURL(/\/ready$/, { timeout: 60_000 });
    await page.locator(".pod-status", { hasText: "En ejecución" }).waitFor();
    // A local pod answers on loopback, not under our pod domain: shown as text, never a link.
    assert.match(await page.locator(".pod-url").innerText(), /^http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(await page.getByRole("link", { name: "Abrir mi pod" }).count(), 0);
    await inspect(page, "ready");

    await page.goto(`${base}/account`);
    await page.locator(".sub-status", { hasText: "En ejecución" }).waitFor();
    const gauge = page.getByRole("meter");
    await gauge.waitFor();
    assert.equal(await gauge.getAttribute("aria-valuenow"), "0");
    await inspect(page, "account");
    // The pod spends a quarter of its budget; the gauge follows without a reload.
    const podId = listed.body.subscriptions[0].pod_id || (await rest("/api/v2/admin/public/pod/status", undefined, key)).body.pod_id;
    const podToken = await waitFor("the pod's token", () => {
      try {
        return readFileSync(join(pods, `${podId}.token`), "utf8");
      } catch {
        return undefined;
      }
    });
    const budget = (await rest("/api/v2/agent/budget", undefined, podToken)).body.budget;
    const quarter = Math.floor(Number(budget.limit_tokens) / 4);
    const hold = await rest("/api/v2/agent/budget/reserve", { tokens: quarter, idempotency_key: `web-${unique()}` }, podToken);
    assert.equal(hold.status, 200, JSON.stringify(hold.body));
    const done = await rest("/api/v2/agent/budget/commit", { reservation_id: hold.body.reservation_id, actual_tokens: quarter }, podToken);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    await waitFor("the gauge to move", async () => (await gauge.getAttribute("aria-valuenow")) === "25");
    await page.reload();
    await page.locator("#usage-chart canvas").waitFor();
    assert.match(await page.locator("table").innerText(), new RegExp(new Intl.NumberFormat("es-EC").format(quarter)));
    await inspect(page, "account-usage");

    await page.getByRole("button", { name: "Rotar clave" }).click();
    const rotated = await page.locator("#new-key").inputValue();
    assert.match(rotated, /^gpk_/);
    assert.notEqual(rotated, key);
    assert.equal((await rest("/api/v2/admin/public/pod/status", undefined, key)).status, 401, "the old key is dead");

    // Revoke: the key dies at once, a recovery link is emailed, and it issues a new key once.
    await page.getByRole("button", { name: "Revocar clave" }).click();
    await page.getByText("Clave revocada.").waitFor();
    assert.equal((await rest("/api/v2/admin/public/pod/status", undefined, rotated)).status, 401, "the revoked key is dead");
    const recovery = await waitFor("the recovery email", () => emailed(email, /(http[^\s"<>]*\/recover-key\?token=rec_[A-Za-z0-9_-]+)/));
    await page.goto(recovery);
    await page.getByRole("button", { name: "Obtener una clave nueva" }).click();
    const recovered = await page.locator("#api-key").inputValue();
    assert.match(recovered, /^gpk_/);
    await inspect(page, "recover-key");
    await page.goto(recovery);
    await page.getByRole("button", { name: "Obtener una clave nueva" }).click();
    await page.locator(".error", { hasText: "Este enlace no es válido o expiró." }).waitFor();
    await page.goto(`${base}/account`);
    await page.locator(".sub-status", { hasText: "En ejecución" }).waitFor();

    await page.getByRole("button", { name: "Cancelar suscripción" }).click();
    await inspect(page, "account-cancel-confirm");
    await page.getByRole("button", { name: "Sí, cancelar" }).click();
    await page.locator(".sub-status", { hasText: "Cancelada" }).waitFor();
    await inspect(page, "account-cancelled");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** A TCP proxy to `target` whose connections the test can cut: a real network drop. */
async function cuttableProxy(target) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  let down = false;
  const server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(Number(port), hostname);
    client.pipe(upstream);
    upstream.pipe(client);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close() {
      this.cut();
      server.close();
    },
  };
}

/** How the PayPal emulator ends the next capture: COMPLETED, PENDING or DECLINED. */
async function nextCapture(status) {
  const response = await fetch(`${paypal}/emulator/next-capture`, { method: "POST", body: JSON.stringify({ status }) });
  assert.equal(response.status, 204);
}

/** From our "Pay with PayPal" button to the emulator's approval page. */
async function toPaypal(page) {
  await page.getByRole("button", { name: "Pagar con PayPal" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${paypal}/checkoutnow?token=`));
  assert.match(await page.locator("main").innerText(), /Total: 20\.00 USD/, "the server's price, not the page's");
}

test("a paid plan through PayPal's approval page: cancelled, denied, then paid and activated", async () => {
  const { context, page, problems } = await open();
  const email = `paid-${unique()}@example.ec`;
  try {
    await page.goto(`${base}/`);
    await page.locator(".plan", { hasText: "Básico" }).getByRole("link").click();
    await page.waitForURL(/\/checkout\?plan=basic$/);
    await page.getByLabel("Nombre o razón social").fill("Comercial Andina");
    await page.getByLabel("Correo electrónico").fill(email);
    await page.locator("#tax_id").fill("1714307103");
    await page.locator("#tax_id-check .ok").waitFor();
    await page.getByRole("button", { name: "Continuar al pago" }).click();
    const key = await page.locator("#api-key").inputValue({ timeout: 30_000 });
    assert.match(key, /^gpk_/);
    await inspect(page, "checkout-paid-key");

    // Cancelled at PayPal: back at the checkout with the plan kept and nothing to fill in again.
    await toPaypal(page);
    await page.screenshot({ path: join(artifacts, "paypal-approval-desktop.png"), fullPage: true });
    const cancelledOrder = new URL(page.url()).searchParams.get("token");
    await page.getByRole("button", { name: "Cancel and return" }).click();
    await page.waitForURL(/\/checkout\?plan=basic&cancelled=1$/);
    await page.getByText("Cancelaste el pago. Tu plan sigue seleccionado.").waitFor();
    assert.equal(await page.locator("form").count(), 0, "no second signup form for the same customer");
    await inspect(page, "checkout-payment-cancelled");

    // Approved, then PayPal declines the capture: said so, with a way to try again.
    await nextCapture("DECLINED");
    await toPaypal(page);
    assert.equal(new URL(page.url()).searchParams.get("token"), cancelledOrder, "the open order is reused");
    await page.getByRole("button", { name: "Pay Now" }).click();
    await page.waitForURL(/\/checkout\/return\?token=/);
    await page.getByText("El pago fue rechazado.").waitFor();
    await inspect(page, "payment-denied");

    // Tried again: a new order, captured, and the activation link is emailed.
    await nextCapture("COMPLETED");
    await page.getByRole("link", { name: "Intentar de nuevo" }).click();
    await page.waitForURL(/\/checkout\?plan=basic&retry=1$/);
    await toPaypal(page);
    assert.notEqual(new URL(page.url()).searchParams.get("token"), cancelledOrder, "a denied order is not paid again");
    await page.getByRole("button", { name: "Pay Now" }).click();
    await page.waitForURL(/\/checkout\/return\?token=/);
    await page.getByText("Pago completado. Te enviamos el enlace de activación por correo.").waitFor();
    await inspect(page, "payment-completed");
    const admin = await adminToken();
    const listed = await rest(`/api/v2/admin/subscriptions?customer_email=${encodeURIComponent(email)}`, undefined, admin);
    assert.equal(listed.body.subscriptions.length, 1, "one subscription through every retry");
    assert.equal(listed.body.subscriptions[0].status, "SUBSCRIPTION_STATUS_PENDING_ACTIVATION");

    const link = await waitFor("the activation email", () => emailed(email, /(http[^\s"<>]*\/activate\?token=act_[A-Za-z0-9_-]+)/));
    await page.goto(link);
    await page.getByRole("button", { name: "Activar" }).click();
    await page.waitForURL(/\/(provisioning|ready)$/);
    await page.waitForURL(/\/ready$/, { timeout: 60_000 });
    await page.locator(".pod-status", { hasText: "En ejecución" }).waitFor();

    assert.deepEqual(problems, []);

    // The network drops under the live status (every connection through a proxy is cut, and new
    // ones refused for a while): the page says so and reconnects by itself.
    const proxy = await cuttableProxy(base);
    const watcher = await open();
    try {
      await watcher.page.goto(`${proxy.url}/ready`);
      await watcher.page.getByLabel("Clave de API").fill(key);
      await watcher.page.getByRole("button", { name: "Ingresar" }).click();
      const status = watcher.page.locator(".pod-status", { hasText: "En ejecución" });
      await status.waitFor();
      const reconnecting = watcher.page.getByText("Conexión perdida; reconectando…");
      proxy.cut();
      await reconnecting.waitFor({ timeout: 20_000 });
      await inspect(watcher.page, "ready-reconnecting");
      proxy.restore();
      await reconnecting.waitFor({ state: "detached", timeout: 30_000 });
      await status.waitFor();
      assert.deepEqual(watcher.problems.filter((p) => !/ERR_CONNECTION|ERR_EMPTY_RESPONSE|network error|Failed to fetch/i.test(p)), []);
    } finally {
      proxy.close();
      await watcher.context.close();
    }
  } finally {
    await context.close();
  }
});

/** The code in the last SMS the phone deployment sent. */
function lastSmsCode() {
  let text = "";
  try {
    text = readFileSync(env("GPUBROKER_PHONE_SMS"), "utf8");
  } catch {
    return undefined;
  }
  const lines = text.trim().split("\n");
  return lines.at(-1)?.match(/\b(\d{6})\b/)?.[1];
}

test("a deployment that asks for the mobile: send, a wrong code, resend, verify, then sign up", async () => {
  const { context, page, problems } = await open();
  const phoneBase = env("GPUBROKER_PHONE_URL");
  try {
    await page.goto(`${phoneBase}/checkout?plan=trial`);
    await page.getByLabel("Nombre o razón social").fill("Lucía Quishpe");
    await page.getByLabel("Correo electrónico").fill(`phone-${unique()}@example.ec`);
    await page.locator("#tax_id").fill("0926687856");
    await page.locator("#phone_number").fill("099 123 4567");
    await page.getByRole("button", { name: "Enviar código" }).click();
    const sendsLeft = page.locator(".phone [role=status].help");
    await sendsLeft.waitFor();
    const first = Number((await sendsLeft.innerText()).match(/\d+/)[0]);
    const code = await waitFor("the SMS", () => lastSmsCode());
    await inspect(page, "checkout-phone-code");
    // A wrong code says how many tries are left and verifies nothing.
    await page.getByLabel("Código de 6 dígitos").fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Verificar" }).click();
    await page.locator(".phone .field-error[role=status]").waitFor();
    // Resent: one send fewer left, and a new code.
    await page.getByRole("button", { name: "Reenviar código" }).click();
    await waitFor("the sends left to drop", async () => Number((await sendsLeft.innerText()).match(/\d+/)[0]) === first - 1);
    const second = await waitFor("the second SMS", () => {
      const latest = lastSmsCode();
      return latest && latest !== code ? latest : undefined;
    });
    await page.getByLabel("Código de 6 dígitos").fill(second);
    await page.getByRole("button", { name: "Verificar" }).click();
    await page.getByText("Celular verificado.").waitFor();
    await inspect(page, "checkout-phone-verified");
    await page.getByRole("button", { name: "Crear prueba gratuita" }).click();
    assert.match(await page.locator("#api-key").inputValue({ timeout: 30_000 }), /^gpk_/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a used activation link says so and offers a new one; an unknown path is a page, not an error", async () => {
  const { context, page, problems } = await open("en-US");
  try {
    await page.goto(`${base}/activate?token=act_unknown`);
    await page.getByRole("button", { name: "Activate" }).click();
    await page.getByText("This link expired or was already used.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Send me a new link" }).count(), 1);
    await inspect(page, "activate-expired");
    await page.goto(`${base}/checkout?plan=javascript:alert(1)`);
    await page.getByText("That plan does not exist.").waitFor();
    await inspect(page, "checkout-unknown-plan");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
