import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { ListAuditLogResponse } from "@gpubroker/client";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { lang } from "../i18n.js";
import { count } from "../logic.js";
import { when } from "./format.js";
import { go } from "./nav.js";
import { adminApi, call } from "./session.js";
import { ta } from "./text.js";

const PAGE_SIZE = 50;

/** `/admin/audit?actor=&action=&page=`: the hash-chained audit log, newest first. */
@customElement("gb-admin-audit")
export class AdminAudit extends Page {
  @state() private answer?: ListAuditLogResponse;
  @state() private error = "";
  private query = new URLSearchParams(location.search);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.answer = await call(() =>
        adminApi.auth.listAuditLog({
          pageSize: PAGE_SIZE,
          pageToken: this.query.get("page") ?? "",
          actorUserId: this.query.get("actor") ?? "",
          action: this.query.get("action") ?? "",
          newestFirst: true,
        }),
      );
    } catch (error) {
      this.error = failure(error).rawMessage;
    }
  }

  private filter(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const next = new URLSearchParams();
    for (const key of ["actor", "action"]) {
      const value = String(form.get(key) ?? "").trim();
      if (value) next.set(key, value);
    }
    go(`/admin/audit${next.size ? `?${next}` : ""}`);
  }

  override render() {
    this.announce(ta("audit"));
    const answer = this.answer;
    const nextPage = new URLSearchParams(this.query);
    nextPage.set("page", answer?.nextPageToken ?? "");
    return html`<h1>${ta("audit")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-actor">${ta("actorId")}</label>
          <input id="f-actor" name="actor" .value=${this.query.get("actor") ?? ""} autocomplete="off" /></div>
        <div class="field"><label for="f-action">${ta("action")}</label>
          <input id="f-action" name="action" .value=${this.query.get("action") ?? ""} autocomplete="off" /></div>
        <button type="submit">${ta("filter")}</button>
      </form>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      ${!answer
        ? html`<p aria-live="polite">${ta("working")}</p>`
        : answer.entries.length === 0
          ? html`<p>${ta("noEntries")}</p>`
          : html`<p class="muted">${ta("shown", { n: answer.entries.length, total: count(answer.totalSize, lang) })}</p>
              <div class="scroll"><table>
                <caption class="visually-hidden">${ta("audit")}</caption>
                <thead><tr><th scope="col">#</th><th scope="col">${ta("when")}</th><th scope="col">${ta("actor")}</th><th scope="col">${ta("action")}</th>
                  <th scope="col">${ta("target")}</th><th scope="col">${ta("outcome")}</th></tr></thead>
                <tbody>${answer.entries.map(
                  (e) => html`<tr><td>${e.sequence}</td><td>${when(e.occurredAt)}</td><td>${e.actorEmail || "—"}</td><td class="audit-action">${e.action}</td>
                    <td>${e.resourceType}${e.resourceId ? ` ${e.resourceId}` : ""}</td><td>${e.success ? ta("ok") : ta("refused")}</td></tr>`,
                )}</tbody></table></div>
              ${answer.nextPageToken ? html`<p><a class="button" href=${`/admin/audit?${nextPage}`}>${ta("next")}</a></p>` : nothing}`}`;
  }
}
