import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { PaymentStatus, Role, SubscriptionStatus, type GetCustomerResponse, type ListCustomersResponse } from "@gpubroker/client";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { lang, tDynamic } from "../i18n.js";
import { count } from "../logic.js";
import { cash, when } from "./format.js";
import { ListPage } from "./list.js";
import { adminApi, call, may } from "./session.js";
import { ta } from "./text.js";

const PAGE_SIZE = 25;
const ENDED = [SubscriptionStatus.CANCELLED, SubscriptionStatus.DESTROYED, SubscriptionStatus.EXPIRED];

/** `/admin/customers?q=`: customers found by email, name or tax id. */
@customElement("gb-admin-customers")
export class AdminCustomers extends ListPage<ListCustomersResponse> {
  protected readonly path = "/admin/customers";

  protected fetch(): Promise<ListCustomersResponse> {
    return adminApi.subscriptions.listCustomers({ pageSize: PAGE_SIZE, pageToken: this.query.get("page") ?? "", query: this.query.get("q") ?? "" });
  }

  override render() {
    this.announce(ta("customers"));
    const answer = this.answer;
    return html`<h1>${ta("customers")}</h1>
      <form class="filters" role="search" @submit=${this.filter}>
        <div class="field"><label for="q">${ta("searchCustomers")}</label>
          <input id="q" name="q" type="search" .value=${this.query.get("q") ?? ""} /></div>
        <button type="submit">${ta("search")}</button>
      </form>
      ${this.heading(answer?.customers.length ?? 0, answer?.totalSize ?? 0n, ta("noCustomers"))}
      ${answer?.customers.length
        ? html`<div class="scroll"><table>
              <caption class="visually-hidden">${ta("customers")}</caption>
              <thead><tr><th scope="col">${ta("email")}</th><th scope="col">${ta("name")}</th><th scope="col">${ta("plan")}</th><th scope="col">${ta("status")}</th></tr></thead>
              <tbody>${answer.customers.map(
                (c) => html`<tr><td><a href=${`/admin/customers/${encodeURIComponent(c.email)}`}>${c.email}</a></td><td>${c.name}</td>
                  <td>${tDynamic(`plan${c.latestPlan}`)}</td><td>${tDynamic(`st${c.latestStatus}`)}</td></tr>`,
              )}</tbody></table></div>
            ${this.paging(answer.nextPageToken)}`
        : nothing}`;
  }
}

