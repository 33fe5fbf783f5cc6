import { html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Language, Plan, type PlanInfo } from "@gpubroker/client";

import { api } from "../api.js";
import { Page } from "../base.js";
import { lang, t } from "../i18n.js";
import { money, planSlug, shortTokens } from "../logic.js";

/** `/`: the plans on sale, as ListPlans says (price, tokens, period) — nothing hard-coded. */
@customElement("gb-plans")
export class PlansPage extends Page {
  @state() private plans?: PlanInfo[];
  @state() private failed = false;
  private loadedIn?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.failed = false;
    this.loadedIn = lang;
    try {
      const answer = await api.subscriptions.listPlans({ language: lang === "en" ? Language.EN : Language.ES });
      this.plans = answer.plans;
    } catch {
      this.failed = true;
    }
  }

  override render() {
    this.announce(t("plansTitle"));
    // Display names come localised from the server: reload them when the language changes.
    if (this.loadedIn !== lang && this.plans) void this.load();
    return html`
      <section class="hero">
        <h1>${t("plansTitle")}</h1>
        <p>${t("tagline")}</p>
      </section>
      ${this.failed
        ? html`<p role="alert">${t("failedLoad")} <button @click=${() => this.load()}>${t("retry")}</button></p>`
        : !this.plans
          ? html`<p aria-live="polite">${t("loading")}</p>`
          : html`<ul class="plans">
              ${this.plans.map((plan) => this.card(plan))}
            </ul>`}
    `;
  }

  private card(plan: PlanInfo) {
    const slug = planSlug(plan.plan) ?? "";
    const price = plan.price && plan.price.amountMinor > 0n ? money(plan.price.amountMinor, plan.price.currencyCode, lang) : t("free");
    const id = `plan-${slug}`;
    return html`<li class="plan ${plan.plan === Plan.PRO ? "featured" : ""}" aria-labelledby=${id}>
      <h2 id=${id}>${plan.displayName}</h2>
      <p class="price">${price}${plan.requiresPayment ? html` <span class="muted">${t("perPeriod")}</span>` : ""}</p>
      <p class="tokens"><strong>${shortTokens(plan.tokenLimit, lang)}</strong> ${t("tokens")}</p>
      <a class="button" href=${`/checkout?plan=${slug}`} aria-describedby=${id}
        >${plan.requiresPayment ? t("choose") : t("chooseTrial")}</a
      >
    </li>`;
  }
}
