// What the pages decide without a browser or a server: kept apart so Node tests cover it.

export type Lang = "es" | "en";

/** Plans as they appear in a URL (`/checkout?plan=pro`), in the contract's order. */
export const PLAN_SLUGS = ["trial", "basic", "pro", "corp", "enterprise"] as const;
export type PlanSlug = (typeof PLAN_SLUGS)[number];

/** The plan a query names, or undefined for anything else. */
export function planFromQuery(search: string): PlanSlug | undefined {
  const value = new URLSearchParams(search).get("plan")?.trim().toLowerCase();
  return PLAN_SLUGS.find((slug) => slug === value);
}

/** Plan enum value (1 = trial …) ↔ slug. */
export function planSlug(plan: number): PlanSlug | undefined {
  return PLAN_SLUGS[plan - 1];
}
export function planNumber(slug: PlanSlug): number {
  return PLAN_SLUGS.indexOf(slug) + 1;
}

/**
 * The language to show: the visitor's own choice, else the first of the browser's languages we
 * speak, else the deployment's (Ecuador: Spanish).
 */
export function pickLanguage(chosen: string | null, browser: readonly string[], deployment: Lang): Lang {
  if (chosen === "es" || chosen === "en") return chosen;
  for (const tag of browser) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "es" || base === "en") return base;
  }
  return deployment;
}

/** "1 M", "200 M", "1.5 M", "50 k", "999" — token counts as plans and gauges show them. */
export function shortTokens(tokens: bigint | number, lang: Lang): string {
  const n = Number(tokens);
  const format = (value: number, unit: string) =>
    `${new Intl.NumberFormat(lang === "es" ? "es-EC" : "en-US", { maximumFractionDigits: 1 }).format(value)} ${unit}`;
  if (Math.abs(n) >= 1_000_000) return format(n / 1_000_000, "M");
  if (Math.abs(n) >= 10_000) return format(n / 1_000, "k");
  return format(n, "").trim();
}

/** A whole count in the page's language: "250.000" / "250,000". */
export function count(n: bigint | number, lang: Lang): string {
  return new Intl.NumberFormat(lang === "es" ? "es-EC" : "en-US").format(n);
}

/** A price in minor units as the customer reads it: "USD 49.00" / "USD 49,00". */
export function money(amountMinor: bigint | number, currency: string, lang: Lang): string {
  const value = Number(amountMinor) / 100;
  return new Intl.NumberFormat(lang === "es" ? "es-EC" : "en-US", { style: "currency", currency }).format(value);
}

/**
 * A pod's address as a link target, only when it is an https URL of our pod domain
 * (`https://pod-….<domain>`); anything else (javascript:, another host) is never a link.
 */
export function safePodUrl(url: string, podDomain: string): string | undefined {
  if (!url || !podDomain) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.toLowerCase();
  const domain = podDomain.toLowerCase().replace(/^\.+|\.+$/g, "");
  const label = host.endsWith(`.${domain}`) ? host.slice(0, -domain.length - 1) : "";
  if (parsed.protocol !== "https:" || parsed.username || parsed.password || !/^pod-[a-z0-9-]+$/.test(label)) {
    return undefined;
  }
  return parsed.origin + "/";
}

/** Where PayPal sends the browser: only an http(s) address, never a script URL. */
export function safeRedirect(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Server field names (`tax_id`, `phone_number`) → the form's inputs; unknown ones go to the form. */
export function fieldErrors(
  violations: readonly { field: string; description: string }[],
  fields: readonly string[],
): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const v of violations) {
    const name = v.field.split(".").pop() ?? v.field;
    if (fields.includes(name)) byField[name] = byField[name] ? `${byField[name]} ${v.description}` : v.description;
    else general.push(v.field ? `${v.field}: ${v.description}` : v.description);
  }
  return { byField, general };
}

/** Waits between reconnects of a dropped stream: 0.5 s doubling to 10 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, attempt));
}

/** A share 0..100 (rounded down) of used over limit; 0 for no limit. */
export function percent(used: bigint | number, limit: bigint | number): number {
  const l = Number(limit);
  if (l <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((Number(used) * 100) / l)));
}

/** Usage records → points of tokens per day (UTC), oldest first, for the history chart. */
export function dailyTotals(records: readonly { tokens: bigint | number; at: Date }[]): { day: number; tokens: number }[] {
  const days = new Map<number, number>();
  for (const r of records) {
    const day = Date.UTC(r.at.getUTCFullYear(), r.at.getUTCMonth(), r.at.getUTCDate()) / 1000;
    days.set(day, (days.get(day) ?? 0) + Number(r.tokens));
  }
  return [...days.entries()].sort((a, b) => a[0] - b[0]).map(([day, tokens]) => ({ day, tokens }));
}

/** Every day from the first (at least `min` days before the last) to the last; quiet days are 0. */
export function everyDay(points: readonly { day: number; tokens: number }[], min = 7): { day: number; tokens: number }[] {
  if (points.length === 0) return [];
  const DAY = 86_400;
  const last = points[points.length - 1].day;
  const first = Math.min(points[0].day, last - (min - 1) * DAY);
  const byDay = new Map(points.map((p) => [p.day, p.tokens]));
  const out = [];
  for (let day = first; day <= last; day += DAY) out.push({ day, tokens: byDay.get(day) ?? 0 });
  return out;
}

/**
 * A mobile as the API takes it (E.164): the national form Ecuadorians type, `09XXXXXXXX`, becomes
 * `+5939XXXXXXXX`; anything else goes as typed, for the server to check and name.
 */
export function e164Mobile(input: string): string {
  const compact = input.replace(/[\s\-.()]/g, "");
  return /^09\d{8}$/.test(compact) ? `+593${compact.slice(1)}` : input.trim();
}

/** Where sign-in may send the operator back to: a console path of this site, else the dashboard. */
export function safeNext(next: string | null): string {
  if (!next || !/^\/admin(\/|$|\?)/.test(next) || next.includes("\\") || next.startsWith("/admin/login")) return "/admin/";
  return next;
}

/** An amount typed in dollars ("5", "5.5", "5,50") in cents; undefined unless positive with ≤ 2 decimals. */
export function centsOf(typed: string): bigint | undefined {
  const match = typed.trim().replace(",", ".").match(/^(\d{1,9})(?:\.(\d{1,2}))?$/);
  if (!match) return undefined;
  const cents = BigInt(match[1]) * 100n + BigInt((match[2] ?? "").padEnd(2, "0"));
  return cents > 0n ? cents : undefined;
}
