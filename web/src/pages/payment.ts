import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { PaymentStatus } from "@gpubroker/client";

import { api, failure } from "../api.js";
import { Page } from "../base.js";
import { t } from "../i18n.js";

/** `/checkout/return?token=<order>`: PayPal sent the payer back; capture and show the outcome. */
@customElement("gb-payment-return")
export class PaymentReturnPage extends Page {
  @state() private outcome?: "completed" | "pending" | "denied";
  @state() private error = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.capture();
  }

  private async capture(): Promise<void> {
    const order = new URLSearchParams(location.search).get("token") ?? "";
    try {
      const answer = await api.payments.capturePaypalOrder({ orderId: order });
      const status = answer.payment?.status;
      this.outcome =
        status === PaymentStatus.COMPLETED ? "completed" : status === PaymentStatus.DENIED ? "denied" : "pending";
    } catch (error) {
      this.error = failure(error).rawMessage;
    }
  }

  override render() {
    this.announce(t("returnTitle"));
    const plan = sessionStorage.getItem("gpubroker.plan") ?? "";
    const retry = html`<p><a class="button" href=${`/checkout?plan=${encodeURIComponent(plan)}&retry=1`}>${t("payRetry")}</a></p>`;
    return html`<h1>${t("returnTitle")}</h1>
      ${this.error
        ? html`<p role="alert" class="error">${this.error}</p>${retry}`
        : !this.outcome
          ? html`<p aria-live="polite">${t("working")}</p>`
          : html`<p role="status" class=${this.outcome}>
                ${this.outcome === "completed" ? t("payCompleted") : this.outcome === "pending" ? t("payPending") : t("payDenied")}
              </p>
              ${this.outcome === "denied" ? retry : nothing}`}`;
  }
}

/** `/checkout/cancel`: the payer cancelled at PayPal; back to the checkout with the plan kept. */
@customElement("gb-payment-cancel")
export class PaymentCancelPage extends Page {
  override connectedCallback(): void {
    super.connectedCallback();
    const plan = sessionStorage.getItem("gpubroker.plan") ?? "";
    location.replace(`/checkout?plan=${encodeURIComponent(plan)}&cancelled=1`);
  }
}
