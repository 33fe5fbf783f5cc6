import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";

import { api, failure, session } from "../api.js";
import { Page } from "../base.js";
import { t } from "../i18n.js";

/** `/recover-key?token=…` (the emailed link after a revoke): one click issues a new key. */
@customElement("gb-recover")
export class RecoverPage extends Page {
  @state() private key = "";
  @state() private error = "";
  private readonly token = new URLSearchParams(location.search).get("token") ?? "";

  override render() {
    this.announce(t("recoverTitle"));
    return html`<h1>${t("recoverTitle")}</h1>
      ${this.error ? html`<p role="alert" class="error">${this.error}</p>` : nothing}
      ${this.key
        ? html`<div class="key-box"><p class="warning" role="alert">${t("keyWarning")}</p>
            <label for="api-key">${t("apiKey")}</label><input id="api-key" readonly .value=${this.key} /></div>
            <p><a class="button" href="/account">${t("navAccount")}</a></p>`
        : html`<button type="button" class="primary" ?disabled=${!this.token} @click=${this.recover}>${t("recoverButton")}</button>`}`;
  }

  private async recover(): Promise<void> {
    try {
      const answer = await api.subscriptions.recoverApiKey({ recoveryToken: this.token });
      session.key = answer.apiKey;
      this.key = answer.apiKey;
    } catch (error) {
      this.error = `${t("recoverFailed")} (${failure(error).rawMessage})`;
    }
  }
}
