// How the console shows times and money.
import type { Money } from "@gpubroker/client";
import type { Timestamp } from "@bufbuild/protobuf/wkt";

import { lang } from "../i18n.js";
import { money } from "../logic.js";

export function when(at: Timestamp | undefined): string {
  if (!at) return "—";
  const date = new Date(Number(at.seconds) * 1000);
  return date.toLocaleString(lang === "es" ? "es-EC" : "en-US", { dateStyle: "medium", timeStyle: "short" });
}

export function cash(amount: Money | undefined): string {
  return amount ? money(amount.amountMinor, amount.currencyCode || "USD", lang) : "—";
}
