import { html, nothing, type PropertyValues } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { GetDashboardResponse } from "@gpubroker/client";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { Chart } from "../chart.js";
import { lang, tDynamic } from "../i18n.js";
import { count, money } from "../logic.js";
import { cash, when } from "./format.js";
import { call, adminApi } from "./session.js";
import { ta } from "./text.js";

/** An activity's kind as words (kinds 1–6 of ActivityKind). */
function activityName(kind: number): string {
  return kind >= 1 && kind <= 6 ? ta(`kind${kind}` as "kind1") : "";
}

/** How often the figures refresh in place. */
const REFRESH_MS = 30_000;

/** `/admin/`: GetDashboard's figures as they are, refreshed in place; nothing computed here. */
@customElement("gb-admin-dashboard")
export class AdminDashboard extends Page {
  @state() private data?: GetDashboardResponse;
  @state() private error = "";
  private timer?: number;
  private readonly chart = new Chart();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = window.setInterval(() => void this.load(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    window.clearInterval(this.timer);
    this.chart.destroy();
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    try {
      this.data = await call(() => adminApi.subscriptions.getDashboard({}));
      this.error = "";
    } catch (error) {
      this.error = failure(error).rawMessage;
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has("data") || !this.data) return;
    const months = this.data.revenue?.monthly ?? [];
    this.chart.draw(
      this.querySelector<HTMLElement>("#revenue-chart"),
      months.map((m) => Date.UTC(m.year, m.month - 1, 1) / 1000),
      [{ label: ta("revenueChart"), values: months.map((m) => Number(m.amount?.amountMinor ?? 0n)), color: "#0b5cad" }],
      (v) => money(v, "USD", lang),
    );
  }

  override render() {
    this.announce(ta("dashboard"));
    const d = this.data;
    if (!d) {
      return html`<h1>${ta("dashboard")}</h1>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : html`<p aria-live="polite">${ta("working")}</p>`}`;
    }
    const revenue = d.revenue;
    const growth = revenue?.growthDefined
      ? `${(Number(revenue.growthBasisPoints) / 100).toLocaleString(lang === "es" ? "es-EC" : "en-US")} %`
      : ta("growthUndefined");
    const figure = (label: string, value: string, id: string) =>
      html`<div class="figure"><dt id=${`f-${id}`}>${label}</dt><dd aria-labelledby=${`f-${id}`} data-figure=${id}>${value}</dd></div>`;
    return html`<h1>${ta("dashboard")}</h1>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      <p class="muted" aria-live="polite">${ta("updated", { time: when(d.generatedAt) })}</p>
      <dl class="figures">
        ${figure(ta("podsRunning"), count(d.pods?.running ?? 0n, lang), "pods-running")}
        ${figure(ta("podsProvisioning"), count(d.pods?.provisioning ?? 0n, lang), "pods-provisioning")}
        ${figure(ta("podsFailed"), count(d.pods?.failed ?? 0n, lang), "pods-failed")}
        ${figure(ta("podsTotal"), count(d.pods?.total ?? 0n, lang), "pods-total")}
        ${figure(ta("revenueMonth"), cash(revenue?.currentMonth), "revenue-month")}
        ${figure(ta("revenuePrevious"), cash(revenue?.previousMonth), "revenue-previous")}
        ${figure(ta("growth"), growth, "growth")}
        ${figure(ta("payments"), count(revenue?.paymentCount ?? 0n, lang), "payments")}
        ${figure(ta("customersActive"), count(d.customers?.active ?? 0n, lang), "customers-active")}
        ${figure(ta("customersNew"), count(d.customers?.newLast7Days ?? 0n, lang), "customers-new")}
        ${figure(ta("tokensUsed"), count(d.tokens?.used ?? 0n, lang), "tokens-used")}
        ${figure(ta("tokensHeld"), count(d.tokens?.held ?? 0n, lang), "tokens-held")}
        ${figure(ta("tokensLimit"), count(d.tokens?.limit ?? 0n, lang), "tokens-limit")}
      </dl>
      <h2>${ta("subscriptionsByStatus")}</h2>
      <ul class="plain columns" data-list="subscription-status">${d.subscriptionCounts.map(
        (c) => html`<li data-status=${c.status}>${tDynamic(`st${c.status}`)}: <strong>${count(c.count, lang)}</strong></li>`,
      )}</ul>
      <h2>${ta("revenueChart")}</h2>
      <div id="revenue-chart" class="chart"></div>
      <table>
        <caption class="visually-hidden">${ta("revenueChart")}</caption>
        <thead><tr><th scope="col">${ta("when")}</th><th scope="col">${ta("amount")}</th></tr></thead>
        <tbody>${(revenue?.monthly ?? []).map((m) => html`<tr><td>${m.year}-${String(m.month).padStart(2, "0")}</td><td>${cash(m.amount)}</td></tr>`)}</tbody>
      </table>
      <h2>${ta("plansTitle")}</h2>
      <ul class="plain">${d.planCounts.map((p) => html`<li>${tDynamic(`plan${p.plan}`)}: <strong>${count(p.count, lang)}</strong></li>`)}</ul>
      <h2>${ta("alerts")}</h2>
      ${d.alerts.length
        ? html`<ul class="plain">${d.alerts.map((a) => html`<li class=${a.severity >= 2 ? "warning" : ""}>${when(a.occurredAt)} · ${a.message}
            ${a.podId ? html` · <a href=${`/admin/pods/${a.podId}`}>${a.podId}</a>` : nothing}</li>`)}</ul>`
        : html`<p>${ta("noAlerts")}</p>`}
      <h2>${ta("activity")}</h2>
      ${d.activity.length
        ? html`<div class="scroll"><table>
            <caption class="visually-hidden">${ta("activity")}</caption>
            <thead><tr><th scope="col">${ta("when")}</th><th scope="col">${ta("what")}</th><th scope="col">${ta("who")}</th><th scope="col">${ta("amount")}</th></tr></thead>
            <tbody>${d.activity.map(
              (a) => html`<tr><td>${when(a.occurredAt)}</td><td>${activityName(a.kind)}
                ${a.podId ? html` · <a href=${`/admin/pods/${a.podId}`}>${a.podId}</a>` : nothing}</td>
                <td>${a.customerEmail}</td><td>${a.amount ? cash(a.amount) : ""}</td></tr>`,
            )}</tbody></table></div>`
        : html`<p>${ta("noActivity")}</p>`}`;
  }
}
