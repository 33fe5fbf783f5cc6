import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { GetCostsResponse } from "@gpubroker/client";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { bars } from "../bars.js";
import { lang, tDynamic } from "../i18n.js";
import { count } from "../logic.js";
import { cash, when } from "./format.js";
import { adminApi, call } from "./session.js";
import { ta } from "./text.js";

/** Pods drawn in the chart, the costliest; the table lists them all. */
const CHARTED = 15;

const PERIODS = { days7: 7, days30: 30, days90: 90 } as const;
type Period = keyof typeof PERIODS;

/** `/admin/costs`: GetCosts over a chosen period — Fargate compute, other costs, revenue, margin. */
@customElement("gb-admin-costs")
export class AdminCosts extends Page {
  @state() private answer?: GetCostsResponse;
  @state() private period: Period = "days30";
  @state() private error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const end = BigInt(Math.floor(Date.now() / 1000));
    const start = end - BigInt(PERIODS[this.period] * 86_400);
    try {
      this.answer = await call(() =>
        adminApi.subscriptions.getCosts({ startTime: { seconds: start, nanos: 0 }, endTime: { seconds: end, nanos: 0 } }),
      );
      this.error = "";
    } catch (error) {
      this.error = failure(error).rawMessage;
    }
  }

  override render() {
    this.announce(ta("costs"));
    const c = this.answer;
    return html`<h1>${ta("costs")}</h1>
      <div class="field"><label for="period">${ta("periodChoice")}</label>
        <select id="period" @change=${(e: Event) => {
          this.period = (e.target as HTMLSelectElement).value as Period;
          void this.load();
        }}>${(Object.keys(PERIODS) as Period[]).map((p) => html`<option value=${p} ?selected=${p === this.period}>${ta(p)}</option>`)}</select></div>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      ${c
        ? html`<p class="muted">${when(c.startTime)} – ${when(c.endTime)}</p>
            <dl class="figures">
              <div class="figure"><dt>${ta("computeCost")}</dt><dd data-figure="compute">${cash(c.computeCost)}</dd></div>
              <div class="figure"><dt>${ta("otherCosts")}</dt><dd>${cash(c.otherCosts)}</dd></div>
              <div class="figure"><dt>${ta("totalCosts")}</dt><dd data-figure="total">${cash(c.totalCosts)}</dd></div>
              <div class="figure"><dt>${ta("revenue")}</dt><dd>${cash(c.revenue)}</dd></div>
              <div class="figure"><dt>${ta("profit")}</dt><dd class=${c.profitable ? "ok" : "error"}>${cash(c.profit)}</dd></div>
              <div class="figure"><dt>${ta("margin")}</dt><dd>${(c.marginBasisPoints / 100).toLocaleString(lang === "es" ? "es-EC" : "en-US")} %</dd></div>
              <div class="figure"><dt>${ta("activePods")}</dt><dd>${count(c.activePods, lang)}</dd></div>
              <div class="figure"><dt>${ta("podHours")}</dt><dd>${count(Number(c.podRuntime?.seconds ?? 0n) / 3600, lang)}</dd></div>
            </dl>
            ${c.perPod
              ? html`<h2>${ta("perPod")}</h2>
                  <p>${c.perPod.cpuUnits} CPU units · ${c.perPod.memoryMib} MiB · vCPU-h $${c.perPod.vcpuHourPriceUsd} · GB-h $${c.perPod.gbHourPriceUsd} ·
                    ${ta("monthlyCost")}: <strong>${cash(c.perPod.monthlyCost)}</strong></p>`
              : nothing}
            <h2>${ta("byPod")}</h2>
            ${c.pods.length
              ? html`<div class="scroll">${bars(
                    c.pods.slice(0, CHARTED).map((p) => ({
                      label: p.podId,
                      value: Number(p.computeCost?.amountMinor ?? 0n),
                      text: cash(p.computeCost),
                    })),
                  )}</div>
                  <div class="scroll"><table data-table="pod-costs">
                    <caption class="visually-hidden">${ta("byPod")}</caption>
                    <thead><tr><th scope="col">Pod</th><th scope="col">${ta("customer")}</th><th scope="col">${ta("plan")}</th>
                      <th scope="col">${ta("podHours")}</th><th scope="col">${ta("computeCost")}</th></tr></thead>
                    <tbody>${c.pods.map(
                      (p) => html`<tr><td><a href=${`/admin/pods/${p.podId}`}>${p.podId}</a></td><td>${p.customerEmail}</td>
                        <td>${tDynamic(`plan${p.plan}`)}</td><td>${count(Number(p.runtime?.seconds ?? 0n) / 3600, lang)}</td>
                        <td data-cost>${cash(p.computeCost)}</td></tr>`,
                    )}</tbody></table></div>`
              : html`<p>${ta("noPodCosts")}</p>`}`
        : html`<p aria-live="polite">${ta("working")}</p>`}`;
  }
}
