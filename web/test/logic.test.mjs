// The pages' decisions, in Node: src/logic.ts bundled on the fly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";

const out = await build({ entryPoints: [new URL("../src/logic.ts", import.meta.url).pathname], bundle: true, write: false, format: "esm" });
const logic = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);

test("only an https address of our pod domain becomes a link", () => {
  const d = "gpubroker.site";
  assert.equal(logic.safePodUrl("https://pod-abc123.gpubroker.site", d), "https://pod-abc123.gpubroker.site/");
  for (const bad of [
    "javascript:alert(1)",
    "http://pod-abc.gpubroker.site",
    "https://pod-abc.gpubroker.site.evil.com",
    "https://evil.com/?pod-abc.gpubroker.site",
    "https://user:pw@pod-abc.gpubroker.site",
    "https://gpubroker.site",
    "https://a.pod-abc.gpubroker.site",
    "data:text/html,<script>alert(1)</script>",
    "",
    "not a url",
  ]) {
    assert.equal(logic.safePodUrl(bad, d), undefined, bad);
  }
  assert.equal(logic.safePodUrl("https://pod-abc.gpubroker.site", ""), undefined, "no domain, no link");
});

test("redirects go only to http(s)", () => {
  assert.equal(logic.safeRedirect("https://www.paypal.com/checkoutnow?token=X"), "https://www.paypal.com/checkoutnow?token=X");
  assert.equal(logic.safeRedirect("javascript:alert(1)"), undefined);
  assert.equal(logic.safeRedirect("//evil"), undefined);
});

test("plans come from the query by name only", () => {
  assert.equal(logic.planFromQuery("?plan=pro"), "pro");
  assert.equal(logic.planFromQuery("?plan=PRO"), "pro");
  assert.equal(logic.planFromQuery("?plan=javascript:alert(1)"), undefined);
  assert.equal(logic.planFromQuery(""), undefined);
  assert.equal(logic.planNumber("trial"), 1);
  assert.equal(logic.planSlug(5), "enterprise");
  assert.equal(logic.planSlug(9), undefined);
});

test("the visitor's choice beats the browser, which beats the deployment", () => {
  assert.equal(logic.pickLanguage("en", ["es-EC"], "es"), "en");
  assert.equal(logic.pickLanguage(null, ["fr-FR", "en-GB"], "es"), "en");
  assert.equal(logic.pickLanguage(null, ["fr-FR"], "es"), "es");
  assert.equal(logic.pickLanguage("de", [], "en"), "en");
});

test("server field errors land on their inputs, the rest on the form", () => {
  const { byField, general } = logic.fieldErrors(
    [
      { field: "tax_id", description: "bad check digit" },
      { field: "request.email", description: "not an email" },
      { field: "other", description: "nope" },
    ],
    ["tax_id", "email"],
  );
  assert.deepEqual(byField, { tax_id: "bad check digit", email: "not an email" });
  assert.deepEqual(general, ["other: nope"]);
});

test("figures read as people read them", () => {
  assert.equal(logic.shortTokens(1_000_000n, "en"), "1 M");
  assert.equal(logic.shortTokens(200_000_000, "en"), "200 M");
  assert.equal(logic.shortTokens(1_500_000, "es"), "1,5 M");
  assert.equal(logic.shortTokens(999, "en"), "999");
  assert.equal(logic.percent(250, 1000), 25);
  assert.equal(logic.percent(5, 0), 0);
  assert.equal(logic.percent(2000, 1000), 100);
  assert.equal(logic.reconnectDelay(0), 500);
  assert.equal(logic.reconnectDelay(10), 10_000);
  const days = logic.dailyTotals([
    { tokens: 5n, at: new Date("2026-12-02T23:00:00Z") },
    { tokens: 7n, at: new Date("2026-12-01T01:00:00Z") },
    { tokens: 3n, at: new Date("2026-12-02T01:00:00Z") },
  ]);
  assert.deepEqual(days.map((d) => d.tokens), [7, 8]);
  const week = logic.everyDay(days);
  assert.equal(week.length, 7, "at least a week");
  assert.deepEqual(week.slice(-2).map((d) => d.tokens), [7, 8]);
  assert.deepEqual(week.slice(0, 5).map((d) => d.tokens), [0, 0, 0, 0, 0]);
  assert.equal(week[6].day - week[0].day, 6 * 86_400);
  assert.deepEqual(logic.everyDay([]), []);
});

test("a mobile typed the Ecuadorian way is sent in E.164; anything else as typed", () => {
  assert.equal(logic.e164Mobile("0991234567"), "+593991234567");
  assert.equal(logic.e164Mobile("099 123 4567"), "+593991234567");
  assert.equal(logic.e164Mobile("099-123-4567"), "+593991234567");
  assert.equal(logic.e164Mobile("+593 99 123 4567"), "+593 99 123 4567");
  assert.equal(logic.e164Mobile("022123456"), "022123456", "a landline is the server's to refuse");
  assert.equal(logic.e164Mobile("09912345678"), "09912345678", "too long: as typed");
  assert.equal(logic.e164Mobile(" 0991234567 "), "+593991234567");
});

test("sign-in returns only to a console page of this site", () => {
  assert.equal(logic.safeNext("/admin/pods?status=3"), "/admin/pods?status=3");
  assert.equal(logic.safeNext("/admin"), "/admin");
  for (const bad of [null, "", "https://evil.com/admin/", "//evil.com/admin/", "/account", "/admin\\@evil.com", "/administrator", "/admin/login?next=/admin/"]) {
    assert.equal(logic.safeNext(bad), "/admin/", String(bad));
  }
});

test("a refund amount typed in dollars becomes cents, or nothing", () => {
  assert.equal(logic.centsOf("5"), 500n);
  assert.equal(logic.centsOf("5.5"), 550n);
  assert.equal(logic.centsOf("5,05"), 505n);
  assert.equal(logic.centsOf(" 20.00 "), 2000n);
  for (const bad of ["", "0", "0.00", "-1", "1.234", "1e3", "abc", "1.2.3"]) assert.equal(logic.centsOf(bad), undefined, bad);
});
