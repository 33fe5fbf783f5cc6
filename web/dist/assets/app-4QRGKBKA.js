import{A as N,B as j,C as A,D as f,F as Y,G as b,H as l,I as m,J as W,a,b as r,d as n,e as u,g as o,h,i as q,j as _,k as z,l as k,m as P,n as E,o as B,p as F,q as G,r as D,s as O,t as H,u as V,v as U,y as d,z as t}from"./chunk-QISABYL4.js";var C=class extends h{constructor(){super(...arguments);this.error=""}render(){return r`<form class="sign-in" @submit=${this.submit} novalidate>
      <p>${t("podSignIn")}</p>
      <div class="field">
        <label for="sign-in-key">${t("apiKey")}</label>
        <input id="sign-in-key" type="password" autocomplete="off" spellcheck="false"
          aria-invalid=${this.error?"true":"false"} aria-describedby=${this.error?"sign-in-error":n} />
        ${this.error?r`<p class="field-error" id="sign-in-error">${this.error}</p>`:n}
      </div>
      <button type="submit" class="primary">${t("signIn")}</button>
    </form>`}async submit(e){e.preventDefault();let i=this.querySelector("#sign-in-key")?.value.trim()??"";if(!i){this.error=t("required");return}b.key=i;try{await l.subscriptions.getSubscriptionStatus({}),this.dispatchEvent(new CustomEvent("signed-in",{bubbles:!0}))}catch(s){b.key=void 0,this.error=m(s).rawMessage}}};a([o()],C.prototype,"error",2),C=a([u("gb-sign-in")],C);var v=class extends h{constructor(){super(...arguments);this.signedIn=!!b.key;this.days=[];this.message="";this.newKey="";this.confirming=!1;this.chart=new Y}connectedCallback(){super.connectedCallback(),this.signedIn&&this.start()}disconnectedCallback(){this.abort?.abort(),this.chart.destroy(),super.disconnectedCallback()}async start(){this.abort=new AbortController;try{this.status=await l.subscriptions.getSubscriptionStatus({})}catch(e){this.fail(e);return}this.history(),this.watchBudget(this.abort.signal)}fail(e){let i=m(e);i.code===f.Unauthenticated&&(b.key=void 0,this.signedIn=!1),this.message=i.rawMessage}async history(){try{let e=await l.budgets.listUsage({pageSize:500});this.days=H(e.records.map(i=>({tokens:i.tokens,at:i.occurredAt?new Date(Number(i.occurredAt.seconds)*1e3):new Date})))}catch{this.days=[]}}async watchBudget(e){for(let i=0;!e.aborted;i++){try{for await(let s of l.budgets.watchBudget({},{signal:e}))this.budget=s.budget,i=0}catch(s){if(e.aborted||m(s).code===f.Unauthenticated)return}await new Promise(s=>setTimeout(s,D(i)))}}updated(e){e.has("days")&&this.drawChart()}drawChart(){let e=V(this.days);this.chart.draw(this.days.length?this.querySelector("#usage-chart"):null,e.map(i=>i.day),[{label:t("tokens"),values:e.map(i=>i.tokens),color:"#0b5cad"}],i=>k(i,d))}render(){if(this.announce(t("accountTitle")),!this.signedIn)return r`<h1>${t("accountTitle")}</h1>
        ${this.message?r`<p role="alert" class="error">${this.message}</p>`:n}
        <gb-sign-in @signed-in=${()=>{this.signedIn=!0,this.message="",this.start()}}></gb-sign-in>`;let e=this.status,i=this.budget;return r`<h1>${t("accountTitle")}</h1>
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:n}
      ${e?r`<dl class="facts">
            <dt>${t("status")}</dt><dd class="sub-status">${N(`st${e.status}`)}</dd>
            <dt>${t("plan")}</dt><dd>${N(`plan${e.plan}`)}</dd>
            ${e.periodEndAt?r`<dt>${t("periodEnds")}</dt><dd>${new Date(Number(e.periodEndAt.seconds)*1e3).toLocaleDateString(d==="en"?"en-US":"es-EC")}</dd>`:n}
          </dl>`:r`<p aria-live="polite">${t("loading")}</p>`}
      <section aria-labelledby="budget-title">
        <h2 id="budget-title">${t("budget")}</h2>
        ${i?this.gauge(i):r`<p aria-live="polite">${t("loading")}</p>`}
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">${t("history")}</h2>
        ${this.days.length===0?r`<p>${t("historyEmpty")}</p>`:r`<div id="usage-chart" class="chart"></div>
              <table>
                <caption>${t("historyTable")}</caption>
                <thead><tr><th scope="col">${t("day")}</th><th scope="col">${t("tokens")}</th></tr></thead>
                <tbody>
                  ${this.days.map(s=>r`<tr><td>${new Date(s.day*1e3).toISOString().slice(0,10)}</td><td>${P(s.tokens,d)}</td></tr>`)}
                </tbody>
              </table>`}
      </section>
      <section aria-labelledby="actions-title" class="actions">
        <h2 id="actions-title" class="visually-hidden">${t("rotate")} · ${t("cancel")}</h2>
        ${this.newKey?r`<div class="key-box" role="status"><p class="warning">${t("rotated")}</p>
              <label for="new-key">${t("apiKey")}</label><input id="new-key" readonly .value=${this.newKey} /></div>`:n}
        <button type="button" @click=${this.rotate}>${t("rotate")}</button>
        <button type="button" @click=${this.revoke}>${t("revoke")}</button>
        ${e&&e.status!==6&&e.status!==7&&e.status!==9?r`<button type="button" class="danger" @click=${()=>this.confirming=!0}>${t("cancel")}</button>`:n}
        <button type="button" @click=${this.signOut}>${t("signOut")}</button>
        ${this.confirming?r`<div class="confirm" role="alertdialog" aria-labelledby="confirm-text" aria-modal="false">
              <p id="confirm-text">${t("cancelConfirm")}</p>
              <button type="button" class="danger" @click=${this.cancelSubscription}>${t("cancelYes")}</button>
              <button type="button" @click=${()=>this.confirming=!1}>${t("cancelNo")}</button>
            </div>`:n}
      </section>`}gauge(e){let i=O(e.committedTokens,e.limitTokens),s=O(e.committedTokens+e.heldTokens,e.limitTokens)-i;return r`<div class="gauge" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${i}
        aria-label=${t("budget")} aria-valuetext=${`${i}% ${t("used")}`}>
        <progress max="100" .value=${i} aria-hidden="true"></progress>
      </div>
      <p class="budget-figures">
        <span class="used"><strong>${k(e.committedTokens,d)}</strong> ${t("used")}</span> ·
        <span class="held">${k(e.heldTokens,d)} ${t("held")}</span> ·
        <span class="left"><strong>${k(e.remainingTokens,d)}</strong> ${t("left")}</span>
        (${i}%${s>0?` + ${s}%`:""})
      </p>`}async rotate(){try{let e=await l.subscriptions.rotateApiKey({idempotencyKey:crypto.randomUUID()});b.key=e.apiKey,this.newKey=e.apiKey}catch(e){this.fail(e)}}async revoke(){try{await l.subscriptions.revokeApiKey({}),b.key=void 0,this.abort?.abort(),this.signedIn=!1,this.message=t("revoked")}catch(e){this.fail(e)}}async cancelSubscription(){this.confirming=!1;try{await l.subscriptions.cancelSubscription({idempotencyKey:crypto.randomUUID()}),this.status=await l.subscriptions.getSubscriptionStatus({}),this.message=t("cancelled")}catch(e){this.fail(e)}}signOut(){b.key=void 0,this.abort?.abort(),this.signedIn=!1,this.message=""}};a([o()],v.prototype,"signedIn",2),a([o()],v.prototype,"status",2),a([o()],v.prototype,"budget",2),a([o()],v.prototype,"days",2),a([o()],v.prototype,"message",2),a([o()],v.prototype,"newKey",2),a([o()],v.prototype,"confirming",2),v=a([u("gb-account")],v);var x=class extends h{constructor(){super(...arguments);this.busy=!1;this.expired=!1;this.message="";this.token=new URLSearchParams(location.search).get("token")??""}render(){return this.announce(t("activateTitle")),this.token?r`<h1>${t("activateTitle")}</h1>
      ${this.message?r`<p role="status">${this.message}</p>`:n}
      ${this.expired?r`<p role="alert" class="error">${t("activateExpired")}</p>
            <button type="button" @click=${this.resend} ?disabled=${this.busy}>${t("activateResend")}</button>`:r`<button type="button" class="primary" @click=${this.activate} ?disabled=${this.busy}>
            ${this.busy?t("working"):t("activateButton")}
          </button>`}`:r`<h1>${t("activateTitle")}</h1><p role="alert">${t("activateMissing")}</p>`}async activate(){this.busy=!0;try{let e=await l.subscriptions.activateSubscription({activationToken:this.token});sessionStorage.setItem("gpubroker.pod",e.podId),location.assign("/provisioning")}catch(e){let i=m(e);i.code===f.FailedPrecondition||i.code===f.NotFound?this.expired=!0:this.message=i.rawMessage,this.busy=!1}}async resend(){this.busy=!0;try{await l.subscriptions.resendActivation({activationToken:this.token}),this.message=t("activateResent")}catch(e){this.message=m(e).rawMessage}finally{this.busy=!1}}};a([o()],x.prototype,"busy",2),a([o()],x.prototype,"expired",2),a([o()],x.prototype,"message",2),x=a([u("gb-activate")],x);var Z=["name","email","tax_id","phone_number","phone_verification_token","plan"],c=class extends h{constructor(){super(...arguments);this.unknownPlan=!1;this.errors={};this.general=[];this.busy=!1;this.email="";this.name="";this.copied=!1;this.otpMessage="";this.phoneToken="";this.cancelledPayment=!1;this.unpaid="";this.idempotencyKey=crypto.randomUUID();this.checkSeq=0;this.taxIdInput=()=>{window.clearTimeout(this.checkTimer);let e=this.value("tax_id");if(e.length<10){this.check=void 0;return}this.checkTimer=window.setTimeout(async()=>{let i=++this.checkSeq;try{let s=await l.validation.validateIdentity({identifier:e});i===this.checkSeq&&(this.check=s.check)}catch{}},250)}}connectedCallback(){super.connectedCallback();let e=new URLSearchParams(location.search);this.cancelledPayment=e.get("cancelled")==="1";let i=e.get("retry")==="1";(this.cancelledPayment||i)&&sessionStorage.getItem("gpubroker.plan")===e.get("plan")&&(this.unpaid=sessionStorage.getItem("gpubroker.subscription")??""),this.load()}async load(){let e=q(location.search);if(!e){this.unknownPlan=!0;return}try{let[i,s]=await Promise.all([l.subscriptions.listPlans({language:d==="en"?2:1}),l.validation.getSignupRequirements({})]);this.needs=s,localStorage.getItem("gpubroker.lang")||A(s.language===2?"en":"es"),this.plan=i.plans.find(p=>p.plan===z(e)),this.unknownPlan=!this.plan}catch(i){this.general=[m(i).rawMessage]}}render(){if(this.announce(t("checkoutTitle")),this.unknownPlan)return r`<h1>${t("checkoutTitle")}</h1>
        <p role="alert">${t("unknownPlan")}</p>
        <p><a class="button" href="/">${t("backToPlans")}</a></p>`;if(this.created)return this.renderCreated(this.created);if(!this.plan||!this.needs)return r`<h1>${t("checkoutTitle")}</h1>
        ${this.general.length?r`<p role="alert">${this.general.join(" ")}</p>`:r`<p aria-live="polite">${t("loading")}</p>`}`;let e=this.plan,i=e.requiresPayment&&e.price?E(e.price.amountMinor,e.price.currencyCode,d):t("free"),s=r`<h1>${t("checkoutTitle")}</h1>
      ${this.cancelledPayment?r`<p class="notice" role="status">${t("payCancelled")}</p>`:n}
      <p class="summary">
        <strong>${e.displayName}</strong> · ${i} · ${k(e.tokenLimit,d)} ${t("tokens")}
      </p>`;return this.unpaid&&e.requiresPayment?r`${s}
        <p>${t("payNext",{price:i})}</p>
        ${this.general.length?r`<p role="alert" class="error">${this.general.join(" ")}</p>`:n}
        <button type="button" class="primary" ?disabled=${this.busy} @click=${this.pay}>${t("payButton")}</button>`:r`
      ${s}
      <form novalidate @submit=${this.submit}>
        ${this.general.length?r`<div class="error" role="alert" id="form-error">${this.general.map(p=>r`<p>${p}</p>`)}</div>`:n}
        ${this.field("name",t("name"),"text","organization")}
        ${this.field("email",t("email"),"email","email",!0)}
        ${this.needs.requiresTaxId?this.taxIdField():n}
        ${this.needs.requiresPhoneVerification?this.phoneFields():n}
        <button type="submit" class="primary" ?disabled=${this.busy} aria-busy=${this.busy?"true":"false"}>
          ${this.busy?t("working"):e.requiresPayment?t("submitPaid"):t("submitTrial")}
        </button>
      </form>
    `}field(e,i,s,p,$=!1,K=""){let R=this.errors[e],Q=[K?`${e}-help`:"",R?`${e}-error`:""].filter(Boolean).join(" ");return r`<div class="field">
      <label for=${e}>${i}${$?r` <span aria-hidden="true">*</span>`:n}</label>
      <input id=${e} name=${e} type=${s} autocomplete=${p} ?required=${$}
        aria-invalid=${R?"true":"false"} aria-describedby=${Q||n}
        @input=${e==="tax_id"?this.taxIdInput:n} />
      ${K?r`<p class="help" id=${`${e}-help`}>${K}</p>`:n}
      ${R?r`<p class="field-error" id=${`${e}-error`}>${R}</p>`:n}
    </div>`}taxIdField(){let e=this.check;return r`${this.field("tax_id",this.needs?.taxIdName||t("taxId"),"text","off",!0,t("taxIdHelp"))}
      <div class="id-check" aria-live="polite" id="tax_id-check">
        ${e&&e.valid?r`<p class="ok">✓ ${t("idValid")}: ${e.normalized}
                ${e.provinceName?r` · ${t("idProvince")}: ${e.provinceName}`:n}
                ${e.entityType?r` · ${t("idEntity")}: ${ee(e.entityType)}`:n}</p>
              ${e.warnings.includes(1)?r`<p class="warning">${t("warnCheckDigit")}</p>`:n}
              ${e.warnings.includes(2)?r`<p class="warning">${t("warnEstablishment")}</p>`:n}`:e&&!this.errors.tax_id?r`<p class="field-error">${e.message}</p>`:n}
      </div>`}phoneFields(){return r`<fieldset class="phone">
      <legend>${t("phone")}</legend>
      ${this.field("phone_number",t("phone"),"tel","tel",!0,t("phoneHelp"))}
      <button type="button" @click=${this.sendCode} ?disabled=${this.busy||!!this.phoneToken}>
        ${this.otpSent?t("resendCode"):t("sendCode")}
      </button>
      ${this.otpSent?r`<p class="help" role="status">${t("sendsLeft",{n:this.otpSent.sendsRemaining})}</p>`:n}
      ${this.otpSent&&!this.phoneToken?r`<div class="field">
              <label for="otp">${t("code")}</label>
              <input id="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" />
            </div>
            <button type="button" @click=${this.verifyCode}>${t("verify")}</button>`:n}
      ${this.otpMessage?r`<p role="status" class=${this.phoneToken?"ok":"field-error"}>${this.otpMessage}</p>`:n}
    </fieldset>`}value(e){return(this.querySelector(`#${e}`)?.value??"").trim()}async sendCode(){this.errors={...this.errors,phone_number:""};try{let e=await l.validation.sendPhoneOtp({phoneNumber:U(this.value("phone_number")),language:d==="en"?2:1});this.otpSent={sendsRemaining:e.sendsRemaining},this.otpMessage=""}catch(e){this.showError(e)}}async verifyCode(){try{let e=await l.validation.verifyPhoneOtp({phoneNumber:U(this.value("phone_number")),code:this.value("otp")});e.verified?(this.phoneToken=e.phoneVerificationToken,this.otpMessage=t("phoneVerified")):this.otpMessage=t("wrongCode",{n:e.attemptsRemaining})}catch(e){this.otpMessage=m(e).rawMessage}}async submit(e){if(e.preventDefault(),this.busy||!this.plan)return;let i=this.value("email"),s={};if(i||(s.email=t("required")),this.needs?.requiresTaxId&&!this.value("tax_id")&&(s.tax_id=t("required")),Object.keys(s).length){this.errors=s,this.general=[],await this.updateComplete,this.querySelector(`#${Object.keys(s)[0]}`)?.focus();return}this.busy=!0,this.errors={},this.general=[];try{let p=await l.subscriptions.createSubscription({email:i,name:this.value("name"),plan:this.plan.plan,taxId:this.value("tax_id"),phoneNumber:this.needs?.requiresPhoneVerification?U(this.value("phone_number")):"",phoneVerificationToken:this.phoneToken,language:d==="en"?2:1,idempotencyKey:this.idempotencyKey});b.key=p.apiKey,sessionStorage.setItem("gpubroker.subscription",p.subscriptionId),sessionStorage.setItem("gpubroker.plan",new URLSearchParams(location.search).get("plan")??""),this.email=i,this.name=this.value("name")||i,this.created=p}catch(p){this.showError(p)}finally{this.busy=!1}}async showError(e){let i=m(e),{byField:s,general:p}=G(i.fieldViolations,Z);this.errors=s,this.general=Object.keys(s).length||p.length?p:[i.rawMessage],await this.updateComplete;let $=Object.keys(s)[0];($?this.querySelector(`#${$}`):this.querySelector("#form-error"))?.focus?.(),i.code===f.AlreadyExists&&(this.idempotencyKey=crypto.randomUUID())}renderCreated(e){let i=e.status===1,s=e.price?E(e.price.amountMinor,e.price.currencyCode,d):"";return r`<h1>${t("keyTitle")}</h1>
      <p class="thanks">${t("thanks",{name:this.name})}</p>
      <div class="key-box">
        <p class="warning" role="alert">${t("keyWarning")}</p>
        <label for="api-key">${t("apiKey")}</label>
        <div class="row">
          <input id="api-key" readonly .value=${e.apiKey} />
          <button type="button" @click=${this.copy}>${this.copied?t("copied"):t("copy")}</button>
        </div>
      </div>
      ${i?r`<p>${t("payNext",{price:s})}</p>
            ${this.general.length?r`<p role="alert" class="error">${this.general.join(" ")}</p>`:n}
            <button type="button" class="primary" ?disabled=${this.busy} @click=${this.pay}>${t("payButton")}</button>`:r`<p class="next">${t("activateNext",{email:this.email})}</p>`}`}async copy(){let e=this.created?.apiKey??"";try{await navigator.clipboard.writeText(e)}catch{this.querySelector("#api-key")?.select()}this.copied=!0}async pay(){let e=this.created?.subscriptionId??this.unpaid;if(e){this.busy=!0;try{let i=await l.payments.createPaypalOrder({subscriptionId:e,idempotencyKey:this.idempotencyKey}),s=F(i.approveUrl);if(!s)throw new Error("PayPal answered no approval address");location.assign(s)}catch(i){this.general=[m(i).rawMessage],this.busy=!1}}}};a([o()],c.prototype,"plan",2),a([o()],c.prototype,"unknownPlan",2),a([o()],c.prototype,"needs",2),a([o()],c.prototype,"check",2),a([o()],c.prototype,"errors",2),a([o()],c.prototype,"general",2),a([o()],c.prototype,"busy",2),a([o()],c.prototype,"created",2),a([o()],c.prototype,"email",2),a([o()],c.prototype,"name",2),a([o()],c.prototype,"copied",2),a([o()],c.prototype,"otpSent",2),a([o()],c.prototype,"otpMessage",2),a([o()],c.prototype,"phoneToken",2),a([o()],c.prototype,"cancelledPayment",2),a([o()],c.prototype,"unpaid",2),c=a([u("gb-checkout")],c);function ee(y){switch(y){case 1:return t("entity1");case 2:return t("entity2");case 3:return t("entity3");case 4:return t("entity4");default:return""}}var T=class extends h{constructor(){super(...arguments);this.error=""}connectedCallback(){super.connectedCallback(),this.capture()}async capture(){let e=new URLSearchParams(location.search).get("token")??"";try{let s=(await l.payments.capturePaypalOrder({orderId:e})).payment?.status;this.outcome=s===4?"completed":s===5?"denied":"pending"}catch(i){this.error=m(i).rawMessage}}render(){this.announce(t("returnTitle"));let e=sessionStorage.getItem("gpubroker.plan")??"",i=r`<p><a class="button" href=${`/checkout?plan=${encodeURIComponent(e)}&retry=1`}>${t("payRetry")}</a></p>`;return r`<h1>${t("returnTitle")}</h1>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>${i}`:this.outcome?r`<p role="status" class=${this.outcome}>
                ${this.outcome==="completed"?t("payCompleted"):this.outcome==="pending"?t("payPending"):t("payDenied")}
              </p>
              ${this.outcome==="denied"?i:n}`:r`<p aria-live="polite">${t("working")}</p>`}`}};a([o()],T.prototype,"outcome",2),a([o()],T.prototype,"error",2),T=a([u("gb-payment-return")],T);var M=class extends h{connectedCallback(){super.connectedCallback();let g=sessionStorage.getItem("gpubroker.plan")??"";location.replace(`/checkout?plan=${encodeURIComponent(g)}&cancelled=1`)}};M=a([u("gb-payment-cancel")],M);var I=class extends h{constructor(){super(...arguments);this.failed=!1}connectedCallback(){super.connectedCallback(),this.load()}async load(){this.failed=!1,this.loadedIn=d;try{let e=await l.subscriptions.listPlans({language:d==="en"?2:1});this.plans=e.plans}catch{this.failed=!0}}render(){return this.announce(t("plansTitle")),this.loadedIn!==d&&this.plans&&this.load(),r`
      <section class="hero">
        <h1>${t("plansTitle")}</h1>
        <p>${t("tagline")}</p>
      </section>
      ${this.failed?r`<p role="alert">${t("failedLoad")} <button @click=${()=>this.load()}>${t("retry")}</button></p>`:this.plans?r`<ul class="plans">
              ${this.plans.map(e=>this.card(e))}
            </ul>`:r`<p aria-live="polite">${t("loading")}</p>`}
    `}card(e){let i=_(e.plan)??"",s=e.price&&e.price.amountMinor>0n?E(e.price.amountMinor,e.price.currencyCode,d):t("free"),p=`plan-${i}`;return r`<li class="plan ${e.plan===3?"featured":""}" aria-labelledby=${p}>
      <h2 id=${p}>${e.displayName}</h2>
      <p class="price">${s}${e.requiresPayment?r` <span class="muted">${t("perPeriod")}</span>`:""}</p>
      <p class="tokens"><strong>${k(e.tokenLimit,d)}</strong> ${t("tokens")}</p>
      <a class="button" href=${`/checkout?plan=${i}`} aria-describedby=${p}
        >${e.requiresPayment?t("choose"):t("chooseTrial")}</a
      >
    </li>`}};a([o()],I.prototype,"plans",2),a([o()],I.prototype,"failed",2),I=a([u("gb-plans")],I);var te=[1,2,3],w=class extends h{constructor(){super(...arguments);this.signedIn=!!b.key;this.dropped=!1;this.error=""}connectedCallback(){super.connectedCallback(),this.signedIn&&this.watch()}disconnectedCallback(){this.abort?.abort(),super.disconnectedCallback()}async watch(){this.abort=new AbortController;let e=this.abort.signal,i=sessionStorage.getItem("gpubroker.pod")??"";for(let s=0;!e.aborted;s++){try{if(!i&&(i=(await l.subscriptions.getSubscriptionStatus({})).podId,!i)){this.error=t("st2");return}for await(let p of l.pods.watchPod({podId:i},{signal:e}))this.pod=p.pod,this.dropped=!1,s=0,p.pod?.status===3&&location.pathname!=="/ready"&&history.replaceState(null,"","/ready");if(this.pod?.status===7)return}catch(p){if(e.aborted)return;let $=m(p);if($.code===f.Unauthenticated||$.code===f.PermissionDenied||$.code===f.NotFound){this.error=$.rawMessage;return}}this.dropped=!0,await new Promise(p=>setTimeout(p,D(s)))}}render(){if(this.announce(t("podTitle")),!this.signedIn)return r`<h1>${t("podTitle")}</h1>
        <gb-sign-in @signed-in=${()=>{this.signedIn=!0,this.watch()}}></gb-sign-in>`;let e=this.pod,i=e?B(e.podUrl,W()):void 0;return r`<h1>${t("podTitle")}</h1>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:n}
      ${this.dropped?r`<p role="status" class="notice">${t("podReconnecting")}</p>`:n}
      ${e?r`<p>${t("podStatus")}: <strong class="pod-status" data-status=${e.status}>${N(`ps${e.status}`)}</strong></p>
            <ol class="steps" aria-label=${t("podStatus")}>
              ${te.map((s,p)=>r`<li class=${e.status>=s&&e.status<=3?"done":""}
                  aria-current=${e.status===s?"step":n}>${t(`step${p+1}`)}</li>`)}
            </ol>
            ${e.status===6?r`<p role="alert" class="error">${t("podFailed",{reason:e.statusReason})}</p>`:n}
            ${e.status===3?r`<p class="ok" role="status">${t("podReady")}</p>
                  ${i?r`<p><a class="button primary" href=${i} rel="noopener noreferrer">${t("podOpen")}</a></p>`:e.podUrl?r`<p>${t("podUrlText")}: <span class="pod-url">${e.podUrl}</span></p>`:n}`:n}`:this.error?n:r`<p aria-live="polite">${t("loading")}</p>`}`}};a([o()],w.prototype,"pod",2),a([o()],w.prototype,"signedIn",2),a([o()],w.prototype,"dropped",2),a([o()],w.prototype,"error",2),w=a([u("gb-pod")],w);var S=class extends h{constructor(){super(...arguments);this.key="";this.error="";this.token=new URLSearchParams(location.search).get("token")??""}render(){return this.announce(t("recoverTitle")),r`<h1>${t("recoverTitle")}</h1>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:n}
      ${this.key?r`<div class="key-box"><p class="warning" role="alert">${t("keyWarning")}</p>
            <label for="api-key">${t("apiKey")}</label><input id="api-key" readonly .value=${this.key} /></div>
            <p><a class="button" href="/account">${t("navAccount")}</a></p>`:r`<button type="button" class="primary" ?disabled=${!this.token} @click=${this.recover}>${t("recoverButton")}</button>`}`}async recover(){try{let e=await l.subscriptions.recoverApiKey({recoveryToken:this.token});b.key=e.apiKey,this.key=e.apiKey}catch(e){this.error=`${t("recoverFailed")} (${m(e).rawMessage})`}}};a([o()],S.prototype,"key",2),a([o()],S.prototype,"error",2),S=a([u("gb-recover")],S);var re={"/":()=>r`<gb-plans></gb-plans>`,"/checkout":()=>r`<gb-checkout></gb-checkout>`,"/checkout/return":()=>r`<gb-payment-return></gb-payment-return>`,"/checkout/cancel":()=>r`<gb-payment-cancel></gb-payment-cancel>`,"/activate":()=>r`<gb-activate></gb-activate>`,"/provisioning":()=>r`<gb-pod></gb-pod>`,"/ready":()=>r`<gb-pod></gb-pod>`,"/account":()=>r`<gb-account></gb-account>`,"/recover-key":()=>r`<gb-recover></gb-recover>`},L=class extends h{connectedCallback(){super.connectedCallback(),document.documentElement.lang=d}render(){if(location.pathname==="/admin"||location.pathname.startsWith("/admin/"))return import("./shell-PCCE7RPA.js"),r`<gb-admin></gb-admin>`;let g=location.pathname.replace(/\/+$/,"")||"/",e=re[g],i=s=>g===s?"page":void 0;return r`<a class="skip" href="#main">${t("skip")}</a>
      <header>
        <a class="brand" href="/">${t("brand")}</a>
        <nav aria-label="GPUBROKER">
          <a href="/" aria-current=${i("/")??"false"}>${t("navPlans")}</a>
          <a href="/account" aria-current=${i("/account")??"false"}>${t("navAccount")}</a>
        </nav>
        <button type="button" class="lang" lang=${d==="es"?"en":"es"}
          title=${t("switchLabel")} @click=${()=>j(d==="es"?"en":"es",!0)}>${t("switchTo")}</button>
      </header>
      <main id="main" tabindex="-1">${e?e():r`<h1>${t("notFound")}</h1><p><a href="/">${t("backToPlans")}</a></p>`}</main>`}};L=a([u("gb-app")],L);export{L as App};
