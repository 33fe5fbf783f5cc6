import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { DecisionStatus, DecisionVerdict, Role, type AgentDecision, type Budget, type ListUsageResponse } from "@gpubroker/client";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { lang } from "../i18n.js";
import { count } from "../logic.js";
import { when } from "./format.js";
import { go } from "./nav.js";
import { adminApi, call, may } from "./session.js";
import { ta } from "./text.js";

/** Outcome text of a failed call: the server's message and reason. */
function said(error: unknown): string {
  const typed = failure(error);
  return typed.reason ? `${typed.rawMessage} (${typed.reason})` : typed.rawMessage;
}

/**
 * `/admin/budgets?subscription=`: a subscription's token budget, its usage ledger (LLM calls
 * included) and SetBudget; and the agents' decisions waiting for review, approved or rejected with
 * a comment.
 */
@customElement("gb-admin-budgets")
export class AdminBudgets extends Page {
  @state() private budget?: Budget;
  @state() private usage?: ListUsageResponse;
  @state() private decisions: AgentDecision[] = [];
  @state() private message = "";
  @state() private error = "";
  @state() private busy = false;
  private readonly subscription = new URLSearchParams(location.search).get("subscription") ?? "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const waiting = await call(() => adminApi.budgets.listDecisions({ pageSize: 50, status: DecisionStatus.PROPOSED, requiresApprovalOnly: true }));
      this.decisions = waiting.decisions;
      if (this.subscription) {
        const [budget, usage] = await Promise.all([
          call(() => adminApi.budgets.getBudget({ subscriptionId: this.subscription })),
          call(() => adminApi.budgets.listUsage({ subscriptionId: this.subscription, pageSize: 50 })),
        ]);
        this.budget = budget.budget;
        this.usage = usage;
      }
    } catch (error) {
      this.error = said(error);
    }
  }

  private open(event: SubmitEvent): void {
    event.preventDefault();
    const id = String(new FormData(event.target as HTMLFormElement).get("subscription") ?? "").trim();
    go(id ? `/admin/budgets?subscription=${encodeURIComponent(id)}` : "/admin/budgets");
  }

  private async setBudget(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    try {
      const answer = await call(() =>
        adminApi.budgets.setBudget({
          subscriptionId: this.subscription,
          limitTokens: BigInt(String(form.get("limit") ?? "0").replace(/\D/g, "") || "0"),
          resetPeriod: form.get("reset") === "on",
          reason: String(form.get("reason") ?? "").trim(),
          idempotencyKey: crypto.randomUUID(),
        }),
      );
      this.budget = answer.budget;
      this.message = ta("budgetSet", { limit: count(answer.budget?.limitTokens ?? 0n, lang) });
    } catch (error) {
      this.message = said(error);
    } finally {
      this.busy = false;
    }
  }

  private async review(decision: AgentDecision, verdict: DecisionVerdict): Promise<void> {
    const notes = this.querySelector<HTMLTextAreaElement>(`#notes-${decision.decisionId}`)?.value.trim() ?? "";
    this.busy = true;
    try {
      await call(() => adminApi.budgets.reviewDecision({ decisionId: decision.decisionId, verdict, notes, idempotencyKey: crypto.randomUUID() }));
      this.decisions = this.decisions.filter((d) => d.decisionId !== decision.decisionId);
      this.message = verdict === DecisionVerdict.APPROVE ? ta("approved", { title: decision.title }) : ta("rejected", { title: decision.title });
    } catch (error) {
      this.message = said(error);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    this.announce(ta("budgets"));
    const admin = may(Role.ADMIN);
    const b = this.budget;
    return html`<h1>${ta("budgets")}</h1>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      ${this.message ? html`<p role="status" class="notice">${this.message}</p>` : nothing}
      <form class="filters" @submit=${this.open}>
        <div class="field"><label for="subscription">${ta("subscription")}</label>
          <input id="subscription" name="subscription" .value=${this.subscription} autocomplete="off" /></div>
        <button type="submit">${ta("show")}</button>
      </form>
      ${b
        ? html`<dl class="facts">
              <dt>${ta("limit")}</dt><dd data-figure="limit">${count(b.limitTokens, lang)}</dd>
              <dt>${ta("committed")}</dt><dd data-figure="committed">${count(b.committedTokens, lang)}</dd>
              <dt>${ta("held")}</dt><dd>${count(b.heldTokens, lang)}</dd>
              <dt>${ta("remaining")}</dt><dd>${count(b.remainingTokens, lang)} (${b.percentUsed} %)</dd>
              <dt>${ta("period")}</dt><dd>${when(b.periodStartAt)} – ${when(b.periodEndAt)}</dd>
            </dl>
            ${admin
              ? html`<h2>${ta("setBudget")}</h2>
                  <form @submit=${this.setBudget}>
                    <div class="field"><label for="limit">${ta("newLimit")}</label>
                      <input id="limit" name="limit" inputmode="numeric" required .value=${String(b.limitTokens)} /></div>
                    <div class="check"><input id="reset" name="reset" type="checkbox" /><label for="reset">${ta("resetPeriod")}</label></div>
                    <div class="field"><label for="budget-reason">${ta("reason")}</label><input id="budget-reason" name="reason" required /></div>
                    <button type="submit" ?disabled=${this.busy}>${ta("setBudget")}</button>
                  </form>`
              : nothing}
            <h2>${ta("usage")}</h2>
            ${this.usage?.records.length
              ? html`<div class="scroll"><table>
                  <caption class="visually-hidden">${ta("usage")}</caption>
                  <thead><tr><th scope="col">${ta("when")}</th><th scope="col">${ta("model")}</th><th scope="col">${ta("tokens")}</th>
                    <th scope="col">${ta("tokensIn")}</th><th scope="col">${ta("tokensOut")}</th><th scope="col">${ta("tokensCached")}</th></tr></thead>
                  <tbody>${this.usage.records.map(
                    (r) => html`<tr><td>${when(r.occurredAt)}</td><td>${r.model || "—"}</td><td>${count(r.tokens, lang)}</td>
                      <td>${count(r.tokensIn, lang)}</td><td>${count(r.tokensOut, lang)}</td><td>${count(r.tokensCached, lang)}</td></tr>`,
                  )}</tbody></table></div>`
              : html`<p>${ta("noUsage")}</p>`}`
        : nothing}
      <h2>${ta("decisions")}</h2>
      ${this.decisions.length === 0
        ? html`<p>${ta("noDecisions")}</p>`
        : this.decisions.map(
            (d) => html`<section class="card" aria-label=${d.title}>
              <h3>${d.title}</h3>
              <p>${d.description}</p>
              <dl class="facts">
                <dt>Pod</dt><dd><a href=${`/admin/pods/${d.podId}`}>${d.podId}</a></dd>
                <dt>${ta("reasoning")}</dt><dd>${d.reasoning}</dd>
                <dt>${ta("recommended")}</dt><dd>${d.recommendedAction}</dd>
                <dt>${ta("estimate")}</dt><dd>${count(d.estimatedTokens, lang)} ${ta("tokens")} · ${d.confidencePercent} %</dd>
                <dt>${ta("expires")}</dt><dd>${when(d.expiresAt)}</dd>
              </dl>
              ${admin
                ? html`<div class="field"><label for=${`notes-${d.decisionId}`}>${ta("comment")}</label>
                      <textarea id=${`notes-${d.decisionId}`} rows="2" maxlength="2000"></textarea></div>
                    <div class="actions">
                      <button type="button" class="primary" ?disabled=${this.busy} @click=${() => void this.review(d, DecisionVerdict.APPROVE)}>${ta("approve")}</button>
                      <button type="button" class="danger" ?disabled=${this.busy} @click=${() => void this.review(d, DecisionVerdict.REJECT)}>${ta("reject")}</button>
                    </div>`
                : nothing}
            </section>`,
          )}`;
  }
}
