import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { PaymentStatus, Role, type GetTransactionResponse, type ListTransactionsResponse } from "@gpubroker/client";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { centsOf } from "../logic.js";
import { cash, when } from "./format.js";
import { ListPage } from "./list.js";
import { adminApi, call, may } from "./session.js";
import { ta } from "./text.js";

const PAGE_SIZE = 25;

const kindName = (kind: number) => (kind >= 1 && kind <= 3 ? ta(`tk${kind}` as "tk1") : "");
const statusName = (status: number) => (status >= 1 && status <= 3 ? ta(`ts${status}` as "ts1") : "");
const paymentName = (status: number) => (status >= 1 && status <= 9 ? ta(`pay${status}` as "pay1") : "");

/** `/admin/billing?kind=&status=&customer=&page=`: transactions, filtered and paged by the server. */
@customElement("gb-admin-billing")
export class AdminBilling extends ListPage<ListTransactionsResponse> {
  protected readonly path = "/admin/billing";

  protected fetch(): Promise<ListTransactionsResponse> {
    return adminApi.payments.listTransactions({
      pageSize: PAGE_SIZE,
      pageToken: this.query.get("page") ?? "",
      kind: Number(this.query.get("kind") ?? 0),
      status: Number(this.query.get("status") ?? 0),
      customerEmail: this.query.get("customer") ?? "",
    });
  }

  override render() {
    this.announce(ta("billing"));
    const q = this.query;
    const answer = this.answer;
    return html`<h1>${ta("billing")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-kind">${ta("kind")}</label>
          <select id="f-kind" name="kind"><option value="0">${ta("anyKind")}</option>
            ${[1, 2, 3].map((k) => html`<option value=${k} ?selected=${q.get("kind") === String(k)}>${kindName(k)}</option>`)}</select></div>
        <div class="field"><label for="f-status">${ta("status")}</label>
          <select id="f-status" name="status"><option value="0">${ta("anyStatus")}</option>
            ${[1, 2, 3].map((s) => html`<option value=${s} ?selected=${q.get("status") === String(s)}>${statusName(s)}</option>`)}</select></div>
        <div class="field"><label for="f-customer">${ta("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${q.get("customer") ?? ""} /></div>
        <button type="submit">${ta("filter")}</button>
      </form>
      ${this.heading(answer?.transactions.length ?? 0, answer?.totalSize ?? 0n, ta("noTransactions"))}
      ${answer?.transactions.length
        ? html`<div class="scroll"><table>
              <caption class="visually-hidden">${ta("billing")}</caption>
              <thead><tr><th scope="col">${ta("when")}</th><th scope="col">${ta("kind")}</th><th scope="col">${ta("status")}</th>
                <th scope="col">${ta("amount")}</th><th scope="col">${ta("customer")}</th></tr></thead>
              <tbody>${answer.transactions.map(
                (t) => html`<tr><td><a href=${`/admin/billing/${t.transactionId}`}>${when(t.createdAt)}</a></td>
                  <td>${kindName(t.kind)}</td><td>${statusName(t.status)}</td><td>${cash(t.amount)}</td><td>${t.customerEmail}</td></tr>`,
              )}</tbody></table></div>
            ${this.paging(answer.nextPageToken)}`
        : nothing}`;
  }
}

