import { html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import {
  Code,
  EntityType,
  IdentityWarning,
  Language,
  SubscriptionStatus,
  type CreateSubscriptionResponse,
  type GetSignupRequirementsResponse,
  type IdentityCheck,
  type PlanInfo,
} from "@gpubroker/client";

import { api, failure, session } from "../api.js";
import { Page } from "../base.js";
import { adoptDeploymentLanguage, lang, t } from "../i18n.js";
import { e164Mobile, fieldErrors, money, planFromQuery, planNumber, safeRedirect, shortTokens } from "../logic.js";

const FIELDS = ["name", "email", "tax_id", "phone_number", "phone_verification_token", "plan"];

/**
 * `/checkout?plan=…`: sign up (name, email, RUC/cédula checked as typed, phone OTP when the
 * deployment asks for it), then the API key once, then activation by email or PayPal.
 */
@customElement("gb-checkout")
export class CheckoutPage extends Page {
  @state() private plan?: PlanInfo;
  @state() private unknownPlan = false;
  @state() private needs?: GetSignupRequirementsResponse;
  @state() private check?: IdentityCheck;
  @state() private errors: Record<string, string> = {};
  @state() private general: string[] = [];
  @state() private busy = false;
  @state() private created?: CreateSubscriptionResponse;
  @state() private email = "";
  @state() private name = "";
  @state() private copied = false;
  @state() private otpSent?: { sendsRemaining: number };
  @state() private otpMessage = "";
  @state() private phoneToken = "";
  @state() private cancelledPayment = false;
  /** Back from PayPal unpaid (cancelled or denied): the subscription made in this tab, to pay for. */
  @state() private unpaid = "";
  /** One key per filled-in form: a double click or a retry never makes two subscriptions. */
  private idempotencyKey = crypto.randomUUID();
  private checkTimer?: number;
  private checkSeq = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    const query = new URLSearchParams(location.search);
    this.cancelledPayment = query.get("cancelled") === "1";
    const retrying = query.get("retry") === "1";
    if ((this.cancelledPayment || retrying) && sessionStorage.getItem("gpubroker.plan") === query.get("plan")) {
      this.unpaid = sessionStorage.getItem("gpubroker.subscription") ?? "";
    }
    void this.load();
  }

  private async load(): Promise<void> {
    const slug = planFromQuery(location.search);
    if (!slug) {
      this.unknownPlan = true;
      return;
    }
    try {
      const [plans, needs] = await Promise.all([
        api.subscriptions.listPlans({ language: lang === "en" ? Language.EN : Language.ES }),
        api.validation.getSignupRequirements({}),
      ]);
      this.needs = needs;
      if (!localStorage.getItem("gpubroker.lang")) adoptDeploymentLanguage(needs.language === Language.EN ? "en" : "es");
      this.plan = plans.plans.find((p) => p.plan === planNumber(slug));
      this.unknownPlan = !this.plan;
    } catch (error) {
      this.general = [failure(error).rawMessage];
    }
  }

  override render() {
    this.announce(t("checkoutTitle"));
    if (this.unknownPlan) {
      return html`<h1>${t("checkoutTitle")}</h1>
        <p role="alert">${t("unknownPlan")}</p>
        <p><a class="button" href="/">${t("backToPlans")}</a></p>`;
    }
    if (this.created) return this.renderCreated(this.created);
    if (!this.plan || !this.needs) {
      return html`<h1>${t("checkoutTitle")}</h1>
        ${this.general.length ? html`<p role="alert">${this.general.join(" ")}</p>` : html`<p aria-live="polite">${t("loading")}</p>`}`;
    }
    const plan = this.plan;
    const price = plan.requiresPayment && plan.price ? money(plan.price.amountMinor, plan.price.currencyCode, lang) : t("free");
    const header = html`<h1>${t("checkoutTitle")}</h1>
      ${this.cancelledPayment ? html`<p class="notice" role="status">${t("payCancelled")}</p>` : nothing}
      <p class="summary">
        <strong>${plan.displayName}</strong> · ${price} · ${shortTokens(plan.tokenLimit, lang)} ${t("tokens")}
      </p>`;
    if (this.unpaid && plan.requiresPayment) {
      // Signed up already in this tab: pay for that subscription rather than make a second one.
      return html`${header}
        <p>${t("payNext", { price })}</p>
        ${this.general.length ? html`<p role="alert" class="error">${this.general.join(" ")}</p>` : nothing}
        <button type="button" class="primary" ?disabled=${this.busy} @click=${this.pay}>${t("payButton")}</button>`;
    }
    return html`
      ${header}
      <form novalidate @submit=${this.submit}>
        ${this.general.length ? html`<div class="error" role="alert" id="form-error">${this.general.map((g) => html`<p>${g}</p>`)}</div>` : nothing}
        ${this.field("name", t("name"), "text", "organization")}
        ${this.field("email", t("email"), "email", "email", true)}
        ${this.needs.requiresTaxId ? this.taxIdField() : nothing}
        ${this.needs.requiresPhoneVerification ? this.phoneFields() : nothing}
        <button type="submit" class="primary" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
          ${this.busy ? t("working") : plan.requiresPayment ? t("submitPaid") : t("submitTrial")}
        </button>
      </form>
    `;
  }

  private field(name: string, label: string, type: string, autocomplete: string, required = false, help = "") {
    const error = this.errors[name];
    const describedBy = [help ? `${name}-help` : "", error ? `${name}-error` : ""].filter(Boolean).join(" ");
    return html`<div class="field">
      <label for=${name}>${label}${required ? html` <span aria-hidden="true">*</span>` : nothing}</label>
      <input id=${name} name=${name} type=${type} autocomplete=${autocomplete} ?required=${required}
        aria-invalid=${error ? "true" : "false"} aria-describedby=${describedBy || nothing}
        @input=${name === "tax_id" ? this.taxIdInput : nothing} />
      ${help ? html`<p class="help" id=${`${name}-help`}>${help}</p>` : nothing}
      ${error ? html`<p class="field-error" id=${`${name}-error`}>${error}</p>` : nothing}
    </div>`;
  }

  private taxIdField() {
    const check = this.check;
    return html`${this.field("tax_id", this.needs?.taxIdName || t("taxId"), "text", "off", true, t("taxIdHelp"))}
      <div class="id-check" aria-live="polite" id="tax_id-check">
        ${check && check.valid
          ? html`<p class="ok">✓ ${t("idValid")}: ${check.normalized}
                ${check.provinceName ? html` · ${t("idProvince")}: ${check.provinceName}` : nothing}
                ${check.entityType ? html` · ${t("idEntity")}: ${entityName(check.entityType)}` : nothing}</p>
              ${check.warnings.includes(IdentityWarning.CHECK_DIGIT_NOT_VERIFIED) ? html`<p class="warning">${t("warnCheckDigit")}</p>` : nothing}
              ${check.warnings.includes(IdentityWarning.ESTABLISHMENT_NOT_PRINCIPAL) ? html`<p class="warning">${t("warnEstablishment")}</p>` : nothing}`
          : check && !this.errors.tax_id
            ? html`<p class="field-error">${check.message}</p>`
            : nothing}
      </div>`;
  }

  private phoneFields() {
    return html`<fieldset class="phone">
      <legend>${t("phone")}</legend>
      ${this.field("phone_number", t("phone"), "tel", "tel", true, t("phoneHelp"))}
      <button type="button" @click=${this.sendCode} ?disabled=${this.busy || !!this.phoneToken}>
        ${this.otpSent ? t("resendCode") : t("sendCode")}
      </button>
      ${this.otpSent ? html`<p class="help" role="status">${t("sendsLeft", { n: this.otpSent.sendsRemaining })}</p>` : nothing}
      ${this.otpSent && !this.phoneToken
        ? html`<div class="field">
              <label for="otp">${t("code")}</label>
              <input id="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" />
            </div>
            <button type="button" @click=${this.verifyCode}>${t("verify")}</button>`
        : nothing}
      ${this.otpMessage ? html`<p role="status" class=${this.phoneToken ? "ok" : "field-error"}>${this.otpMessage}</p>` : nothing}
    </fieldset>`;
  }

  private value(name: string): string {
    return (this.querySelector<HTMLInputElement>(`#${name}`)?.value ?? "").trim();
  }

  /** Checks the RUC/cédula as it is typed, a moment after the last key. */
  private taxIdInput = () => {
    window.clearTimeout(this.checkTimer);
    const id = this.value("tax_id");
    if (id.length < 10) {
      this.check = undefined;
      return;
    }
    this.checkTimer = window.setTimeout(async () => {
      const seq = ++this.checkSeq;
      try {
        const answer = await api.validation.validateIdentity({ identifier: id });
        if (seq === this.checkSeq) this.check = answer.check;
      } catch {
        // The server checks it again on submit.
      }
    }, 250);
  };

  private async sendCode(): Promise<void> {
    this.errors = { ...this.errors, phone_number: "" };
    try {
      const answer = await api.validation.sendPhoneOtp({
        phoneNumber: e164Mobile(this.value("phone_number")),
        language: lang === "en" ? Language.EN : Language.ES,
      });
      this.otpSent = { sendsRemaining: answer.sendsRemaining };
      this.otpMessage = "";
    } catch (error) {
      this.showError(error);
    }
  }

  private async verifyCode(): Promise<void> {
    try {
      const answer = await api.validation.verifyPhoneOtp({ phoneNumber: e164Mobile(this.value("phone_number")), code: this.value("otp") });
      if (answer.verified) {
        this.phoneToken = answer.phoneVerificationToken;
        this.otpMessage = t("phoneVerified");
      } else {
        this.otpMessage = t("wrongCode", { n: answer.attemptsRemaining });
      }
    } catch (error) {
      this.otpMessage = failure(error).rawMessage;
    }
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.plan) return;
    const email = this.value("email");
    const missing: Record<string, string> = {};
    if (!email) missing.email = t("required");
    if (this.needs?.requiresTaxId && !this.value("tax_id")) missing.tax_id = t("required");
    if (Object.keys(missing).length) {
      this.errors = missing;
      this.general = [];
      await this.updateComplete;
      this.querySelector<HTMLInputElement>(`#${Object.keys(missing)[0]}`)?.focus();
      return;
    }
    this.busy = true;
    this.errors = {};
    this.general = [];
    try {
      const created = await api.subscriptions.createSubscription({
        email,
        name: this.value("name"),
        plan: this.plan.plan,
        taxId: this.value("tax_id"),
        phoneNumber: this.needs?.requiresPhoneVerification ? e164Mobile(this.value("phone_number")) : "",
        phoneVerificationToken: this.phoneToken,
        language: lang === "en" ? Language.EN : Language.ES,
        idempotencyKey: this.idempotencyKey,
      });
      session.key = created.apiKey;
      sessionStorage.setItem("gpubroker.subscription", created.subscriptionId);
      sessionStorage.setItem("gpubroker.plan", new URLSearchParams(location.search).get("plan") ?? "");
      this.email = email;
      this.name = this.value("name") || email;
      this.created = created;
    } catch (error) {
      this.showError(error);
    } finally {
      this.busy = false;
    }
  }

  private async showError(error: unknown): Promise<void> {
    const typed = failure(error);
    const { byField, general } = fieldErrors(typed.fieldViolations, FIELDS);
    this.errors = byField;
    this.general = Object.keys(byField).length || general.length ? general : [typed.rawMessage];
    await this.updateComplete;
    const first = Object.keys(byField)[0];
    (first ? this.querySelector<HTMLElement>(`#${first}`) : this.querySelector<HTMLElement>("#form-error"))?.focus?.();
    if (typed.code === Code.AlreadyExists) this.idempotencyKey = crypto.randomUUID();
  }

  private renderCreated(created: CreateSubscriptionResponse) {
    const paid = created.status === SubscriptionStatus.PENDING_PAYMENT;
    const price = created.price ? money(created.price.amountMinor, created.price.currencyCode, lang) : "";
    return html`<h1>${t("keyTitle")}</h1>
      <p class="thanks">${t("thanks", { name: this.name })}</p>
      <div class="key-box">
        <p class="warning" role="alert">${t("keyWarning")}</p>
        <label for="api-key">${t("apiKey")}</label>
        <div class="row">
          <input id="api-key" readonly .value=${created.apiKey} />
          <button type="button" @click=${this.copy}>${this.copied ? t("copied") : t("copy")}</button>
        </div>
      </div>
      ${paid
        ? html`<p>${t("payNext", { price })}</p>
            ${this.general.length ? html`<p role="alert" class="error">${this.general.join(" ")}</p>` : nothing}
            <button type="button" class="primary" ?disabled=${this.busy} @click=${this.pay}>${t("payButton")}</button>`
        : html`<p class="next">${t("activateNext", { email: this.email })}</p>`}`;
  }

  private async copy(): Promise<void> {
    const key = this.created?.apiKey ?? "";
    try {
      await navigator.clipboard.writeText(key);
    } catch {
      this.querySelector<HTMLInputElement>("#api-key")?.select();
    }
    this.copied = true;
  }

  private async pay(): Promise<void> {
    const subscriptionId = this.created?.subscriptionId ?? this.unpaid;
    if (!subscriptionId) return;
    this.busy = true;
    try {
      const order = await api.payments.createPaypalOrder({
        subscriptionId,
        idempotencyKey: this.idempotencyKey,
      });
      const target = safeRedirect(order.approveUrl);
      if (!target) throw new Error("PayPal answered no approval address");
      location.assign(target);
    } catch (error) {
      this.general = [failure(error).rawMessage];
      this.busy = false;
    }
  }
}

function entityName(type: EntityType): string {
  switch (type) {
    case EntityType.NATURAL_PERSON:
      return t("entity1");
    case EntityType.FOREIGN_RESIDENT:
      return t("entity2");
    case EntityType.PUBLIC_ENTITY:
      return t("entity3");
    case EntityType.PRIVATE_COMPANY:
      return t("entity4");
    default:
      return "";
  }
}
