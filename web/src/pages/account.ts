import { html, nothing, type PropertyValues } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Code, SubscriptionStatus, type Budget, type GetSubscriptionStatusResponse } from "@gpubroker/client";

import { Chart } from "../chart.js";
import { api, failure, session } from "../api.js";
import { Page } from "../base.js";
import { lang, t, tDynamic } from "../i18n.js";
import { count, dailyTotals, everyDay, percent, reconnectDelay, shortTokens } from "../logic.js";
import "../sign-in.js";

/**
 * `/account`: the subscription's status and period, the token budget as a live gauge
 * (WatchBudget), usage per day as a chart with the same figures as a table, and the key and
 * subscription actions.
 */
@customElement("gb-account")
export class AccountPage extends Page {
  @state() private signedIn = !!session.key;
  @state() private status?: GetSubscriptionStatusResponse;
  @state() private budget?: Budget;
  @state() private days: { day: number; tokens: number }[] = [];
  @state() private message = "";
  @state() private newKey = "";
  @state() private confirming = false;
  private abort?: AbortController;
  private readonly chart = new Chart();

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.signedIn) void this.start();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    this.chart.destroy();
    super.disconnectedCallback();
  }

  private async start(): Promise<void> {
    this.abort = new AbortController();
    try {
      this.status = await api.subscriptions.getSubscriptionStatus({});
    } catch (error) {
      this.fail(error);
      return;
    }
    void this.history();
    void this.watchBudget(this.abort.signal);
  }

  private fail(error: unknown): void {
    const typed = failure(error);
    if (typed.code === Code.Unauthenticated) {
      session.key = undefined;
      this.signedIn = false;
    }
    this.message = typed.rawMessage;
  }

  private async history(): Promise<void> {
    try {
      const usage = await api.budgets.listUsage({ pageSize: 500 });
      this.days = dailyTotals(
        usage.records.map((r) => ({ tokens: r.tokens, at: r.occurredAt ? new Date(Number(r.occurredAt.seconds) * 1000) : new Date() })),
      );
    } catch {
      this.days = [];
    }
  }

  private async watchBudget(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        for await (const change of api.budgets.watchBudget({}, { signal })) {
          this.budget = change.budget;
          attempt = 0;
        }
      } catch (error) {
        if (signal.aborted) return;
        if (failure(error).code === Code.Unauthenticated) return;
      }
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)));
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has("days")) this.drawChart();
  }

  private drawChart(): void {
    // At least a week, day by day: a few days of use do not stretch over years.
    const series = everyDay(this.days);
    this.chart.draw(
      this.days.length ? this.querySelector<HTMLElement>("#usage-chart") : null,
      series.map((d) => d.day),
      [{ label: t("tokens"), values: series.map((d) => d.tokens), color: "#0b5cad" }],
      (v) => shortTokens(v, lang),
    );
  }

  override render() {
    this.announce(t("accountTitle"));
    if (!this.signedIn) {
      return html`<h1>${t("accountTitle")}</h1>
        ${this.message ? html`<p role="alert" class="error">${this.message}</p>` : nothing}
        <gb-sign-in @signed-in=${() => {
          this.signedIn = true;
          this.message = "";
          void this.start();
        }}></gb-sign-in>`;
    }
    const s = this.status;
    const b = this.budget;
    return html`<h1>${t("accountTitle")}</h1>
      ${this.message ? html`<p role="status" class="notice">${this.message}</p>` : nothing}
      ${s
        ? html`<dl class="facts">
            <dt>${t("status")}</dt><dd class="sub-status">${tDynamic(`st${s.status}`)}</dd>
            <dt>${t("plan")}</dt><dd>${tDynamic(`plan${s.plan}`)}</dd>
            ${s.periodEndAt
              ? html`<dt>${t("periodEnds")}</dt><dd>${new Date(Number(s.periodEndAt.seconds) * 1000).toLocaleDateString(lang === "en" ? "en-US" : "es-EC")}</dd>`
              : nothing}
          </dl>`
        : html`<p aria-live="polite">${t("loading")}</p>`}
      <section aria-labelledby="budget-title">
        <h2 id="budget-title">${t("budget")}</h2>
        ${b ? this.gauge(b) : html`<p aria-live="polite">${t("loading")}</p>`}
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">${t("history")}</h2>
        ${this.days.length === 0
          ? html`<p>${t("historyEmpty")}</p>`
          : html`<div id="usage-chart" class="chart"></div>
              <table>
                <caption>${t("historyTable")}</caption>
                <thead><tr><th scope="col">${t("day")}</th><th scope="col">${t("tokens")}</th></tr></thead>
                <tbody>
                  ${this.days.map(
                    (d) => html`<tr><td>${new Date(d.day * 1000).toISOString().slice(0, 10)}</td><td>${count(d.tokens, lang)}</td></tr>`,
                  )}
                </tbody>
              </table>`}
      </section>
      <section aria-labelledby="actions-title" class="actions">
        <h2 id="actions-title" class="visually-hidden">${t("rotate")} · ${t("cancel")}</h2>
        ${this.newKey
          ? html`<div class="key-box" role="status"><p class="warning">${t("rotated")}</p>
              <label for="new-key">${t("apiKey")}</label><input id="new-key" readonly .value=${this.newKey} /></div>`
          : nothing}
        <button type="button" @click=${this.rotate}>${t("rotate")}</button>
        <button type="button" @click=${this.revoke}>${t("revoke")}</button>
        ${s && s.status !== SubscriptionStatus.CANCELLED && s.status !== SubscriptionStatus.EXPIRED && s.status !== SubscriptionStatus.DESTROYED
          ? html`<button type="button" class="danger" @click=${() => (this.confirming = true)}>${t("cancel")}</button>`
          : nothing}
        <button type="button" @click=${this.signOut}>${t("signOut")}</button>
        ${this.confirming
          ? html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-text" aria-modal="false">
              <p id="confirm-text">${t("cancelConfirm")}</p>
              <button type="button" class="danger" @click=${this.cancelSubscription}>${t("cancelYes")}</button>
              <button type="button" @click=${() => (this.confirming = false)}>${t("cancelNo")}</button>
            </div>`
          : nothing}
      </section>`;
  }

  private gauge(b: Budget) {
    const used = percent(b.committedTokens, b.limitTokens);
    const held = percent(b.committedTokens + b.heldTokens, b.limitTokens) - used;
    return html`<div class="gauge" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${used}
        aria-label=${t("budget")} aria-valuetext=${`${used}% ${t("used")}`}>
        <progress max="100" .value=${used} aria-hidden="true"></progress>
      </div>
      <p class="budget-figures">
        <span class="used"><strong>${shortTokens(b.committedTokens, lang)}</strong> ${t("used")}</span> ·
        <span class="held">${shortTokens(b.heldTokens, lang)} ${t("held")}</span> ·
        <span class="left"><strong>${shortTokens(b.remainingTokens, lang)}</strong> ${t("left")}</span>
        (${used}%${held > 0 ? ` + ${held}%` : ""})
      </p>`;
  }

  private async rotate(): Promise<void> {
    try {
      const answer = await api.subscriptions.rotateApiKey({ idempotencyKey: crypto.randomUUID() });
      session.key = answer.apiKey;
      this.newKey = answer.apiKey;
    } catch (error) {
      this.fail(error);
    }
  }

  private async revoke(): Promise<void> {
    try {
      await api.subscriptions.revokeApiKey({});
      session.key = undefined;
      this.abort?.abort();
      this.signedIn = false;
      this.message = t("revoked");
    } catch (error) {
      this.fail(error);
    }
  }

  private async cancelSubscription(): Promise<void> {
    this.confirming = false;
    try {
      await api.subscriptions.cancelSubscription({ idempotencyKey: crypto.randomUUID() });
      this.status = await api.subscriptions.getSubscriptionStatus({});
      this.message = t("cancelled");
    } catch (error) {
      this.fail(error);
    }
  }

  private signOut(): void {
    session.key = undefined;
    this.abort?.abort();
    this.signedIn = false;
    this.message = "";
  }
}