/** `/admin/billing/<transaction id>`: one transaction, its payment, and a refund for admins. */
@customElement("gb-admin-transaction")
export class AdminTransaction extends Page {
  @property() transactionId = "";
  @state() private answer?: GetTransactionResponse;
  @state() private error = "";
  @state() private message = "";
  @state() private busy = false;
  @state() private amountError = "";
  /** One key per refund form: a double click or a retry refunds once. */
  private refundKey = crypto.randomUUID();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.answer = await call(() => adminApi.payments.getTransaction({ transactionId: this.transactionId }));
    } catch (error) {
      this.error = failure(error).rawMessage;
    }
  }

  private async refund(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const payment = this.answer?.payment;
    if (!payment) return;
    const form = new FormData(event.target as HTMLFormElement);
    const typed = String(form.get("amount") ?? "").trim();
    const cents = typed ? centsOf(typed) : undefined;
    this.amountError = typed && cents === undefined ? ta("badAmount") : "";
    if (this.amountError) return;
    this.busy = true;
    this.message = "";
    try {
      const answer = await call(() =>
        adminApi.payments.refundPayment({
          paymentId: payment.paymentId,
          amount: cents === undefined ? undefined : { currencyCode: "USD", amountMinor: cents },
          reason: String(form.get("reason") ?? "").trim(),
          idempotencyKey: this.refundKey,
        }),
      );
      this.refundKey = crypto.randomUUID();
      this.message = ta("refunded", { amount: cash(answer.refund?.amount), status: paymentName(answer.payment?.status ?? 0) });
      if (this.answer) this.answer = { ...this.answer, payment: answer.payment };
      (event.target as HTMLFormElement).reset();
    } catch (error) {
      const typed = failure(error);
      this.message = typed.reason ? `${typed.rawMessage} (${typed.reason})` : typed.rawMessage;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    this.announce(ta("transaction"));
    const t = this.answer?.transaction;
    const p = this.answer?.payment;
    if (!t) {
      return html`<h1>${ta("transaction")}</h1>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : html`<p aria-live="polite">${ta("working")}</p>`}`;
    }
    return html`<h1>${ta("transaction")}</h1>
      <dl class="facts">
        <dt>${ta("kind")}</dt><dd>${kindName(t.kind)}</dd>
        <dt>${ta("status")}</dt><dd>${statusName(t.status)}</dd>
        <dt>${ta("amount")}</dt><dd>${cash(t.amount)}</dd>
        <dt>${ta("customer")}</dt><dd>${t.customerName ? `${t.customerName} · ` : ""}${t.customerEmail}</dd>
        <dt>${ta("when")}</dt><dd>${when(t.createdAt)}</dd>
        <dt>PayPal</dt><dd>${t.providerReference || "—"}</dd>
        ${t.reason ? html`<dt>${ta("reason")}</dt><dd>${t.reason}</dd>` : nothing}
      </dl>
      ${p
        ? html`<h2>${ta("payment")}</h2>
            <dl class="facts">
              <dt>${ta("status")}</dt><dd class="payment-status">${paymentName(p.status)}</dd>
              <dt>${ta("amount")}</dt><dd>${cash(p.amount)}</dd>
              <dt>${ta("refundedSoFar")}</dt><dd class="refunded">${cash(p.refundedAmount)}</dd>
              <dt>${ta("subscription")}</dt><dd>${p.subscriptionId}</dd>
            </dl>`
        : nothing}
      ${this.message ? html`<p role="status" class="notice">${this.message}</p>` : nothing}
      ${p && may(Role.ADMIN) && (p.status === PaymentStatus.COMPLETED || p.status === PaymentStatus.PARTIALLY_REFUNDED)
        ? html`<h2>${ta("refund")}</h2>
            <form @submit=${this.refund}>
              <div class="field"><label for="refund-amount">${ta("refundAmount")}</label>
                <input id="refund-amount" name="amount" inputmode="decimal" autocomplete="off"
                  aria-invalid=${this.amountError ? "true" : "false"} aria-describedby="refund-amount-help${this.amountError ? " refund-amount-error" : ""}" />
                <p class="help" id="refund-amount-help">${ta("refundAmountHelp")}</p>
                ${this.amountError ? html`<p class="field-error" id="refund-amount-error">${this.amountError}</p>` : nothing}</div>
              <div class="field"><label for="refund-reason">${ta("reason")}</label>
                <input id="refund-reason" name="reason" required maxlength="255" /></div>
              <button type="submit" class="danger" ?disabled=${this.busy}>${this.busy ? ta("working") : ta("refund")}</button>
            </form>`
        : nothing}`;
  }
}
