import{C as T,D as Q,E as L,H as h,a as d,b as r,c,d as v,e as R,f as l,g as b,l as f,m as U,q as Z,v as J,w as Y,x as p,y as x,z as w}from"./chunk-BEVP7UIO.js";function I(s){history.pushState(null,"",s),window.dispatchEvent(new CustomEvent("gb-navigate"))}var nt={console:"Consola",signInTitle:"Ingreso de operadores",email:"Correo electrónico",password:"Contraseña",signIn:"Ingresar",signOut:"Salir",working:"Un momento…",dashboard:"Panel",pods:"Pods",audit:"Auditoría",navLabel:"Consola",podsRunning:"Pods en ejecución",podsProvisioning:"Aprovisionando",podsFailed:"Pods fallidos",podsTotal:"Pods en total",revenueMonth:"Ingresos de este mes",revenuePrevious:"Mes anterior",growth:"Variación",growthUndefined:"sin mes anterior",payments:"Pagos",customersActive:"Clientes activos",customersNew:"Nuevos (7 días)",plansTitle:"Suscripciones por plan",revenueChart:"Ingresos por mes",activity:"Actividad reciente",alerts:"Alertas",noAlerts:"Sin alertas.",noActivity:"Sin actividad todavía.",updated:"Actualizado {time}",when:"Cuándo",what:"Qué",who:"Cliente",amount:"Monto",kind1:"Registro",kind2:"Pago",kind3:"Pod iniciado",kind4:"Pod detenido",kind5:"Cancelación",kind6:"Reembolso",status:"Estado",plan:"Plan",customer:"Cliente",anyStatus:"Cualquier estado",anyPlan:"Cualquier plan",filter:"Filtrar",withDestroyed:"Incluir eliminados",next:"Siguientes",first:"Primeros",shown:"{n} de {total}",noPods:"Ningún pod coincide.",pod:"Pod {id}",subscription:"Suscripción",address:"Dirección",created:"Creado",started:"Iniciado",stopped:"Detenido",reason:"Motivo",uptime:"Tiempo activo",costSoFar:"Costo hasta ahora",monthlyCost:"Costo mensual estimado",cpu:"CPU %",memory:"Memoria %",window:"Ventana",hour:"1 hora",day:"24 horas",week:"7 días",start:"Iniciar",stop:"Detener",destroy:"Destruir",destroyConfirm:"Destruir borra la tarea del pod y su token para siempre. Escribe {id} para confirmar.",destroyReason:"Motivo (queda en la auditoría)",confirmId:"Id del pod",confirmDestroy:"Destruir definitivamente",cancel:"Volver",done:"Hecho: {status}.",actor:"Actor",action:"Acción",target:"Objeto",chainOk:"Cadena de auditoría verificada: ninguna entrada alterada.",chainBroken:"¡Cadena de auditoría rota en la entrada {id}!",noEntries:"Sin entradas.",readOnly:"Solo lectura: tu rol no permite acciones.",billing:"Facturación",kind:"Tipo",anyKind:"Cualquier tipo",tk1:"Cobro",tk2:"Reembolso",tk3:"Reversión",ts1:"Pendiente",ts2:"Completada",ts3:"Fallida",pay1:"Creado",pay2:"Aprobado",pay3:"Pendiente",pay4:"Completado",pay5:"Rechazado",pay6:"Fallido",pay7:"Reembolsado en parte",pay8:"Reembolsado",pay9:"Revertido",noTransactions:"Ninguna transacción coincide.",transaction:"Transacción",payment:"Pago",refundedSoFar:"Reembolsado",refund:"Reembolsar",refundAmount:"Monto a reembolsar (USD)",refundAmountHelp:"Vacío: todo lo que queda por reembolsar.",badAmount:"Escribe un monto positivo con hasta 2 decimales, p. ej. 5.00.",refunded:"Reembolso de {amount} hecho; el pago queda {status}."},it={console:"Console",signInTitle:"Operator sign-in",email:"Email",password:"Password",signIn:"Sign in",signOut:"Sign out",working:"One moment…",dashboard:"Dashboard",pods:"Pods",audit:"Audit log",navLabel:"Console",podsRunning:"Pods running",podsProvisioning:"Provisioning",podsFailed:"Pods failed",podsTotal:"Pods in total",revenueMonth:"Revenue this month",revenuePrevious:"Previous month",growth:"Change",growthUndefined:"no previous month",payments:"Payments",customersActive:"Active customers",customersNew:"New (7 days)",plansTitle:"Subscriptions by plan",revenueChart:"Revenue by month",activity:"Recent activity",alerts:"Alerts",noAlerts:"No alerts.",noActivity:"No activity yet.",updated:"Updated {time}",when:"When",what:"What",who:"Customer",amount:"Amount",kind1:"Sign-up",kind2:"Payment",kind3:"Pod started",kind4:"Pod stopped",kind5:"Cancellation",kind6:"Refund",status:"Status",plan:"Plan",customer:"Customer",anyStatus:"Any status",anyPlan:"Any plan",filter:"Filter",withDestroyed:"Include destroyed",next:"Next",first:"First",shown:"{n} of {total}",noPods:"No pod matches.",pod:"Pod {id}",subscription:"Subscription",address:"Address",created:"Created",started:"Started",stopped:"Stopped",reason:"Reason",uptime:"Uptime",costSoFar:"Cost so far",monthlyCost:"Estimated monthly cost",cpu:"CPU %",memory:"Memory %",window:"Window",hour:"1 hour",day:"24 hours",week:"7 days",start:"Start",stop:"Stop",destroy:"Destroy",destroyConfirm:"Destroy deletes the pod's task and its token for good. Type {id} to confirm.",destroyReason:"Reason (kept in the audit log)",confirmId:"Pod id",confirmDestroy:"Destroy for good",cancel:"Back",done:"Done: {status}.",actor:"Actor",action:"Action",target:"Target",chainOk:"Audit chain verified: no entry altered.",chainBroken:"Audit chain broken at entry {id}!",noEntries:"No entries.",readOnly:"Read-only: your role allows no actions.",billing:"Billing",kind:"Kind",anyKind:"Any kind",tk1:"Capture",tk2:"Refund",tk3:"Reversal",ts1:"Pending",ts2:"Completed",ts3:"Failed",pay1:"Created",pay2:"Approved",pay3:"Pending",pay4:"Completed",pay5:"Denied",pay6:"Failed",pay7:"Partly refunded",pay8:"Refunded",pay9:"Reversed",noTransactions:"No transaction matches.",transaction:"Transaction",payment:"Payment",refundedSoFar:"Refunded",refund:"Refund",refundAmount:"Amount to refund (USD)",refundAmountHelp:"Empty: everything not refunded yet.",badAmount:"Type a positive amount with up to 2 decimals, e.g. 5.00.",refunded:"Refunded {amount}; the payment is now {status}."};function t(s,u={}){return(p==="en"?it:nt)[s].replace(/\{(\w+)\}/g,(o,a)=>String(u[a]??""))}var q="gpubroker.admin.refresh",z="gpubroker.admin.who",H,W,K,m=Q({baseUrl:location.origin,token:()=>H});function O(){try{return JSON.parse(sessionStorage.getItem(z)??"null")??void 0}catch{return}}function A(s){return(O()?.role??0)>=s}function X(s,u){H=s.accessToken,sessionStorage.setItem(q,s.refreshToken),sessionStorage.setItem(z,JSON.stringify({email:u,role:s.role}));let e=Number(s.expiresIn?.seconds??0n);window.clearTimeout(W),W=window.setTimeout(()=>{_()},Math.max(5,Math.min(e-60,e/2))*1e3)}async function tt(s,u){let e=await m.auth.login({email:s,password:u});X(e,e.user?.email||s)}function _(){return K??=(async()=>{let s=sessionStorage.getItem(q);if(!s)return!1;try{return X(await m.auth.refresh({refreshToken:s}),O()?.email??""),!0}catch{return rt(),!1}})().finally(()=>{K=void 0}),K}async function et(){return H!==void 0||_()}async function k(s){try{return await s()}catch(u){if(h(u).code!==T.Unauthenticated)throw u;if(await _())return s();throw G(),u}}async function ot(){let s=sessionStorage.getItem(q);if(rt(),s)try{await m.auth.logout({refreshToken:s})}catch{}location.replace("/admin/login")}function rt(){H=void 0,window.clearTimeout(W),sessionStorage.removeItem(q),sessionStorage.removeItem(z)}function G(){let s=location.pathname+location.search;location.replace(`/admin/login?next=${encodeURIComponent(s)}`)}function $(s){return s?new Date(Number(s.seconds)*1e3).toLocaleString(p==="es"?"es-EC":"en-US",{dateStyle:"medium",timeStyle:"short"}):"—"}function y(s){return s?U(s.amountMinor,s.currencyCode||"USD",p):"—"}var dt=25,V=s=>s>=1&&s<=3?t(`tk${s}`):"",j=s=>s>=1&&s<=3?t(`ts${s}`):"",at=s=>s>=1&&s<=9?t(`pay${s}`):"",D=class extends b{constructor(){super(...arguments);this.error="";this.query=new URLSearchParams(location.search)}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await k(()=>m.payments.listTransactions({pageSize:dt,pageToken:this.query.get("page")??"",kind:Number(this.query.get("kind")??0),status:Number(this.query.get("status")??0),customerEmail:this.query.get("customer")??""}))}catch(e){this.error=h(e).rawMessage}}filter(e){e.preventDefault();let o=new FormData(e.target),a=new URLSearchParams;for(let i of["kind","status","customer"]){let n=String(o.get(i)??"").trim();n&&n!=="0"&&a.set(i,n)}I(`/admin/billing${a.size?`?${a}`:""}`)}render(){this.announce(t("billing"));let e=this.query,o=this.answer,a=new URLSearchParams(e);return a.set("page",o?.nextPageToken??""),r`<h1>${t("billing")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-kind">${t("kind")}</label>
          <select id="f-kind" name="kind"><option value="0">${t("anyKind")}</option>
            ${[1,2,3].map(i=>r`<option value=${i} ?selected=${e.get("kind")===String(i)}>${V(i)}</option>`)}</select></div>
        <div class="field"><label for="f-status">${t("status")}</label>
          <select id="f-status" name="status"><option value="0">${t("anyStatus")}</option>
            ${[1,2,3].map(i=>r`<option value=${i} ?selected=${e.get("status")===String(i)}>${j(i)}</option>`)}</select></div>
        <div class="field"><label for="f-customer">${t("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${e.get("customer")??""} /></div>
        <button type="submit">${t("filter")}</button>
      </form>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:c}
      ${o?o.transactions.length===0?r`<p>${t("noTransactions")}</p>`:r`<p class="muted">${t("shown",{n:o.transactions.length,total:f(o.totalSize,p)})}</p>
              <div class="scroll"><table>
                <caption class="visually-hidden">${t("billing")}</caption>
                <thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("kind")}</th><th scope="col">${t("status")}</th>
                  <th scope="col">${t("amount")}</th><th scope="col">${t("customer")}</th></tr></thead>
                <tbody>${o.transactions.map(i=>r`<tr><td><a href=${`/admin/billing/${i.transactionId}`}>${$(i.createdAt)}</a></td>
                    <td>${V(i.kind)}</td><td>${j(i.status)}</td><td>${y(i.amount)}</td><td>${i.customerEmail}</td></tr>`)}</tbody></table></div>
              ${o.nextPageToken?r`<p><a class="button" href=${`/admin/billing?${a}`}>${t("next")}</a></p>`:c}`:r`<p aria-live="polite">${t("working")}</p>`}`}};d([l()],D.prototype,"answer",2),d([l()],D.prototype,"error",2),D=d([v("gb-admin-billing")],D);var S=class extends b{constructor(){super(...arguments);this.transactionId="";this.error="";this.message="";this.busy=!1;this.amountError="";this.refundKey=crypto.randomUUID()}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await k(()=>m.payments.getTransaction({transactionId:this.transactionId}))}catch(e){this.error=h(e).rawMessage}}async refund(e){e.preventDefault();let o=this.answer?.payment;if(!o)return;let a=new FormData(e.target),i=String(a.get("amount")??"").trim(),n=i?Y(i):void 0;if(this.amountError=i&&n===void 0?t("badAmount"):"",!this.amountError){this.busy=!0,this.message="";try{let P=await k(()=>m.payments.refundPayment({paymentId:o.paymentId,amount:n===void 0?void 0:{currencyCode:"USD",amountMinor:n},reason:String(a.get("reason")??"").trim(),idempotencyKey:this.refundKey}));this.refundKey=crypto.randomUUID(),this.message=t("refunded",{amount:y(P.refund?.amount),status:at(P.payment?.status??0)}),this.answer&&(this.answer={...this.answer,payment:P.payment}),e.target.reset()}catch(P){let C=h(P);this.message=C.reason?`${C.rawMessage} (${C.reason})`:C.rawMessage}finally{this.busy=!1}}}render(){this.announce(t("transaction"));let e=this.answer?.transaction,o=this.answer?.payment;return e?r`<h1>${t("transaction")}</h1>
      <dl class="facts">
        <dt>${t("kind")}</dt><dd>${V(e.kind)}</dd>
        <dt>${t("status")}</dt><dd>${j(e.status)}</dd>
        <dt>${t("amount")}</dt><dd>${y(e.amount)}</dd>
        <dt>${t("customer")}</dt><dd>${e.customerName?`${e.customerName} · `:""}${e.customerEmail}</dd>
        <dt>${t("when")}</dt><dd>${$(e.createdAt)}</dd>
        <dt>PayPal</dt><dd>${e.providerReference||"—"}</dd>
        ${e.reason?r`<dt>${t("reason")}</dt><dd>${e.reason}</dd>`:c}
      </dl>
      ${o?r`<h2>${t("payment")}</h2>
            <dl class="facts">
              <dt>${t("status")}</dt><dd class="payment-status">${at(o.status)}</dd>
              <dt>${t("amount")}</dt><dd>${y(o.amount)}</dd>
              <dt>${t("refundedSoFar")}</dt><dd class="refunded">${y(o.refundedAmount)}</dd>
              <dt>${t("subscription")}</dt><dd>${o.subscriptionId}</dd>
            </dl>`:c}
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:c}
      ${o&&A(2)&&(o.status===4||o.status===7)?r`<h2>${t("refund")}</h2>
            <form @submit=${this.refund}>
              <div class="field"><label for="refund-amount">${t("refundAmount")}</label>
                <input id="refund-amount" name="amount" inputmode="decimal" autocomplete="off"
                  aria-invalid=${this.amountError?"true":"false"} aria-describedby="refund-amount-help${this.amountError?" refund-amount-error":""}" />
                <p class="help" id="refund-amount-help">${t("refundAmountHelp")}</p>
                ${this.amountError?r`<p class="field-error" id="refund-amount-error">${this.amountError}</p>`:c}</div>
              <div class="field"><label for="refund-reason">${t("reason")}</label>
                <input id="refund-reason" name="reason" required maxlength="255" /></div>
              <button type="submit" class="danger" ?disabled=${this.busy}>${this.busy?t("working"):t("refund")}</button>
            </form>`:c}`:r`<h1>${t("transaction")}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${t("working")}</p>`}`}};d([R()],S.prototype,"transactionId",2),d([l()],S.prototype,"answer",2),d([l()],S.prototype,"error",2),d([l()],S.prototype,"message",2),d([l()],S.prototype,"busy",2),d([l()],S.prototype,"amountError",2),S=d([v("gb-admin-transaction")],S);function lt(s){return s>=1&&s<=6?t(`kind${s}`):""}var ct=3e4,M=class extends b{constructor(){super(...arguments);this.error="";this.chart=new L}connectedCallback(){super.connectedCallback(),this.load(),this.timer=window.setInterval(()=>{this.load()},ct)}disconnectedCallback(){window.clearInterval(this.timer),this.chart.destroy(),super.disconnectedCallback()}async load(){try{this.data=await k(()=>m.subscriptions.getDashboard({})),this.error=""}catch(e){this.error=h(e).rawMessage}}updated(e){if(!e.has("data")||!this.data)return;let o=this.data.revenue?.monthly??[];this.chart.draw(this.querySelector("#revenue-chart"),o.map(a=>Date.UTC(a.year,a.month-1,1)/1e3),[{label:t("revenueChart"),values:o.map(a=>Number(a.amount?.amountMinor??0n)),color:"#0b5cad"}],a=>U(a,"USD",p))}render(){this.announce(t("dashboard"));let e=this.data;if(!e)return r`<h1>${t("dashboard")}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${t("working")}</p>`}`;let o=e.revenue,a=o?.growthDefined?`${(Number(o.growthBasisPoints)/100).toLocaleString(p==="es"?"es-EC":"en-US")} %`:t("growthUndefined"),i=(n,P,C)=>r`<div class="figure"><dt id=${`f-${C}`}>${n}</dt><dd aria-labelledby=${`f-${C}`} data-figure=${C}>${P}</dd></div>`;return r`<h1>${t("dashboard")}</h1>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:c}
      <p class="muted" aria-live="polite">${t("updated",{time:$(e.generatedAt)})}</p>
      <dl class="figures">
        ${i(t("podsRunning"),f(e.pods?.running??0n,p),"pods-running")}
        ${i(t("podsProvisioning"),f(e.pods?.provisioning??0n,p),"pods-provisioning")}
        ${i(t("podsFailed"),f(e.pods?.failed??0n,p),"pods-failed")}
        ${i(t("podsTotal"),f(e.pods?.total??0n,p),"pods-total")}
        ${i(t("revenueMonth"),y(o?.currentMonth),"revenue-month")}
        ${i(t("revenuePrevious"),y(o?.previousMonth),"revenue-previous")}
        ${i(t("growth"),a,"growth")}
        ${i(t("payments"),f(o?.paymentCount??0n,p),"payments")}
        ${i(t("customersActive"),f(e.customers?.active??0n,p),"customers-active")}
        ${i(t("customersNew"),f(e.customers?.newLast7Days??0n,p),"customers-new")}
      </dl>
      <h2>${t("revenueChart")}</h2>
      <div id="revenue-chart" class="chart"></div>
      <table>
        <caption class="visually-hidden">${t("revenueChart")}</caption>
        <thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("amount")}</th></tr></thead>
        <tbody>${(o?.monthly??[]).map(n=>r`<tr><td>${n.year}-${String(n.month).padStart(2,"0")}</td><td>${y(n.amount)}</td></tr>`)}</tbody>
      </table>
      <h2>${t("plansTitle")}</h2>
      <ul class="plain">${e.planCounts.map(n=>r`<li>${w(`plan${n.plan}`)}: <strong>${f(n.count,p)}</strong></li>`)}</ul>
      <h2>${t("alerts")}</h2>
      ${e.alerts.length?r`<ul class="plain">${e.alerts.map(n=>r`<li class=${n.severity>=2?"warning":""}>${$(n.occurredAt)} · ${n.message}
            ${n.podId?r` · <a href=${`/admin/pods/${n.podId}`}>${n.podId}</a>`:c}</li>`)}</ul>`:r`<p>${t("noAlerts")}</p>`}
      <h2>${t("activity")}</h2>
      ${e.activity.length?r`<div class="scroll"><table>
            <caption class="visually-hidden">${t("activity")}</caption>
            <thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("what")}</th><th scope="col">${t("who")}</th><th scope="col">${t("amount")}</th></tr></thead>
            <tbody>${e.activity.map(n=>r`<tr><td>${$(n.occurredAt)}</td><td>${lt(n.kind)}
                ${n.podId?r` · <a href=${`/admin/pods/${n.podId}`}>${n.podId}</a>`:c}</td>
                <td>${n.customerEmail}</td><td>${n.amount?y(n.amount):""}</td></tr>`)}</tbody></table></div>`:r`<p>${t("noActivity")}</p>`}`}};d([l()],M.prototype,"data",2),d([l()],M.prototype,"error",2),M=d([v("gb-admin-dashboard")],M);var E=class extends b{constructor(){super(...arguments);this.next="/admin/";this.error="";this.busy=!1}async submit(e){e.preventDefault();let o=new FormData(e.target);this.busy=!0,this.error="";try{await tt(String(o.get("email")??"").trim(),String(o.get("password")??"")),history.replaceState(null,"","/admin/login"),I(this.next)}catch(a){this.error=h(a).rawMessage,this.busy=!1,await this.updateComplete,this.querySelector("#login-error")?.focus()}}render(){return r`<h1>${t("signInTitle")}</h1>
      <form @submit=${this.submit}>
        ${this.error?r`<p class="error" role="alert" id="login-error" tabindex="-1">${this.error}</p>`:c}
        <div class="field">
          <label for="admin-email">${t("email")}</label>
          <input id="admin-email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="admin-password">${t("password")}</label>
          <input id="admin-password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy?t("working"):t("signIn")}</button>
      </form>`}};d([R()],E.prototype,"next",2),d([l()],E.prototype,"error",2),d([l()],E.prototype,"busy",2),E=d([v("gb-admin-login")],E);var pt=25,ut=[1,2,3,4,5,6,7],mt=[1,2,3,4,5],N=class extends b{constructor(){super(...arguments);this.error="";this.query=new URLSearchParams(location.search)}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await k(()=>m.pods.listPods({pageSize:pt,pageToken:this.query.get("page")??"",status:Number(this.query.get("status")??0),plan:Number(this.query.get("plan")??0),customerEmail:this.query.get("customer")??"",includeDestroyed:this.query.get("destroyed")==="1"})),this.error=""}catch(e){this.error=h(e).rawMessage}}filter(e){e.preventDefault();let o=new FormData(e.target),a=new URLSearchParams;for(let i of["status","plan","customer","destroyed"]){let n=String(o.get(i)??"").trim();n&&n!=="0"&&a.set(i,n)}I(`/admin/pods${a.size?`?${a}`:""}`)}pageHref(e){let o=new URLSearchParams(this.query);return e?o.set("page",e):o.delete("page"),`/admin/pods${o.size?`?${o}`:""}`}render(){this.announce(t("pods"));let e=this.query,o=this.answer;return r`<h1>${t("pods")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-status">${t("status")}</label>
          <select id="f-status" name="status">
            <option value="0">${t("anyStatus")}</option>
            ${ut.map(a=>r`<option value=${a} ?selected=${e.get("status")===String(a)}>${w(`ps${a}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-plan">${t("plan")}</label>
          <select id="f-plan" name="plan">
            <option value="0">${t("anyPlan")}</option>
            ${mt.map(a=>r`<option value=${a} ?selected=${e.get("plan")===String(a)}>${w(`plan${a}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-customer">${t("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${e.get("customer")??""} /></div>
        <div class="check"><input id="f-destroyed" name="destroyed" type="checkbox" value="1" ?checked=${e.get("destroyed")==="1"} />
          <label for="f-destroyed">${t("withDestroyed")}</label></div>
        <button type="submit">${t("filter")}</button>
      </form>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:c}
      ${o?o.pods.length===0?r`<p>${t("noPods")}</p>`:r`<p class="muted">${t("shown",{n:o.pods.length,total:f(o.totalSize,p)})}</p>
              <div class="scroll"><table>
                <caption class="visually-hidden">${t("pods")}</caption>
                <thead><tr><th scope="col">Pod</th><th scope="col">${t("status")}</th><th scope="col">${t("plan")}</th>
                  <th scope="col">${t("customer")}</th><th scope="col">${t("created")}</th></tr></thead>
                <tbody>${o.pods.map(a=>r`<tr><td><a href=${`/admin/pods/${a.podId}`}>${a.podId}</a></td>
                    <td class="pod-status" data-status=${a.status}>${w(`ps${a.status}`)}</td>
                    <td>${w(`plan${a.plan}`)}</td><td>${a.customerEmail}</td><td>${$(a.createdAt)}</td></tr>`)}</tbody></table></div>
              <p class="actions">
                ${e.get("page")?r`<a class="button" href=${this.pageHref("")}>${t("first")}</a>`:c}
                ${o.nextPageToken?r`<a class="button" href=${this.pageHref(o.nextPageToken)}>${t("next")}</a>`:c}
              </p>`:r`<p aria-live="polite">${t("working")}</p>`}`}};d([l()],N.prototype,"answer",2),d([l()],N.prototype,"error",2),N=d([v("gb-admin-pods")],N);var st={hour:3600n,day:86400n,week:604800n},g=class extends b{constructor(){super(...arguments);this.podId="";this.window="hour";this.error="";this.message="";this.busy="";this.confirming=!1;this.typed="";this.chart=new L}connectedCallback(){super.connectedCallback(),this.watch(),this.loadMetrics()}disconnectedCallback(){this.abort?.abort(),this.chart.destroy(),super.disconnectedCallback()}async watch(){this.abort=new AbortController;let e=this.abort.signal;for(let o=0;!e.aborted;o++){try{let a=await k(async()=>m.pods.watchPod({podId:this.podId},{signal:e}));for await(let i of a)this.pod=i.pod,o=0}catch(a){if(e.aborted)return;let i=h(a);if([T.NotFound,T.PermissionDenied,T.Unauthenticated].includes(i.code)){this.error=i.rawMessage;return}}await new Promise(a=>setTimeout(a,Z(o)))}}async loadMetrics(){try{let e=st[this.window];this.metrics=await k(()=>m.pods.getPodMetrics({podId:this.podId,window:{seconds:e,nanos:0},step:{seconds:e/60n<60n?60n:e/60n,nanos:0}}))}catch(e){this.message=h(e).rawMessage}}updated(e){if(!e.has("metrics")||!this.metrics)return;let o=this.metrics;this.chart.draw(this.querySelector("#metrics-chart"),o.cpu.map(a=>Number(a.at?.seconds??0n)),[{label:t("cpu"),values:o.cpu.map(a=>a.percent),color:"#0b5cad"},{label:t("memory"),values:o.memory.map(a=>a.percent),color:"#1d6b32"}],a=>`${a} %`)}async act(e,o=""){this.busy=e,this.message="";let a=crypto.randomUUID();try{let i=await k(()=>e==="start"?m.pods.startPod({podId:this.podId,idempotencyKey:a}):e==="stop"?m.pods.stopPod({podId:this.podId,reason:o,idempotencyKey:a}):m.pods.destroyPod({podId:this.podId,reason:o,idempotencyKey:a}));i.pod&&(this.pod=i.pod),this.message=t("done",{status:w(`ps${i.pod?.status??0}`)}),this.confirming=!1}catch(i){let n=h(i);this.message=n.reason?`${n.rawMessage} (${n.reason})`:n.rawMessage}finally{this.busy=""}}destroy(e){e.preventDefault();let o=new FormData(e.target);this.act("destroy",String(o.get("reason")??"").trim())}render(){this.announce(t("pod",{id:this.podId}));let e=this.pod;if(!e)return r`<h1>${t("pod",{id:this.podId})}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${t("working")}</p>`}`;let o=this.metrics,a=A(2),i=e.status===7;return r`<h1>${t("pod",{id:e.podId})}</h1>
      <dl class="facts">
        <dt>${t("status")}</dt><dd><strong class="pod-status" data-status=${e.status} aria-live="polite">${w(`ps${e.status}`)}</strong></dd>
        ${e.statusReason?r`<dt>${t("reason")}</dt><dd>${e.statusReason}</dd>`:c}
        <dt>${t("customer")}</dt><dd>${e.customerEmail}</dd>
        <dt>${t("plan")}</dt><dd>${w(`plan${e.plan}`)}</dd>
        <dt>${t("subscription")}</dt><dd>${e.subscriptionId} · ${w(`st${e.subscriptionStatus}`)}</dd>
        <dt>${t("address")}</dt><dd class="pod-url">${e.podUrl||"—"}</dd>
        <dt>${t("created")}</dt><dd>${$(e.createdAt)}</dd>
        <dt>${t("started")}</dt><dd>${$(e.startedAt)}</dd>
        <dt>${t("stopped")}</dt><dd>${$(e.stoppedAt)}</dd>
        ${o?r`<dt>${t("uptime")}</dt><dd>${f(o.uptime?.seconds??0n,p)} s</dd>
              <dt>${t("costSoFar")}</dt><dd>${y(o.costSoFar)}</dd>
              <dt>${t("monthlyCost")}</dt><dd>${y(o.monthlyCostEstimate)}</dd>`:c}
      </dl>
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:c}
      ${a?i?c:r`<div class="actions">
              <button type="button" ?disabled=${!!this.busy} @click=${()=>{this.act("start")}}>${this.busy==="start"?t("working"):t("start")}</button>
              <button type="button" ?disabled=${!!this.busy} @click=${()=>{this.act("stop")}}>${this.busy==="stop"?t("working"):t("stop")}</button>
              <button type="button" class="danger" ?disabled=${!!this.busy} @click=${()=>this.confirming=!0}>${t("destroy")}</button>
              ${this.confirming?r`<form class="confirm" @submit=${this.destroy}>
                    <p>${t("destroyConfirm",{id:e.podId})}</p>
                    <div class="field"><label for="confirm-id">${t("confirmId")}</label>
                      <input id="confirm-id" autocomplete="off" @input=${n=>this.typed=n.target.value.trim()} /></div>
                    <div class="field"><label for="destroy-reason">${t("destroyReason")}</label>
                      <input id="destroy-reason" name="reason" required /></div>
                    <button type="submit" class="danger" ?disabled=${this.typed!==e.podId||!!this.busy}>${this.busy==="destroy"?t("working"):t("confirmDestroy")}</button>
                    <button type="button" @click=${()=>this.confirming=!1}>${t("cancel")}</button>
                  </form>`:c}
            </div>`:r`<p class="muted">${t("readOnly")}</p>`}
      <h2>${t("cpu")} · ${t("memory")}</h2>
      <div class="field"><label for="window">${t("window")}</label>
        <select id="window" @change=${n=>{this.window=n.target.value,this.loadMetrics()}}>${Object.keys(st).map(n=>r`<option value=${n} ?selected=${n===this.window}>${t(n)}</option>`)}</select></div>
      <div id="metrics-chart" class="chart"></div>
      ${o&&o.cpu.length?r`<div class="scroll"><table>
            <caption class="visually-hidden">${t("cpu")} · ${t("memory")}</caption>
            <thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("cpu")}</th><th scope="col">${t("memory")}</th></tr></thead>
            <tbody>${o.cpu.map((n,P)=>r`<tr><td>${$(n.at)}</td><td>${n.percent.toFixed(1)}</td><td>${o.memory[P]?.percent.toFixed(1)??""}</td></tr>`)}</tbody>
          </table></div>`:c}`}};d([R()],g.prototype,"podId",2),d([l()],g.prototype,"pod",2),d([l()],g.prototype,"metrics",2),d([l()],g.prototype,"window",2),d([l()],g.prototype,"error",2),d([l()],g.prototype,"message",2),d([l()],g.prototype,"busy",2),d([l()],g.prototype,"confirming",2),d([l()],g.prototype,"typed",2),g=d([v("gb-admin-pod")],g);function ht(s){if(s==="/admin"||s==="/admin/")return{page:r`<gb-admin-dashboard></gb-admin-dashboard>`,nav:"/admin/"};if(s==="/admin/pods")return{page:r`<gb-admin-pods></gb-admin-pods>`,nav:"/admin/pods"};if(s==="/admin/billing")return{page:r`<gb-admin-billing></gb-admin-billing>`,nav:"/admin/billing"};let u=s.match(/^\/admin\/billing\/([A-Za-z0-9_-]+)$/);if(u)return{page:r`<gb-admin-transaction .transactionId=${u[1]}></gb-admin-transaction>`,nav:"/admin/billing"};let e=s.match(/^\/admin\/pods\/([A-Za-z0-9_-]+)$/);if(e)return{page:r`<gb-admin-pod .podId=${e[1]}></gb-admin-pod>`,nav:"/admin/pods"}}var F=class extends b{constructor(){super(...arguments);this.ready=!1;this.rerender=()=>{this.ready=!1,this.check()};this.follow=e=>{let o=e.target.closest("a"),a=o?.getAttribute("href");!a||!a.startsWith("/admin")||e.ctrlKey||e.metaKey||e.shiftKey||o?.target||(e.preventDefault(),I(a))}}connectedCallback(){super.connectedCallback(),window.addEventListener("popstate",this.rerender),window.addEventListener("gb-navigate",this.rerender),window.addEventListener("pageshow",e=>e.persisted&&location.reload()),this.addEventListener("click",this.follow),this.check()}disconnectedCallback(){window.removeEventListener("popstate",this.rerender),window.removeEventListener("gb-navigate",this.rerender),super.disconnectedCallback()}async check(){if(location.pathname==="/admin/login"){this.ready=!0;return}await et()?this.ready=!0:G()}render(){let e=location.pathname;if(e==="/admin/login")return this.announce(t("signInTitle")),r`<a class="skip" href="#main">${x("skip")}</a>
        <header><span class="brand">${x("brand")} · ${t("console")}</span></header>
        <main id="main" tabindex="-1"><gb-admin-login .next=${J(new URLSearchParams(location.search).get("next"))}></gb-admin-login></main>`;if(!this.ready)return r`<main id="main"><p aria-live="polite">${t("working")}</p></main>`;let o=ht(e),a=i=>o?.nav===i?"page":"false";return r`<a class="skip" href="#main">${x("skip")}</a>
      <header>
        <a class="brand" href="/admin/">${x("brand")} · ${t("console")}</a>
        <nav aria-label=${t("navLabel")}>
          <a href="/admin/" aria-current=${a("/admin/")}>${t("dashboard")}</a>
          <a href="/admin/pods" aria-current=${a("/admin/pods")}>${t("pods")}</a>
          <a href="/admin/billing" aria-current=${a("/admin/billing")}>${t("billing")}</a>
        </nav>
        <span class="who">${O()?.email??""}</span>
        <button type="button" class="lang" @click=${()=>{ot()}}>${t("signOut")}</button>
      </header>
      <main id="main" tabindex="-1">${o?o.page:r`<h1>${x("notFound")}</h1><p><a href="/admin/">${t("dashboard")}</a></p>`}</main>`}};d([l()],F.prototype,"ready",2),F=d([v("gb-admin")],F);export{F as AdminShell};
