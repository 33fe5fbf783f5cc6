import{C as T,D as ee,E as H,H as h,a as d,b as o,c as l,d as b,e as E,f as c,g as v,l as $,m as O,q as B,v as Q,w as X,x as p,y as D,z as f}from"./chunk-BEVP7UIO.js";function S(n){history.pushState(null,"",n),window.dispatchEvent(new CustomEvent("gb-navigate"))}var de={console:"Consola",signInTitle:"Ingreso de operadores",email:"Correo electrónico",password:"Contraseña",signIn:"Ingresar",signOut:"Salir",working:"Un momento…",dashboard:"Panel",pods:"Pods",audit:"Auditoría",navLabel:"Consola",podsRunning:"Pods en ejecución",podsProvisioning:"Aprovisionando",podsFailed:"Pods fallidos",podsTotal:"Pods en total",revenueMonth:"Ingresos de este mes",revenuePrevious:"Mes anterior",growth:"Variación",growthUndefined:"sin mes anterior",payments:"Pagos",customersActive:"Clientes activos",customersNew:"Nuevos (7 días)",plansTitle:"Suscripciones por plan",revenueChart:"Ingresos por mes",activity:"Actividad reciente",alerts:"Alertas",noAlerts:"Sin alertas.",noActivity:"Sin actividad todavía.",updated:"Actualizado {time}",when:"Cuándo",what:"Qué",who:"Cliente",amount:"Monto",kind1:"Registro",kind2:"Pago",kind3:"Pod iniciado",kind4:"Pod detenido",kind5:"Cancelación",kind6:"Reembolso",status:"Estado",plan:"Plan",customer:"Cliente",anyStatus:"Cualquier estado",anyPlan:"Cualquier plan",filter:"Filtrar",withDestroyed:"Incluir eliminados",next:"Siguientes",first:"Primeros",shown:"{n} de {total}",noPods:"Ningún pod coincide.",pod:"Pod {id}",subscription:"Suscripción",address:"Dirección",created:"Creado",started:"Iniciado",stopped:"Detenido",reason:"Motivo",uptime:"Tiempo activo",costSoFar:"Costo hasta ahora",monthlyCost:"Costo mensual estimado",cpu:"CPU %",memory:"Memoria %",window:"Ventana",hour:"1 hora",day:"24 horas",week:"7 días",start:"Iniciar",stop:"Detener",destroy:"Destruir",destroyConfirm:"Destruir borra la tarea del pod y su token para siempre. Escribe {id} para confirmar.",destroyReason:"Motivo (queda en la auditoría)",confirmId:"Id del pod",confirmDestroy:"Destruir definitivamente",cancel:"Volver",done:"Hecho: {status}.",actor:"Actor",action:"Acción",target:"Objeto",chainOk:"Cadena de auditoría verificada: ninguna entrada alterada.",chainBroken:"¡Cadena de auditoría rota en la entrada {id}!",noEntries:"Sin entradas.",readOnly:"Solo lectura: tu rol no permite acciones.",customers:"Clientes",searchCustomers:"Correo, nombre o RUC/cédula",search:"Buscar",noCustomers:"Ningún cliente coincide.",name:"Nombre",taxId:"RUC/Cédula",subscriptions:"Suscripciones",tokens:"Tokens",revokeKey:"Revocar clave",keyRevoked:"Clave revocada; el cliente recibió un enlace para obtener otra.",cancelSub:"Cancelar suscripción",cancelConfirm:"Cancelar detiene y elimina su pod al final del proceso. ¿Seguro?",cancelYes:"Sí, cancelar",subCancelled:"Suscripción cancelada.",resendReceipt:"Reenviar recibo",receiptSent:"Recibo reenviado.",noPayments:"Sin pagos.",actionsLabel:"Acciones",billing:"Facturación",kind:"Tipo",anyKind:"Cualquier tipo",tk1:"Cobro",tk2:"Reembolso",tk3:"Reversión",ts1:"Pendiente",ts2:"Completada",ts3:"Fallida",pay1:"Creado",pay2:"Aprobado",pay3:"Pendiente",pay4:"Completado",pay5:"Rechazado",pay6:"Fallido",pay7:"Reembolsado en parte",pay8:"Reembolsado",pay9:"Revertido",noTransactions:"Ninguna transacción coincide.",transaction:"Transacción",payment:"Pago",refundedSoFar:"Reembolsado",refund:"Reembolsar",refundAmount:"Monto a reembolsar (USD)",refundAmountHelp:"Vacío: todo lo que queda por reembolsar.",badAmount:"Escribe un monto positivo con hasta 2 decimales, p. ej. 5.00.",refunded:"Reembolso de {amount} hecho; el pago queda {status}."},ce={console:"Console",signInTitle:"Operator sign-in",email:"Email",password:"Password",signIn:"Sign in",signOut:"Sign out",working:"One moment…",dashboard:"Dashboard",pods:"Pods",audit:"Audit log",navLabel:"Console",podsRunning:"Pods running",podsProvisioning:"Provisioning",podsFailed:"Pods failed",podsTotal:"Pods in total",revenueMonth:"Revenue this month",revenuePrevious:"Previous month",growth:"Change",growthUndefined:"no previous month",payments:"Payments",customersActive:"Active customers",customersNew:"New (7 days)",plansTitle:"Subscriptions by plan",revenueChart:"Revenue by month",activity:"Recent activity",alerts:"Alerts",noAlerts:"No alerts.",noActivity:"No activity yet.",updated:"Updated {time}",when:"When",what:"What",who:"Customer",amount:"Amount",kind1:"Sign-up",kind2:"Payment",kind3:"Pod started",kind4:"Pod stopped",kind5:"Cancellation",kind6:"Refund",status:"Status",plan:"Plan",customer:"Customer",anyStatus:"Any status",anyPlan:"Any plan",filter:"Filter",withDestroyed:"Include destroyed",next:"Next",first:"First",shown:"{n} of {total}",noPods:"No pod matches.",pod:"Pod {id}",subscription:"Subscription",address:"Address",created:"Created",started:"Started",stopped:"Stopped",reason:"Reason",uptime:"Uptime",costSoFar:"Cost so far",monthlyCost:"Estimated monthly cost",cpu:"CPU %",memory:"Memory %",window:"Window",hour:"1 hour",day:"24 hours",week:"7 days",start:"Start",stop:"Stop",destroy:"Destroy",destroyConfirm:"Destroy deletes the pod's task and its token for good. Type {id} to confirm.",destroyReason:"Reason (kept in the audit log)",confirmId:"Pod id",confirmDestroy:"Destroy for good",cancel:"Back",done:"Done: {status}.",actor:"Actor",action:"Action",target:"Target",chainOk:"Audit chain verified: no entry altered.",chainBroken:"Audit chain broken at entry {id}!",noEntries:"No entries.",readOnly:"Read-only: your role allows no actions.",customers:"Customers",searchCustomers:"Email, name or tax id",search:"Search",noCustomers:"No customer matches.",name:"Name",taxId:"Tax id",subscriptions:"Subscriptions",tokens:"Tokens",revokeKey:"Revoke key",keyRevoked:"Key revoked; the customer was emailed a link to get another.",cancelSub:"Cancel subscription",cancelConfirm:"Cancelling stops and removes their pod. Sure?",cancelYes:"Yes, cancel",subCancelled:"Subscription cancelled.",resendReceipt:"Resend receipt",receiptSent:"Receipt sent again.",noPayments:"No payments.",actionsLabel:"Actions",billing:"Billing",kind:"Kind",anyKind:"Any kind",tk1:"Capture",tk2:"Refund",tk3:"Reversal",ts1:"Pending",ts2:"Completed",ts3:"Failed",pay1:"Created",pay2:"Approved",pay3:"Pending",pay4:"Completed",pay5:"Denied",pay6:"Failed",pay7:"Partly refunded",pay8:"Refunded",pay9:"Reversed",noTransactions:"No transaction matches.",transaction:"Transaction",payment:"Payment",refundedSoFar:"Refunded",refund:"Refund",refundAmount:"Amount to refund (USD)",refundAmountHelp:"Empty: everything not refunded yet.",badAmount:"Type a positive amount with up to 2 decimals, e.g. 5.00.",refunded:"Refunded {amount}; the payment is now {status}."};function e(n,u={}){return(p==="en"?ce:de)[n].replace(/\{(\w+)\}/g,(a,r)=>String(u[r]??""))}var K="gpubroker.admin.refresh",V="gpubroker.admin.who",A,G,z,m=ee({baseUrl:location.origin,token:()=>A});function W(){try{return JSON.parse(sessionStorage.getItem(V)??"null")??void 0}catch{return}}function M(n){return(W()?.role??0)>=n}function te(n,u){A=n.accessToken,sessionStorage.setItem(K,n.refreshToken),sessionStorage.setItem(V,JSON.stringify({email:u,role:n.role}));let t=Number(n.expiresIn?.seconds??0n);window.clearTimeout(G),G=window.setTimeout(()=>{Y()},Math.max(5,Math.min(t-60,t/2))*1e3)}async function oe(n,u){let t=await m.auth.login({email:n,password:u});te(t,t.user?.email||n)}function Y(){return z??=(async()=>{let n=sessionStorage.getItem(K);if(!n)return!1;try{return te(await m.auth.refresh({refreshToken:n}),W()?.email??""),!0}catch{return se(),!1}})().finally(()=>{z=void 0}),z}async function ae(){return A!==void 0||Y()}async function w(n){try{return await n()}catch(u){if(h(u).code!==T.Unauthenticated)throw u;if(await Y())return n();throw Z(),u}}async function re(){let n=sessionStorage.getItem(K);if(se(),n)try{await m.auth.logout({refreshToken:n})}catch{}location.replace("/admin/login")}function se(){A=void 0,window.clearTimeout(G),sessionStorage.removeItem(K),sessionStorage.removeItem(V)}function Z(){let n=location.pathname+location.search;location.replace(`/admin/login?next=${encodeURIComponent(n)}`)}function g(n){return n?new Date(Number(n.seconds)*1e3).toLocaleString(p==="es"?"es-EC":"en-US",{dateStyle:"medium",timeStyle:"short"}):"—"}function y(n){return n?O(n.amountMinor,n.currencyCode||"USD",p):"—"}var pe=25,j=n=>n>=1&&n<=3?e(`tk${n}`):"",J=n=>n>=1&&n<=3?e(`ts${n}`):"",ne=n=>n>=1&&n<=9?e(`pay${n}`):"",U=class extends v{constructor(){super(...arguments);this.error="";this.query=new URLSearchParams(location.search)}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await w(()=>m.payments.listTransactions({pageSize:pe,pageToken:this.query.get("page")??"",kind:Number(this.query.get("kind")??0),status:Number(this.query.get("status")??0),customerEmail:this.query.get("customer")??""}))}catch(t){this.error=h(t).rawMessage}}filter(t){t.preventDefault();let a=new FormData(t.target),r=new URLSearchParams;for(let s of["kind","status","customer"]){let i=String(a.get(s)??"").trim();i&&i!=="0"&&r.set(s,i)}S(`/admin/billing${r.size?`?${r}`:""}`)}render(){this.announce(e("billing"));let t=this.query,a=this.answer,r=new URLSearchParams(t);return r.set("page",a?.nextPageToken??""),o`<h1>${e("billing")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-kind">${e("kind")}</label>
          <select id="f-kind" name="kind"><option value="0">${e("anyKind")}</option>
            ${[1,2,3].map(s=>o`<option value=${s} ?selected=${t.get("kind")===String(s)}>${j(s)}</option>`)}</select></div>
        <div class="field"><label for="f-status">${e("status")}</label>
          <select id="f-status" name="status"><option value="0">${e("anyStatus")}</option>
            ${[1,2,3].map(s=>o`<option value=${s} ?selected=${t.get("status")===String(s)}>${J(s)}</option>`)}</select></div>
        <div class="field"><label for="f-customer">${e("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${t.get("customer")??""} /></div>
        <button type="submit">${e("filter")}</button>
      </form>
      ${this.error?o`<p role="alert" class="error">${this.error}</p>`:l}
      ${a?a.transactions.length===0?o`<p>${e("noTransactions")}</p>`:o`<p class="muted">${e("shown",{n:a.transactions.length,total:$(a.totalSize,p)})}</p>
              <div class="scroll"><table>
                <caption class="visually-hidden">${e("billing")}</caption>
                <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("kind")}</th><th scope="col">${e("status")}</th>
                  <th scope="col">${e("amount")}</th><th scope="col">${e("customer")}</th></tr></thead>
                <tbody>${a.transactions.map(s=>o`<tr><td><a href=${`/admin/billing/${s.transactionId}`}>${g(s.createdAt)}</a></td>
                    <td>${j(s.kind)}</td><td>${J(s.status)}</td><td>${y(s.amount)}</td><td>${s.customerEmail}</td></tr>`)}</tbody></table></div>
              ${a.nextPageToken?o`<p><a class="button" href=${`/admin/billing?${r}`}>${e("next")}</a></p>`:l}`:o`<p aria-live="polite">${e("working")}</p>`}`}};d([c()],U.prototype,"answer",2),d([c()],U.prototype,"error",2),U=d([b("gb-admin-billing")],U);var P=class extends v{constructor(){super(...arguments);this.transactionId="";this.error="";this.message="";this.busy=!1;this.amountError="";this.refundKey=crypto.randomUUID()}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await w(()=>m.payments.getTransaction({transactionId:this.transactionId}))}catch(t){this.error=h(t).rawMessage}}async refund(t){t.preventDefault();let a=this.answer?.payment;if(!a)return;let r=new FormData(t.target),s=String(r.get("amount")??"").trim(),i=s?X(s):void 0;if(this.amountError=s&&i===void 0?e("badAmount"):"",!this.amountError){this.busy=!0,this.message="";try{let I=await w(()=>m.payments.refundPayment({paymentId:a.paymentId,amount:i===void 0?void 0:{currencyCode:"USD",amountMinor:i},reason:String(r.get("reason")??"").trim(),idempotencyKey:this.refundKey}));this.refundKey=crypto.randomUUID(),this.message=e("refunded",{amount:y(I.refund?.amount),status:ne(I.payment?.status??0)}),this.answer&&(this.answer={...this.answer,payment:I.payment}),t.target.reset()}catch(I){let R=h(I);this.message=R.reason?`${R.rawMessage} (${R.reason})`:R.rawMessage}finally{this.busy=!1}}}render(){this.announce(e("transaction"));let t=this.answer?.transaction,a=this.answer?.payment;return t?o`<h1>${e("transaction")}</h1>
      <dl class="facts">
        <dt>${e("kind")}</dt><dd>${j(t.kind)}</dd>
        <dt>${e("status")}</dt><dd>${J(t.status)}</dd>
        <dt>${e("amount")}</dt><dd>${y(t.amount)}</dd>
        <dt>${e("customer")}</dt><dd>${t.customerName?`${t.customerName} · `:""}${t.customerEmail}</dd>
        <dt>${e("when")}</dt><dd>${g(t.createdAt)}</dd>
        <dt>PayPal</dt><dd>${t.providerReference||"—"}</dd>
        ${t.reason?o`<dt>${e("reason")}</dt><dd>${t.reason}</dd>`:l}
      </dl>
      ${a?o`<h2>${e("payment")}</h2>
            <dl class="facts">
              <dt>${e("status")}</dt><dd class="payment-status">${ne(a.status)}</dd>
              <dt>${e("amount")}</dt><dd>${y(a.amount)}</dd>
              <dt>${e("refundedSoFar")}</dt><dd class="refunded">${y(a.refundedAmount)}</dd>
              <dt>${e("subscription")}</dt><dd>${a.subscriptionId}</dd>
            </dl>`:l}
      ${this.message?o`<p role="status" class="notice">${this.message}</p>`:l}
      ${a&&M(2)&&(a.status===4||a.status===7)?o`<h2>${e("refund")}</h2>
            <form @submit=${this.refund}>
              <div class="field"><label for="refund-amount">${e("refundAmount")}</label>
                <input id="refund-amount" name="amount" inputmode="decimal" autocomplete="off"
                  aria-invalid=${this.amountError?"true":"false"} aria-describedby="refund-amount-help${this.amountError?" refund-amount-error":""}" />
                <p class="help" id="refund-amount-help">${e("refundAmountHelp")}</p>
                ${this.amountError?o`<p class="field-error" id="refund-amount-error">${this.amountError}</p>`:l}</div>
              <div class="field"><label for="refund-reason">${e("reason")}</label>
                <input id="refund-reason" name="reason" required maxlength="255" /></div>
              <button type="submit" class="danger" ?disabled=${this.busy}>${this.busy?e("working"):e("refund")}</button>
            </form>`:l}`:o`<h1>${e("transaction")}</h1>
        ${this.error?o`<p role="alert" class="error">${this.error}</p>`:o`<p aria-live="polite">${e("working")}</p>`}`}};d([E()],P.prototype,"transactionId",2),d([c()],P.prototype,"answer",2),d([c()],P.prototype,"error",2),d([c()],P.prototype,"message",2),d([c()],P.prototype,"busy",2),d([c()],P.prototype,"amountError",2),P=d([b("gb-admin-transaction")],P);var ue=25,me=[6,9,7],L=class extends v{constructor(){super(...arguments);this.error="";this.query=new URLSearchParams(location.search)}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await w(()=>m.subscriptions.listCustomers({pageSize:ue,pageToken:this.query.get("page")??"",query:this.query.get("q")??""}))}catch(t){this.error=h(t).rawMessage}}search(t){t.preventDefault();let a=String(new FormData(t.target).get("q")??"").trim();S(a?`/admin/customers?q=${encodeURIComponent(a)}`:"/admin/customers")}render(){this.announce(e("customers"));let t=this.answer,a=new URLSearchParams(this.query);return a.set("page",t?.nextPageToken??""),o`<h1>${e("customers")}</h1>
      <form class="filters" role="search" @submit=${this.search}>
        <div class="field"><label for="q">${e("searchCustomers")}</label>
          <input id="q" name="q" type="search" .value=${this.query.get("q")??""} /></div>
        <button type="submit">${e("search")}</button>
      </form>
      ${this.error?o`<p role="alert" class="error">${this.error}</p>`:l}
      ${t?t.customers.length===0?o`<p>${e("noCustomers")}</p>`:o`<p class="muted">${e("shown",{n:t.customers.length,total:$(t.totalSize,p)})}</p>
              <div class="scroll"><table>
                <caption class="visually-hidden">${e("customers")}</caption>
                <thead><tr><th scope="col">${e("email")}</th><th scope="col">${e("name")}</th><th scope="col">${e("plan")}</th><th scope="col">${e("status")}</th></tr></thead>
                <tbody>${t.customers.map(r=>o`<tr><td><a href=${`/admin/customers/${encodeURIComponent(r.email)}`}>${r.email}</a></td><td>${r.name}</td>
                    <td>${f(`plan${r.latestPlan}`)}</td><td>${f(`st${r.latestStatus}`)}</td></tr>`)}</tbody></table></div>
              ${t.nextPageToken?o`<p><a class="button" href=${`/admin/customers?${a}`}>${e("next")}</a></p>`:l}`:o`<p aria-live="polite">${e("working")}</p>`}`}};d([c()],L.prototype,"answer",2),d([c()],L.prototype,"error",2),L=d([b("gb-admin-customers")],L);var C=class extends v{constructor(){super(...arguments);this.email="";this.error="";this.message="";this.busy="";this.confirmCancel=""}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await w(()=>m.subscriptions.getCustomer({email:this.email}))}catch(t){this.error=h(t).rawMessage}}async act(t,a,r){this.busy=t,this.message="";try{await w(a),await this.load(),this.message=r,this.confirmCancel=""}catch(s){let i=h(s);this.message=i.reason?`${i.rawMessage} (${i.reason})`:i.rawMessage}finally{this.busy=""}}render(){this.announce(this.email);let t=this.answer;if(!t)return o`<h1>${this.email}</h1>
        ${this.error?o`<p role="alert" class="error">${this.error}</p>`:o`<p aria-live="polite">${e("working")}</p>`}`;let a=M(2),r=t.customer;return o`<h1>${r?.name||this.email}</h1>
      <dl class="facts">
        <dt>${e("email")}</dt><dd>${r?.email}</dd>
        <dt>${e("taxId")}</dt><dd>${r?.taxId||"—"}</dd>
      </dl>
      ${this.message?o`<p role="status" class="notice">${this.message}</p>`:l}
      ${a?l:o`<p class="muted">${e("readOnly")}</p>`}
      <h2>${e("subscriptions")}</h2>
      ${t.subscriptions.map(s=>o`<section class="card" aria-label=${s.subscriptionId}>
          <dl class="facts">
            <dt>${e("subscription")}</dt><dd>${s.subscriptionId}</dd>
            <dt>${e("plan")}</dt><dd>${f(`plan${s.plan}`)} · ${y(s.price)}</dd>
            <dt>${e("status")}</dt><dd class="sub-status">${f(`st${s.status}`)}${s.statusReason?` · ${s.statusReason}`:""}</dd>
            <dt>${e("tokens")}</dt><dd>${$(s.tokensUsed,p)} / ${$(s.tokenLimit,p)}</dd>
            <dt>${e("created")}</dt><dd>${g(s.createdAt)}</dd>
            ${s.podId?o`<dt>Pod</dt><dd><a href=${`/admin/pods/${s.podId}`}>${s.podId}</a></dd>`:l}
          </dl>
          ${a&&!me.includes(s.status)?o`<div class="actions">
                <button type="button" ?disabled=${!!this.busy}
                  @click=${()=>{this.act("revoke",()=>m.subscriptions.revokeApiKey({subscriptionId:s.subscriptionId,reason:"revoked from the console"}),e("keyRevoked"))}}>${e("revokeKey")}</button>
                <button type="button" class="danger" ?disabled=${!!this.busy} @click=${()=>this.confirmCancel=s.subscriptionId}>${e("cancelSub")}</button>
                ${this.confirmCancel===s.subscriptionId?o`<div class="confirm" role="group" aria-label=${e("cancelSub")}>
                      <p>${e("cancelConfirm")}</p>
                      <button type="button" class="danger" ?disabled=${!!this.busy}
                        @click=${()=>{this.act("cancel",()=>m.subscriptions.cancelSubscription({subscriptionId:s.subscriptionId,reason:"cancelled from the console",idempotencyKey:crypto.randomUUID()}),e("subCancelled"))}}>${e("cancelYes")}</button>
                      <button type="button" @click=${()=>this.confirmCancel=""}>${e("cancel")}</button>
                    </div>`:l}
              </div>`:l}
        </section>`)}
      <h2>${e("payments")}</h2>
      ${t.payments.length?o`<div class="scroll"><table>
            <caption class="visually-hidden">${e("payments")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("amount")}</th><th scope="col">${e("status")}</th><th scope="col"><span class="visually-hidden">${e("actionsLabel")}</span></th></tr></thead>
            <tbody>${t.payments.map(s=>o`<tr><td>${g(s.createdAt)}</td><td>${y(s.amount)}</td><td>${s.status>=1&&s.status<=9?e(`pay${s.status}`):""}</td>
                <td>${a&&s.status===4?o`<button type="button" ?disabled=${!!this.busy}
                      @click=${()=>{this.act("receipt",()=>m.subscriptions.resendReceipt({target:{case:"paymentId",value:s.paymentId},idempotencyKey:crypto.randomUUID()}),e("receiptSent"))}}>${e("resendReceipt")}</button>`:l}</td></tr>`)}</tbody></table></div>`:o`<p>${e("noPayments")}</p>`}`}};d([E()],C.prototype,"email",2),d([c()],C.prototype,"answer",2),d([c()],C.prototype,"error",2),d([c()],C.prototype,"message",2),d([c()],C.prototype,"busy",2),d([c()],C.prototype,"confirmCancel",2),C=d([b("gb-admin-customer")],C);function he(n){return n>=1&&n<=6?e(`kind${n}`):""}var $e=3e4,N=class extends v{constructor(){super(...arguments);this.error="";this.chart=new H}connectedCallback(){super.connectedCallback(),this.load(),this.timer=window.setInterval(()=>{this.load()},$e)}disconnectedCallback(){window.clearInterval(this.timer),this.chart.destroy(),super.disconnectedCallback()}async load(){try{this.data=await w(()=>m.subscriptions.getDashboard({})),this.error=""}catch(t){this.error=h(t).rawMessage}}updated(t){if(!t.has("data")||!this.data)return;let a=this.data.revenue?.monthly??[];this.chart.draw(this.querySelector("#revenue-chart"),a.map(r=>Date.UTC(r.year,r.month-1,1)/1e3),[{label:e("revenueChart"),values:a.map(r=>Number(r.amount?.amountMinor??0n)),color:"#0b5cad"}],r=>O(r,"USD",p))}render(){this.announce(e("dashboard"));let t=this.data;if(!t)return o`<h1>${e("dashboard")}</h1>
        ${this.error?o`<p role="alert" class="error">${this.error}</p>`:o`<p aria-live="polite">${e("working")}</p>`}`;let a=t.revenue,r=a?.growthDefined?`${(Number(a.growthBasisPoints)/100).toLocaleString(p==="es"?"es-EC":"en-US")} %`:e("growthUndefined"),s=(i,I,R)=>o`<div class="figure"><dt id=${`f-${R}`}>${i}</dt><dd aria-labelledby=${`f-${R}`} data-figure=${R}>${I}</dd></div>`;return o`<h1>${e("dashboard")}</h1>
      ${this.error?o`<p role="alert" class="error">${this.error}</p>`:l}
      <p class="muted" aria-live="polite">${e("updated",{time:g(t.generatedAt)})}</p>
      <dl class="figures">
        ${s(e("podsRunning"),$(t.pods?.running??0n,p),"pods-running")}
        ${s(e("podsProvisioning"),$(t.pods?.provisioning??0n,p),"pods-provisioning")}
        ${s(e("podsFailed"),$(t.pods?.failed??0n,p),"pods-failed")}
        ${s(e("podsTotal"),$(t.pods?.total??0n,p),"pods-total")}
        ${s(e("revenueMonth"),y(a?.currentMonth),"revenue-month")}
        ${s(e("revenuePrevious"),y(a?.previousMonth),"revenue-previous")}
        ${s(e("growth"),r,"growth")}
        ${s(e("payments"),$(a?.paymentCount??0n,p),"payments")}
        ${s(e("customersActive"),$(t.customers?.active??0n,p),"customers-active")}
        ${s(e("customersNew"),$(t.customers?.newLast7Days??0n,p),"customers-new")}
      </dl>
      <h2>${e("revenueChart")}</h2>
      <div id="revenue-chart" class="chart"></div>
      <table>
        <caption class="visually-hidden">${e("revenueChart")}</caption>
        <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("amount")}</th></tr></thead>
        <tbody>${(a?.monthly??[]).map(i=>o`<tr><td>${i.year}-${String(i.month).padStart(2,"0")}</td><td>${y(i.amount)}</td></tr>`)}</tbody>
      </table>
      <h2>${e("plansTitle")}</h2>
      <ul class="plain">${t.planCounts.map(i=>o`<li>${f(`plan${i.plan}`)}: <strong>${$(i.count,p)}</strong></li>`)}</ul>
      <h2>${e("alerts")}</h2>
      ${t.alerts.length?o`<ul class="plain">${t.alerts.map(i=>o`<li class=${i.severity>=2?"warning":""}>${g(i.occurredAt)} · ${i.message}
            ${i.podId?o` · <a href=${`/admin/pods/${i.podId}`}>${i.podId}</a>`:l}</li>`)}</ul>`:o`<p>${e("noAlerts")}</p>`}
      <h2>${e("activity")}</h2>
      ${t.activity.length?o`<div class="scroll"><table>
            <caption class="visually-hidden">${e("activity")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("what")}</th><th scope="col">${e("who")}</th><th scope="col">${e("amount")}</th></tr></thead>
            <tbody>${t.activity.map(i=>o`<tr><td>${g(i.occurredAt)}</td><td>${he(i.kind)}
                ${i.podId?o` · <a href=${`/admin/pods/${i.podId}`}>${i.podId}</a>`:l}</td>
                <td>${i.customerEmail}</td><td>${i.amount?y(i.amount):""}</td></tr>`)}</tbody></table></div>`:o`<p>${e("noActivity")}</p>`}`}};d([c()],N.prototype,"data",2),d([c()],N.prototype,"error",2),N=d([b("gb-admin-dashboard")],N);var x=class extends v{constructor(){super(...arguments);this.next="/admin/";this.error="";this.busy=!1}async submit(t){t.preventDefault();let a=new FormData(t.target);this.busy=!0,this.error="";try{await oe(String(a.get("email")??"").trim(),String(a.get("password")??"")),history.replaceState(null,"","/admin/login"),S(this.next)}catch(r){this.error=h(r).rawMessage,this.busy=!1,await this.updateComplete,this.querySelector("#login-error")?.focus()}}render(){return o`<h1>${e("signInTitle")}</h1>
      <form @submit=${this.submit}>
        ${this.error?o`<p class="error" role="alert" id="login-error" tabindex="-1">${this.error}</p>`:l}
        <div class="field">
          <label for="admin-email">${e("email")}</label>
          <input id="admin-email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="admin-password">${e("password")}</label>
          <input id="admin-password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy?e("working"):e("signIn")}</button>
      </form>`}};d([E()],x.prototype,"next",2),d([c()],x.prototype,"error",2),d([c()],x.prototype,"busy",2),x=d([b("gb-admin-login")],x);var ye=25,fe=[1,2,3,4,5,6,7],ge=[1,2,3,4,5],q=class extends v{constructor(){super(...arguments);this.error="";this.query=new URLSearchParams(location.search)}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await w(()=>m.pods.listPods({pageSize:ye,pageToken:this.query.get("page")??"",status:Number(this.query.get("status")??0),plan:Number(this.query.get("plan")??0),customerEmail:this.query.get("customer")??"",includeDestroyed:this.query.get("destroyed")==="1"})),this.error=""}catch(t){this.error=h(t).rawMessage}}filter(t){t.preventDefault();let a=new FormData(t.target),r=new URLSearchParams;for(let s of["status","plan","customer","destroyed"]){let i=String(a.get(s)??"").trim();i&&i!=="0"&&r.set(s,i)}S(`/admin/pods${r.size?`?${r}`:""}`)}pageHref(t){let a=new URLSearchParams(this.query);return t?a.set("page",t):a.delete("page"),`/admin/pods${a.size?`?${a}`:""}`}render(){this.announce(e("pods"));let t=this.query,a=this.answer;return o`<h1>${e("pods")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-status">${e("status")}</label>
          <select id="f-status" name="status">
            <option value="0">${e("anyStatus")}</option>
            ${fe.map(r=>o`<option value=${r} ?selected=${t.get("status")===String(r)}>${f(`ps${r}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-plan">${e("plan")}</label>
          <select id="f-plan" name="plan">
            <option value="0">${e("anyPlan")}</option>
            ${ge.map(r=>o`<option value=${r} ?selected=${t.get("plan")===String(r)}>${f(`plan${r}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-customer">${e("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${t.get("customer")??""} /></div>
        <div class="check"><input id="f-destroyed" name="destroyed" type="checkbox" value="1" ?checked=${t.get("destroyed")==="1"} />
          <label for="f-destroyed">${e("withDestroyed")}</label></div>
        <button type="submit">${e("filter")}</button>
      </form>
      ${this.error?o`<p role="alert" class="error">${this.error}</p>`:l}
      ${a?a.pods.length===0?o`<p>${e("noPods")}</p>`:o`<p class="muted">${e("shown",{n:a.pods.length,total:$(a.totalSize,p)})}</p>
              <div class="scroll"><table>
                <caption class="visually-hidden">${e("pods")}</caption>
                <thead><tr><th scope="col">Pod</th><th scope="col">${e("status")}</th><th scope="col">${e("plan")}</th>
                  <th scope="col">${e("customer")}</th><th scope="col">${e("created")}</th></tr></thead>
                <tbody>${a.pods.map(r=>o`<tr><td><a href=${`/admin/pods/${r.podId}`}>${r.podId}</a></td>
                    <td class="pod-status" data-status=${r.status}>${f(`ps${r.status}`)}</td>
                    <td>${f(`plan${r.plan}`)}</td><td>${r.customerEmail}</td><td>${g(r.createdAt)}</td></tr>`)}</tbody></table></div>
              <p class="actions">
                ${t.get("page")?o`<a class="button" href=${this.pageHref("")}>${e("first")}</a>`:l}
                ${a.nextPageToken?o`<a class="button" href=${this.pageHref(a.nextPageToken)}>${e("next")}</a>`:l}
              </p>`:o`<p aria-live="polite">${e("working")}</p>`}`}};d([c()],q.prototype,"answer",2),d([c()],q.prototype,"error",2),q=d([b("gb-admin-pods")],q);var ie={hour:3600n,day:86400n,week:604800n},k=class extends v{constructor(){super(...arguments);this.podId="";this.window="hour";this.error="";this.message="";this.busy="";this.confirming=!1;this.typed="";this.chart=new H}connectedCallback(){super.connectedCallback(),this.watch(),this.loadMetrics()}disconnectedCallback(){this.abort?.abort(),this.chart.destroy(),super.disconnectedCallback()}async watch(){this.abort=new AbortController;let t=this.abort.signal;for(let a=0;!t.aborted;a++){try{let r=await w(async()=>m.pods.watchPod({podId:this.podId},{signal:t}));for await(let s of r)this.pod=s.pod,a=0}catch(r){if(t.aborted)return;let s=h(r);if([T.NotFound,T.PermissionDenied,T.Unauthenticated].includes(s.code)){this.error=s.rawMessage;return}}await new Promise(r=>setTimeout(r,B(a)))}}async loadMetrics(){try{let t=ie[this.window];this.metrics=await w(()=>m.pods.getPodMetrics({podId:this.podId,window:{seconds:t,nanos:0},step:{seconds:t/60n<60n?60n:t/60n,nanos:0}}))}catch(t){this.message=h(t).rawMessage}}updated(t){if(!t.has("metrics")||!this.metrics)return;let a=this.metrics;this.chart.draw(this.querySelector("#metrics-chart"),a.cpu.map(r=>Number(r.at?.seconds??0n)),[{label:e("cpu"),values:a.cpu.map(r=>r.percent),color:"#0b5cad"},{label:e("memory"),values:a.memory.map(r=>r.percent),color:"#1d6b32"}],r=>`${r} %`)}async act(t,a=""){this.busy=t,this.message="";let r=crypto.randomUUID();try{let s=await w(()=>t==="start"?m.pods.startPod({podId:this.podId,idempotencyKey:r}):t==="stop"?m.pods.stopPod({podId:this.podId,reason:a,idempotencyKey:r}):m.pods.destroyPod({podId:this.podId,reason:a,idempotencyKey:r}));s.pod&&(this.pod=s.pod),this.message=e("done",{status:f(`ps${s.pod?.status??0}`)}),this.confirming=!1}catch(s){let i=h(s);this.message=i.reason?`${i.rawMessage} (${i.reason})`:i.rawMessage}finally{this.busy=""}}destroy(t){t.preventDefault();let a=new FormData(t.target);this.act("destroy",String(a.get("reason")??"").trim())}render(){this.announce(e("pod",{id:this.podId}));let t=this.pod;if(!t)return o`<h1>${e("pod",{id:this.podId})}</h1>
        ${this.error?o`<p role="alert" class="error">${this.error}</p>`:o`<p aria-live="polite">${e("working")}</p>`}`;let a=this.metrics,r=M(2),s=t.status===7;return o`<h1>${e("pod",{id:t.podId})}</h1>
      <dl class="facts">
        <dt>${e("status")}</dt><dd><strong class="pod-status" data-status=${t.status} aria-live="polite">${f(`ps${t.status}`)}</strong></dd>
        ${t.statusReason?o`<dt>${e("reason")}</dt><dd>${t.statusReason}</dd>`:l}
        <dt>${e("customer")}</dt><dd>${t.customerEmail}</dd>
        <dt>${e("plan")}</dt><dd>${f(`plan${t.plan}`)}</dd>
        <dt>${e("subscription")}</dt><dd>${t.subscriptionId} · ${f(`st${t.subscriptionStatus}`)}</dd>
        <dt>${e("address")}</dt><dd class="pod-url">${t.podUrl||"—"}</dd>
        <dt>${e("created")}</dt><dd>${g(t.createdAt)}</dd>
        <dt>${e("started")}</dt><dd>${g(t.startedAt)}</dd>
        <dt>${e("stopped")}</dt><dd>${g(t.stoppedAt)}</dd>
        ${a?o`<dt>${e("uptime")}</dt><dd>${$(a.uptime?.seconds??0n,p)} s</dd>
              <dt>${e("costSoFar")}</dt><dd>${y(a.costSoFar)}</dd>
              <dt>${e("monthlyCost")}</dt><dd>${y(a.monthlyCostEstimate)}</dd>`:l}
      </dl>
      ${this.message?o`<p role="status" class="notice">${this.message}</p>`:l}
      ${r?s?l:o`<div class="actions">
              <button type="button" ?disabled=${!!this.busy} @click=${()=>{this.act("start")}}>${this.busy==="start"?e("working"):e("start")}</button>
              <button type="button" ?disabled=${!!this.busy} @click=${()=>{this.act("stop")}}>${this.busy==="stop"?e("working"):e("stop")}</button>
              <button type="button" class="danger" ?disabled=${!!this.busy} @click=${()=>this.confirming=!0}>${e("destroy")}</button>
              ${this.confirming?o`<form class="confirm" @submit=${this.destroy}>
                    <p>${e("destroyConfirm",{id:t.podId})}</p>
                    <div class="field"><label for="confirm-id">${e("confirmId")}</label>
                      <input id="confirm-id" autocomplete="off" @input=${i=>this.typed=i.target.value.trim()} /></div>
                    <div class="field"><label for="destroy-reason">${e("destroyReason")}</label>
                      <input id="destroy-reason" name="reason" required /></div>
                    <button type="submit" class="danger" ?disabled=${this.typed!==t.podId||!!this.busy}>${this.busy==="destroy"?e("working"):e("confirmDestroy")}</button>
                    <button type="button" @click=${()=>this.confirming=!1}>${e("cancel")}</button>
                  </form>`:l}
            </div>`:o`<p class="muted">${e("readOnly")}</p>`}
      <h2>${e("cpu")} · ${e("memory")}</h2>
      <div class="field"><label for="window">${e("window")}</label>
        <select id="window" @change=${i=>{this.window=i.target.value,this.loadMetrics()}}>${Object.keys(ie).map(i=>o`<option value=${i} ?selected=${i===this.window}>${e(i)}</option>`)}</select></div>
      <div id="metrics-chart" class="chart"></div>
      ${a&&a.cpu.length?o`<div class="scroll"><table>
            <caption class="visually-hidden">${e("cpu")} · ${e("memory")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("cpu")}</th><th scope="col">${e("memory")}</th></tr></thead>
            <tbody>${a.cpu.map((i,I)=>o`<tr><td>${g(i.at)}</td><td>${i.percent.toFixed(1)}</td><td>${a.memory[I]?.percent.toFixed(1)??""}</td></tr>`)}</tbody>
          </table></div>`:l}`}};d([E()],k.prototype,"podId",2),d([c()],k.prototype,"pod",2),d([c()],k.prototype,"metrics",2),d([c()],k.prototype,"window",2),d([c()],k.prototype,"error",2),d([c()],k.prototype,"message",2),d([c()],k.prototype,"busy",2),d([c()],k.prototype,"confirming",2),d([c()],k.prototype,"typed",2),k=d([b("gb-admin-pod")],k);function be(n){try{return decodeURIComponent(n)}catch{return n}}function ve(n){if(n==="/admin"||n==="/admin/")return{page:o`<gb-admin-dashboard></gb-admin-dashboard>`,nav:"/admin/"};if(n==="/admin/pods")return{page:o`<gb-admin-pods></gb-admin-pods>`,nav:"/admin/pods"};if(n==="/admin/customers")return{page:o`<gb-admin-customers></gb-admin-customers>`,nav:"/admin/customers"};let u=n.match(/^\/admin\/customers\/([^/]+)$/);if(u)return{page:o`<gb-admin-customer .email=${be(u[1])}></gb-admin-customer>`,nav:"/admin/customers"};if(n==="/admin/billing")return{page:o`<gb-admin-billing></gb-admin-billing>`,nav:"/admin/billing"};let t=n.match(/^\/admin\/billing\/([A-Za-z0-9_-]+)$/);if(t)return{page:o`<gb-admin-transaction .transactionId=${t[1]}></gb-admin-transaction>`,nav:"/admin/billing"};let a=n.match(/^\/admin\/pods\/([A-Za-z0-9_-]+)$/);if(a)return{page:o`<gb-admin-pod .podId=${a[1]}></gb-admin-pod>`,nav:"/admin/pods"}}var F=class extends v{constructor(){super(...arguments);this.ready=!1;this.rerender=()=>{this.ready=!1,this.check()};this.follow=t=>{let a=t.target.closest("a"),r=a?.getAttribute("href");!r||!r.startsWith("/admin")||t.ctrlKey||t.metaKey||t.shiftKey||a?.target||(t.preventDefault(),S(r))}}connectedCallback(){super.connectedCallback(),window.addEventListener("popstate",this.rerender),window.addEventListener("gb-navigate",this.rerender),window.addEventListener("pageshow",t=>t.persisted&&location.reload()),this.addEventListener("click",this.follow),this.check()}disconnectedCallback(){window.removeEventListener("popstate",this.rerender),window.removeEventListener("gb-navigate",this.rerender),super.disconnectedCallback()}async check(){if(location.pathname==="/admin/login"){this.ready=!0;return}await ae()?this.ready=!0:Z()}render(){let t=location.pathname;if(t==="/admin/login")return this.announce(e("signInTitle")),o`<a class="skip" href="#main">${D("skip")}</a>
        <header><span class="brand">${D("brand")} · ${e("console")}</span></header>
        <main id="main" tabindex="-1"><gb-admin-login .next=${Q(new URLSearchParams(location.search).get("next"))}></gb-admin-login></main>`;if(!this.ready)return o`<main id="main"><p aria-live="polite">${e("working")}</p></main>`;let a=ve(t),r=s=>a?.nav===s?"page":"false";return o`<a class="skip" href="#main">${D("skip")}</a>
      <header>
        <a class="brand" href="/admin/">${D("brand")} · ${e("console")}</a>
        <nav aria-label=${e("navLabel")}>
          <a href="/admin/" aria-current=${r("/admin/")}>${e("dashboard")}</a>
          <a href="/admin/pods" aria-current=${r("/admin/pods")}>${e("pods")}</a>
          <a href="/admin/customers" aria-current=${r("/admin/customers")}>${e("customers")}</a>
          <a href="/admin/billing" aria-current=${r("/admin/billing")}>${e("billing")}</a>
        </nav>
        <span class="who">${W()?.email??""}</span>
        <button type="button" class="lang" @click=${()=>{re()}}>${e("signOut")}</button>
      </header>
      <main id="main" tabindex="-1">${a?a.page:o`<h1>${D("notFound")}</h1><p><a href="/admin/">${e("dashboard")}</a></p>`}</main>`}};d([c()],F.prototype,"ready",2),F=d([b("gb-admin")],F);export{F as AdminShell};
