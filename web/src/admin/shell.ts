// The operators' console under /admin/: one page load, then in-page navigation (history API), so
// the access token stays in memory from page to page. Every page waits for a session first; none
// renders anything private without one.
import { html, nothing, type TemplateResult } from "lit";
import { Role } from "@gpubroker/client";
import { customElement, state } from "lit/decorators.js";

import { Page } from "../base.js";
import { t } from "../i18n.js";
import { safeNext } from "../logic.js";
import { go } from "./nav.js";
import { ta } from "./text.js";
import { may, signedIn, signOut, toSignIn, who } from "./session.js";
import "./audit.js";
import "./billing.js";
import "./budgets.js";
import "./costs.js";
import "./customers.js";
import "./dashboard.js";
import "./login.js";
import "./pods.js";
import "./settings.js";

/** A path segment as text; a malformed escape stays as it was. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The console page for a path, and the nav entry it belongs to. */
function route(path: string): { page: TemplateResult; nav: string } | undefined {
  if (path === "/admin" || path === "/admin/") return { page: html`<gb-admin-dashboard></gb-admin-dashboard>`, nav: "/admin/" };
  if (path === "/admin/pods") return { page: html`<gb-admin-pods></gb-admin-pods>`, nav: "/admin/pods" };
  if (path === "/admin/customers") return { page: html`<gb-admin-customers></gb-admin-customers>`, nav: "/admin/customers" };
  const customer = path.match(/^\/admin\/customers\/([^/]+)$/);
  if (customer) return { page: html`<gb-admin-customer .email=${decoded(customer[1])}></gb-admin-customer>`, nav: "/admin/customers" };
  if (path === "/admin/budgets") return { page: html`<gb-admin-budgets></gb-admin-budgets>`, nav: "/admin/budgets" };
  if (path === "/admin/costs") return { page: html`<gb-admin-costs></gb-admin-costs>`, nav: "/admin/costs" };
  if (path === "/admin/audit") return { page: html`<gb-admin-audit></gb-admin-audit>`, nav: "/admin/audit" };
  if (path === "/admin/settings") return { page: html`<gb-admin-settings></gb-admin-settings>`, nav: "/admin/settings" };
  if (path === "/admin/billing") return { page: html`<gb-admin-billing></gb-admin-billing>`, nav: "/admin/billing" };
  const transaction = path.match(/^\/admin\/billing\/([A-Za-z0-9_-]+)$/);
  if (transaction) return { page: html`<gb-admin-transaction .transactionId=${transaction[1]}></gb-admin-transaction>`, nav: "/admin/billing" };
  const pod = path.match(/^\/admin\/pods\/([A-Za-z0-9_-]+)$/);
  if (pod) return { page: html`<gb-admin-pod .podId=${pod[1]}></gb-admin-pod>`, nav: "/admin/pods" };
  return undefined;
}

@customElement("gb-admin")
export class AdminShell extends Page {
  @state() private ready = false;
  private readonly rerender = () => {
    this.ready = false;
    void this.check();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("popstate", this.rerender);
    window.addEventListener("gb-navigate", this.rerender);
    // A page restored from the back-forward cache after sign-out must not show what it held.
    window.addEventListener("pageshow", (event) => event.persisted && location.reload());
    this.addEventListener("click", this.follow);
    void this.check();
  }

  override disconnectedCallback(): void {
    window.removeEventListener("popstate", this.rerender);
    window.removeEventListener("gb-navigate", this.rerender);
    super.disconnectedCallback();
  }

  private async check(): Promise<void> {
    if (location.pathname === "/admin/login") {
      this.ready = true;
      return;
    }
    if (await signedIn()) this.ready = true;
    else toSignIn();
  }

  /** Console links navigate in place. */
  private follow = (event: MouseEvent) => {
    const link = (event.target as HTMLElement).closest("a");
    const href = link?.getAttribute("href");
    if (!href || !href.startsWith("/admin") || event.ctrlKey || event.metaKey || event.shiftKey || link?.target) return;
    event.preventDefault();
    go(href);
  };

  override render() {
    const path = location.pathname;
    if (path === "/admin/login") {
      this.announce(ta("signInTitle"));
      return html`<a class="skip" href="#main">${t("skip")}</a>
        <header><span class="brand">${t("brand")} · ${ta("console")}</span></header>
        <main id="main" tabindex="-1"><gb-admin-login .next=${safeNext(new URLSearchParams(location.search).get("next"))}></gb-admin-login></main>`;
    }
    if (!this.ready) return html`<main id="main"><p aria-live="polite">${ta("working")}</p></main>`;
    const found = route(path);
    const current = (href: string) => (found?.nav === href ? "page" : "false");
    return html`<a class="skip" href="#main">${t("skip")}</a>
      <header>
        <a class="brand" href="/admin/">${t("brand")} · ${ta("console")}</a>
        <nav aria-label=${ta("navLabel")}>
          <a href="/admin/" aria-current=${current("/admin/")}>${ta("dashboard")}</a>
          <a href="/admin/pods" aria-current=${current("/admin/pods")}>${ta("pods")}</a>
          <a href="/admin/customers" aria-current=${current("/admin/customers")}>${ta("customers")}</a>
          <a href="/admin/billing" aria-current=${current("/admin/billing")}>${ta("billing")}</a>
          <a href="/admin/costs" aria-current=${current("/admin/costs")}>${ta("costs")}</a>
          <a href="/admin/budgets" aria-current=${current("/admin/budgets")}>${ta("budgets")}</a>
          ${may(Role.SUPER_ADMIN)
            ? html`<a href="/admin/audit" aria-current=${current("/admin/audit")}>${ta("audit")}</a>
                <a href="/admin/settings" aria-current=${current("/admin/settings")}>${ta("settings")}</a>`
            : nothing}
        </nav>
        <span class="who">${who()?.email ?? ""}</span>
        <button type="button" class="lang" @click=${() => void signOut()}>${ta("signOut")}</button>
      </header>
      <main id="main" tabindex="-1">${found ? found.page : html`<h1>${t("notFound")}</h1><p><a href="/admin/">${ta("dashboard")}</a></p>`}</main>`;
  }
}
