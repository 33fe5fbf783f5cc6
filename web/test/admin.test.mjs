// The operators' console in a real browser against the server web/test/run starts: sign-in (and
// back to the page you asked for), the dashboard's figures equal GetDashboard's, a pod stopped and
// destroyed while its page watches, a viewer sees no actions and is refused a forced one, and after
// sign-out the back button shows nothing private.
import { test } from "node:test";
import assert from "node:assert/strict";

import { readFileSync } from "node:fs";
import { join } from "node:path";

import { adminToken, base, emailed, env, inspect, open, paypal, pods, rest, unique, waitFor } from "./helpers.mjs";

/** PodStatus names as the REST answers them → the enum's numbers the page renders. */
const PodStatusNumber = Object.fromEntries(
  ["UNSPECIFIED", "PENDING", "PROVISIONING", "RUNNING", "STOPPING", "STOPPED", "FAILED", "DESTROYED"].map((name, i) => [`POD_STATUS_${name}`, i]),
);

const ADMIN = { email: env("GPUBROKER_ADMIN_EMAIL"), password: env("GPUBROKER_ADMIN_PASSWORD") };

/** A trial signed up and activated over REST, with its pod running on the local driver. */
async function runningPod() {
  const email = `console-${unique()}@example.ec`;
  const created = await rest("/api/v2/admin/public/subscription/create", {
    email,
    name: "Consola Prueba",
    plan: "PLAN_TRIAL",
    tax_id: "0602910945",
    idempotency_key: `console-${unique()}`,
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const token = await waitFor("the activation email", () => emailed(email, /activate\?token=(act_[A-Za-z0-9_-]+)/));
  const activated = await rest("/api/v2/admin/public/subscription/activate", { token });
  assert.equal(activated.status, 200, JSON.stringify(activated.body));
  const key = created.body.api_key;
  const status = await waitFor("the pod to run", async () => {
    const s = (await rest("/api/v2/admin/public/pod/status", undefined, key)).body;
    return s?.status === "SUBSCRIPTION_STATUS_RUNNING" && s.pod_id ? s : undefined;
  });
  return { email, podId: status.pod_id, subscriptionId: status.subscription_id };
}

/**
 * The audit log page lists `action` on `resource` by `actor`. A full page load: the session comes
 * back from the refresh token, without the password.
 */
async function auditShows(page, action, resource, actor = ADMIN.email) {
  await page.goto(`${base}/admin/audit?action=${encodeURIComponent(action)}`);
  const row = page.locator("tbody tr", { hasText: resource });
  await row.first().waitFor();
  assert.match(await row.first().innerText(), new RegExp(`${actor.replace(/[.]/g, "\\.")}\\s+${action.replace(/[.]/g, "\\.")}`));
}

async function signIn(page, who = ADMIN) {
  await page.getByLabel("Correo electrónico").fill(who.email);
  await page.getByLabel("Contraseña").fill(who.password);
  await page.getByRole("button", { name: "Ingresar" }).click();
}

test("an operator signs in, reads the dashboard, stops and destroys a pod live, and signs out for good", async () => {
  const { email, podId } = await runningPod();
  const { context, page, problems } = await open();
  try {
    // Not signed in: sign-in first, then the page asked for.
    await page.goto(`${base}/admin/pods/${podId}`);
    await page.waitForURL(/\/admin\/login\?next=/);
    const headers = (await fetch(`${base}/admin/pods`)).headers;
    assert.equal(headers.get("cache-control"), "no-store", "console pages are never stored");
    await page.getByLabel("Correo electrónico").fill(ADMIN.email);
    await page.getByLabel("Contraseña").fill("not the password");
    await page.getByRole("button", { name: "Ingresar" }).click();
    await page.locator("#login-error").waitFor();
    await inspect(page, "admin-login-refused");
    await signIn(page);
    await page.waitForURL(new RegExp(`/admin/pods/${podId}$`));
    await page.locator(".pod-status", { hasText: "En ejecución" }).waitFor();
    await inspect(page, "admin-pod");

    // Stop, then destroy behind a typed confirmation; the status follows live.
    await page.getByRole("button", { name: "Detener" }).click();
    await page.locator(".pod-status", { hasText: "Detenido" }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Destruir", exact: true }).click();
    const confirm = page.getByRole("button", { name: "Destruir definitivamente" });
    assert.equal(await confirm.isDisabled(), true, "disabled until the id is typed");
    await page.getByLabel("Id del pod").fill(podId);
    await page.getByLabel("Motivo (queda en la auditoría)").fill("console test");
    await inspect(page, "admin-pod-destroy-confirm");
    await confirm.click();
    await page.locator(".pod-status", { hasText: "Eliminado" }).waitFor({ timeout: 60_000 });
    // The status history lists every change, newest first, as ListPodHistory has them.
    const history = page.locator('[data-table="history"] tbody tr');
    await history.first().filter({ hasText: "Eliminado" }).waitFor();
    const changes = (await rest(`/api/v2/admin/pod/${podId}/history`, undefined, await adminToken())).body.changes;
    const statuses = changes.map((c) => c.status);
    assert.equal(statuses[0], "POD_STATUS_DESTROYED");
    assert.equal(statuses.at(-1), "POD_STATUS_PROVISIONING");
    assert.ok(statuses.includes("POD_STATUS_STOPPED") && statuses.includes("POD_STATUS_RUNNING"), statuses.join());
    assert.equal(await history.count(), changes.length);
    const shownStatuses = await history.locator("td:nth-child(3)").evaluateAll((cells) => cells.map((c) => c.dataset.status));
    assert.deepEqual(shownStatuses, changes.map((c) => String(PodStatusNumber[c.status])));
    await inspect(page, "admin-pod-history");

    // The dashboard shows GetDashboard's figures as they are.
    await page.getByRole("link", { name: "Panel" }).click();
    await page.waitForURL(/\/admin\/$/);
    const running = page.locator('[data-figure="pods-total"]');
    await running.waitFor();
    const served = (await rest("/api/v2/admin/dashboard", undefined, await adminToken())).body;
    assert.equal(await running.innerText(), String(Number(served.pods.total)));
    assert.equal(await page.locator('[data-figure="pods-running"]').innerText(), String(Number(served.pods.running ?? 0)));
    const number = (text) => Number(text.replace(/\D/g, ""));
    assert.equal(number(await page.locator('[data-figure="tokens-limit"]').innerText()), Number(served.tokens.limit ?? 0));
    assert.equal(number(await page.locator('[data-figure="tokens-used"]').innerText()), Number(served.tokens.used ?? 0));
    const byStatus = page.locator('[data-list="subscription-status"] li');
    assert.equal(await byStatus.count(), served.subscription_counts.length);
    const runningSubs = served.subscription_counts.find((c) => c.status === "SUBSCRIPTION_STATUS_RUNNING");
    assert.match(
      await page.locator('[data-list="subscription-status"] li', { hasText: "En ejecución" }).innerText(),
      new RegExp(`: ${Number(runningSubs.count ?? 0).toLocaleString("es-EC")}$`),
    );
    await inspect(page, "admin-dashboard");

    // The pods list leaves destroyed pods out unless asked, and finds this one by its customer.
    await page.getByRole("link", { name: "Pods" }).click();
    await page.waitForURL(/\/admin\/pods$/);
    await page.getByLabel("Cliente").fill(email);
    await page.getByRole("button", { name: "Filtrar" }).click();
    await page.getByText("Ningún pod coincide.").waitFor();
    await page.getByLabel("Incluir eliminados").check();
    await page.getByRole("button", { name: "Filtrar" }).click();
    await page.getByRole("link", { name: podId }).waitFor();
    assert.equal(await page.locator("tbody tr").count(), 1);
    await inspect(page, "admin-pods");

    // The audit log shows what was done, by whom.
    await page.getByRole("link", { name: "Auditoría" }).click();
    await page.getByLabel("Acción").fill("pod.destroy");
    await page.getByRole("button", { name: "Filtrar" }).click();
    await page.locator("tbody tr", { hasText: podId }).waitFor();
    await page.locator(".chain", { hasText: /Cadena de auditoría verificada: [\d.]+ entradas, ninguna alterada\./ }).waitFor();
    await inspect(page, "admin-audit");
    await auditShows(page, "pod.stop", podId);

    // Signed out: the back button shows no console page.
    await page.getByRole("button", { name: "Salir" }).click();
    await page.waitForURL(/\/admin\/login$/);
    await page.goBack();
    await page.waitForURL(/\/admin\/login/);
    assert.equal(await page.getByText(podId).count(), 0, "nothing private after sign-out");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a viewer sees no actions, and a forced one is refused with the server's message", async () => {
  const { podId } = await runningPod();
  const viewer = { email: `viewer-${unique()}@example.ec`, password: "viewer password 123" };
  const made = await rest("/api/v2/admin/users", { ...viewer, name: "Viewer", role: "ROLE_VIEWER" }, await adminToken());
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const { context, page, problems } = await open();
  try {
    await page.goto(`${base}/admin/login`);
    await signIn(page, viewer);
    await page.waitForURL(/\/admin\/$/);
    await page.goto(`${base}/admin/pods/${podId}`);
    await page.locator(".pod-status", { hasText: "En ejecución" }).waitFor();
    await page.getByText("Solo lectura: tu rol no permite acciones.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Detener" }).count(), 0);
    await inspect(page, "admin-pod-viewer");
    const login = await rest("/api/v2/admin/public/admin/login", viewer);
    const forced = await rest("/api/v2/admin/pod/stop", { pod_id: podId, reason: "forced" }, login.body.access_token);
    assert.equal(forced.status, 403);
    assert.match(forced.body.message, /requires the admin role; you are viewer/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** A Basic plan paid through the PayPal emulator over REST: the customer's email. */
async function paidSubscription() {
  const email = `paid-console-${unique()}@example.ec`;
  const created = await rest("/api/v2/admin/public/subscription/create", {
    email,
    name: "Pagos Consola",
    plan: "PLAN_BASIC",
    tax_id: "0910005917",
    idempotency_key: `paid-${unique()}`,
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const order = await rest("/api/v2/admin/public/payment/paypal", { subscription_id: created.body.subscription_id, idempotency_key: `order-${unique()}` });
  assert.equal(order.status, 200, JSON.stringify(order.body));
  const approved = await fetch(`${paypal}/checkoutnow/approve?token=${order.body.order_id}`, { method: "POST", redirect: "manual" });
  assert.equal(approved.status, 303);
  const captured = await rest(`/api/v2/admin/public/payment/paypal/capture/${order.body.order_id}`, {});
  assert.equal(captured.body?.payment?.status, "PAYMENT_STATUS_COMPLETED", JSON.stringify(captured.body));
  return email;
}

test("an admin resends a receipt, cancels the subscription, and refunds part of its PayPal payment then the rest", async () => {
  const email = await paidSubscription();
  const { context, page, problems } = await open();
  try {
    await page.goto(`${base}/admin/customers?q=${encodeURIComponent(email)}`);
    await page.waitForURL(/\/admin\/login/);
    await signIn(page);
    await page.waitForURL(/\/admin\/customers\?q=/);
    await page.getByRole("link", { name: email }).click();
    await page.getByRole("heading", { level: 1, name: "Pagos Consola" }).waitFor();
    await page.getByRole("button", { name: "Reenviar recibo" }).click();
    await page.getByText("Recibo reenviado.").waitFor();
    await inspect(page, "admin-customer");
    // Cancel behind a confirmation (the payment can still be refunded afterwards).
    await page.getByRole("button", { name: "Cancelar suscripción" }).click();
    await inspect(page, "admin-customer-cancel-confirm");
    await page.getByRole("button", { name: "Sí, cancelar" }).click();
    await page.getByText("Suscripción cancelada.").waitFor();
    assert.match(await page.locator(".sub-status").innerText(), /Cancelada/);

    await page.goto(`${base}/admin/billing?customer=${encodeURIComponent(email)}`);
    const rows = page.locator("tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1, "one capture");
    assert.match(await rows.first().innerText(), /Cobro\s+Completada\s+\$20,00/);
    await inspect(page, "admin-billing");
    await rows.first().getByRole("link").click();
    await page.locator(".payment-status", { hasText: "Completado" }).waitFor();
    // A bad amount is named at its field and refunds nothing.
    await page.getByLabel("Monto a reembolsar (USD)").fill("5.001");
    await page.getByLabel("Motivo").fill("partial goodwill");
    await page.getByRole("button", { name: "Reembolsar" }).click();
    await page.locator("#refund-amount-error").waitFor();
    await page.getByLabel("Monto a reembolsar (USD)").fill("5.00");
    await page.getByRole("button", { name: "Reembolsar" }).click();
    await page.getByText("Reembolso de $5,00 hecho; el pago queda Reembolsado en parte.").waitFor();
    assert.equal(await page.locator(".refunded").innerText(), "$5,00");
    await inspect(page, "admin-transaction-refunded");
    await page.getByLabel("Motivo").fill("the rest");
    await page.getByRole("button", { name: "Reembolsar" }).click();
    await page.getByText("Reembolso de $15,00 hecho; el pago queda Reembolsado.").waitFor();
    assert.equal(await page.locator(".refunded").innerText(), "$20,00");
    assert.equal(await page.getByRole("button", { name: "Reembolsar" }).count(), 0, "nothing left to refund");
    const paymentId = (await rest(`/api/v2/admin/customer/${encodeURIComponent(email)}`, undefined, await adminToken())).body.payments[0].payment_id;
    await auditShows(page, "receipt.resend", paymentId);
    await auditShows(page, "payment.refund", paymentId);

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("an admin reads a budget and its ledger, changes it, and approves an agent's decision with a comment", async () => {
  const { podId, subscriptionId } = await runningPod();
  const podToken = await waitFor("the pod's token", () => {
    try {
      return readFileSync(join(pods, `${podId}.token`), "utf8");
    } catch {
      return undefined;
    }
  });
  const hold = await rest("/api/v2/agent/budget/reserve", { tokens: 1200, idempotency_key: `console-${unique()}` }, podToken);
  assert.equal(hold.status, 200, JSON.stringify(hold.body));
  const spent = await rest("/api/v2/agent/budget/commit", { reservation_id: hold.body.reservation_id, actual_tokens: 1000 }, podToken);
  assert.equal(spent.status, 200, JSON.stringify(spent.body));
  const title = `Scale up <b>now</b> ${unique()}`;
  const logged = await rest(
    "/api/v2/agent/decisions",
    { decision_type: "DECISION_TYPE_SCALING_SUGGESTION", title, description: "More GPUs for the batch.", reasoning: "Queue is long.", high_impact: true, estimated_tokens: 5000, idempotency_key: `d-${unique()}` },
    podToken,
  );
  assert.equal(logged.status, 200, JSON.stringify(logged.body));

  const { context, page, problems } = await open();
  try {
    await page.goto(`${base}/admin/budgets?subscription=${subscriptionId}`);
    await signIn(page);
    await page.waitForURL(/\/admin\/budgets\?subscription=/);
    await page.locator('[data-figure="committed"]', { hasText: "1.000" }).waitFor();
    assert.match(await page.locator("table").innerText(), /1\.000/);
    await page.getByLabel("Nuevo límite de tokens").fill("2000000");
    await page.getByLabel("Motivo").fill("console test");
    await page.getByRole("button", { name: "Cambiar el presupuesto" }).click();
    await page.getByText("Presupuesto cambiado: 2.000.000 tokens.").waitFor();
    assert.equal(await page.locator('[data-figure="limit"]').innerText(), "2.000.000");
    // The decision's title is the agent's text: shown as text, never as HTML.
    const card = page.getByRole("region", { name: title });
    await card.waitFor();
    assert.equal(await card.locator("b").count(), 0);
    await inspect(page, "admin-budgets");
    await card.getByLabel("Comentario").fill("Go ahead, within budget.");
    await card.getByRole("button", { name: "Aprobar" }).click();
    await page.getByText(`Aprobada: ${title}.`).waitFor();
    assert.equal(await page.getByRole("region", { name: title }).count(), 0, "no longer waiting");
    const reviewed = await rest("/api/v2/agent/decisions?status=DECISION_STATUS_APPROVED", undefined, podToken);
    const decision = (reviewed.body.decisions ?? []).find((d) => d.decision_id === logged.body.decision.decision_id);
    assert.equal(decision?.status, "DECISION_STATUS_APPROVED", JSON.stringify(reviewed.body));
    assert.equal(decision?.review_notes, "Go ahead, within budget.");
    await auditShows(page, "budget.set", subscriptionId);
    await auditShows(page, "agent.decision.review", logged.body.decision.decision_id);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a super admin creates a console user and switches the payments mode, confirming what live means", async () => {
  const { context, page, problems } = await open();
  const email = `new-admin-${unique()}@example.ec`;
  try {
    await page.goto(`${base}/admin/settings`);
    await signIn(page);
    await page.waitForURL(/\/admin\/settings$/);
    await page.getByLabel("Correo electrónico").fill(email);
    await page.getByLabel("Nombre").fill("Nueva Operadora");
    await page.getByLabel("Contraseña").fill("a long enough password");
    await page.getByLabel("Rol").selectOption({ label: "Administrador" });
    await page.getByRole("button", { name: "Crear usuario" }).click();
    await page.getByText(`Usuario ${email} creado como Administrador.`).waitFor();
    await inspect(page, "admin-settings");
    await page.getByRole("button", { name: "Pasar a en vivo" }).click();
    await page.getByText("En vivo, PayPal cobra dinero real a los clientes desde el próximo pago. ¿Seguro?").waitFor();
    await inspect(page, "admin-settings-live-confirm");
    await page.getByRole("button", { name: "Sí, cobrar dinero real" }).click();
    await page.getByText("Modo actual: en vivo.").waitFor();
    await page.getByRole("button", { name: "Pasar a sandbox" }).click();
    await page.getByText("Modo actual: sandbox.").waitFor();
    // Costs over a chosen period, as GetCosts reports them.
    await page.getByRole("link", { name: "Costos" }).click();
    await page.getByLabel("Período").selectOption({ label: "Últimos 7 días" });
    await page.locator('[data-figure="total"]').waitFor();
    const costs = (await rest("/api/v2/admin/costs", undefined, await adminToken())).body;
    const monthly = Number(costs.per_pod.monthly_cost.amount_minor) / 100;
    assert.match(await page.locator("main").innerText(), new RegExp(`\\$${monthly.toFixed(2).replace(".", ",")}`));
    // Cost by pod: a bar per pod (the costliest 15) and a table of them all, the pods GetCosts names.
    const rows = page.locator('[data-table="pod-costs"] tbody tr');
    await rows.first().waitFor();
    const end = Math.floor(Date.now() / 1000);
    const week = (await rest(`/api/v2/admin/costs?start_time=${new Date((end - 7 * 86_400) * 1000).toISOString()}`, undefined, await adminToken())).body;
    const shown = await rows.locator("td:first-child").allInnerTexts();
    assert.deepEqual([...shown].sort(), week.pods.map((p) => p.pod_id).sort());
    assert.equal(await page.locator(".bars rect").count(), Math.min(15, shown.length));
    await inspect(page, "admin-costs");
    const login = await rest("/api/v2/admin/public/admin/login", { email, password: "a long enough password" });
    assert.equal(login.status, 200, "the new user signs in");
    assert.equal(login.body.role, "ROLE_ADMIN");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("the console renews its token before it expires, renews once on a refused call, and a dead session goes through sign-in back to the page", async () => {
  await runningPod();
  const { context, page, problems } = await open();
  const refreshToken = () => page.evaluate(() => sessionStorage.getItem("gpubroker.admin.refresh"));
  /** The next ListPods is refused as a call with an expired access token is. */
  const refuseNextList = () =>
    page.route(
      "**/gpubroker.v1.PodService/ListPods",
      (route) =>
        route.fulfill({
          status: 200,
          headers: { "content-type": "application/grpc-web+proto", "grpc-status": "16", "grpc-message": "access token expired" },
          body: "",
        }),
      { times: 1 },
    );
  try {
    // The page's clock is fake (the server's is not): its renewal timer can be run at once.
    await page.clock.install();
    await page.goto(`${base}/admin/pods`);
    await signIn(page);
    await page.waitForURL(/\/admin\/pods$/);
    await page.locator("tbody tr").first().waitFor();
    const first = await refreshToken();
    assert.ok(first, "the refresh token is kept for the tab");
    // 15 minutes is the server's access token lifetime; the page renews well before.
    await page.clock.fastForward("15:00");
    const second = await waitFor("the token renewed by its timer", async () => {
      const now = await refreshToken();
      return now && now !== first ? now : undefined;
    });

    // A call refused as unauthenticated renews once and is retried: the list still shows.
    await refuseNextList();
    await page.getByRole("button", { name: "Filtrar" }).click();
    const third = await waitFor("the token renewed after a refused call", async () => {
      const now = await refreshToken();
      return now && now !== second ? now : undefined;
    });
    assert.notEqual(third, first);
    await page.locator("tbody tr").first().waitFor();
    assert.equal(await page.locator("[role=alert]").count(), 0, "the retried call answered");

    // A session that cannot be renewed (its refresh token dead) goes to sign-in, then back here.
    await page.evaluate(() => sessionStorage.setItem("gpubroker.admin.refresh", "rt_revoked"));
    await refuseNextList();
    await page.getByLabel("Incluir eliminados").check();
    await page.getByRole("button", { name: "Filtrar" }).click();
    await page.waitForURL(/\/admin\/login\?next=%2Fadmin%2Fpods/);
    await inspect(page, "admin-session-expired");
    await signIn(page);
    await page.waitForURL(/\/admin\/pods\?(.*&)?destroyed=/);
    await page.locator("tbody tr").first().waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
