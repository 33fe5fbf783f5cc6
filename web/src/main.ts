// The page shell: header (brand, navigation, language toggle) and the page the path names. Each
// page is its own URL and a full load; state between them is sessionStorage only.
import { html, type TemplateResult } from "lit";
import { customElement } from "lit/decorators.js";

import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { Page } from "./base.js";
import { lang, setLanguage, t } from "./i18n.js";
import "./pages/account.js";
import "./pages/activate.js";
import "./pages/checkout.js";
import "./pages/payment.js";
import "./pages/plans.js";
import "./pages/pod.js";
import "./pages/recover.js";

const ROUTES: Record<string, () => TemplateResult> = {
  "/": () => html`<gb-plans></gb-plans>`,
  "/checkout": () => html`<gb-checkout></gb-checkout>`,
  "/checkout/return": () => html`<gb-payment-return></gb-payment-return>`,
  "/checkout/cancel": () => html`<gb-payment-cancel></gb-payment-cancel>`,
  "/activate": () => html`<gb-activate></gb-activate>`,
  "/provisioning": () => html`<gb-pod></gb-pod>`,
  "/ready": () => html`<gb-pod></gb-pod>`,
  "/account": () => html`<gb-account></gb-account>`,
  "/recover-key": () => html`<gb-recover></gb-recover>`,
};

@customElement("gb-app")
export class App extends Page {
  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = lang;
  }

  override render() {
    if (location.pathname === "/admin" || location.pathname.startsWith("/admin/")) {
      void import("./admin/shell.js");
      return html`<gb-admin></gb-admin>`;
    }
    const path = location.pathname.replace(/\/+$/, "") || "/";
    const page = ROUTES[path];
    const current = (href: string) => (path === href ? "page" : undefined);
    return html`<a class="skip" href="#main">${t("skip")}</a>
      <header>
        <a class="brand" href="/">${t("brand")}</a>
        <nav aria-label="GPUBROKER">
          <a href="/" aria-current=${current("/") ?? "false"}>${t("navPlans")}</a>
          <a href="/account" aria-current=${current("/account") ?? "false"}>${t("navAccount")}</a>
        </nav>
        <button type="button" class="lang" lang=${lang === "es" ? "en" : "es"}
          title=${t("switchLabel")} @click=${() => setLanguage(lang === "es" ? "en" : "es", true)}>${t("switchTo")}</button>
      </header>
      <main id="main" tabindex="-1">${page ? page() : html`<h1>${t("notFound")}</h1><p><a href="/">${t("backToPlans")}</a></p>`}</main>`;
  }
}
