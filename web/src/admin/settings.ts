import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { PaymentMode, Role } from "@gpubroker/client";

import { failure } from "../api.js";
import { Page } from "../base.js";
import { adminApi, call, may } from "./session.js";
import { ta } from "./text.js";

const ROLES = [Role.VIEWER, Role.ADMIN, Role.SUPER_ADMIN];
const roleName = (role: Role) => ta(`role${role}` as "role1");

/** `/admin/settings` (super_admin): new admin users with a role, and the sandbox/live switch. */
@customElement("gb-admin-settings")
export class AdminSettings extends Page {
  @state() private message = "";
  @state() private busy = false;
  @state() private confirmLive = false;

  private async run(work: () => Promise<string>): Promise<void> {
    this.busy = true;
    this.message = "";
    try {
      this.message = await work();
    } catch (error) {
      const typed = failure(error);
      this.message = typed.reason ? `${typed.rawMessage} (${typed.reason})` : typed.rawMessage;
    } finally {
      this.busy = false;
    }
  }

  private createUser(event: SubmitEvent): void {
    event.preventDefault();
    const target = event.target as HTMLFormElement;
    const form = new FormData(target);
    void this.run(async () => {
      const answer = await call(() =>
        adminApi.auth.createAdminUser({
          email: String(form.get("email") ?? "").trim(),
          name: String(form.get("name") ?? "").trim(),
          password: String(form.get("password") ?? ""),
          role: Number(form.get("role")) as Role,
          idempotencyKey: crypto.randomUUID(),
        }),
      );
      target.reset();
      return ta("userCreated", { email: answer.user?.email ?? "", role: roleName(answer.user?.role ?? Role.VIEWER) });
    });
  }

  private switchMode(mode: PaymentMode): void {
    void this.run(async () => {
      const answer = await call(() =>
        adminApi.auth.switchMode({ mode, confirm: mode === PaymentMode.LIVE, reason: "switched from the console", idempotencyKey: crypto.randomUUID() }),
      );
      this.confirmLive = false;
      return ta("modeNow", { mode: answer.mode === PaymentMode.LIVE ? ta("live") : ta("sandbox") });
    });
  }

  override render() {
    this.announce(ta("settings"));
    if (!may(Role.SUPER_ADMIN)) {
      return html`<h1>${ta("settings")}</h1><p class="muted">${ta("superOnly")}</p>`;
    }
    return html`<h1>${ta("settings")}</h1>
      ${this.message ? html`<p role="status" class="notice">${this.message}</p>` : nothing}
      <h2>${ta("newAdmin")}</h2>
      <form @submit=${this.createUser}>
        <div class="field"><label for="u-email">${ta("email")}</label><input id="u-email" name="email" type="email" required autocomplete="off" /></div>
        <div class="field"><label for="u-name">${ta("name")}</label><input id="u-name" name="name" required autocomplete="off" /></div>
        <div class="field"><label for="u-password">${ta("password")}</label>
          <input id="u-password" name="password" type="password" minlength="12" required autocomplete="new-password" aria-describedby="u-password-help" />
          <p class="help" id="u-password-help">${ta("passwordHelp")}</p></div>
        <div class="field"><label for="u-role">${ta("role")}</label>
          <select id="u-role" name="role">${ROLES.map((r) => html`<option value=${r}>${roleName(r)}</option>`)}</select></div>
        <button type="submit" ?disabled=${this.busy}>${ta("createAdmin")}</button>
      </form>
      <h2>${ta("mode")}</h2>
      <p>${ta("modeHelp")}</p>
      <div class="actions">
        <button type="button" ?disabled=${this.busy} @click=${() => this.switchMode(PaymentMode.SANDBOX)}>${ta("toSandbox")}</button>
        <button type="button" class="danger" ?disabled=${this.busy} @click=${() => (this.confirmLive = true)}>${ta("toLive")}</button>
        ${this.confirmLive
          ? html`<div class="confirm" role="group" aria-label=${ta("toLive")}>
              <p>${ta("liveConsequence")}</p>
              <button type="button" class="danger" ?disabled=${this.busy} @click=${() => this.switchMode(PaymentMode.LIVE)}>${ta("liveYes")}</button>
              <button type="button" @click=${() => (this.confirmLive = false)}>${ta("cancel")}</button>
            </div>`
          : nothing}
      </div>`;
  }
}
