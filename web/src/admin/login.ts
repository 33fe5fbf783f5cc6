import { html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { go } from "./nav.js";
import { signIn } from "./session.js";
import { ta } from "./text.js";

/** `/admin/login?next=…`: email and password; lockout and throttling are the server's words. */
@customElement("gb-admin-login")
export class AdminLogin extends Page {
  @property() next = "/admin/";
  @state() private error = "";
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = "";
    try {
      await signIn(String(form.get("email") ?? "").trim(), String(form.get("password") ?? ""));
      history.replaceState(null, "", "/admin/login");
      go(this.next);
    } catch (error) {
      this.error = failure(error).rawMessage;
      this.busy = false;
      await this.updateComplete;
      this.querySelector<HTMLElement>("#login-error")?.focus();
    }
  }

  override render() {
    return html`<h1>${ta("signInTitle")}</h1>
      <form @submit=${this.submit}>
        ${this.error ? html`<p class="error" role="alert" id="login-error" tabindex="-1">${this.error}</p>` : nothing}
        <div class="field">
          <label for="admin-email">${ta("email")}</label>
          <input id="admin-email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="admin-password">${ta("password")}</label>
          <input id="admin-password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy ? ta("working") : ta("signIn")}</button>
      </form>`;
  }
}
