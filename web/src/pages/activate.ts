import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Code } from "@gpubroker/client";

import { api, failure } from "../api.js";
import { Page } from "../base.js";
import { t } from "../i18n.js";

/** `/activate?token=…` (the emailed link): one click activates, then on to the pod's progress. */
@customElement("gb-activate")
export class ActivatePage extends Page {
  @state() private busy = false;
  @state() private expired = false;
  @state() private message = "";
  private readonly token = new URLSearchParams(location.search).get("token") ?? "";

  override render() {
    this.announce(t("activateTitle"));
    if (!this.token) return html`<h1>${t("activateTitle")}</h1><p role="alert">${t("activateMissing")}</p>`;
    return html`<h1>${t("activateTitle")}</h1>
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
      ${this.expired
        ? html`<p role="alert" class="error">${t("activateExpired")}</p>
            <button type="button" @click=${this.resend} ?disabled=${this.busy}>${t("activateResend")}</button>`
        : html`<button type="button" class="primary" @click=${this.activate} ?disabled=${this.busy}>
            ${this.busy ? t("working") : t("activateButton")}
          </button>`}`;
  }

  private async activate(): Promise<void> {
    this.busy = true;
    try {
      const answer = await api.subscriptions.activateSubscription({ activationToken: this.token });
      sessionStorage.setItem("gpubroker.pod", answer.podId);
      location.assign("/provisioning");
    } catch (error) {
      const typed = failure(error);
      if (typed.code === Code.FailedPrecondition || typed.code === Code.NotFound) this.expired = true;
      else this.message = typed.rawMessage;
      this.busy = false;
    }
  }

  private async resend(): Promise<void> {
    this.busy = true;
    try {
      await api.subscriptions.resendActivation({ activationToken: this.token });
      this.message = t("activateResent");
    } catch (error) {
      this.message = failure(error).rawMessage;
    } finally {
      this.busy = false;
    }
  }
}
