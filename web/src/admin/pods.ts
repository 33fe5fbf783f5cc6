import { html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { Code, PodStatus, Role, type GetPodMetricsResponse, type ListPodsResponse, type Pod, type PodStatusChange } from "@gpubroker/client";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { Chart } from "../chart.js";
import { lang, tDynamic } from "../i18n.js";
import { count, reconnectDelay } from "../logic.js";
import { cash, when } from "./format.js";
import { ListPage } from "./list.js";
import { adminApi, call, may } from "./session.js";
import { ta } from "./text.js";

const PAGE_SIZE = 25;
const STATUSES = [1, 2, 3, 4, 5, 6, 7];
const PLANS = [1, 2, 3, 4, 5];

/** `/admin/pods?status=&plan=&customer=&destroyed=&page=`: the pods, filtered and paged by the server. */
@customElement("gb-admin-pods")
export class AdminPods extends ListPage<ListPodsResponse> {
  protected readonly path = "/admin/pods";

  protected fetch(): Promise<ListPodsResponse> {
    return adminApi.pods.listPods({
      pageSize: PAGE_SIZE,
      pageToken: this.query.get("page") ?? "",
      status: Number(this.query.get("status") ?? 0),
      plan: Number(this.query.get("plan") ?? 0),
      customerEmail: this.query.get("customer") ?? "",
      includeDestroyed: this.query.get("destroyed") === "1",
    });
  }

  override render() {
    this.announce(ta("pods"));
    const q = this.query;
    const answer = this.answer;
    return html`<h1>${ta("pods")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-status">${ta("status")}</label>
          <select id="f-status" name="status">
            <option value="0">${ta("anyStatus")}</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${q.get("status") === String(s)}>${tDynamic(`ps${s}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-plan">${ta("plan")}</label>
          <select id="f-plan" name="plan">
            <option value="0">${ta("anyPlan")}</option>
            ${PLANS.map((p) => html`<option value=${p} ?selected=${q.get("plan") === String(p)}>${tDynamic(`plan${p}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-customer">${ta("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${q.get("customer") ?? ""} /></div>
        <div class="check"><input id="f-destroyed" name="destroyed" type="checkbox" value="1" ?checked=${q.get("destroyed") === "1"} />
          <label for="f-destroyed">${ta("withDestroyed")}</label></div>
        <button type="submit">${ta("filter")}</button>
      </form>
      ${this.heading(answer?.pods.length ?? 0, answer?.totalSize ?? 0n, ta("noPods"))}
      ${answer?.pods.length
        ? html`<div class="scroll"><table>
              <caption class="visually-hidden">${ta("pods")}</caption>
              <thead><tr><th scope="col">Pod</th><th scope="col">${ta("status")}</th><th scope="col">${ta("plan")}</th>
                <th scope="col">${ta("customer")}</th><th scope="col">${ta("created")}</th></tr></thead>
              <tbody>${answer.pods.map(
                (p) => html`<tr><td><a href=${`/admin/pods/${p.podId}`}>${p.podId}</a></td>
                  <td class="pod-status" data-status=${p.status}>${tDynamic(`ps${p.status}`)}</td>
                  <td>${tDynamic(`plan${p.plan}`)}</td><td>${p.customerEmail}</td><td>${when(p.createdAt)}</td></tr>`,
              )}</tbody></table></div>
            ${this.paging(answer.nextPageToken)}`
        : nothing}`;
  }
}

const WINDOWS = { hour: 3600n, day: 86_400n, week: 604_800n } as const;
type Window = keyof typeof WINDOWS;

/** `/admin/pods/<id>`: one pod, its status live (WatchPod), its metrics, and its actions. */
@customElement("gb-admin-pod")
export class AdminPod extends Page {
  @property() podId = "";
  @state() private pod?: Pod;
  @state() private metrics?: GetPodMetricsResponse;
  @state() private history: PodStatusChange[] = [];
  @state() private window: Window = "hour";
  @state() private error = "";
  @state() private message = "";
  @state() private busy = "";
  @state() private confirming = false;
  @state() private typed = "";
  private abort?: AbortController;
  private readonly chart = new Chart();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.watch();
    void this.loadMetrics();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    this.chart.destroy();
    super.disconnectedCallback();
  }

  private async watch(): Promise<void> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const stream = await call(async () => adminApi.pods.watchPod({ podId: this.podId }, { signal }));
        for await (const change of stream) {
          this.pod = change.pod;
          attempt = 0;
          // The first message (a snapshot) and every change: the history has a new line, or
          // lines missed while disconnected.
          void this.loadHistory();
        }
      } catch (error) {
        if (signal.aborted) return;
        const typed = failure(error);
        if ([Code.NotFound, Code.PermissionDenied, Code.Unauthenticated].includes(typed.code)) {
          this.error = typed.rawMessage;
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)));
    }
  }

  private async loadHistory(): Promise<void> {
    try {
      this.history = (await call(() => adminApi.pods.listPodHistory({ podId: this.podId }))).changes;
    } catch (error) {
      this.message = failure(error).rawMessage;
    }
  }

  private async loadMetrics(): Promise<void> {
    try {
      const seconds = WINDOWS[this.window];
      this.metrics = await call(() =>
        adminApi.pods.getPodMetrics({ podId: this.podId, window: { seconds, nanos: 0 }, step: { seconds: seconds / 60n < 60n ? 60n : seconds / 60n, nanos: 0 } }),
      );
    } catch (error) {
      this.message = failure(error).rawMessage;
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (!changed.has("metrics") || !this.metrics) return;
    const m = this.metrics;
    this.chart.draw(
      this.querySelector<HTMLElement>("#metrics-chart"),
      m.cpu.map((p) => Number(p.at?.seconds ?? 0n)),
      [
        { label: ta("cpu"), values: m.cpu.map((p) => p.percent), color: "#0b5cad" },
        { label: ta("memory"), values: m.memory.map((p) => p.percent), color: "#1d6b32" },
      ],
      (v) => `${v} %`,
    );
  }

  private async act(action: "start" | "stop" | "destroy", reason = ""): Promise<void> {
    this.busy = action;
    this.message = "";
    const idempotencyKey = crypto.randomUUID();
    try {
      const answer: { pod?: Pod } = await call((): Promise<{ pod?: Pod }> =>
        action === "start"
          ? adminApi.pods.startPod({ podId: this.podId, idempotencyKey })
          : action === "stop"
            ? adminApi.pods.stopPod({ podId: this.podId, reason, idempotencyKey })
            : adminApi.pods.destroyPod({ podId: this.podId, reason, idempotencyKey }),
      );
      if (answer.pod) this.pod = answer.pod;
      this.message = ta("done", { status: tDynamic(`ps${answer.pod?.status ?? 0}`) });
      this.confirming = false;
    } catch (error) {
      const typed = failure(error);
      this.message = typed.reason ? `${typed.rawMessage} (${typed.reason})` : typed.rawMessage;
    } finally {
      this.busy = "";
    }
  }

  private destroy(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    void this.act("destroy", String(form.get("reason") ?? "").trim());
  }

  override render() {
    this.announce(ta("pod", { id: this.podId }));
    const pod = this.pod;
    if (!pod) {
      return html`<h1>${ta("pod", { id: this.podId })}</h1>
        ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : html`<p aria-live="polite">${ta("working")}</p>`}`;
    }
    const m = this.metrics;
    const operator = may(Role.ADMIN);
    const gone = pod.status === PodStatus.DESTROYED;
    return html`<h1>${ta("pod", { id: pod.podId })}</h1>
      <dl class="facts">
        <dt>${ta("status")}</dt><dd><strong class="pod-status" data-status=${pod.status} aria-live="polite">${tDynamic(`ps${pod.status}`)}</strong></dd>
        ${pod.statusReason ? html`<dt>${ta("reason")}</dt><dd>${pod.statusReason}</dd>` : nothing}
        <dt>${ta("customer")}</dt><dd>${pod.customerEmail}</dd>
        <dt>${ta("plan")}</dt><dd>${tDynamic(`plan${pod.plan}`)}</dd>
        <dt>${ta("subscription")}</dt><dd>${pod.subscriptionId} · ${tDynamic(`st${pod.subscriptionStatus}`)}</dd>
        <dt>${ta("address")}</dt><dd class="pod-url">${pod.podUrl || "—"}</dd>
        <dt>${ta("created")}</dt><dd>${when(pod.createdAt)}</dd>
        <dt>${ta("started")}</dt><dd>${when(pod.startedAt)}</dd>
        <dt>${ta("stopped")}</dt><dd>${when(pod.stoppedAt)}</dd>
        ${m ? html`<dt>${ta("uptime")}</dt><dd>${count(m.uptime?.seconds ?? 0n, lang)} s</dd>
              <dt>${ta("costSoFar")}</dt><dd>${cash(m.costSoFar)}</dd>
              <dt>${ta("monthlyCost")}</dt><dd>${cash(m.monthlyCostEstimate)}</dd>` : nothing}
      </dl>
      ${this.message ? html`<p role="status" class="notice">${this.message}</p>` : nothing}
      ${!operator
        ? html`<p class="muted">${ta("readOnly")}</p>`
        : gone
          ? nothing
          : html`<div class="actions">
              <button type="button" ?disabled=${!!this.busy} @click=${() => void this.act("start")}>${this.busy === "start" ? ta("working") : ta("start")}</button>
              <button type="button" ?disabled=${!!this.busy} @click=${() => void this.act("stop")}>${this.busy === "stop" ? ta("working") : ta("stop")}</button>
              <button type="button" class="danger" ?disabled=${!!this.busy} @click=${() => (this.confirming = true)}>${ta("destroy")}</button>
              ${this.confirming
                ? html`<form class="confirm" @submit=${this.destroy}>
                    <p>${ta("destroyConfirm", { id: pod.podId })}</p>
                    <div class="field"><label for="confirm-id">${ta("confirmId")}</label>
                      <input id="confirm-id" autocomplete="off" @input=${(e: InputEvent) => (this.typed = (e.target as HTMLInputElement).value.trim())} /></div>
                    <div class="field"><label for="destroy-reason">${ta("destroyReason")}</label>
                      <input id="destroy-reason" name="reason" required /></div>
                    <button type="submit" class="danger" ?disabled=${this.typed !== pod.podId || !!this.busy}>${this.busy === "destroy" ? ta("working") : ta("confirmDestroy")}</button>
                    <button type="button" @click=${() => (this.confirming = false)}>${ta("cancel")}</button>
                  </form>`
                : nothing}
            </div>`}
      <h2>${ta("history")}</h2>
      ${this.history.length
        ? html`<div class="scroll"><table data-table="history">
            <caption class="visually-hidden">${ta("history")}</caption>
            <thead><tr><th scope="col">${ta("when")}</th><th scope="col">${ta("from")}</th><th scope="col">${ta("to")}</th><th scope="col">${ta("reason")}</th></tr></thead>
            <tbody>${this.history.map(
              (c) => html`<tr><td>${when(c.occurredAt)}</td><td>${c.previousStatus ? tDynamic(`ps${c.previousStatus}`) : "—"}</td>
                <td data-status=${c.status}>${tDynamic(`ps${c.status}`)}</td><td>${c.reason}</td></tr>`,
            )}</tbody></table></div>`
        : html`<p>${ta("noHistory")}</p>`}
      <h2>${ta("cpu")} · ${ta("memory")}</h2>
      <div class="field"><label for="window">${ta("window")}</label>
        <select id="window" @change=${(e: Event) => {
          this.window = (e.target as HTMLSelectElement).value as Window;
          void this.loadMetrics();
        }}>${(Object.keys(WINDOWS) as Window[]).map((w) => html`<option value=${w} ?selected=${w === this.window}>${ta(w)}</option>`)}</select></div>
      <div id="metrics-chart" class="chart"></div>
      ${m && m.cpu.length
        ? html`<div class="scroll"><table>
            <caption class="visually-hidden">${ta("cpu")} · ${ta("memory")}</caption>
            <thead><tr><th scope="col">${ta("when")}</th><th scope="col">${ta("cpu")}</th><th scope="col">${ta("memory")}</th></tr></thead>
            <tbody>${m.cpu.map((p, i) => html`<tr><td>${when(p.at)}</td><td>${p.percent.toFixed(1)}</td><td>${m.memory[i]?.percent.toFixed(1) ?? ""}</td></tr>`)}</tbody>
          </table></div>`
        : nothing}`;
  }
}
