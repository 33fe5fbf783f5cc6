import{C as q,D as ie,E as V,H as g,a as n,b as r,c as l,d as y,e as D,f as c,g as v,l as h,m as K,q as se,v as re,w as ae,x as p,y as N,z as w}from"./chunk-NMFWDYW7.js";function M(a){history.pushState(null,"",a),window.dispatchEvent(new CustomEvent("gb-navigate"))}var ge={console:"Consola",signInTitle:"Ingreso de operadores",email:"Correo electrónico",password:"Contraseña",signIn:"Ingresar",signOut:"Salir",working:"Un momento…",dashboard:"Panel",pods:"Pods",audit:"Auditoría",navLabel:"Consola",podsRunning:"Pods en ejecución",podsProvisioning:"Aprovisionando",podsFailed:"Pods fallidos",podsTotal:"Pods en total",revenueMonth:"Ingresos de este mes",revenuePrevious:"Mes anterior",growth:"Variación",growthUndefined:"sin mes anterior",payments:"Pagos",customersActive:"Clientes activos",customersNew:"Nuevos (7 días)",plansTitle:"Suscripciones por plan",revenueChart:"Ingresos por mes",activity:"Actividad reciente",alerts:"Alertas",noAlerts:"Sin alertas.",noActivity:"Sin actividad todavía.",updated:"Actualizado {time}",when:"Cuándo",what:"Qué",who:"Cliente",amount:"Monto",kind1:"Registro",kind2:"Pago",kind3:"Pod iniciado",kind4:"Pod detenido",kind5:"Cancelación",kind6:"Reembolso",status:"Estado",plan:"Plan",customer:"Cliente",anyStatus:"Cualquier estado",anyPlan:"Cualquier plan",filter:"Filtrar",withDestroyed:"Incluir eliminados",next:"Siguientes",first:"Primeros",shown:"{n} de {total}",noPods:"Ningún pod coincide.",pod:"Pod {id}",subscription:"Suscripción",address:"Dirección",created:"Creado",started:"Iniciado",stopped:"Detenido",reason:"Motivo",uptime:"Tiempo activo",costSoFar:"Costo hasta ahora",monthlyCost:"Costo mensual estimado",cpu:"CPU %",memory:"Memoria %",window:"Ventana",hour:"1 hora",day:"24 horas",week:"7 días",start:"Iniciar",stop:"Detener",destroy:"Destruir",destroyConfirm:"Destruir borra la tarea del pod y su token para siempre. Escribe {id} para confirmar.",destroyReason:"Motivo (queda en la auditoría)",confirmId:"Id del pod",confirmDestroy:"Destruir definitivamente",cancel:"Volver",done:"Hecho: {status}.",actor:"Actor",action:"Acción",target:"Objeto",chainOk:"Cadena de auditoría verificada: {n} entradas, ninguna alterada.",chainBroken:"¡Cadena de auditoría rota en la entrada {n}! {problem}",noEntries:"Sin entradas.",readOnly:"Solo lectura: tu rol no permite acciones.",customers:"Clientes",searchCustomers:"Correo, nombre o RUC/cédula",search:"Buscar",noCustomers:"Ningún cliente coincide.",name:"Nombre",taxId:"RUC/Cédula",subscriptions:"Suscripciones",tokens:"Tokens",revokeKey:"Revocar clave",keyRevoked:"Clave revocada; el cliente recibió un enlace para obtener otra.",cancelSub:"Cancelar suscripción",cancelConfirm:"Cancelar detiene y elimina su pod al final del proceso. ¿Seguro?",cancelYes:"Sí, cancelar",subCancelled:"Suscripción cancelada.",resendReceipt:"Reenviar recibo",receiptSent:"Recibo reenviado.",noPayments:"Sin pagos.",actionsLabel:"Acciones",budgets:"Presupuestos y agentes",show:"Ver",limit:"Límite",committed:"Usados",held:"Retenidos",remaining:"Quedan",period:"Período",setBudget:"Cambiar el presupuesto",newLimit:"Nuevo límite de tokens",resetPeriod:"Empezar un período nuevo",budgetSet:"Presupuesto cambiado: {limit} tokens.",usage:"Consumo",model:"Modelo",tokensIn:"Entrada",tokensOut:"Salida",tokensCached:"En caché",noUsage:"Sin consumo en este período.",decisions:"Decisiones por revisar",noDecisions:"Ninguna decisión espera revisión.",reasoning:"Razonamiento",recommended:"Acción recomendada",estimate:"Estimación",expires:"Vence",comment:"Comentario",approve:"Aprobar",reject:"Rechazar",approved:"Aprobada: {title}.",rejected:"Rechazada: {title}.",actorId:"Id del actor",outcome:"Resultado",ok:"Hecho",refused:"Rechazado",settings:"Usuarios y modo",superOnly:"Solo un super administrador crea usuarios y cambia el modo.",newAdmin:"Nuevo usuario de la consola",role:"Rol",role1:"Lector",role2:"Administrador",role3:"Super administrador",passwordHelp:"Al menos 12 caracteres.",createAdmin:"Crear usuario",userCreated:"Usuario {email} creado como {role}.",mode:"Modo de pagos",modeHelp:"Sandbox usa PayPal de pruebas; en vivo cobra dinero real.",toSandbox:"Pasar a sandbox",toLive:"Pasar a en vivo",liveConsequence:"En vivo, PayPal cobra dinero real a los clientes desde el próximo pago. ¿Seguro?",liveYes:"Sí, cobrar dinero real",modeNow:"Modo actual: {mode}.",live:"en vivo",sandbox:"sandbox",costs:"Costos",periodChoice:"Período",days7:"Últimos 7 días",days30:"Últimos 30 días",days90:"Últimos 90 días",computeCost:"Fargate (cómputo)",otherCosts:"Otros costos",totalCosts:"Costos totales",revenue:"Ingresos",profit:"Ganancia",margin:"Margen",activePods:"Pods activos",podHours:"Horas de pod",perPod:"Un pod",billing:"Facturación",kind:"Tipo",anyKind:"Cualquier tipo",tk1:"Cobro",tk2:"Reembolso",tk3:"Reversión",ts1:"Pendiente",ts2:"Completada",ts3:"Fallida",pay1:"Creado",pay2:"Aprobado",pay3:"Pendiente",pay4:"Completado",pay5:"Rechazado",pay6:"Fallido",pay7:"Reembolsado en parte",pay8:"Reembolsado",pay9:"Revertido",noTransactions:"Ninguna transacción coincide.",transaction:"Transacción",payment:"Pago",refundedSoFar:"Reembolsado",refund:"Reembolsar",refundAmount:"Monto a reembolsar (USD)",refundAmountHelp:"Vacío: todo lo que queda por reembolsar.",badAmount:"Escribe un monto positivo con hasta 2 decimales, p. ej. 5.00.",refunded:"Reembolso de {amount} hecho; el pago queda {status}."},fe={console:"Console",signInTitle:"Operator sign-in",email:"Email",password:"Password",signIn:"Sign in",signOut:"Sign out",working:"One moment…",dashboard:"Dashboard",pods:"Pods",audit:"Audit log",navLabel:"Console",podsRunning:"Pods running",podsProvisioning:"Provisioning",podsFailed:"Pods failed",podsTotal:"Pods in total",revenueMonth:"Revenue this month",revenuePrevious:"Previous month",growth:"Change",growthUndefined:"no previous month",payments:"Payments",customersActive:"Active customers",customersNew:"New (7 days)",plansTitle:"Subscriptions by plan",revenueChart:"Revenue by month",activity:"Recent activity",alerts:"Alerts",noAlerts:"No alerts.",noActivity:"No activity yet.",updated:"Updated {time}",when:"When",what:"What",who:"Customer",amount:"Amount",kind1:"Sign-up",kind2:"Payment",kind3:"Pod started",kind4:"Pod stopped",kind5:"Cancellation",kind6:"Refund",status:"Status",plan:"Plan",customer:"Customer",anyStatus:"Any status",anyPlan:"Any plan",filter:"Filter",withDestroyed:"Include destroyed",next:"Next",first:"First",shown:"{n} of {total}",noPods:"No pod matches.",pod:"Pod {id}",subscription:"Subscription",address:"Address",created:"Created",started:"Started",stopped:"Stopped",reason:"Reason",uptime:"Uptime",costSoFar:"Cost so far",monthlyCost:"Estimated monthly cost",cpu:"CPU %",memory:"Memory %",window:"Window",hour:"1 hour",day:"24 hours",week:"7 days",start:"Start",stop:"Stop",destroy:"Destroy",destroyConfirm:"Destroy deletes the pod's task and its token for good. Type {id} to confirm.",destroyReason:"Reason (kept in the audit log)",confirmId:"Pod id",confirmDestroy:"Destroy for good",cancel:"Back",done:"Done: {status}.",actor:"Actor",action:"Action",target:"Target",chainOk:"Audit chain verified: {n} entries, none altered.",chainBroken:"Audit chain broken at entry {n}! {problem}",noEntries:"No entries.",readOnly:"Read-only: your role allows no actions.",customers:"Customers",searchCustomers:"Email, name or tax id",search:"Search",noCustomers:"No customer matches.",name:"Name",taxId:"Tax id",subscriptions:"Subscriptions",tokens:"Tokens",revokeKey:"Revoke key",keyRevoked:"Key revoked; the customer was emailed a link to get another.",cancelSub:"Cancel subscription",cancelConfirm:"Cancelling stops and removes their pod. Sure?",cancelYes:"Yes, cancel",subCancelled:"Subscription cancelled.",resendReceipt:"Resend receipt",receiptSent:"Receipt sent again.",noPayments:"No payments.",actionsLabel:"Actions",budgets:"Budgets and agents",show:"Show",limit:"Limit",committed:"Used",held:"Held",remaining:"Left",period:"Period",setBudget:"Change the budget",newLimit:"New token limit",resetPeriod:"Start a new period",budgetSet:"Budget changed: {limit} tokens.",usage:"Usage",model:"Model",tokensIn:"In",tokensOut:"Out",tokensCached:"Cached",noUsage:"No usage this period.",decisions:"Decisions to review",noDecisions:"No decision waits for review.",reasoning:"Reasoning",recommended:"Recommended action",estimate:"Estimate",expires:"Expires",comment:"Comment",approve:"Approve",reject:"Reject",approved:"Approved: {title}.",rejected:"Rejected: {title}.",actorId:"Actor id",outcome:"Outcome",ok:"Done",refused:"Refused",settings:"Users and mode",superOnly:"Only a super admin creates users and switches the mode.",newAdmin:"New console user",role:"Role",role1:"Viewer",role2:"Admin",role3:"Super admin",passwordHelp:"At least 12 characters.",createAdmin:"Create user",userCreated:"User {email} created as {role}.",mode:"Payments mode",modeHelp:"Sandbox uses PayPal's test system; live charges real money.",toSandbox:"Switch to sandbox",toLive:"Switch to live",liveConsequence:"Live: PayPal charges customers real money from the next payment on. Sure?",liveYes:"Yes, charge real money",modeNow:"Mode now: {mode}.",live:"live",sandbox:"sandbox",costs:"Costs",periodChoice:"Period",days7:"Last 7 days",days30:"Last 30 days",days90:"Last 90 days",computeCost:"Fargate (compute)",otherCosts:"Other costs",totalCosts:"Total costs",revenue:"Revenue",profit:"Profit",margin:"Margin",activePods:"Active pods",podHours:"Pod hours",perPod:"One pod",billing:"Billing",kind:"Kind",anyKind:"Any kind",tk1:"Capture",tk2:"Refund",tk3:"Reversal",ts1:"Pending",ts2:"Completed",ts3:"Failed",pay1:"Created",pay2:"Approved",pay3:"Pending",pay4:"Completed",pay5:"Denied",pay6:"Failed",pay7:"Partly refunded",pay8:"Refunded",pay9:"Reversed",noTransactions:"No transaction matches.",transaction:"Transaction",payment:"Payment",refundedSoFar:"Refunded",refund:"Refund",refundAmount:"Amount to refund (USD)",refundAmountHelp:"Empty: everything not refunded yet.",badAmount:"Type a positive amount with up to 2 decimals, e.g. 5.00.",refunded:"Refunded {amount}; the payment is now {status}."};function e(a,u={}){return(p==="en"?fe:ge)[a].replace(/\{(\w+)\}/g,(s,o)=>String(u[o]??""))}var z="gpubroker.admin.refresh",J="gpubroker.admin.who",G,Z,Y,m=ie({baseUrl:location.origin,token:()=>G});function W(){try{return JSON.parse(sessionStorage.getItem(J)??"null")??void 0}catch{return}}function P(a){return(W()?.role??0)>=a}function ne(a,u){G=a.accessToken,sessionStorage.setItem(z,a.refreshToken),sessionStorage.setItem(J,JSON.stringify({email:u,role:a.role}));let t=Number(a.expiresIn?.seconds??0n);window.clearTimeout(Z),Z=window.setTimeout(()=>{Q()},Math.max(5,Math.min(t-60,t/2))*1e3)}async function de(a,u){let t=await m.auth.login({email:a,password:u});ne(t,t.user?.email||a)}function Q(){return Y??=(async()=>{let a=sessionStorage.getItem(z);if(!a)return!1;try{return ne(await m.auth.refresh({refreshToken:a}),W()?.email??""),!0}catch{return pe(),!1}})().finally(()=>{Y=void 0}),Y}async function ce(){return G!==void 0||Q()}async function $(a){try{return await a()}catch(u){if(g(u).code!==q.Unauthenticated)throw u;if(await Q())return a();throw X(),u}}async function le(){let a=sessionStorage.getItem(z);if(pe(),a)try{await m.auth.logout({refreshToken:a})}catch{}location.replace("/admin/login")}function pe(){G=void 0,window.clearTimeout(Z),sessionStorage.removeItem(z),sessionStorage.removeItem(J)}function X(){let a=location.pathname+location.search;location.replace(`/admin/login?next=${encodeURIComponent(a)}`)}function f(a){return a?new Date(Number(a.seconds)*1e3).toLocaleString(p==="es"?"es-EC":"en-US",{dateStyle:"medium",timeStyle:"short"}):"—"}function b(a){return a?K(a.amountMinor,a.currencyCode||"USD",p):"—"}var S=class extends v{constructor(){super(...arguments);this.error="";this.query=new URLSearchParams(location.search);this.filter=t=>{t.preventDefault();let s=new URLSearchParams;for(let[o,i]of new FormData(t.target)){let d=String(i).trim();d&&d!=="0"&&s.set(o,d)}M(`${this.path}${s.size?`?${s}`:""}`)}}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await $(()=>this.fetch()),this.error=""}catch(t){this.error=g(t).rawMessage}}pageHref(t){let s=new URLSearchParams(this.query);return t?s.set("page",t):s.delete("page"),`${this.path}${s.size?`?${s}`:""}`}heading(t,s,o){return this.error?r`<p role="alert" class="error">${this.error}</p>`:this.answer?t===0?r`<p>${o}</p>`:r`<p class="muted">${e("shown",{n:t,total:h(s,p)})}</p>`:r`<p aria-live="polite">${e("working")}</p>`}paging(t){return r`<p class="actions">
      ${this.query.get("page")?r`<a class="button" href=${this.pageHref("")}>${e("first")}</a>`:l}
      ${t?r`<a class="button" href=${this.pageHref(t)}>${e("next")}</a>`:l}
    </p>`}};n([c()],S.prototype,"answer",2),n([c()],S.prototype,"error",2);var be=50,F=class extends S{constructor(){super(...arguments);this.path="/admin/audit";this.chainError=""}connectedCallback(){super.connectedCallback(),this.verify()}async verify(){try{this.chain=await $(()=>m.auth.verifyAuditLog({}))}catch(t){this.chainError=g(t).rawMessage}}fetch(){return m.auth.listAuditLog({pageSize:be,pageToken:this.query.get("page")??"",actorUserId:this.query.get("actor")??"",action:this.query.get("action")??"",newestFirst:!0})}render(){this.announce(e("audit"));let t=this.answer,s=this.chain;return r`<h1>${e("audit")}</h1>
      ${this.chainError?r`<p role="alert" class="error">${this.chainError}</p>`:s?s.intact?r`<p role="status" class="ok chain">${e("chainOk",{n:h(s.rows,p)})}</p>`:r`<p role="alert" class="error chain">${e("chainBroken",{n:String(s.brokenAtSequence),problem:s.problem})}</p>`:l}
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-actor">${e("actorId")}</label>
          <input id="f-actor" name="actor" .value=${this.query.get("actor")??""} autocomplete="off" /></div>
        <div class="field"><label for="f-action">${e("action")}</label>
          <input id="f-action" name="action" .value=${this.query.get("action")??""} autocomplete="off" /></div>
        <button type="submit">${e("filter")}</button>
      </form>
      ${this.heading(t?.entries.length??0,t?.totalSize??0n,e("noEntries"))}
      ${t?.entries.length?r`<div class="scroll"><table>
              <caption class="visually-hidden">${e("audit")}</caption>
              <thead><tr><th scope="col">#</th><th scope="col">${e("when")}</th><th scope="col">${e("actor")}</th><th scope="col">${e("action")}</th>
                <th scope="col">${e("target")}</th><th scope="col">${e("outcome")}</th></tr></thead>
              <tbody>${t.entries.map(o=>r`<tr><td>${o.sequence}</td><td>${f(o.occurredAt)}</td><td>${o.actorEmail||"—"}</td><td class="audit-action">${o.action}</td>
                  <td>${o.resourceType}${o.resourceId?` ${o.resourceId}`:""}</td><td>${o.success?e("ok"):e("refused")}</td></tr>`)}</tbody></table></div>
            ${this.paging(t.nextPageToken)}`:l}`}};n([c()],F.prototype,"chain",2),n([c()],F.prototype,"chainError",2),F=n([y("gb-admin-audit")],F);var ve=25,ee=a=>a>=1&&a<=3?e(`tk${a}`):"",te=a=>a>=1&&a<=3?e(`ts${a}`):"",me=a=>a>=1&&a<=9?e(`pay${a}`):"",_=class extends S{constructor(){super(...arguments);this.path="/admin/billing"}fetch(){return m.payments.listTransactions({pageSize:ve,pageToken:this.query.get("page")??"",kind:Number(this.query.get("kind")??0),status:Number(this.query.get("status")??0),customerEmail:this.query.get("customer")??""})}render(){this.announce(e("billing"));let t=this.query,s=this.answer;return r`<h1>${e("billing")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-kind">${e("kind")}</label>
          <select id="f-kind" name="kind"><option value="0">${e("anyKind")}</option>
            ${[1,2,3].map(o=>r`<option value=${o} ?selected=${t.get("kind")===String(o)}>${ee(o)}</option>`)}</select></div>
        <div class="field"><label for="f-status">${e("status")}</label>
          <select id="f-status" name="status"><option value="0">${e("anyStatus")}</option>
            ${[1,2,3].map(o=>r`<option value=${o} ?selected=${t.get("status")===String(o)}>${te(o)}</option>`)}</select></div>
        <div class="field"><label for="f-customer">${e("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${t.get("customer")??""} /></div>
        <button type="submit">${e("filter")}</button>
      </form>
      ${this.heading(s?.transactions.length??0,s?.totalSize??0n,e("noTransactions"))}
      ${s?.transactions.length?r`<div class="scroll"><table>
              <caption class="visually-hidden">${e("billing")}</caption>
              <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("kind")}</th><th scope="col">${e("status")}</th>
                <th scope="col">${e("amount")}</th><th scope="col">${e("customer")}</th></tr></thead>
              <tbody>${s.transactions.map(o=>r`<tr><td><a href=${`/admin/billing/${o.transactionId}`}>${f(o.createdAt)}</a></td>
                  <td>${ee(o.kind)}</td><td>${te(o.status)}</td><td>${b(o.amount)}</td><td>${o.customerEmail}</td></tr>`)}</tbody></table></div>
            ${this.paging(s.nextPageToken)}`:l}`}};_=n([y("gb-admin-billing")],_);var C=class extends v{constructor(){super(...arguments);this.transactionId="";this.error="";this.message="";this.busy=!1;this.amountError="";this.refundKey=crypto.randomUUID()}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await $(()=>m.payments.getTransaction({transactionId:this.transactionId}))}catch(t){this.error=g(t).rawMessage}}async refund(t){t.preventDefault();let s=this.answer?.payment;if(!s)return;let o=new FormData(t.target),i=String(o.get("amount")??"").trim(),d=i?ae(i):void 0;if(this.amountError=i&&d===void 0?e("badAmount"):"",!this.amountError){this.busy=!0,this.message="";try{let E=await $(()=>m.payments.refundPayment({paymentId:s.paymentId,amount:d===void 0?void 0:{currencyCode:"USD",amountMinor:d},reason:String(o.get("reason")??"").trim(),idempotencyKey:this.refundKey}));this.refundKey=crypto.randomUUID(),this.message=e("refunded",{amount:b(E.refund?.amount),status:me(E.payment?.status??0)}),this.answer&&(this.answer={...this.answer,payment:E.payment}),t.target.reset()}catch(E){let x=g(E);this.message=x.reason?`${x.rawMessage} (${x.reason})`:x.rawMessage}finally{this.busy=!1}}}render(){this.announce(e("transaction"));let t=this.answer?.transaction,s=this.answer?.payment;return t?r`<h1>${e("transaction")}</h1>
      <dl class="facts">
        <dt>${e("kind")}</dt><dd>${ee(t.kind)}</dd>
        <dt>${e("status")}</dt><dd>${te(t.status)}</dd>
        <dt>${e("amount")}</dt><dd>${b(t.amount)}</dd>
        <dt>${e("customer")}</dt><dd>${t.customerName?`${t.customerName} · `:""}${t.customerEmail}</dd>
        <dt>${e("when")}</dt><dd>${f(t.createdAt)}</dd>
        <dt>PayPal</dt><dd>${t.providerReference||"—"}</dd>
        ${t.reason?r`<dt>${e("reason")}</dt><dd>${t.reason}</dd>`:l}
      </dl>
      ${s?r`<h2>${e("payment")}</h2>
            <dl class="facts">
              <dt>${e("status")}</dt><dd class="payment-status">${me(s.status)}</dd>
              <dt>${e("amount")}</dt><dd>${b(s.amount)}</dd>
              <dt>${e("refundedSoFar")}</dt><dd class="refunded">${b(s.refundedAmount)}</dd>
              <dt>${e("subscription")}</dt><dd>${s.subscriptionId}</dd>
            </dl>`:l}
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      ${s&&P(2)&&(s.status===4||s.status===7)?r`<h2>${e("refund")}</h2>
            <form @submit=${this.refund}>
              <div class="field"><label for="refund-amount">${e("refundAmount")}</label>
                <input id="refund-amount" name="amount" inputmode="decimal" autocomplete="off"
                  aria-invalid=${this.amountError?"true":"false"} aria-describedby="refund-amount-help${this.amountError?" refund-amount-error":""}" />
                <p class="help" id="refund-amount-help">${e("refundAmountHelp")}</p>
                ${this.amountError?r`<p class="field-error" id="refund-amount-error">${this.amountError}</p>`:l}</div>
              <div class="field"><label for="refund-reason">${e("reason")}</label>
                <input id="refund-reason" name="reason" required maxlength="255" /></div>
              <button type="submit" class="danger" ?disabled=${this.busy}>${this.busy?e("working"):e("refund")}</button>
            </form>`:l}`:r`<h1>${e("transaction")}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${e("working")}</p>`}`}};n([D()],C.prototype,"transactionId",2),n([c()],C.prototype,"answer",2),n([c()],C.prototype,"error",2),n([c()],C.prototype,"message",2),n([c()],C.prototype,"busy",2),n([c()],C.prototype,"amountError",2),C=n([y("gb-admin-transaction")],C);function oe(a){let u=g(a);return u.reason?`${u.rawMessage} (${u.reason})`:u.rawMessage}var I=class extends v{constructor(){super(...arguments);this.decisions=[];this.message="";this.error="";this.busy=!1;this.subscription=new URLSearchParams(location.search).get("subscription")??""}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{let t=await $(()=>m.budgets.listDecisions({pageSize:50,status:1,requiresApprovalOnly:!0}));if(this.decisions=t.decisions,this.subscription){let[s,o]=await Promise.all([$(()=>m.budgets.getBudget({subscriptionId:this.subscription})),$(()=>m.budgets.listUsage({subscriptionId:this.subscription,pageSize:50}))]);this.budget=s.budget,this.usage=o}}catch(t){this.error=oe(t)}}open(t){t.preventDefault();let s=String(new FormData(t.target).get("subscription")??"").trim();M(s?`/admin/budgets?subscription=${encodeURIComponent(s)}`:"/admin/budgets")}async setBudget(t){t.preventDefault();let s=new FormData(t.target);this.busy=!0;try{let o=await $(()=>m.budgets.setBudget({subscriptionId:this.subscription,limitTokens:BigInt(String(s.get("limit")??"0").replace(/\D/g,"")||"0"),resetPeriod:s.get("reset")==="on",reason:String(s.get("reason")??"").trim(),idempotencyKey:crypto.randomUUID()}));this.budget=o.budget,this.message=e("budgetSet",{limit:h(o.budget?.limitTokens??0n,p)})}catch(o){this.message=oe(o)}finally{this.busy=!1}}async review(t,s){let o=this.querySelector(`#notes-${t.decisionId}`)?.value.trim()??"";this.busy=!0;try{await $(()=>m.budgets.reviewDecision({decisionId:t.decisionId,verdict:s,notes:o,idempotencyKey:crypto.randomUUID()})),this.decisions=this.decisions.filter(i=>i.decisionId!==t.decisionId),this.message=s===1?e("approved",{title:t.title}):e("rejected",{title:t.title})}catch(i){this.message=oe(i)}finally{this.busy=!1}}render(){this.announce(e("budgets"));let t=P(2),s=this.budget;return r`<h1>${e("budgets")}</h1>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:l}
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      <form class="filters" @submit=${this.open}>
        <div class="field"><label for="subscription">${e("subscription")}</label>
          <input id="subscription" name="subscription" .value=${this.subscription} autocomplete="off" /></div>
        <button type="submit">${e("show")}</button>
      </form>
      ${s?r`<dl class="facts">
              <dt>${e("limit")}</dt><dd data-figure="limit">${h(s.limitTokens,p)}</dd>
              <dt>${e("committed")}</dt><dd data-figure="committed">${h(s.committedTokens,p)}</dd>
              <dt>${e("held")}</dt><dd>${h(s.heldTokens,p)}</dd>
              <dt>${e("remaining")}</dt><dd>${h(s.remainingTokens,p)} (${s.percentUsed} %)</dd>
              <dt>${e("period")}</dt><dd>${f(s.periodStartAt)} – ${f(s.periodEndAt)}</dd>
            </dl>
            ${t?r`<h2>${e("setBudget")}</h2>
                  <form @submit=${this.setBudget}>
                    <div class="field"><label for="limit">${e("newLimit")}</label>
                      <input id="limit" name="limit" inputmode="numeric" required .value=${String(s.limitTokens)} /></div>
                    <div class="check"><input id="reset" name="reset" type="checkbox" /><label for="reset">${e("resetPeriod")}</label></div>
                    <div class="field"><label for="budget-reason">${e("reason")}</label><input id="budget-reason" name="reason" required /></div>
                    <button type="submit" ?disabled=${this.busy}>${e("setBudget")}</button>
                  </form>`:l}
            <h2>${e("usage")}</h2>
            ${this.usage?.records.length?r`<div class="scroll"><table>
                  <caption class="visually-hidden">${e("usage")}</caption>
                  <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("model")}</th><th scope="col">${e("tokens")}</th>
                    <th scope="col">${e("tokensIn")}</th><th scope="col">${e("tokensOut")}</th><th scope="col">${e("tokensCached")}</th></tr></thead>
                  <tbody>${this.usage.records.map(o=>r`<tr><td>${f(o.occurredAt)}</td><td>${o.model||"—"}</td><td>${h(o.tokens,p)}</td>
                      <td>${h(o.tokensIn,p)}</td><td>${h(o.tokensOut,p)}</td><td>${h(o.tokensCached,p)}</td></tr>`)}</tbody></table></div>`:r`<p>${e("noUsage")}</p>`}`:l}
      <h2>${e("decisions")}</h2>
      ${this.decisions.length===0?r`<p>${e("noDecisions")}</p>`:this.decisions.map(o=>r`<section class="card" aria-label=${o.title}>
              <h3>${o.title}</h3>
              <p>${o.description}</p>
              <dl class="facts">
                <dt>Pod</dt><dd><a href=${`/admin/pods/${o.podId}`}>${o.podId}</a></dd>
                <dt>${e("reasoning")}</dt><dd>${o.reasoning}</dd>
                <dt>${e("recommended")}</dt><dd>${o.recommendedAction}</dd>
                <dt>${e("estimate")}</dt><dd>${h(o.estimatedTokens,p)} ${e("tokens")} · ${o.confidencePercent} %</dd>
                <dt>${e("expires")}</dt><dd>${f(o.expiresAt)}</dd>
              </dl>
              ${t?r`<div class="field"><label for=${`notes-${o.decisionId}`}>${e("comment")}</label>
                      <textarea id=${`notes-${o.decisionId}`} rows="2" maxlength="2000"></textarea></div>
                    <div class="actions">
                      <button type="button" class="primary" ?disabled=${this.busy} @click=${()=>{this.review(o,1)}}>${e("approve")}</button>
                      <button type="button" class="danger" ?disabled=${this.busy} @click=${()=>{this.review(o,2)}}>${e("reject")}</button>
                    </div>`:l}
            </section>`)}`}};n([c()],I.prototype,"budget",2),n([c()],I.prototype,"usage",2),n([c()],I.prototype,"decisions",2),n([c()],I.prototype,"message",2),n([c()],I.prototype,"error",2),n([c()],I.prototype,"busy",2),I=n([y("gb-admin-budgets")],I);var ue={days7:7,days30:30,days90:90},L=class extends v{constructor(){super(...arguments);this.period="days30";this.error=""}connectedCallback(){super.connectedCallback(),this.load()}async load(){let t=BigInt(Math.floor(Date.now()/1e3)),s=t-BigInt(ue[this.period]*86400);try{this.answer=await $(()=>m.subscriptions.getCosts({startTime:{seconds:s,nanos:0},endTime:{seconds:t,nanos:0}})),this.error=""}catch(o){this.error=g(o).rawMessage}}render(){this.announce(e("costs"));let t=this.answer;return r`<h1>${e("costs")}</h1>
      <div class="field"><label for="period">${e("periodChoice")}</label>
        <select id="period" @change=${s=>{this.period=s.target.value,this.load()}}>${Object.keys(ue).map(s=>r`<option value=${s} ?selected=${s===this.period}>${e(s)}</option>`)}</select></div>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:l}
      ${t?r`<p class="muted">${f(t.startTime)} – ${f(t.endTime)}</p>
            <dl class="figures">
              <div class="figure"><dt>${e("computeCost")}</dt><dd data-figure="compute">${b(t.computeCost)}</dd></div>
              <div class="figure"><dt>${e("otherCosts")}</dt><dd>${b(t.otherCosts)}</dd></div>
              <div class="figure"><dt>${e("totalCosts")}</dt><dd data-figure="total">${b(t.totalCosts)}</dd></div>
              <div class="figure"><dt>${e("revenue")}</dt><dd>${b(t.revenue)}</dd></div>
              <div class="figure"><dt>${e("profit")}</dt><dd class=${t.profitable?"ok":"error"}>${b(t.profit)}</dd></div>
              <div class="figure"><dt>${e("margin")}</dt><dd>${(t.marginBasisPoints/100).toLocaleString(p==="es"?"es-EC":"en-US")} %</dd></div>
              <div class="figure"><dt>${e("activePods")}</dt><dd>${h(t.activePods,p)}</dd></div>
              <div class="figure"><dt>${e("podHours")}</dt><dd>${h(Number(t.podRuntime?.seconds??0n)/3600,p)}</dd></div>
            </dl>
            ${t.perPod?r`<h2>${e("perPod")}</h2>
                  <p>${t.perPod.cpuUnits} CPU units · ${t.perPod.memoryMib} MiB · vCPU-h $${t.perPod.vcpuHourPriceUsd} · GB-h $${t.perPod.gbHourPriceUsd} ·
                    ${e("monthlyCost")}: <strong>${b(t.perPod.monthlyCost)}</strong></p>`:l}`:r`<p aria-live="polite">${e("working")}</p>`}`}};n([c()],L.prototype,"answer",2),n([c()],L.prototype,"period",2),n([c()],L.prototype,"error",2),L=n([y("gb-admin-costs")],L);var we=25,ke=[6,9,7],B=class extends S{constructor(){super(...arguments);this.path="/admin/customers"}fetch(){return m.subscriptions.listCustomers({pageSize:we,pageToken:this.query.get("page")??"",query:this.query.get("q")??""})}render(){this.announce(e("customers"));let t=this.answer;return r`<h1>${e("customers")}</h1>
      <form class="filters" role="search" @submit=${this.filter}>
        <div class="field"><label for="q">${e("searchCustomers")}</label>
          <input id="q" name="q" type="search" .value=${this.query.get("q")??""} /></div>
        <button type="submit">${e("search")}</button>
      </form>
      ${this.heading(t?.customers.length??0,t?.totalSize??0n,e("noCustomers"))}
      ${t?.customers.length?r`<div class="scroll"><table>
              <caption class="visually-hidden">${e("customers")}</caption>
              <thead><tr><th scope="col">${e("email")}</th><th scope="col">${e("name")}</th><th scope="col">${e("plan")}</th><th scope="col">${e("status")}</th></tr></thead>
              <tbody>${t.customers.map(s=>r`<tr><td><a href=${`/admin/customers/${encodeURIComponent(s.email)}`}>${s.email}</a></td><td>${s.name}</td>
                  <td>${w(`plan${s.latestPlan}`)}</td><td>${w(`st${s.latestStatus}`)}</td></tr>`)}</tbody></table></div>
            ${this.paging(t.nextPageToken)}`:l}`}};B=n([y("gb-admin-customers")],B);var R=class extends v{constructor(){super(...arguments);this.email="";this.error="";this.message="";this.busy="";this.confirmCancel=""}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await $(()=>m.subscriptions.getCustomer({email:this.email}))}catch(t){this.error=g(t).rawMessage}}async act(t,s,o){this.busy=t,this.message="";try{await $(s),await this.load(),this.message=o,this.confirmCancel=""}catch(i){let d=g(i);this.message=d.reason?`${d.rawMessage} (${d.reason})`:d.rawMessage}finally{this.busy=""}}render(){this.announce(this.email);let t=this.answer;if(!t)return r`<h1>${this.email}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${e("working")}</p>`}`;let s=P(2),o=t.customer;return r`<h1>${o?.name||this.email}</h1>
      <dl class="facts">
        <dt>${e("email")}</dt><dd>${o?.email}</dd>
        <dt>${e("taxId")}</dt><dd>${o?.taxId||"—"}</dd>
      </dl>
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      ${s?l:r`<p class="muted">${e("readOnly")}</p>`}
      <h2>${e("subscriptions")}</h2>
      ${t.subscriptions.map(i=>r`<section class="card" aria-label=${i.subscriptionId}>
          <dl class="facts">
            <dt>${e("subscription")}</dt><dd>${i.subscriptionId}</dd>
            <dt>${e("plan")}</dt><dd>${w(`plan${i.plan}`)} · ${b(i.price)}</dd>
            <dt>${e("status")}</dt><dd class="sub-status">${w(`st${i.status}`)}${i.statusReason?` · ${i.statusReason}`:""}</dd>
            <dt>${e("tokens")}</dt><dd>${h(i.tokensUsed,p)} / ${h(i.tokenLimit,p)}</dd>
            <dt>${e("created")}</dt><dd>${f(i.createdAt)}</dd>
            ${i.podId?r`<dt>Pod</dt><dd><a href=${`/admin/pods/${i.podId}`}>${i.podId}</a></dd>`:l}
          </dl>
          ${s&&!ke.includes(i.status)?r`<div class="actions">
                <button type="button" ?disabled=${!!this.busy}
                  @click=${()=>{this.act("revoke",()=>m.subscriptions.revokeApiKey({subscriptionId:i.subscriptionId,reason:"revoked from the console"}),e("keyRevoked"))}}>${e("revokeKey")}</button>
                <button type="button" class="danger" ?disabled=${!!this.busy} @click=${()=>this.confirmCancel=i.subscriptionId}>${e("cancelSub")}</button>
                ${this.confirmCancel===i.subscriptionId?r`<div class="confirm" role="group" aria-label=${e("cancelSub")}>
                      <p>${e("cancelConfirm")}</p>
                      <button type="button" class="danger" ?disabled=${!!this.busy}
                        @click=${()=>{this.act("cancel",()=>m.subscriptions.cancelSubscription({subscriptionId:i.subscriptionId,reason:"cancelled from the console",idempotencyKey:crypto.randomUUID()}),e("subCancelled"))}}>${e("cancelYes")}</button>
                      <button type="button" @click=${()=>this.confirmCancel=""}>${e("cancel")}</button>
                    </div>`:l}
              </div>`:l}
        </section>`)}
      <h2>${e("payments")}</h2>
      ${t.payments.length?r`<div class="scroll"><table>
            <caption class="visually-hidden">${e("payments")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("amount")}</th><th scope="col">${e("status")}</th><th scope="col"><span class="visually-hidden">${e("actionsLabel")}</span></th></tr></thead>
            <tbody>${t.payments.map(i=>r`<tr><td>${f(i.createdAt)}</td><td>${b(i.amount)}</td><td>${i.status>=1&&i.status<=9?e(`pay${i.status}`):""}</td>
                <td>${s&&i.status===4?r`<button type="button" ?disabled=${!!this.busy}
                      @click=${()=>{this.act("receipt",()=>m.subscriptions.resendReceipt({target:{case:"paymentId",value:i.paymentId},idempotencyKey:crypto.randomUUID()}),e("receiptSent"))}}>${e("resendReceipt")}</button>`:l}</td></tr>`)}</tbody></table></div>`:r`<p>${e("noPayments")}</p>`}`}};n([D()],R.prototype,"email",2),n([c()],R.prototype,"answer",2),n([c()],R.prototype,"error",2),n([c()],R.prototype,"message",2),n([c()],R.prototype,"busy",2),n([c()],R.prototype,"confirmCancel",2),R=n([y("gb-admin-customer")],R);function Pe(a){return a>=1&&a<=6?e(`kind${a}`):""}var Se=3e4,A=class extends v{constructor(){super(...arguments);this.error="";this.chart=new V}connectedCallback(){super.connectedCallback(),this.load(),this.timer=window.setInterval(()=>{this.load()},Se)}disconnectedCallback(){window.clearInterval(this.timer),this.chart.destroy(),super.disconnectedCallback()}async load(){try{this.data=await $(()=>m.subscriptions.getDashboard({})),this.error=""}catch(t){this.error=g(t).rawMessage}}updated(t){if(!t.has("data")||!this.data)return;let s=this.data.revenue?.monthly??[];this.chart.draw(this.querySelector("#revenue-chart"),s.map(o=>Date.UTC(o.year,o.month-1,1)/1e3),[{label:e("revenueChart"),values:s.map(o=>Number(o.amount?.amountMinor??0n)),color:"#0b5cad"}],o=>K(o,"USD",p))}render(){this.announce(e("dashboard"));let t=this.data;if(!t)return r`<h1>${e("dashboard")}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${e("working")}</p>`}`;let s=t.revenue,o=s?.growthDefined?`${(Number(s.growthBasisPoints)/100).toLocaleString(p==="es"?"es-EC":"en-US")} %`:e("growthUndefined"),i=(d,E,x)=>r`<div class="figure"><dt id=${`f-${x}`}>${d}</dt><dd aria-labelledby=${`f-${x}`} data-figure=${x}>${E}</dd></div>`;return r`<h1>${e("dashboard")}</h1>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:l}
      <p class="muted" aria-live="polite">${e("updated",{time:f(t.generatedAt)})}</p>
      <dl class="figures">
        ${i(e("podsRunning"),h(t.pods?.running??0n,p),"pods-running")}
        ${i(e("podsProvisioning"),h(t.pods?.provisioning??0n,p),"pods-provisioning")}
        ${i(e("podsFailed"),h(t.pods?.failed??0n,p),"pods-failed")}
        ${i(e("podsTotal"),h(t.pods?.total??0n,p),"pods-total")}
        ${i(e("revenueMonth"),b(s?.currentMonth),"revenue-month")}
        ${i(e("revenuePrevious"),b(s?.previousMonth),"revenue-previous")}
        ${i(e("growth"),o,"growth")}
        ${i(e("payments"),h(s?.paymentCount??0n,p),"payments")}
        ${i(e("customersActive"),h(t.customers?.active??0n,p),"customers-active")}
        ${i(e("customersNew"),h(t.customers?.newLast7Days??0n,p),"customers-new")}
      </dl>
      <h2>${e("revenueChart")}</h2>
      <div id="revenue-chart" class="chart"></div>
      <table>
        <caption class="visually-hidden">${e("revenueChart")}</caption>
        <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("amount")}</th></tr></thead>
        <tbody>${(s?.monthly??[]).map(d=>r`<tr><td>${d.year}-${String(d.month).padStart(2,"0")}</td><td>${b(d.amount)}</td></tr>`)}</tbody>
      </table>
      <h2>${e("plansTitle")}</h2>
      <ul class="plain">${t.planCounts.map(d=>r`<li>${w(`plan${d.plan}`)}: <strong>${h(d.count,p)}</strong></li>`)}</ul>
      <h2>${e("alerts")}</h2>
      ${t.alerts.length?r`<ul class="plain">${t.alerts.map(d=>r`<li class=${d.severity>=2?"warning":""}>${f(d.occurredAt)} · ${d.message}
            ${d.podId?r` · <a href=${`/admin/pods/${d.podId}`}>${d.podId}</a>`:l}</li>`)}</ul>`:r`<p>${e("noAlerts")}</p>`}
      <h2>${e("activity")}</h2>
      ${t.activity.length?r`<div class="scroll"><table>
            <caption class="visually-hidden">${e("activity")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("what")}</th><th scope="col">${e("who")}</th><th scope="col">${e("amount")}</th></tr></thead>
            <tbody>${t.activity.map(d=>r`<tr><td>${f(d.occurredAt)}</td><td>${Pe(d.kind)}
                ${d.podId?r` · <a href=${`/admin/pods/${d.podId}`}>${d.podId}</a>`:l}</td>
                <td>${d.customerEmail}</td><td>${d.amount?b(d.amount):""}</td></tr>`)}</tbody></table></div>`:r`<p>${e("noActivity")}</p>`}`}};n([c()],A.prototype,"data",2),n([c()],A.prototype,"error",2),A=n([y("gb-admin-dashboard")],A);var T=class extends v{constructor(){super(...arguments);this.next="/admin/";this.error="";this.busy=!1}async submit(t){t.preventDefault();let s=new FormData(t.target);this.busy=!0,this.error="";try{await de(String(s.get("email")??"").trim(),String(s.get("password")??"")),history.replaceState(null,"","/admin/login"),M(this.next)}catch(o){this.error=g(o).rawMessage,this.busy=!1,await this.updateComplete,this.querySelector("#login-error")?.focus()}}render(){return r`<h1>${e("signInTitle")}</h1>
      <form @submit=${this.submit}>
        ${this.error?r`<p class="error" role="alert" id="login-error" tabindex="-1">${this.error}</p>`:l}
        <div class="field">
          <label for="admin-email">${e("email")}</label>
          <input id="admin-email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="admin-password">${e("password")}</label>
          <input id="admin-password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy?e("working"):e("signIn")}</button>
      </form>`}};n([D()],T.prototype,"next",2),n([c()],T.prototype,"error",2),n([c()],T.prototype,"busy",2),T=n([y("gb-admin-login")],T);var Ce=25,Ie=[1,2,3,4,5,6,7],Re=[1,2,3,4,5],j=class extends S{constructor(){super(...arguments);this.path="/admin/pods"}fetch(){return m.pods.listPods({pageSize:Ce,pageToken:this.query.get("page")??"",status:Number(this.query.get("status")??0),plan:Number(this.query.get("plan")??0),customerEmail:this.query.get("customer")??"",includeDestroyed:this.query.get("destroyed")==="1"})}render(){this.announce(e("pods"));let t=this.query,s=this.answer;return r`<h1>${e("pods")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-status">${e("status")}</label>
          <select id="f-status" name="status">
            <option value="0">${e("anyStatus")}</option>
            ${Ie.map(o=>r`<option value=${o} ?selected=${t.get("status")===String(o)}>${w(`ps${o}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-plan">${e("plan")}</label>
          <select id="f-plan" name="plan">
            <option value="0">${e("anyPlan")}</option>
            ${Re.map(o=>r`<option value=${o} ?selected=${t.get("plan")===String(o)}>${w(`plan${o}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-customer">${e("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${t.get("customer")??""} /></div>
        <div class="check"><input id="f-destroyed" name="destroyed" type="checkbox" value="1" ?checked=${t.get("destroyed")==="1"} />
          <label for="f-destroyed">${e("withDestroyed")}</label></div>
        <button type="submit">${e("filter")}</button>
      </form>
      ${this.heading(s?.pods.length??0,s?.totalSize??0n,e("noPods"))}
      ${s?.pods.length?r`<div class="scroll"><table>
              <caption class="visually-hidden">${e("pods")}</caption>
              <thead><tr><th scope="col">Pod</th><th scope="col">${e("status")}</th><th scope="col">${e("plan")}</th>
                <th scope="col">${e("customer")}</th><th scope="col">${e("created")}</th></tr></thead>
              <tbody>${s.pods.map(o=>r`<tr><td><a href=${`/admin/pods/${o.podId}`}>${o.podId}</a></td>
                  <td class="pod-status" data-status=${o.status}>${w(`ps${o.status}`)}</td>
                  <td>${w(`plan${o.plan}`)}</td><td>${o.customerEmail}</td><td>${f(o.createdAt)}</td></tr>`)}</tbody></table></div>
            ${this.paging(s.nextPageToken)}`:l}`}};j=n([y("gb-admin-pods")],j);var he={hour:3600n,day:86400n,week:604800n},k=class extends v{constructor(){super(...arguments);this.podId="";this.window="hour";this.error="";this.message="";this.busy="";this.confirming=!1;this.typed="";this.chart=new V}connectedCallback(){super.connectedCallback(),this.watch(),this.loadMetrics()}disconnectedCallback(){this.abort?.abort(),this.chart.destroy(),super.disconnectedCallback()}async watch(){this.abort=new AbortController;let t=this.abort.signal;for(let s=0;!t.aborted;s++){try{let o=await $(async()=>m.pods.watchPod({podId:this.podId},{signal:t}));for await(let i of o)this.pod=i.pod,s=0}catch(o){if(t.aborted)return;let i=g(o);if([q.NotFound,q.PermissionDenied,q.Unauthenticated].includes(i.code)){this.error=i.rawMessage;return}}await new Promise(o=>setTimeout(o,se(s)))}}async loadMetrics(){try{let t=he[this.window];this.metrics=await $(()=>m.pods.getPodMetrics({podId:this.podId,window:{seconds:t,nanos:0},step:{seconds:t/60n<60n?60n:t/60n,nanos:0}}))}catch(t){this.message=g(t).rawMessage}}updated(t){if(!t.has("metrics")||!this.metrics)return;let s=this.metrics;this.chart.draw(this.querySelector("#metrics-chart"),s.cpu.map(o=>Number(o.at?.seconds??0n)),[{label:e("cpu"),values:s.cpu.map(o=>o.percent),color:"#0b5cad"},{label:e("memory"),values:s.memory.map(o=>o.percent),color:"#1d6b32"}],o=>`${o} %`)}async act(t,s=""){this.busy=t,this.message="";let o=crypto.randomUUID();try{let i=await $(()=>t==="start"?m.pods.startPod({podId:this.podId,idempotencyKey:o}):t==="stop"?m.pods.stopPod({podId:this.podId,reason:s,idempotencyKey:o}):m.pods.destroyPod({podId:this.podId,reason:s,idempotencyKey:o}));i.pod&&(this.pod=i.pod),this.message=e("done",{status:w(`ps${i.pod?.status??0}`)}),this.confirming=!1}catch(i){let d=g(i);this.message=d.reason?`${d.rawMessage} (${d.reason})`:d.rawMessage}finally{this.busy=""}}destroy(t){t.preventDefault();let s=new FormData(t.target);this.act("destroy",String(s.get("reason")??"").trim())}render(){this.announce(e("pod",{id:this.podId}));let t=this.pod;if(!t)return r`<h1>${e("pod",{id:this.podId})}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${e("working")}</p>`}`;let s=this.metrics,o=P(2),i=t.status===7;return r`<h1>${e("pod",{id:t.podId})}</h1>
      <dl class="facts">
        <dt>${e("status")}</dt><dd><strong class="pod-status" data-status=${t.status} aria-live="polite">${w(`ps${t.status}`)}</strong></dd>
        ${t.statusReason?r`<dt>${e("reason")}</dt><dd>${t.statusReason}</dd>`:l}
        <dt>${e("customer")}</dt><dd>${t.customerEmail}</dd>
        <dt>${e("plan")}</dt><dd>${w(`plan${t.plan}`)}</dd>
        <dt>${e("subscription")}</dt><dd>${t.subscriptionId} · ${w(`st${t.subscriptionStatus}`)}</dd>
        <dt>${e("address")}</dt><dd class="pod-url">${t.podUrl||"—"}</dd>
        <dt>${e("created")}</dt><dd>${f(t.createdAt)}</dd>
        <dt>${e("started")}</dt><dd>${f(t.startedAt)}</dd>
        <dt>${e("stopped")}</dt><dd>${f(t.stoppedAt)}</dd>
        ${s?r`<dt>${e("uptime")}</dt><dd>${h(s.uptime?.seconds??0n,p)} s</dd>
              <dt>${e("costSoFar")}</dt><dd>${b(s.costSoFar)}</dd>
              <dt>${e("monthlyCost")}</dt><dd>${b(s.monthlyCostEstimate)}</dd>`:l}
      </dl>
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      ${o?i?l:r`<div class="actions">
              <button type="button" ?disabled=${!!this.busy} @click=${()=>{this.act("start")}}>${this.busy==="start"?e("working"):e("start")}</button>
              <button type="button" ?disabled=${!!this.busy} @click=${()=>{this.act("stop")}}>${this.busy==="stop"?e("working"):e("stop")}</button>
              <button type="button" class="danger" ?disabled=${!!this.busy} @click=${()=>this.confirming=!0}>${e("destroy")}</button>
              ${this.confirming?r`<form class="confirm" @submit=${this.destroy}>
                    <p>${e("destroyConfirm",{id:t.podId})}</p>
                    <div class="field"><label for="confirm-id">${e("confirmId")}</label>
                      <input id="confirm-id" autocomplete="off" @input=${d=>this.typed=d.target.value.trim()} /></div>
                    <div class="field"><label for="destroy-reason">${e("destroyReason")}</label>
                      <input id="destroy-reason" name="reason" required /></div>
                    <button type="submit" class="danger" ?disabled=${this.typed!==t.podId||!!this.busy}>${this.busy==="destroy"?e("working"):e("confirmDestroy")}</button>
                    <button type="button" @click=${()=>this.confirming=!1}>${e("cancel")}</button>
                  </form>`:l}
            </div>`:r`<p class="muted">${e("readOnly")}</p>`}
      <h2>${e("cpu")} · ${e("memory")}</h2>
      <div class="field"><label for="window">${e("window")}</label>
        <select id="window" @change=${d=>{this.window=d.target.value,this.loadMetrics()}}>${Object.keys(he).map(d=>r`<option value=${d} ?selected=${d===this.window}>${e(d)}</option>`)}</select></div>
      <div id="metrics-chart" class="chart"></div>
      ${s&&s.cpu.length?r`<div class="scroll"><table>
            <caption class="visually-hidden">${e("cpu")} · ${e("memory")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("cpu")}</th><th scope="col">${e("memory")}</th></tr></thead>
            <tbody>${s.cpu.map((d,E)=>r`<tr><td>${f(d.at)}</td><td>${d.percent.toFixed(1)}</td><td>${s.memory[E]?.percent.toFixed(1)??""}</td></tr>`)}</tbody>
          </table></div>`:l}`}};n([D()],k.prototype,"podId",2),n([c()],k.prototype,"pod",2),n([c()],k.prototype,"metrics",2),n([c()],k.prototype,"window",2),n([c()],k.prototype,"error",2),n([c()],k.prototype,"message",2),n([c()],k.prototype,"busy",2),n([c()],k.prototype,"confirming",2),n([c()],k.prototype,"typed",2),k=n([y("gb-admin-pod")],k);var Ee=[1,2,3],$e=a=>e(`role${a}`),U=class extends v{constructor(){super(...arguments);this.message="";this.busy=!1;this.confirmLive=!1}async run(t){this.busy=!0,this.message="";try{this.message=await t()}catch(s){let o=g(s);this.message=o.reason?`${o.rawMessage} (${o.reason})`:o.rawMessage}finally{this.busy=!1}}createUser(t){t.preventDefault();let s=t.target,o=new FormData(s);this.run(async()=>{let i=await $(()=>m.auth.createAdminUser({email:String(o.get("email")??"").trim(),name:String(o.get("name")??"").trim(),password:String(o.get("password")??""),role:Number(o.get("role")),idempotencyKey:crypto.randomUUID()}));return s.reset(),e("userCreated",{email:i.user?.email??"",role:$e(i.user?.role??1)})})}switchMode(t){this.run(async()=>{let s=await $(()=>m.auth.switchMode({mode:t,confirm:t===2,reason:"switched from the console",idempotencyKey:crypto.randomUUID()}));return this.confirmLive=!1,e("modeNow",{mode:s.mode===2?e("live"):e("sandbox")})})}render(){return this.announce(e("settings")),P(3)?r`<h1>${e("settings")}</h1>
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      <h2>${e("newAdmin")}</h2>
      <form @submit=${this.createUser}>
        <div class="field"><label for="u-email">${e("email")}</label><input id="u-email" name="email" type="email" required autocomplete="off" /></div>
        <div class="field"><label for="u-name">${e("name")}</label><input id="u-name" name="name" required autocomplete="off" /></div>
        <div class="field"><label for="u-password">${e("password")}</label>
          <input id="u-password" name="password" type="password" minlength="12" required autocomplete="new-password" aria-describedby="u-password-help" />
          <p class="help" id="u-password-help">${e("passwordHelp")}</p></div>
        <div class="field"><label for="u-role">${e("role")}</label>
          <select id="u-role" name="role">${Ee.map(t=>r`<option value=${t}>${$e(t)}</option>`)}</select></div>
        <button type="submit" ?disabled=${this.busy}>${e("createAdmin")}</button>
      </form>
      <h2>${e("mode")}</h2>
      <p>${e("modeHelp")}</p>
      <div class="actions">
        <button type="button" ?disabled=${this.busy} @click=${()=>this.switchMode(1)}>${e("toSandbox")}</button>
        <button type="button" class="danger" ?disabled=${this.busy} @click=${()=>this.confirmLive=!0}>${e("toLive")}</button>
        ${this.confirmLive?r`<div class="confirm" role="group" aria-label=${e("toLive")}>
              <p>${e("liveConsequence")}</p>
              <button type="button" class="danger" ?disabled=${this.busy} @click=${()=>this.switchMode(2)}>${e("liveYes")}</button>
              <button type="button" @click=${()=>this.confirmLive=!1}>${e("cancel")}</button>
            </div>`:l}
      </div>`:r`<h1>${e("settings")}</h1><p class="muted">${e("superOnly")}</p>`}};n([c()],U.prototype,"message",2),n([c()],U.prototype,"busy",2),n([c()],U.prototype,"confirmLive",2),U=n([y("gb-admin-settings")],U);function xe(a){try{return decodeURIComponent(a)}catch{return a}}function De(a){if(a==="/admin"||a==="/admin/")return{page:r`<gb-admin-dashboard></gb-admin-dashboard>`,nav:"/admin/"};if(a==="/admin/pods")return{page:r`<gb-admin-pods></gb-admin-pods>`,nav:"/admin/pods"};if(a==="/admin/customers")return{page:r`<gb-admin-customers></gb-admin-customers>`,nav:"/admin/customers"};let u=a.match(/^\/admin\/customers\/([^/]+)$/);if(u)return{page:r`<gb-admin-customer .email=${xe(u[1])}></gb-admin-customer>`,nav:"/admin/customers"};if(a==="/admin/budgets")return{page:r`<gb-admin-budgets></gb-admin-budgets>`,nav:"/admin/budgets"};if(a==="/admin/costs")return{page:r`<gb-admin-costs></gb-admin-costs>`,nav:"/admin/costs"};if(a==="/admin/audit")return{page:r`<gb-admin-audit></gb-admin-audit>`,nav:"/admin/audit"};if(a==="/admin/settings")return{page:r`<gb-admin-settings></gb-admin-settings>`,nav:"/admin/settings"};if(a==="/admin/billing")return{page:r`<gb-admin-billing></gb-admin-billing>`,nav:"/admin/billing"};let t=a.match(/^\/admin\/billing\/([A-Za-z0-9_-]+)$/);if(t)return{page:r`<gb-admin-transaction .transactionId=${t[1]}></gb-admin-transaction>`,nav:"/admin/billing"};let s=a.match(/^\/admin\/pods\/([A-Za-z0-9_-]+)$/);if(s)return{page:r`<gb-admin-pod .podId=${s[1]}></gb-admin-pod>`,nav:"/admin/pods"}}var H=class extends v{constructor(){super(...arguments);this.ready=!1;this.rerender=()=>{this.ready=!1,this.check()};this.follow=t=>{let s=t.target.closest("a"),o=s?.getAttribute("href");!o||!o.startsWith("/admin")||t.ctrlKey||t.metaKey||t.shiftKey||s?.target||(t.preventDefault(),M(o))}}connectedCallback(){super.connectedCallback(),window.addEventListener("popstate",this.rerender),window.addEventListener("gb-navigate",this.rerender),window.addEventListener("pageshow",t=>t.persisted&&location.reload()),this.addEventListener("click",this.follow),this.check()}disconnectedCallback(){window.removeEventListener("popstate",this.rerender),window.removeEventListener("gb-navigate",this.rerender),super.disconnectedCallback()}async check(){if(location.pathname==="/admin/login"){this.ready=!0;return}await ce()?this.ready=!0:X()}render(){let t=location.pathname;if(t==="/admin/login")return this.announce(e("signInTitle")),r`<a class="skip" href="#main">${N("skip")}</a>
        <header><span class="brand">${N("brand")} · ${e("console")}</span></header>
        <main id="main" tabindex="-1"><gb-admin-login .next=${re(new URLSearchParams(location.search).get("next"))}></gb-admin-login></main>`;if(!this.ready)return r`<main id="main"><p aria-live="polite">${e("working")}</p></main>`;let s=De(t),o=i=>s?.nav===i?"page":"false";return r`<a class="skip" href="#main">${N("skip")}</a>
      <header>
        <a class="brand" href="/admin/">${N("brand")} · ${e("console")}</a>
        <nav aria-label=${e("navLabel")}>
          <a href="/admin/" aria-current=${o("/admin/")}>${e("dashboard")}</a>
          <a href="/admin/pods" aria-current=${o("/admin/pods")}>${e("pods")}</a>
          <a href="/admin/customers" aria-current=${o("/admin/customers")}>${e("customers")}</a>
          <a href="/admin/billing" aria-current=${o("/admin/billing")}>${e("billing")}</a>
          <a href="/admin/costs" aria-current=${o("/admin/costs")}>${e("costs")}</a>
          <a href="/admin/budgets" aria-current=${o("/admin/budgets")}>${e("budgets")}</a>
          ${P(3)?r`<a href="/admin/audit" aria-current=${o("/admin/audit")}>${e("audit")}</a>
                <a href="/admin/settings" aria-current=${o("/admin/settings")}>${e("settings")}</a>`:l}
        </nav>
        <span class="who">${W()?.email??""}</span>
        <button type="button" class="lang" @click=${()=>{le()}}>${e("signOut")}</button>
      </header>
      <main id="main" tabindex="-1">${s?s.page:r`<h1>${N("notFound")}</h1><p><a href="/admin/">${e("dashboard")}</a></p>`}</main>`}};n([c()],H.prototype,"ready",2),H=n([y("gb-admin")],H);export{H as AdminShell};
