import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import type { ListAuditLogResponse, VerifyAuditLogResponse } from "@gpubroker/client";

import { failure } from "../api.js";
import { lang } from "../i18n.js";
import { count } from "../logic.js";

import { when } from "./format.js";
import { ListPage } from "./list.js";
import { adminApi, call } from "./session.js";
import { ta } from "./text.js";

const PAGE_SIZE = 50;

/** `/admin/audit?actor=&action=&page=`: the hash-chained audit log, newest first. */
@customElement("gb-admin-audit")
export class AdminAudit extends ListPage<ListAuditLogResponse> {
  protected readonly path = "/admin/audit";
  @state() private chain?: VerifyAuditLogResponse;
  @state() private chainError = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.verify();
  }

  /** The whole chain re-checked by the server, shown above the list. */
  private async verify(): Promise<void> {
    try {
      this.chain = await call(() => adminApi.auth.verifyAuditLog({}));
    } catch (error) {
      this.chainError = failure(error).rawMessage;
    }
  }

  protected fetch(): Promise<ListAuditLogResponse> {
    return adminApi.auth.listAuditLog({
      pageSize: PAGE_SIZE,
      pageToken: this.query.get("page") ?? "",
      actorUserId: this.query.get("actor") ?? "",
      action: this.query.get("action") ?? "",
      newestFirst: true,
    });
  }

  override render() {
    this.announce(ta("audit"));
    const answer = this.answer;
    const chain = this.chain;
    return html`<h1>${ta("audit")}</h1>
      ${this.chainError
        ? html`<p role="alert" class="error">${this.chainError}</p>`
        : chain
          ? chain.intact
            ? html`<p role="status" class="ok chain">${ta("chainOk", { n: count(chain.rows, lang) })}</p>`
            : html`<p role="alert" class="error chain">${ta("chainBroken", { n: String(chain.brokenAtSequence), problem: chain.problem })}</p>`
          : nothing}
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-actor">${ta("actorId")}</label>
          <input id="f-actor" name="actor" .value=${this.query.get("actor") ?? ""} autocomplete="off" /></div>
        <div class="field"><label for="f-action">${ta("action")}</label>
          <input id="f-action" name="action" .value=${this.query.get("action") ?? ""} autocomplete="off" /></div>
        <button type="submit">${ta("filter")}</button>
      </form>
      ${this.heading(answer?.entries.length ?? 0, answer?.totalSize ?? 0n, ta("noEntries"))}
      ${answer?.entries.length
        ? html`<div class="scroll"><table>
              <caption class="visually-hidden">${ta("audit")}</caption>
              <thead><tr><th scope="col">#</th><th scope="col">${ta("when")}</th><th scope="col">${ta("actor")}</th><th scope="col">${ta("action")}</th>
                <th scope="col">${ta("target")}</th><th scope="col">${ta("outcome")}</th></tr></thead>
              <tbody>${answer.entries.map(
                (e) => html`<tr><td>${e.sequence}</td><td>${when(e.occurredAt)}</td><td>${e.actorEmail || "—"}</td><td class="audit-action">${e.action}</td>
                  <td>${e.resourceType}${e.resourceId ? ` ${e.resourceId}` : ""}</td><td>${e.success ? ta("ok") : ta("refused")}</td></tr>`,
              )}</tbody></table></div>
            ${this.paging(answer.nextPageToken)}`
        : nothing}`;
  }
}
