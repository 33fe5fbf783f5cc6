// Runs against a live server: GPUBROKER_URL, and an admin from GPUBROKER_ADMIN_EMAIL /
// GPUBROKER_ADMIN_PASSWORD (clients/test starts one and sets them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import {
  BudgetChangeKind,
  Code,
  GpubrokerError,
  Plan,
  Role,
  SubscriptionStatus,
  createGpubrokerClient,
} from "../src/index.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (run through clients/test)`);
  return value;
}

const baseUrl = env("GPUBROKER_URL");

// The token of the newest activation link emailed to `to` (the embedded sender's outbox).
function emailedActivationToken(to: string): string {
  const outbox = env("GPUBROKER_OUTBOX_DIR");
  const files = readdirSync(outbox)
    .filter((name) => name.endsWith(".eml"))
    .map((name) => join(outbox, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const token = text.match(/token=(act_[A-Za-z0-9_-]+)/);
    if (text.includes(`\nTo: ${to}\r\n`) && token) return token[1];
  }
  throw new Error(`no activation link was emailed to ${to}`);
}
const unique = `${Date.now()}-${Math.floor(Math.random() * 1e9)}`;

test("validates a RUC and rejects a bad one with its reason", async () => {
  const client = createGpubrokerClient({ baseUrl });
  const good = await client.validation.validateRuc({ ruc: "1790011674001" });
  assert.equal(good.valid, true);
  const bad = await client.validation.validateRuc({ ruc: "1790011674000" }); // establishment 000
  assert.equal(bad.valid, false);
  assert.notEqual(bad.message, "");
});

test("lists the plans with server-side prices and token limits", async () => {
  const client = createGpubrokerClient({ baseUrl });
  const { plans } = await client.subscriptions.listPlans({});
  const trial = plans.find((p) => p.plan === Plan.TRIAL);
  const pro = plans.find((p) => p.plan === Plan.PRO);
  assert.equal(trial?.tokenLimit, 1_000_000n);
  assert.equal(trial?.requiresPayment, false);
  assert.equal(pro?.tokenLimit, 10_000_000n);
  assert.equal(pro?.price?.currencyCode, "USD");
});

test("creates and activates a trial, then watches its budget over a server stream", async () => {
  const client = createGpubrokerClient({ baseUrl });
  const email = `ts-${unique}@example.com`;
  const created = await client.subscriptions.createSubscription({
    email,
    name: "TypeScript client test",
    plan: Plan.TRIAL,
    taxId: "1790011674001",
  });
  assert.equal(created.status, SubscriptionStatus.PENDING_ACTIVATION);
  assert.match(created.apiKey, /^gpk_/);
  assert.ok(created.activationTokenExpiresAt, "the emailed link's expiry");

  const activated = await client.subscriptions.activateSubscription({
    activationToken: emailedActivationToken(email),
  });
  assert.equal(activated.subscriptionId, created.subscriptionId);

  const customer = createGpubrokerClient({ baseUrl, token: created.apiKey });
  const status = await customer.subscriptions.getSubscriptionStatus({});
  assert.equal(status.subscriptionId, created.subscriptionId);
  assert.equal(status.tokenLimit, 1_000_000n);

  const abort = new AbortController();
  const stream = customer.budgets.watchBudget({}, { signal: abort.signal });
  let first;
  for await (const message of stream) {
    first = message;
    break; // leaving the loop cancels the stream
  }
  abort.abort();
  assert.equal(first?.change, BudgetChangeKind.SNAPSHOT);
  assert.equal(first?.budget?.subscriptionId, created.subscriptionId);
  assert.equal(first?.budget?.limitTokens, 1_000_000n);
  assert.equal(first?.budget?.remainingTokens, 1_000_000n);
});

test("logs an admin in and reads the dashboard with the access token", async () => {
  const anonymous = createGpubrokerClient({ baseUrl });
  const login = await anonymous.auth.login({
    email: env("GPUBROKER_ADMIN_EMAIL"),
    password: env("GPUBROKER_ADMIN_PASSWORD"),
  });
  assert.equal(login.tokenType, "Bearer");
  assert.equal(login.role, Role.SUPER_ADMIN);
  const admin = createGpubrokerClient({ baseUrl, token: () => login.accessToken });
  const dashboard = await admin.subscriptions.getDashboard({});
  assert.ok(dashboard.generatedAt, "dashboard has generated_at");
  assert.ok(dashboard.pods, "dashboard has pod counts");
});

test("maps a refused call to a typed error with the gRPC code and the field", async () => {
  const client = createGpubrokerClient({ baseUrl });
  await assert.rejects(
    client.subscriptions.createSubscription({ email: "not-an-email", plan: Plan.TRIAL, taxId: "1790011674001" }),
    (error: unknown) => {
      assert.ok(error instanceof GpubrokerError);
      assert.equal(error.code, Code.InvalidArgument);
      assert.equal(error.codeName, "INVALID_ARGUMENT");
      assert.deepEqual(
        error.fieldViolations.map((v) => v.field),
        ["email"],
      );
      return true;
    },
  );
  await assert.rejects(client.subscriptions.getDashboard({}), (error: unknown) => {
    assert.ok(error instanceof GpubrokerError);
    assert.equal(error.code, Code.Unauthenticated);
    return true;
  });
});

test("a refused server stream fails with a typed error while iterating", async () => {
  const client = createGpubrokerClient({ baseUrl });
  await assert.rejects(
    (async () => {
      for await (const _ of client.budgets.watchBudget({})) {
        assert.fail("an anonymous stream yields nothing");
      }
    })(),
    (error: unknown) => {
      assert.ok(error instanceof GpubrokerError);
      assert.equal(error.code, Code.Unauthenticated);
      return true;
    },
  );
});
