import { html, nothing } from "lit";
import { customElement } from "lit/decorators.js";
import type { ListAuditLogResponse } from "@gpubroker/client";

import { when } from "./format.js";
import { ListPage } from "./list.js";
import { adminApi } from "./session.js";
import { ta } from "./text.js";

const PAGE_SIZE = 50;

/** `/admin/audit?actor=&action=&page=`: the hash-chained audit log, newest first. */
@customElement("gb-admin-audit")
export class AdminAudit extends ListPage<ListAuditLogResponse> {
  protected readonly path = "/admin/audit";

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
    return html`<h1>${ta("audit")}</h1>
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
