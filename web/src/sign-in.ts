import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";

import { api, failure, session } from "./api.js";
import { Page } from "./base.js";
import { t } from "./i18n.js";

/** Asks for the API key (kept in sessionStorage only) and tells the page when it works. */
@customElement("gb-sign-in")
export class SignIn extends Page {
  @state() private error = "";

  override render() {
    return html`<form class="sign-in" @submit=${this.submit} novalidate>
      <p>${t("podSignIn")}</p>
      <div class="field">
        <label for="sign-in-key">${t("apiKey")}</label>
        <input id="sign-in-key" type="password" autocomplete="off" spellcheck="false"
          aria-invalid=${this.error ? "true" : "false"} aria-describedby=${this.error ? "sign-in-error" : nothing} />
        ${this.error ? html`<p class="field-error" id="sign-in-error">${this.error}</p>` : nothing}
      </div>
      <button type="submit" class="primary">${t("signIn")}</button>
    </form>`;
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const key = this.querySelector<HTMLInputElement>("#sign-in-key")?.value.trim() ?? "";
    if (!key) {
      this.error = t("required");
      return;
    }
    session.key = key;
    try {
      await api.subscriptions.getSubscriptionStatus({});
      this.dispatchEvent(new CustomEvent("signed-in", { bubbles: true }));
    } catch (error) {
      session.key = undefined;
      this.error = failure(error).rawMessage;
    }
  }
}