/** `/admin/customers/<email>`: a customer's subscriptions, payments and pods, and what admins may do. */
@customElement("gb-admin-customer")
export class AdminCustomer extends Page {
  @property() email = "";
  @state() private answer?: GetCustomerResponse;
  @state() private error = "";
  @state() private message = "";
  @state() private busy = "";
  @state() private confirmCancel = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.answer = await call(() => adminApi.subscriptions.getCustomer({ email: this.email }));
    } catch (error) {
      this.error = failure(error).rawMessage;
    }
  }

  /** Runs an admin action, then shows its outcome and the customer as it is now. */
  private async act(name: string, run: () => Promise<unknown>, done: string): Promise<void> {
    this.busy = name;
    this.message = "";
    try {
      await call(run);
      // The outcome is said once the page shows the customer as they are now.
      await this.load();
      this.message = done;
      this.confirmCancel = "";
    } catch (error) {
      const typed = failure(error);
      this.message = typed.reason ? `${typed.rawMessage} (${typed.reason})` : typed.rawMessage;
    } finally {
      this.busy = "";
    }
  }

  override render() {
    this.announce(this.email);
    const a = this.answer;
    if (!a) {
      return html`<h1>${this.email}</h1>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : html`<p aria-live="polite">${ta("working")}</p>`}`;
    }
    const admin = may(Role.ADMIN);
    const c = a.customer;
    return html`<h1>${c?.name || this.email}</h1>
      <dl class="facts">
        <dt>${ta("email")}</dt><dd>${c?.email}</dd>
        <dt>${ta("taxId")}</dt><dd>${c?.taxId || "—"}</dd>
      </dl>
      ${this.message ? html`<p role="status" class="notice">${this.message}</p>` : nothing}
      ${!admin ? html`<p class="muted">${ta("readOnly")}</p>` : nothing}
      <h2>${ta("subscriptions")}</h2>
      ${a.subscriptions.map(
        (s) => html`<section class="card" aria-label=${s.subscriptionId}>
          <dl class="facts">
            <dt>${ta("subscription")}</dt><dd>${s.subscriptionId}</dd>
            <dt>${ta("plan")}</dt><dd>${tDynamic(`plan${s.plan}`)} · ${cash(s.price)}</dd>
            <dt>${ta("status")}</dt><dd class="sub-status">${tDynamic(`st${s.status}`)}${s.statusReason ? ` · ${s.statusReason}` : ""}</dd>
            <dt>${ta("tokens")}</dt><dd>${count(s.tokensUsed, lang)} / ${count(s.tokenLimit, lang)}</dd>
            <dt>${ta("created")}</dt><dd>${when(s.createdAt)}</dd>
            ${s.podId ? html`<dt>Pod</dt><dd><a href=${`/admin/pods/${s.podId}`}>${s.podId}</a></dd>` : nothing}
          </dl>
          ${admin && !ENDED.includes(s.status)
            ? html`<div class="actions">
                <button type="button" ?disabled=${!!this.busy}
                  @click=${() => void this.act("revoke", () => adminApi.subscriptions.revokeApiKey({ subscriptionId: s.subscriptionId, reason: "revoked from the console" }), ta("keyRevoked"))}>${ta("revokeKey")}</button>
                <button type="button" class="danger" ?disabled=${!!this.busy} @click=${() => (this.confirmCancel = s.subscriptionId)}>${ta("cancelSub")}</button>
                ${this.confirmCancel === s.subscriptionId
                  ? html`<div class="confirm" role="group" aria-label=${ta("cancelSub")}>
                      <p>${ta("cancelConfirm")}</p>
                      <button type="button" class="danger" ?disabled=${!!this.busy}
                        @click=${() => void this.act("cancel", () => adminApi.subscriptions.cancelSubscription({ subscriptionId: s.subscriptionId, reason: "cancelled from the console", idempotencyKey: crypto.randomUUID() }), ta("subCancelled"))}>${ta("cancelYes")}</button>
                      <button type="button" @click=${() => (this.confirmCancel = "")}>${ta("cancel")}</button>
                    </div>`
                  : nothing}
              </div>`
            : nothing}
        </section>`,
      )}
      <h2>${ta("payments")}</h2>
      ${a.payments.length
        ? html`<div class="scroll"><table>
            <caption class="visually-hidden">${ta("payments")}</caption>
            <thead><tr><th scope="col">${ta("when")}</th><th scope="col">${ta("amount")}</th><th scope="col">${ta("status")}</th><th scope="col"><span class="visually-hidden">${ta("actionsLabel")}</span></th></tr></thead>
            <tbody>${a.payments.map(
              (p) => html`<tr><td>${when(p.createdAt)}</td><td>${cash(p.amount)}</td><td>${p.status >= 1 && p.status <= 9 ? ta(`pay${p.status}` as "pay1") : ""}</td>
                <td>${admin && p.status === PaymentStatus.COMPLETED
                  ? html`<button type="button" ?disabled=${!!this.busy}
                      @click=${() => void this.act("receipt", () => adminApi.subscriptions.resendReceipt({ target: { case: "paymentId", value: p.paymentId }, idempotencyKey: crypto.randomUUID() }), ta("receiptSent"))}>${ta("resendReceipt")}</button>`
                  : nothing}</td></tr>`,
            )}</tbody></table></div>`
        : html`<p>${ta("noPayments")}</p>`}`;
  }
}
