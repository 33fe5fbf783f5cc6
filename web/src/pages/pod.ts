import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Code, PodStatus, type Pod } from "@gpubroker/client";

import { api, failure, podDomain, session } from "../api.js";
import { Page } from "../base.js";
import { t, tDynamic } from "../i18n.js";
import { reconnectDelay, safePodUrl } from "../logic.js";
import "../sign-in.js";

const STEPS = [PodStatus.PENDING, PodStatus.PROVISIONING, PodStatus.RUNNING];

/**
 * `/provisioning` and `/ready`: the pod's status live over WatchPod (a server stream; after a
 * dropped connection it reconnects and the first message re-syncs), its steps, the failure reason,
 * and when it runs the pod's address (only an https URL of our pod domain is ever a link).
 */
@customElement("gb-pod")
export class PodPage extends Page {
  @state() private pod?: Pod;
  @state() private signedIn = !!session.key;
  @state() private dropped = false;
  @state() private error = "";
  private abort?: AbortController;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.signedIn) void this.watch();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private async watch(): Promise<void> {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    let podId = sessionStorage.getItem("gpubroker.pod") ?? "";
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        if (!podId) {
          podId = (await api.subscriptions.getSubscriptionStatus({})).podId;
          if (!podId) {
            this.error = t("st2");
            return;
          }
        }
        for await (const change of api.pods.watchPod({ podId }, { signal })) {
          this.pod = change.pod;
          this.dropped = false;
          attempt = 0;
          if (change.pod?.status === PodStatus.RUNNING && location.pathname !== "/ready") {
            history.replaceState(null, "", "/ready");
          }
        }
        if (this.pod?.status === PodStatus.DESTROYED) return;
      } catch (error) {
        if (signal.aborted) return;
        const typed = failure(error);
        if (typed.code === Code.Unauthenticated || typed.code === Code.PermissionDenied || typed.code === Code.NotFound) {
          this.error = typed.rawMessage;
          return;
        }
      }
      this.dropped = true;
      await new Promise((resolve) => setTimeout(resolve, reconnectDelay(attempt)));
    }
  }

  override render() {
    this.announce(t("podTitle"));
    if (!this.signedIn) {
      return html`<h1>${t("podTitle")}</h1>
        <gb-sign-in @signed-in=${() => {
          this.signedIn = true;
          void this.watch();
        }}></gb-sign-in>`;
    }
    const pod = this.pod;
    const link = pod ? safePodUrl(pod.podUrl, podDomain()) : undefined;
    return html`<h1>${t("podTitle")}</h1>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      ${this.dropped ? html`<p role="status" class="notice">${t("podReconnecting")}</p>` : nothing}
      ${pod
        ? html`<p>${t("podStatus")}: <strong class="pod-status" data-status=${pod.status}>${tDynamic(`ps${pod.status}`)}</strong></p>
            <ol class="steps" aria-label=${t("podStatus")}>
              ${STEPS.map(
                (step, i) => html`<li class=${pod.status >= step && pod.status <= PodStatus.RUNNING ? "done" : ""}
                  aria-current=${pod.status === step ? "step" : nothing}>${t(`step${i + 1}` as "step1")}</li>`,
              )}
            </ol>
            ${pod.status === PodStatus.FAILED ? html`<p role="alert" class="error">${t("podFailed", { reason: pod.statusReason })}</p>` : nothing}
            ${pod.status === PodStatus.RUNNING
              ? html`<p class="ok" role="status">${t("podReady")}</p>
                  ${link
                    ? html`<p><a class="button primary" href=${link} rel="noopener noreferrer">${t("podOpen")}</a></p>`
                    : pod.podUrl
                      ? html`<p>${t("podUrlText")}: <span class="pod-url">${pod.podUrl}</span></p>`
                      : nothing}`
              : nothing}`
        : !this.error
          ? html`<p aria-live="polite">${t("loading")}</p>`
          : nothing}`;
  }
}
