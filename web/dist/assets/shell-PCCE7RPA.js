import{A as v,D as q,E as de,F as V,I as g,a as n,b as r,c as re,d as l,e as y,f as D,g as c,h as w,m,n as K,r as ae,w as ie,x as ne,y as p,z as N}from"./chunk-QISABYL4.js";function T(a){history.pushState(null,"",a),window.dispatchEvent(new CustomEvent("gb-navigate"))}var ve={console:"Consola",signInTitle:"Ingreso de operadores",email:"Correo electrónico",password:"Contraseña",signIn:"Ingresar",signOut:"Salir",working:"Un momento…",dashboard:"Panel",pods:"Pods",audit:"Auditoría",navLabel:"Consola",podsRunning:"Pods en ejecución",podsProvisioning:"Aprovisionando",podsFailed:"Pods fallidos",podsTotal:"Pods en total",revenueMonth:"Ingresos de este mes",revenuePrevious:"Mes anterior",growth:"Variación",growthUndefined:"sin mes anterior",payments:"Pagos",customersActive:"Clientes activos",customersNew:"Nuevos (7 días)",plansTitle:"Suscripciones por plan",revenueChart:"Ingresos por mes",activity:"Actividad reciente",alerts:"Alertas",noAlerts:"Sin alertas.",noActivity:"Sin actividad todavía.",updated:"Actualizado {time}",when:"Cuándo",what:"Qué",who:"Cliente",amount:"Monto",kind1:"Registro",kind2:"Pago",kind3:"Pod iniciado",kind4:"Pod detenido",kind5:"Cancelación",kind6:"Reembolso",status:"Estado",plan:"Plan",customer:"Cliente",anyStatus:"Cualquier estado",anyPlan:"Cualquier plan",filter:"Filtrar",withDestroyed:"Incluir eliminados",next:"Siguientes",first:"Primeros",shown:"{n} de {total}",noPods:"Ningún pod coincide.",pod:"Pod {id}",subscription:"Suscripción",address:"Dirección",created:"Creado",started:"Iniciado",stopped:"Detenido",reason:"Motivo",uptime:"Tiempo activo",costSoFar:"Costo hasta ahora",monthlyCost:"Costo mensual estimado",cpu:"CPU %",memory:"Memoria %",window:"Ventana",hour:"1 hora",day:"24 horas",week:"7 días",start:"Iniciar",stop:"Detener",destroy:"Destruir",destroyConfirm:"Destruir borra la tarea del pod y su token para siempre. Escribe {id} para confirmar.",destroyReason:"Motivo (queda en la auditoría)",confirmId:"Id del pod",confirmDestroy:"Destruir definitivamente",cancel:"Volver",done:"Hecho: {status}.",actor:"Actor",action:"Acción",target:"Objeto",chainOk:"Cadena de auditoría verificada: {n} entradas, ninguna alterada.",chainBroken:"¡Cadena de auditoría rota en la entrada {n}! {problem}",noEntries:"Sin entradas.",readOnly:"Solo lectura: tu rol no permite acciones.",customers:"Clientes",searchCustomers:"Correo, nombre o RUC/cédula",search:"Buscar",noCustomers:"Ningún cliente coincide.",name:"Nombre",taxId:"RUC/Cédula",subscriptions:"Suscripciones",tokens:"Tokens",revokeKey:"Revocar clave",keyRevoked:"Clave revocada; el cliente recibió un enlace para obtener otra.",cancelSub:"Cancelar suscripción",cancelConfirm:"Cancelar detiene y elimina su pod al final del proceso. ¿Seguro?",cancelYes:"Sí, cancelar",subCancelled:"Suscripción cancelada.",resendReceipt:"Reenviar recibo",receiptSent:"Recibo reenviado.",noPayments:"Sin pagos.",actionsLabel:"Acciones",budgets:"Presupuestos y agentes",show:"Ver",limit:"Límite",committed:"Usados",held:"Retenidos",remaining:"Quedan",period:"Período",setBudget:"Cambiar el presupuesto",newLimit:"Nuevo límite de tokens",resetPeriod:"Empezar un período nuevo",budgetSet:"Presupuesto cambiado: {limit} tokens.",usage:"Consumo",model:"Modelo",tokensIn:"Entrada",tokensOut:"Salida",tokensCached:"En caché",noUsage:"Sin consumo en este período.",decisions:"Decisiones por revisar",noDecisions:"Ninguna decisión espera revisión.",reasoning:"Razonamiento",recommended:"Acción recomendada",estimate:"Estimación",expires:"Vence",comment:"Comentario",approve:"Aprobar",reject:"Rechazar",approved:"Aprobada: {title}.",rejected:"Rechazada: {title}.",actorId:"Id del actor",outcome:"Resultado",ok:"Hecho",refused:"Rechazado",settings:"Usuarios y modo",superOnly:"Solo un super administrador crea usuarios y cambia el modo.",newAdmin:"Nuevo usuario de la consola",role:"Rol",role1:"Lector",role2:"Administrador",role3:"Super administrador",passwordHelp:"Al menos 12 caracteres.",createAdmin:"Crear usuario",userCreated:"Usuario {email} creado como {role}.",mode:"Modo de pagos",modeHelp:"Sandbox usa PayPal de pruebas; en vivo cobra dinero real.",toSandbox:"Pasar a sandbox",toLive:"Pasar a en vivo",liveConsequence:"En vivo, PayPal cobra dinero real a los clientes desde el próximo pago. ¿Seguro?",liveYes:"Sí, cobrar dinero real",modeNow:"Modo actual: {mode}.",live:"en vivo",sandbox:"sandbox",costs:"Costos",periodChoice:"Período",days7:"Últimos 7 días",days30:"Últimos 30 días",days90:"Últimos 90 días",computeCost:"Fargate (cómputo)",otherCosts:"Otros costos",totalCosts:"Costos totales",revenue:"Ingresos",profit:"Ganancia",margin:"Margen",activePods:"Pods activos",podHours:"Horas de pod",perPod:"Un pod",byPod:"Costo por pod",runtime:"Tiempo",noPodCosts:"Ningún pod corrió en el período.",tokensUsed:"Tokens gastados",tokensHeld:"Tokens retenidos",tokensLimit:"Tokens del plan (suma)",subscriptionsByStatus:"Suscripciones por estado",history:"Historial de estado",noHistory:"Sin cambios registrados.",from:"Desde",to:"Hacia",billing:"Facturación",kind:"Tipo",anyKind:"Cualquier tipo",tk1:"Cobro",tk2:"Reembolso",tk3:"Reversión",ts1:"Pendiente",ts2:"Completada",ts3:"Fallida",pay1:"Creado",pay2:"Aprobado",pay3:"Pendiente",pay4:"Completado",pay5:"Rechazado",pay6:"Fallido",pay7:"Reembolsado en parte",pay8:"Reembolsado",pay9:"Revertido",noTransactions:"Ninguna transacción coincide.",transaction:"Transacción",payment:"Pago",refundedSoFar:"Reembolsado",refund:"Reembolsar",refundAmount:"Monto a reembolsar (USD)",refundAmountHelp:"Vacío: todo lo que queda por reembolsar.",badAmount:"Escribe un monto positivo con hasta 2 decimales, p. ej. 5.00.",refunded:"Reembolso de {amount} hecho; el pago queda {status}."},we={console:"Console",signInTitle:"Operator sign-in",email:"Email",password:"Password",signIn:"Sign in",signOut:"Sign out",working:"One moment…",dashboard:"Dashboard",pods:"Pods",audit:"Audit log",navLabel:"Console",podsRunning:"Pods running",podsProvisioning:"Provisioning",podsFailed:"Pods failed",podsTotal:"Pods in total",revenueMonth:"Revenue this month",revenuePrevious:"Previous month",growth:"Change",growthUndefined:"no previous month",payments:"Payments",customersActive:"Active customers",customersNew:"New (7 days)",plansTitle:"Subscriptions by plan",revenueChart:"Revenue by month",activity:"Recent activity",alerts:"Alerts",noAlerts:"No alerts.",noActivity:"No activity yet.",updated:"Updated {time}",when:"When",what:"What",who:"Customer",amount:"Amount",kind1:"Sign-up",kind2:"Payment",kind3:"Pod started",kind4:"Pod stopped",kind5:"Cancellation",kind6:"Refund",status:"Status",plan:"Plan",customer:"Customer",anyStatus:"Any status",anyPlan:"Any plan",filter:"Filter",withDestroyed:"Include destroyed",next:"Next",first:"First",shown:"{n} of {total}",noPods:"No pod matches.",pod:"Pod {id}",subscription:"Subscription",address:"Address",created:"Created",started:"Started",stopped:"Stopped",reason:"Reason",uptime:"Uptime",costSoFar:"Cost so far",monthlyCost:"Estimated monthly cost",cpu:"CPU %",memory:"Memory %",window:"Window",hour:"1 hour",day:"24 hours",week:"7 days",start:"Start",stop:"Stop",destroy:"Destroy",destroyConfirm:"Destroy deletes the pod's task and its token for good. Type {id} to confirm.",destroyReason:"Reason (kept in the audit log)",confirmId:"Pod id",confirmDestroy:"Destroy for good",cancel:"Back",done:"Done: {status}.",actor:"Actor",action:"Action",target:"Target",chainOk:"Audit chain verified: {n} entries, none altered.",chainBroken:"Audit chain broken at entry {n}! {problem}",noEntries:"No entries.",readOnly:"Read-only: your role allows no actions.",customers:"Customers",searchCustomers:"Email, name or tax id",search:"Search",noCustomers:"No customer matches.",name:"Name",taxId:"Tax id",subscriptions:"Subscriptions",tokens:"Tokens",revokeKey:"Revoke key",keyRevoked:"Key revoked; the customer was emailed a link to get another.",cancelSub:"Cancel subscription",cancelConfirm:"Cancelling stops and removes their pod. Sure?",cancelYes:"Yes, cancel",subCancelled:"Subscription cancelled.",resendReceipt:"Resend receipt",receiptSent:"Receipt sent again.",noPayments:"No payments.",actionsLabel:"Actions",budgets:"Budgets and agents",show:"Show",limit:"Limit",committed:"Used",held:"Held",remaining:"Left",period:"Period",setBudget:"Change the budget",newLimit:"New token limit",resetPeriod:"Start a new period",budgetSet:"Budget changed: {limit} tokens.",usage:"Usage",model:"Model",tokensIn:"In",tokensOut:"Out",tokensCached:"Cached",noUsage:"No usage this period.",decisions:"Decisions to review",noDecisions:"No decision waits for review.",reasoning:"Reasoning",recommended:"Recommended action",estimate:"Estimate",expires:"Expires",comment:"Comment",approve:"Approve",reject:"Reject",approved:"Approved: {title}.",rejected:"Rejected: {title}.",actorId:"Actor id",outcome:"Outcome",ok:"Done",refused:"Refused",settings:"Users and mode",superOnly:"Only a super admin creates users and switches the mode.",newAdmin:"New console user",role:"Role",role1:"Viewer",role2:"Admin",role3:"Super admin",passwordHelp:"At least 12 characters.",createAdmin:"Create user",userCreated:"User {email} created as {role}.",mode:"Payments mode",modeHelp:"Sandbox uses PayPal's test system; live charges real money.",toSandbox:"Switch to sandbox",toLive:"Switch to live",liveConsequence:"Live: PayPal charges customers real money from the next payment on. Sure?",liveYes:"Yes, charge real money",modeNow:"Mode now: {mode}.",live:"live",sandbox:"sandbox",costs:"Costs",periodChoice:"Period",days7:"Last 7 days",days30:"Last 30 days",days90:"Last 90 days",computeCost:"Fargate (compute)",otherCosts:"Other costs",totalCosts:"Total costs",revenue:"Revenue",profit:"Profit",margin:"Margin",activePods:"Active pods",podHours:"Pod hours",perPod:"One pod",byPod:"Cost by pod",runtime:"Run time",noPodCosts:"No pod ran in the period.",tokensUsed:"Tokens spent",tokensHeld:"Tokens held",tokensLimit:"Plan tokens (sum)",subscriptionsByStatus:"Subscriptions by status",history:"Status history",noHistory:"No changes recorded.",from:"From",to:"To",billing:"Billing",kind:"Kind",anyKind:"Any kind",tk1:"Capture",tk2:"Refund",tk3:"Reversal",ts1:"Pending",ts2:"Completed",ts3:"Failed",pay1:"Created",pay2:"Approved",pay3:"Pending",pay4:"Completed",pay5:"Denied",pay6:"Failed",pay7:"Partly refunded",pay8:"Refunded",pay9:"Reversed",noTransactions:"No transaction matches.",transaction:"Transaction",payment:"Payment",refundedSoFar:"Refunded",refund:"Refund",refundAmount:"Amount to refund (USD)",refundAmountHelp:"Empty: everything not refunded yet.",badAmount:"Type a positive amount with up to 2 decimals, e.g. 5.00.",refunded:"Refunded {amount}; the payment is now {status}."};function e(a,h={}){return(p==="en"?we:ve)[a].replace(/\{(\w+)\}/g,(o,s)=>String(h[s]??""))}var z="gpubroker.admin.refresh",Q="gpubroker.admin.who",B,J,Z,u=de({baseUrl:location.origin,token:()=>B});function G(){try{return JSON.parse(sessionStorage.getItem(Q)??"null")??void 0}catch{return}}function P(a){return(G()?.role??0)>=a}function ce(a,h){B=a.accessToken,sessionStorage.setItem(z,a.refreshToken),sessionStorage.setItem(Q,JSON.stringify({email:h,role:a.role}));let t=Number(a.expiresIn?.seconds??0n);window.clearTimeout(J),J=window.setTimeout(()=>{X()},Math.max(5,Math.min(t-60,t/2))*1e3)}async function le(a,h){let t=await u.auth.login({email:a,password:h});ce(t,t.user?.email||a)}function X(){return Z??=(async()=>{let a=sessionStorage.getItem(z);if(!a)return!1;try{return ce(await u.auth.refresh({refreshToken:a}),G()?.email??""),!0}catch{return ue(),!1}})().finally(()=>{Z=void 0}),Z}async function pe(){return B!==void 0||X()}async function $(a){try{return await a()}catch(h){if(g(h).code!==q.Unauthenticated)throw h;if(await X())return a();throw ee(),h}}async function me(){let a=sessionStorage.getItem(z);if(ue(),a)try{await u.auth.logout({refreshToken:a})}catch{}location.replace("/admin/login")}function ue(){B=void 0,window.clearTimeout(J),sessionStorage.removeItem(z),sessionStorage.removeItem(Q)}function ee(){let a=location.pathname+location.search;location.replace(`/admin/login?next=${encodeURIComponent(a)}`)}function b(a){return a?new Date(Number(a.seconds)*1e3).toLocaleString(p==="es"?"es-EC":"en-US",{dateStyle:"medium",timeStyle:"short"}):"—"}function f(a){return a?K(a.amountMinor,a.currencyCode||"USD",p):"—"}var S=class extends w{constructor(){super(...arguments);this.error="";this.query=new URLSearchParams(location.search);this.filter=t=>{t.preventDefault();let o=new URLSearchParams;for(let[s,i]of new FormData(t.target)){let d=String(i).trim();d&&d!=="0"&&o.set(s,d)}T(`${this.path}${o.size?`?${o}`:""}`)}}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await $(()=>this.fetch()),this.error=""}catch(t){this.error=g(t).rawMessage}}pageHref(t){let o=new URLSearchParams(this.query);return t?o.set("page",t):o.delete("page"),`${this.path}${o.size?`?${o}`:""}`}heading(t,o,s){return this.error?r`<p role="alert" class="error">${this.error}</p>`:this.answer?t===0?r`<p>${s}</p>`:r`<p class="muted">${e("shown",{n:t,total:m(o,p)})}</p>`:r`<p aria-live="polite">${e("working")}</p>`}paging(t){return r`<p class="actions">
      ${this.query.get("page")?r`<a class="button" href=${this.pageHref("")}>${e("first")}</a>`:l}
      ${t?r`<a class="button" href=${this.pageHref(t)}>${e("next")}</a>`:l}
    </p>`}};n([c()],S.prototype,"answer",2),n([c()],S.prototype,"error",2);var ke=50,O=class extends S{constructor(){super(...arguments);this.path="/admin/audit";this.chainError=""}connectedCallback(){super.connectedCallback(),this.verify()}async verify(){try{this.chain=await $(()=>u.auth.verifyAuditLog({}))}catch(t){this.chainError=g(t).rawMessage}}fetch(){return u.auth.listAuditLog({pageSize:ke,pageToken:this.query.get("page")??"",actorUserId:this.query.get("actor")??"",action:this.query.get("action")??"",newestFirst:!0})}render(){this.announce(e("audit"));let t=this.answer,o=this.chain;return r`<h1>${e("audit")}</h1>
      ${this.chainError?r`<p role="alert" class="error">${this.chainError}</p>`:o?o.intact?r`<p role="status" class="ok chain">${e("chainOk",{n:m(o.rows,p)})}</p>`:r`<p role="alert" class="error chain">${e("chainBroken",{n:String(o.brokenAtSequence),problem:o.problem})}</p>`:l}
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
              <tbody>${t.entries.map(s=>r`<tr><td>${s.sequence}</td><td>${b(s.occurredAt)}</td><td>${s.actorEmail||"—"}</td><td class="audit-action">${s.action}</td>
                  <td>${s.resourceType}${s.resourceId?` ${s.resourceId}`:""}</td><td>${s.success?e("ok"):e("refused")}</td></tr>`)}</tbody></table></div>
            ${this.paging(t.nextPageToken)}`:l}`}};n([c()],O.prototype,"chain",2),n([c()],O.prototype,"chainError",2),O=n([y("gb-admin-audit")],O);var Se=25,te=a=>a>=1&&a<=3?e(`tk${a}`):"",oe=a=>a>=1&&a<=3?e(`ts${a}`):"",he=a=>a>=1&&a<=9?e(`pay${a}`):"",W=class extends S{constructor(){super(...arguments);this.path="/admin/billing"}fetch(){return u.payments.listTransactions({pageSize:Se,pageToken:this.query.get("page")??"",kind:Number(this.query.get("kind")??0),status:Number(this.query.get("status")??0),customerEmail:this.query.get("customer")??""})}render(){this.announce(e("billing"));let t=this.query,o=this.answer;return r`<h1>${e("billing")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-kind">${e("kind")}</label>
          <select id="f-kind" name="kind"><option value="0">${e("anyKind")}</option>
            ${[1,2,3].map(s=>r`<option value=${s} ?selected=${t.get("kind")===String(s)}>${te(s)}</option>`)}</select></div>
        <div class="field"><label for="f-status">${e("status")}</label>
          <select id="f-status" name="status"><option value="0">${e("anyStatus")}</option>
            ${[1,2,3].map(s=>r`<option value=${s} ?selected=${t.get("status")===String(s)}>${oe(s)}</option>`)}</select></div>
        <div class="field"><label for="f-customer">${e("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${t.get("customer")??""} /></div>
        <button type="submit">${e("filter")}</button>
      </form>
      ${this.heading(o?.transactions.length??0,o?.totalSize??0n,e("noTransactions"))}
      ${o?.transactions.length?r`<div class="scroll"><table>
              <caption class="visually-hidden">${e("billing")}</caption>
              <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("kind")}</th><th scope="col">${e("status")}</th>
                <th scope="col">${e("amount")}</th><th scope="col">${e("customer")}</th></tr></thead>
              <tbody>${o.transactions.map(s=>r`<tr><td><a href=${`/admin/billing/${s.transactionId}`}>${b(s.createdAt)}</a></td>
                  <td>${te(s.kind)}</td><td>${oe(s.status)}</td><td>${f(s.amount)}</td><td>${s.customerEmail}</td></tr>`)}</tbody></table></div>
            ${this.paging(o.nextPageToken)}`:l}`}};W=n([y("gb-admin-billing")],W);var C=class extends w{constructor(){super(...arguments);this.transactionId="";this.error="";this.message="";this.busy=!1;this.amountError="";this.refundKey=crypto.randomUUID()}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await $(()=>u.payments.getTransaction({transactionId:this.transactionId}))}catch(t){this.error=g(t).rawMessage}}async refund(t){t.preventDefault();let o=this.answer?.payment;if(!o)return;let s=new FormData(t.target),i=String(s.get("amount")??"").trim(),d=i?ne(i):void 0;if(this.amountError=i&&d===void 0?e("badAmount"):"",!this.amountError){this.busy=!0,this.message="";try{let E=await $(()=>u.payments.refundPayment({paymentId:o.paymentId,amount:d===void 0?void 0:{currencyCode:"USD",amountMinor:d},reason:String(s.get("reason")??"").trim(),idempotencyKey:this.refundKey}));this.refundKey=crypto.randomUUID(),this.message=e("refunded",{amount:f(E.refund?.amount),status:he(E.payment?.status??0)}),this.answer&&(this.answer={...this.answer,payment:E.payment}),t.target.reset()}catch(E){let x=g(E);this.message=x.reason?`${x.rawMessage} (${x.reason})`:x.rawMessage}finally{this.busy=!1}}}render(){this.announce(e("transaction"));let t=this.answer?.transaction,o=this.answer?.payment;return t?r`<h1>${e("transaction")}</h1>
      <dl class="facts">
        <dt>${e("kind")}</dt><dd>${te(t.kind)}</dd>
        <dt>${e("status")}</dt><dd>${oe(t.status)}</dd>
        <dt>${e("amount")}</dt><dd>${f(t.amount)}</dd>
        <dt>${e("customer")}</dt><dd>${t.customerName?`${t.customerName} · `:""}${t.customerEmail}</dd>
        <dt>${e("when")}</dt><dd>${b(t.createdAt)}</dd>
        <dt>PayPal</dt><dd>${t.providerReference||"—"}</dd>
        ${t.reason?r`<dt>${e("reason")}</dt><dd>${t.reason}</dd>`:l}
      </dl>
      ${o?r`<h2>${e("payment")}</h2>
            <dl class="facts">
              <dt>${e("status")}</dt><dd class="payment-status">${he(o.status)}</dd>
              <dt>${e("amount")}</dt><dd>${f(o.amount)}</dd>
              <dt>${e("refundedSoFar")}</dt><dd class="refunded">${f(o.refundedAmount)}</dd>
              <dt>${e("subscription")}</dt><dd>${o.subscriptionId}</dd>
            </dl>`:l}
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      ${o&&P(2)&&(o.status===4||o.status===7)?r`<h2>${e("refund")}</h2>
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
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${e("working")}</p>`}`}};n([D()],C.prototype,"transactionId",2),n([c()],C.prototype,"answer",2),n([c()],C.prototype,"error",2),n([c()],C.prototype,"message",2),n([c()],C.prototype,"busy",2),n([c()],C.prototype,"amountError",2),C=n([y("gb-admin-transaction")],C);function se(a){let h=g(a);return h.reason?`${h.rawMessage} (${h.reason})`:h.rawMessage}var I=class extends w{constructor(){super(...arguments);this.decisions=[];this.message="";this.error="";this.busy=!1;this.subscription=new URLSearchParams(location.search).get("subscription")??""}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{let t=await $(()=>u.budgets.listDecisions({pageSize:50,status:1,requiresApprovalOnly:!0}));if(this.decisions=t.decisions,this.subscription){let[o,s]=await Promise.all([$(()=>u.budgets.getBudget({subscriptionId:this.subscription})),$(()=>u.budgets.listUsage({subscriptionId:this.subscription,pageSize:50}))]);this.budget=o.budget,this.usage=s}}catch(t){this.error=se(t)}}open(t){t.preventDefault();let o=String(new FormData(t.target).get("subscription")??"").trim();T(o?`/admin/budgets?subscription=${encodeURIComponent(o)}`:"/admin/budgets")}async setBudget(t){t.preventDefault();let o=new FormData(t.target);this.busy=!0;try{let s=await $(()=>u.budgets.setBudget({subscriptionId:this.subscription,limitTokens:BigInt(String(o.get("limit")??"0").replace(/\D/g,"")||"0"),resetPeriod:o.get("reset")==="on",reason:String(o.get("reason")??"").trim(),idempotencyKey:crypto.randomUUID()}));this.budget=s.budget,this.message=e("budgetSet",{limit:m(s.budget?.limitTokens??0n,p)})}catch(s){this.message=se(s)}finally{this.busy=!1}}async review(t,o){let s=this.querySelector(`#notes-${t.decisionId}`)?.value.trim()??"";this.busy=!0;try{await $(()=>u.budgets.reviewDecision({decisionId:t.decisionId,verdict:o,notes:s,idempotencyKey:crypto.randomUUID()})),this.decisions=this.decisions.filter(i=>i.decisionId!==t.decisionId),this.message=o===1?e("approved",{title:t.title}):e("rejected",{title:t.title})}catch(i){this.message=se(i)}finally{this.busy=!1}}render(){this.announce(e("budgets"));let t=P(2),o=this.budget;return r`<h1>${e("budgets")}</h1>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:l}
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      <form class="filters" @submit=${this.open}>
        <div class="field"><label for="subscription">${e("subscription")}</label>
          <input id="subscription" name="subscription" .value=${this.subscription} autocomplete="off" /></div>
        <button type="submit">${e("show")}</button>
      </form>
      ${o?r`<dl class="facts">
              <dt>${e("limit")}</dt><dd data-figure="limit">${m(o.limitTokens,p)}</dd>
              <dt>${e("committed")}</dt><dd data-figure="committed">${m(o.committedTokens,p)}</dd>
              <dt>${e("held")}</dt><dd>${m(o.heldTokens,p)}</dd>
              <dt>${e("remaining")}</dt><dd>${m(o.remainingTokens,p)} (${o.percentUsed} %)</dd>
              <dt>${e("period")}</dt><dd>${b(o.periodStartAt)} – ${b(o.periodEndAt)}</dd>
            </dl>
            ${t?r`<h2>${e("setBudget")}</h2>
                  <form @submit=${this.setBudget}>
                    <div class="field"><label for="limit">${e("newLimit")}</label>
                      <input id="limit" name="limit" inputmode="numeric" required .value=${String(o.limitTokens)} /></div>
                    <div class="check"><input id="reset" name="reset" type="checkbox" /><label for="reset">${e("resetPeriod")}</label></div>
                    <div class="field"><label for="budget-reason">${e("reason")}</label><input id="budget-reason" name="reason" required /></div>
                    <button type="submit" ?disabled=${this.busy}>${e("setBudget")}</button>
                  </form>`:l}
            <h2>${e("usage")}</h2>
            ${this.usage?.records.length?r`<div class="scroll"><table>
                  <caption class="visually-hidden">${e("usage")}</caption>
                  <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("model")}</th><th scope="col">${e("tokens")}</th>
                    <th scope="col">${e("tokensIn")}</th><th scope="col">${e("tokensOut")}</th><th scope="col">${e("tokensCached")}</th></tr></thead>
                  <tbody>${this.usage.records.map(s=>r`<tr><td>${b(s.occurredAt)}</td><td>${s.model||"—"}</td><td>${m(s.tokens,p)}</td>
                      <td>${m(s.tokensIn,p)}</td><td>${m(s.tokensOut,p)}</td><td>${m(s.tokensCached,p)}</td></tr>`)}</tbody></table></div>`:r`<p>${e("noUsage")}</p>`}`:l}
      <h2>${e("decisions")}</h2>
      ${this.decisions.length===0?r`<p>${e("noDecisions")}</p>`:this.decisions.map(s=>r`<section class="card" aria-label=${s.title}>
              <h3>${s.title}</h3>
              <p>${s.description}</p>
              <dl class="facts">
                <dt>Pod</dt><dd><a href=${`/admin/pods/${s.podId}`}>${s.podId}</a></dd>
                <dt>${e("reasoning")}</dt><dd>${s.reasoning}</dd>
                <dt>${e("recommended")}</dt><dd>${s.recommendedAction}</dd>
                <dt>${e("estimate")}</dt><dd>${m(s.estimatedTokens,p)} ${e("tokens")} · ${s.confidencePercent} %</dd>
                <dt>${e("expires")}</dt><dd>${b(s.expiresAt)}</dd>
              </dl>
              ${t?r`<div class="field"><label for=${`notes-${s.decisionId}`}>${e("comment")}</label>
                      <textarea id=${`notes-${s.decisionId}`} rows="2" maxlength="2000"></textarea></div>
                    <div class="actions">
                      <button type="button" class="primary" ?disabled=${this.busy} @click=${()=>{this.review(s,1)}}>${e("approve")}</button>
                      <button type="button" class="danger" ?disabled=${this.busy} @click=${()=>{this.review(s,2)}}>${e("reject")}</button>
                    </div>`:l}
            </section>`)}`}};n([c()],I.prototype,"budget",2),n([c()],I.prototype,"usage",2),n([c()],I.prototype,"decisions",2),n([c()],I.prototype,"message",2),n([c()],I.prototype,"error",2),n([c()],I.prototype,"busy",2),I=n([y("gb-admin-budgets")],I);var _=28,$e=250,Ce=260;function ge(a){let h=Math.max(1,...a.map(o=>o.value)),t=o=>o.length>29?`${o.slice(0,28)}…`:o;return r`<svg class="bars" viewBox="0 0 600 ${a.length*_}" aria-hidden="true" focusable="false">
    ${a.map((o,s)=>{let i=Math.max(2,Ce*o.value/h);return re`<text x="0" y=${s*_+18}>${t(o.label)}</text>
        <rect x=${$e} y=${s*_+5} width=${i} height="18" rx="3"></rect>
        <text x=${$e+i+6} y=${s*_+18}>${o.text}</text>`})}
  </svg>`}var Ie=15,be={days7:7,days30:30,days90:90},L=class extends w{constructor(){super(...arguments);this.period="days30";this.error=""}connectedCallback(){super.connectedCallback(),this.load()}async load(){let t=BigInt(Math.floor(Date.now()/1e3)),o=t-BigInt(be[this.period]*86400);try{this.answer=await $(()=>u.subscriptions.getCosts({startTime:{seconds:o,nanos:0},endTime:{seconds:t,nanos:0}})),this.error=""}catch(s){this.error=g(s).rawMessage}}render(){this.announce(e("costs"));let t=this.answer;return r`<h1>${e("costs")}</h1>
      <div class="field"><label for="period">${e("periodChoice")}</label>
        <select id="period" @change=${o=>{this.period=o.target.value,this.load()}}>${Object.keys(be).map(o=>r`<option value=${o} ?selected=${o===this.period}>${e(o)}</option>`)}</select></div>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:l}
      ${t?r`<p class="muted">${b(t.startTime)} – ${b(t.endTime)}</p>
            <dl class="figures">
              <div class="figure"><dt>${e("computeCost")}</dt><dd data-figure="compute">${f(t.computeCost)}</dd></div>
              <div class="figure"><dt>${e("otherCosts")}</dt><dd>${f(t.otherCosts)}</dd></div>
              <div class="figure"><dt>${e("totalCosts")}</dt><dd data-figure="total">${f(t.totalCosts)}</dd></div>
              <div class="figure"><dt>${e("revenue")}</dt><dd>${f(t.revenue)}</dd></div>
              <div class="figure"><dt>${e("profit")}</dt><dd class=${t.profitable?"ok":"error"}>${f(t.profit)}</dd></div>
              <div class="figure"><dt>${e("margin")}</dt><dd>${(t.marginBasisPoints/100).toLocaleString(p==="es"?"es-EC":"en-US")} %</dd></div>
              <div class="figure"><dt>${e("activePods")}</dt><dd>${m(t.activePods,p)}</dd></div>
              <div class="figure"><dt>${e("podHours")}</dt><dd>${m(Number(t.podRuntime?.seconds??0n)/3600,p)}</dd></div>
            </dl>
            ${t.perPod?r`<h2>${e("perPod")}</h2>
                  <p>${t.perPod.cpuUnits} CPU units · ${t.perPod.memoryMib} MiB · vCPU-h $${t.perPod.vcpuHourPriceUsd} · GB-h $${t.perPod.gbHourPriceUsd} ·
                    ${e("monthlyCost")}: <strong>${f(t.perPod.monthlyCost)}</strong></p>`:l}
            <h2>${e("byPod")}</h2>
            ${t.pods.length?r`<div class="scroll">${ge(t.pods.slice(0,Ie).map(o=>({label:o.podId,value:Number(o.computeCost?.amountMinor??0n),text:f(o.computeCost)})))}</div>
                  <div class="scroll"><table data-table="pod-costs">
                    <caption class="visually-hidden">${e("byPod")}</caption>
                    <thead><tr><th scope="col">Pod</th><th scope="col">${e("customer")}</th><th scope="col">${e("plan")}</th>
                      <th scope="col">${e("podHours")}</th><th scope="col">${e("computeCost")}</th></tr></thead>
                    <tbody>${t.pods.map(o=>r`<tr><td><a href=${`/admin/pods/${o.podId}`}>${o.podId}</a></td><td>${o.customerEmail}</td>
                        <td>${v(`plan${o.plan}`)}</td><td>${m(Number(o.runtime?.seconds??0n)/3600,p)}</td>
                        <td data-cost>${f(o.computeCost)}</td></tr>`)}</tbody></table></div>`:r`<p>${e("noPodCosts")}</p>`}`:r`<p aria-live="polite">${e("working")}</p>`}`}};n([c()],L.prototype,"answer",2),n([c()],L.prototype,"period",2),n([c()],L.prototype,"error",2),L=n([y("gb-admin-costs")],L);var Re=25,Ee=[6,9,7],j=class extends S{constructor(){super(...arguments);this.path="/admin/customers"}fetch(){return u.subscriptions.listCustomers({pageSize:Re,pageToken:this.query.get("page")??"",query:this.query.get("q")??""})}render(){this.announce(e("customers"));let t=this.answer;return r`<h1>${e("customers")}</h1>
      <form class="filters" role="search" @submit=${this.filter}>
        <div class="field"><label for="q">${e("searchCustomers")}</label>
          <input id="q" name="q" type="search" .value=${this.query.get("q")??""} /></div>
        <button type="submit">${e("search")}</button>
      </form>
      ${this.heading(t?.customers.length??0,t?.totalSize??0n,e("noCustomers"))}
      ${t?.customers.length?r`<div class="scroll"><table>
              <caption class="visually-hidden">${e("customers")}</caption>
              <thead><tr><th scope="col">${e("email")}</th><th scope="col">${e("name")}</th><th scope="col">${e("plan")}</th><th scope="col">${e("status")}</th></tr></thead>
              <tbody>${t.customers.map(o=>r`<tr><td><a href=${`/admin/customers/${encodeURIComponent(o.email)}`}>${o.email}</a></td><td>${o.name}</td>
                  <td>${v(`plan${o.latestPlan}`)}</td><td>${v(`st${o.latestStatus}`)}</td></tr>`)}</tbody></table></div>
            ${this.paging(t.nextPageToken)}`:l}`}};j=n([y("gb-admin-customers")],j);var R=class extends w{constructor(){super(...arguments);this.email="";this.error="";this.message="";this.busy="";this.confirmCancel=""}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await $(()=>u.subscriptions.getCustomer({email:this.email}))}catch(t){this.error=g(t).rawMessage}}async act(t,o,s){this.busy=t,this.message="";try{await $(o),await this.load(),this.message=s,this.confirmCancel=""}catch(i){let d=g(i);this.message=d.reason?`${d.rawMessage} (${d.reason})`:d.rawMessage}finally{this.busy=""}}render(){this.announce(this.email);let t=this.answer;if(!t)return r`<h1>${this.email}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${e("working")}</p>`}`;let o=P(2),s=t.customer;return r`<h1>${s?.name||this.email}</h1>
      <dl class="facts">
        <dt>${e("email")}</dt><dd>${s?.email}</dd>
        <dt>${e("taxId")}</dt><dd>${s?.taxId||"—"}</dd>
      </dl>
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      ${o?l:r`<p class="muted">${e("readOnly")}</p>`}
      <h2>${e("subscriptions")}</h2>
      ${t.subscriptions.map(i=>r`<section class="card" aria-label=${i.subscriptionId}>
          <dl class="facts">
            <dt>${e("subscription")}</dt><dd>${i.subscriptionId}</dd>
            <dt>${e("plan")}</dt><dd>${v(`plan${i.plan}`)} · ${f(i.price)}</dd>
            <dt>${e("status")}</dt><dd class="sub-status">${v(`st${i.status}`)}${i.statusReason?` · ${i.statusReason}`:""}</dd>
            <dt>${e("tokens")}</dt><dd>${m(i.tokensUsed,p)} / ${m(i.tokenLimit,p)}</dd>
            <dt>${e("created")}</dt><dd>${b(i.createdAt)}</dd>
            ${i.podId?r`<dt>Pod</dt><dd><a href=${`/admin/pods/${i.podId}`}>${i.podId}</a></dd>`:l}
          </dl>
          ${o&&!Ee.includes(i.status)?r`<div class="actions">
                <button type="button" ?disabled=${!!this.busy}
                  @click=${()=>{this.act("revoke",()=>u.subscriptions.revokeApiKey({subscriptionId:i.subscriptionId,reason:"revoked from the console"}),e("keyRevoked"))}}>${e("revokeKey")}</button>
                <button type="button" class="danger" ?disabled=${!!this.busy} @click=${()=>this.confirmCancel=i.subscriptionId}>${e("cancelSub")}</button>
                ${this.confirmCancel===i.subscriptionId?r`<div class="confirm" role="group" aria-label=${e("cancelSub")}>
                      <p>${e("cancelConfirm")}</p>
                      <button type="button" class="danger" ?disabled=${!!this.busy}
                        @click=${()=>{this.act("cancel",()=>u.subscriptions.cancelSubscription({subscriptionId:i.subscriptionId,reason:"cancelled from the console",idempotencyKey:crypto.randomUUID()}),e("subCancelled"))}}>${e("cancelYes")}</button>
                      <button type="button" @click=${()=>this.confirmCancel=""}>${e("cancel")}</button>
                    </div>`:l}
              </div>`:l}
        </section>`)}
      <h2>${e("payments")}</h2>
      ${t.payments.length?r`<div class="scroll"><table>
            <caption class="visually-hidden">${e("payments")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("amount")}</th><th scope="col">${e("status")}</th><th scope="col"><span class="visually-hidden">${e("actionsLabel")}</span></th></tr></thead>
            <tbody>${t.payments.map(i=>r`<tr><td>${b(i.createdAt)}</td><td>${f(i.amount)}</td><td>${i.status>=1&&i.status<=9?e(`pay${i.status}`):""}</td>
                <td>${o&&i.status===4?r`<button type="button" ?disabled=${!!this.busy}
                      @click=${()=>{this.act("receipt",()=>u.subscriptions.resendReceipt({target:{case:"paymentId",value:i.paymentId},idempotencyKey:crypto.randomUUID()}),e("receiptSent"))}}>${e("resendReceipt")}</button>`:l}</td></tr>`)}</tbody></table></div>`:r`<p>${e("noPayments")}</p>`}`}};n([D()],R.prototype,"email",2),n([c()],R.prototype,"answer",2),n([c()],R.prototype,"error",2),n([c()],R.prototype,"message",2),n([c()],R.prototype,"busy",2),n([c()],R.prototype,"confirmCancel",2),R=n([y("gb-admin-customer")],R);function xe(a){return a>=1&&a<=6?e(`kind${a}`):""}var De=3e4,F=class extends w{constructor(){super(...arguments);this.error="";this.chart=new V}connectedCallback(){super.connectedCallback(),this.load(),this.timer=window.setInterval(()=>{this.load()},De)}disconnectedCallback(){window.clearInterval(this.timer),this.chart.destroy(),super.disconnectedCallback()}async load(){try{this.data=await $(()=>u.subscriptions.getDashboard({})),this.error=""}catch(t){this.error=g(t).rawMessage}}updated(t){if(!t.has("data")||!this.data)return;let o=this.data.revenue?.monthly??[];this.chart.draw(this.querySelector("#revenue-chart"),o.map(s=>Date.UTC(s.year,s.month-1,1)/1e3),[{label:e("revenueChart"),values:o.map(s=>Number(s.amount?.amountMinor??0n)),color:"#0b5cad"}],s=>K(s,"USD",p))}render(){this.announce(e("dashboard"));let t=this.data;if(!t)return r`<h1>${e("dashboard")}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${e("working")}</p>`}`;let o=t.revenue,s=o?.growthDefined?`${(Number(o.growthBasisPoints)/100).toLocaleString(p==="es"?"es-EC":"en-US")} %`:e("growthUndefined"),i=(d,E,x)=>r`<div class="figure"><dt id=${`f-${x}`}>${d}</dt><dd aria-labelledby=${`f-${x}`} data-figure=${x}>${E}</dd></div>`;return r`<h1>${e("dashboard")}</h1>
      ${this.error?r`<p role="alert" class="error">${this.error}</p>`:l}
      <p class="muted" aria-live="polite">${e("updated",{time:b(t.generatedAt)})}</p>
      <dl class="figures">
        ${i(e("podsRunning"),m(t.pods?.running??0n,p),"pods-running")}
        ${i(e("podsProvisioning"),m(t.pods?.provisioning??0n,p),"pods-provisioning")}
        ${i(e("podsFailed"),m(t.pods?.failed??0n,p),"pods-failed")}
        ${i(e("podsTotal"),m(t.pods?.total??0n,p),"pods-total")}
        ${i(e("revenueMonth"),f(o?.currentMonth),"revenue-month")}
        ${i(e("revenuePrevious"),f(o?.previousMonth),"revenue-previous")}
        ${i(e("growth"),s,"growth")}
        ${i(e("payments"),m(o?.paymentCount??0n,p),"payments")}
        ${i(e("customersActive"),m(t.customers?.active??0n,p),"customers-active")}
        ${i(e("customersNew"),m(t.customers?.newLast7Days??0n,p),"customers-new")}
        ${i(e("tokensUsed"),m(t.tokens?.used??0n,p),"tokens-used")}
        ${i(e("tokensHeld"),m(t.tokens?.held??0n,p),"tokens-held")}
        ${i(e("tokensLimit"),m(t.tokens?.limit??0n,p),"tokens-limit")}
      </dl>
      <h2>${e("subscriptionsByStatus")}</h2>
      <ul class="plain columns" data-list="subscription-status">${t.subscriptionCounts.map(d=>r`<li data-status=${d.status}>${v(`st${d.status}`)}: <strong>${m(d.count,p)}</strong></li>`)}</ul>
      <h2>${e("revenueChart")}</h2>
      <div id="revenue-chart" class="chart"></div>
      <table>
        <caption class="visually-hidden">${e("revenueChart")}</caption>
        <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("amount")}</th></tr></thead>
        <tbody>${(o?.monthly??[]).map(d=>r`<tr><td>${d.year}-${String(d.month).padStart(2,"0")}</td><td>${f(d.amount)}</td></tr>`)}</tbody>
      </table>
      <h2>${e("plansTitle")}</h2>
      <ul class="plain">${t.planCounts.map(d=>r`<li>${v(`plan${d.plan}`)}: <strong>${m(d.count,p)}</strong></li>`)}</ul>
      <h2>${e("alerts")}</h2>
      ${t.alerts.length?r`<ul class="plain">${t.alerts.map(d=>r`<li class=${d.severity>=2?"warning":""}>${b(d.occurredAt)} · ${d.message}
            ${d.podId?r` · <a href=${`/admin/pods/${d.podId}`}>${d.podId}</a>`:l}</li>`)}</ul>`:r`<p>${e("noAlerts")}</p>`}
      <h2>${e("activity")}</h2>
      ${t.activity.length?r`<div class="scroll"><table>
            <caption class="visually-hidden">${e("activity")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("what")}</th><th scope="col">${e("who")}</th><th scope="col">${e("amount")}</th></tr></thead>
            <tbody>${t.activity.map(d=>r`<tr><td>${b(d.occurredAt)}</td><td>${xe(d.kind)}
                ${d.podId?r` · <a href=${`/admin/pods/${d.podId}`}>${d.podId}</a>`:l}</td>
                <td>${d.customerEmail}</td><td>${d.amount?f(d.amount):""}</td></tr>`)}</tbody></table></div>`:r`<p>${e("noActivity")}</p>`}`}};n([c()],F.prototype,"data",2),n([c()],F.prototype,"error",2),F=n([y("gb-admin-dashboard")],F);var M=class extends w{constructor(){super(...arguments);this.next="/admin/";this.error="";this.busy=!1}async submit(t){t.preventDefault();let o=new FormData(t.target);this.busy=!0,this.error="";try{await le(String(o.get("email")??"").trim(),String(o.get("password")??"")),history.replaceState(null,"","/admin/login"),T(this.next)}catch(s){this.error=g(s).rawMessage,this.busy=!1,await this.updateComplete,this.querySelector("#login-error")?.focus()}}render(){return r`<h1>${e("signInTitle")}</h1>
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
      </form>`}};n([D()],M.prototype,"next",2),n([c()],M.prototype,"error",2),n([c()],M.prototype,"busy",2),M=n([y("gb-admin-login")],M);var Te=25,Le=[1,2,3,4,5,6,7],Me=[1,2,3,4,5],Y=class extends S{constructor(){super(...arguments);this.path="/admin/pods"}fetch(){return u.pods.listPods({pageSize:Te,pageToken:this.query.get("page")??"",status:Number(this.query.get("status")??0),plan:Number(this.query.get("plan")??0),customerEmail:this.query.get("customer")??"",includeDestroyed:this.query.get("destroyed")==="1"})}render(){this.announce(e("pods"));let t=this.query,o=this.answer;return r`<h1>${e("pods")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-status">${e("status")}</label>
          <select id="f-status" name="status">
            <option value="0">${e("anyStatus")}</option>
            ${Le.map(s=>r`<option value=${s} ?selected=${t.get("status")===String(s)}>${v(`ps${s}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-plan">${e("plan")}</label>
          <select id="f-plan" name="plan">
            <option value="0">${e("anyPlan")}</option>
            ${Me.map(s=>r`<option value=${s} ?selected=${t.get("plan")===String(s)}>${v(`plan${s}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-customer">${e("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${t.get("customer")??""} /></div>
        <div class="check"><input id="f-destroyed" name="destroyed" type="checkbox" value="1" ?checked=${t.get("destroyed")==="1"} />
          <label for="f-destroyed">${e("withDestroyed")}</label></div>
        <button type="submit">${e("filter")}</button>
      </form>
      ${this.heading(o?.pods.length??0,o?.totalSize??0n,e("noPods"))}
      ${o?.pods.length?r`<div class="scroll"><table>
              <caption class="visually-hidden">${e("pods")}</caption>
              <thead><tr><th scope="col">Pod</th><th scope="col">${e("status")}</th><th scope="col">${e("plan")}</th>
                <th scope="col">${e("customer")}</th><th scope="col">${e("created")}</th></tr></thead>
              <tbody>${o.pods.map(s=>r`<tr><td><a href=${`/admin/pods/${s.podId}`}>${s.podId}</a></td>
                  <td class="pod-status" data-status=${s.status}>${v(`ps${s.status}`)}</td>
                  <td>${v(`plan${s.plan}`)}</td><td>${s.customerEmail}</td><td>${b(s.createdAt)}</td></tr>`)}</tbody></table></div>
            ${this.paging(o.nextPageToken)}`:l}`}};Y=n([y("gb-admin-pods")],Y);var fe={hour:3600n,day:86400n,week:604800n},k=class extends w{constructor(){super(...arguments);this.podId="";this.history=[];this.window="hour";this.error="";this.message="";this.busy="";this.confirming=!1;this.typed="";this.chart=new V}connectedCallback(){super.connectedCallback(),this.watch(),this.loadMetrics()}disconnectedCallback(){this.abort?.abort(),this.chart.destroy(),super.disconnectedCallback()}async watch(){this.abort=new AbortController;let t=this.abort.signal;for(let o=0;!t.aborted;o++){try{let s=await $(async()=>u.pods.watchPod({podId:this.podId},{signal:t}));for await(let i of s)this.pod=i.pod,o=0,this.loadHistory()}catch(s){if(t.aborted)return;let i=g(s);if([q.NotFound,q.PermissionDenied,q.Unauthenticated].includes(i.code)){this.error=i.rawMessage;return}}await new Promise(s=>setTimeout(s,ae(o)))}}async loadHistory(){try{this.history=(await $(()=>u.pods.listPodHistory({podId:this.podId}))).changes}catch(t){this.message=g(t).rawMessage}}async loadMetrics(){try{let t=fe[this.window];this.metrics=await $(()=>u.pods.getPodMetrics({podId:this.podId,window:{seconds:t,nanos:0},step:{seconds:t/60n<60n?60n:t/60n,nanos:0}}))}catch(t){this.message=g(t).rawMessage}}updated(t){if(!t.has("metrics")||!this.metrics)return;let o=this.metrics;this.chart.draw(this.querySelector("#metrics-chart"),o.cpu.map(s=>Number(s.at?.seconds??0n)),[{label:e("cpu"),values:o.cpu.map(s=>s.percent),color:"#0b5cad"},{label:e("memory"),values:o.memory.map(s=>s.percent),color:"#1d6b32"}],s=>`${s} %`)}async act(t,o=""){this.busy=t,this.message="";let s=crypto.randomUUID();try{let i=await $(()=>t==="start"?u.pods.startPod({podId:this.podId,idempotencyKey:s}):t==="stop"?u.pods.stopPod({podId:this.podId,reason:o,idempotencyKey:s}):u.pods.destroyPod({podId:this.podId,reason:o,idempotencyKey:s}));i.pod&&(this.pod=i.pod),this.message=e("done",{status:v(`ps${i.pod?.status??0}`)}),this.confirming=!1}catch(i){let d=g(i);this.message=d.reason?`${d.rawMessage} (${d.reason})`:d.rawMessage}finally{this.busy=""}}destroy(t){t.preventDefault();let o=new FormData(t.target);this.act("destroy",String(o.get("reason")??"").trim())}render(){this.announce(e("pod",{id:this.podId}));let t=this.pod;if(!t)return r`<h1>${e("pod",{id:this.podId})}</h1>
        ${this.error?r`<p role="alert" class="error">${this.error}</p>`:r`<p aria-live="polite">${e("working")}</p>`}`;let o=this.metrics,s=P(2),i=t.status===7;return r`<h1>${e("pod",{id:t.podId})}</h1>
      <dl class="facts">
        <dt>${e("status")}</dt><dd><strong class="pod-status" data-status=${t.status} aria-live="polite">${v(`ps${t.status}`)}</strong></dd>
        ${t.statusReason?r`<dt>${e("reason")}</dt><dd>${t.statusReason}</dd>`:l}
        <dt>${e("customer")}</dt><dd>${t.customerEmail}</dd>
        <dt>${e("plan")}</dt><dd>${v(`plan${t.plan}`)}</dd>
        <dt>${e("subscription")}</dt><dd>${t.subscriptionId} · ${v(`st${t.subscriptionStatus}`)}</dd>
        <dt>${e("address")}</dt><dd class="pod-url">${t.podUrl||"—"}</dd>
        <dt>${e("created")}</dt><dd>${b(t.createdAt)}</dd>
        <dt>${e("started")}</dt><dd>${b(t.startedAt)}</dd>
        <dt>${e("stopped")}</dt><dd>${b(t.stoppedAt)}</dd>
        ${o?r`<dt>${e("uptime")}</dt><dd>${m(o.uptime?.seconds??0n,p)} s</dd>
              <dt>${e("costSoFar")}</dt><dd>${f(o.costSoFar)}</dd>
              <dt>${e("monthlyCost")}</dt><dd>${f(o.monthlyCostEstimate)}</dd>`:l}
      </dl>
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      ${s?i?l:r`<div class="actions">
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
      <h2>${e("history")}</h2>
      ${this.history.length?r`<div class="scroll"><table data-table="history">
            <caption class="visually-hidden">${e("history")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("from")}</th><th scope="col">${e("to")}</th><th scope="col">${e("reason")}</th></tr></thead>
            <tbody>${this.history.map(d=>r`<tr><td>${b(d.occurredAt)}</td><td>${d.previousStatus?v(`ps${d.previousStatus}`):"—"}</td>
                <td data-status=${d.status}>${v(`ps${d.status}`)}</td><td>${d.reason}</td></tr>`)}</tbody></table></div>`:r`<p>${e("noHistory")}</p>`}
      <h2>${e("cpu")} · ${e("memory")}</h2>
      <div class="field"><label for="window">${e("window")}</label>
        <select id="window" @change=${d=>{this.window=d.target.value,this.loadMetrics()}}>${Object.keys(fe).map(d=>r`<option value=${d} ?selected=${d===this.window}>${e(d)}</option>`)}</select></div>
      <div id="metrics-chart" class="chart"></div>
      ${o&&o.cpu.length?r`<div class="scroll"><table>
            <caption class="visually-hidden">${e("cpu")} · ${e("memory")}</caption>
            <thead><tr><th scope="col">${e("when")}</th><th scope="col">${e("cpu")}</th><th scope="col">${e("memory")}</th></tr></thead>
            <tbody>${o.cpu.map((d,E)=>r`<tr><td>${b(d.at)}</td><td>${d.percent.toFixed(1)}</td><td>${o.memory[E]?.percent.toFixed(1)??""}</td></tr>`)}</tbody>
          </table></div>`:l}`}};n([D()],k.prototype,"podId",2),n([c()],k.prototype,"pod",2),n([c()],k.prototype,"metrics",2),n([c()],k.prototype,"history",2),n([c()],k.prototype,"window",2),n([c()],k.prototype,"error",2),n([c()],k.prototype,"message",2),n([c()],k.prototype,"busy",2),n([c()],k.prototype,"confirming",2),n([c()],k.prototype,"typed",2),k=n([y("gb-admin-pod")],k);var Ue=[1,2,3],ye=a=>e(`role${a}`),U=class extends w{constructor(){super(...arguments);this.message="";this.busy=!1;this.confirmLive=!1}async run(t){this.busy=!0,this.message="";try{this.message=await t()}catch(o){let s=g(o);this.message=s.reason?`${s.rawMessage} (${s.reason})`:s.rawMessage}finally{this.busy=!1}}createUser(t){t.preventDefault();let o=t.target,s=new FormData(o);this.run(async()=>{let i=await $(()=>u.auth.createAdminUser({email:String(s.get("email")??"").trim(),name:String(s.get("name")??"").trim(),password:String(s.get("password")??""),role:Number(s.get("role")),idempotencyKey:crypto.randomUUID()}));return o.reset(),e("userCreated",{email:i.user?.email??"",role:ye(i.user?.role??1)})})}switchMode(t){this.run(async()=>{let o=await $(()=>u.auth.switchMode({mode:t,confirm:t===2,reason:"switched from the console",idempotencyKey:crypto.randomUUID()}));return this.confirmLive=!1,e("modeNow",{mode:o.mode===2?e("live"):e("sandbox")})})}render(){return this.announce(e("settings")),P(3)?r`<h1>${e("settings")}</h1>
      ${this.message?r`<p role="status" class="notice">${this.message}</p>`:l}
      <h2>${e("newAdmin")}</h2>
      <form @submit=${this.createUser}>
        <div class="field"><label for="u-email">${e("email")}</label><input id="u-email" name="email" type="email" required autocomplete="off" /></div>
        <div class="field"><label for="u-name">${e("name")}</label><input id="u-name" name="name" required autocomplete="off" /></div>
        <div class="field"><label for="u-password">${e("password")}</label>
          <input id="u-password" name="password" type="password" minlength="12" required autocomplete="new-password" aria-describedby="u-password-help" />
          <p class="help" id="u-password-help">${e("passwordHelp")}</p></div>
        <div class="field"><label for="u-role">${e("role")}</label>
          <select id="u-role" name="role">${Ue.map(t=>r`<option value=${t}>${ye(t)}</option>`)}</select></div>
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
      </div>`:r`<h1>${e("settings")}</h1><p class="muted">${e("superOnly")}</p>`}};n([c()],U.prototype,"message",2),n([c()],U.prototype,"busy",2),n([c()],U.prototype,"confirmLive",2),U=n([y("gb-admin-settings")],U);function Ne(a){try{return decodeURIComponent(a)}catch{return a}}function qe(a){if(a==="/admin"||a==="/admin/")return{page:r`<gb-admin-dashboard></gb-admin-dashboard>`,nav:"/admin/"};if(a==="/admin/pods")return{page:r`<gb-admin-pods></gb-admin-pods>`,nav:"/admin/pods"};if(a==="/admin/customers")return{page:r`<gb-admin-customers></gb-admin-customers>`,nav:"/admin/customers"};let h=a.match(/^\/admin\/customers\/([^/]+)$/);if(h)return{page:r`<gb-admin-customer .email=${Ne(h[1])}></gb-admin-customer>`,nav:"/admin/customers"};if(a==="/admin/budgets")return{page:r`<gb-admin-budgets></gb-admin-budgets>`,nav:"/admin/budgets"};if(a==="/admin/costs")return{page:r`<gb-admin-costs></gb-admin-costs>`,nav:"/admin/costs"};if(a==="/admin/audit")return{page:r`<gb-admin-audit></gb-admin-audit>`,nav:"/admin/audit"};if(a==="/admin/settings")return{page:r`<gb-admin-settings></gb-admin-settings>`,nav:"/admin/settings"};if(a==="/admin/billing")return{page:r`<gb-admin-billing></gb-admin-billing>`,nav:"/admin/billing"};let t=a.match(/^\/admin\/billing\/([A-Za-z0-9_-]+)$/);if(t)return{page:r`<gb-admin-transaction .transactionId=${t[1]}></gb-admin-transaction>`,nav:"/admin/billing"};let o=a.match(/^\/admin\/pods\/([A-Za-z0-9_-]+)$/);if(o)return{page:r`<gb-admin-pod .podId=${o[1]}></gb-admin-pod>`,nav:"/admin/pods"}}var A=class extends w{constructor(){super(...arguments);this.ready=!1;this.rerender=()=>{this.ready=!1,this.check()};this.follow=t=>{let o=t.target.closest("a"),s=o?.getAttribute("href");!s||!s.startsWith("/admin")||t.ctrlKey||t.metaKey||t.shiftKey||o?.target||(t.preventDefault(),T(s))}}connectedCallback(){super.connectedCallback(),window.addEventListener("popstate",this.rerender),window.addEventListener("gb-navigate",this.rerender),window.addEventListener("pageshow",t=>t.persisted&&location.reload()),this.addEventListener("click",this.follow),this.check()}disconnectedCallback(){window.removeEventListener("popstate",this.rerender),window.removeEventListener("gb-navigate",this.rerender),super.disconnectedCallback()}async check(){if(location.pathname==="/admin/login"){this.ready=!0;return}await pe()?this.ready=!0:ee()}render(){let t=location.pathname;if(t==="/admin/login")return this.announce(e("signInTitle")),r`<a class="skip" href="#main">${N("skip")}</a>
        <header><span class="brand">${N("brand")} · ${e("console")}</span></header>
        <main id="main" tabindex="-1"><gb-admin-login .next=${ie(new URLSearchParams(location.search).get("next"))}></gb-admin-login></main>`;if(!this.ready)return r`<main id="main"><p aria-live="polite">${e("working")}</p></main>`;let o=qe(t),s=i=>o?.nav===i?"page":"false";return r`<a class="skip" href="#main">${N("skip")}</a>
      <header>
        <a class="brand" href="/admin/">${N("brand")} · ${e("console")}</a>
        <nav aria-label=${e("navLabel")}>
          <a href="/admin/" aria-current=${s("/admin/")}>${e("dashboard")}</a>
          <a href="/admin/pods" aria-current=${s("/admin/pods")}>${e("pods")}</a>
          <a href="/admin/customers" aria-current=${s("/admin/customers")}>${e("customers")}</a>
          <a href="/admin/billing" aria-current=${s("/admin/billing")}>${e("billing")}</a>
          <a href="/admin/costs" aria-current=${s("/admin/costs")}>${e("costs")}</a>
          <a href="/admin/budgets" aria-current=${s("/admin/budgets")}>${e("budgets")}</a>
          ${P(3)?r`<a href="/admin/audit" aria-current=${s("/admin/audit")}>${e("audit")}</a>
                <a href="/admin/settings" aria-current=${s("/admin/settings")}>${e("settings")}</a>`:l}
        </nav>
        <span class="who">${G()?.email??""}</span>
        <button type="button" class="lang" @click=${()=>{me()}}>${e("signOut")}</button>
      </header>
      <main id="main" tabindex="-1">${o?o.page:r`<h1>${N("notFound")}</h1><p><a href="/admin/">${e("dashboard")}</a></p>`}</main>`}};n([c()],A.prototype,"ready",2),A=n([y("gb-admin")],A);export{A as AdminShell};
