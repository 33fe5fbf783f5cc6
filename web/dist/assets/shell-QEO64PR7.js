import{B as I,C as z,D,G as y,a as d,b as s,c as u,d as $,e as T,f as c,g as b,l as h,m as M,q as V,v as _,w as l,x as P,y as f}from"./chunk-WJILBET2.js";function C(a){history.pushState(null,"",a),window.dispatchEvent(new CustomEvent("gb-navigate"))}var X={console:"Consola",signInTitle:"Ingreso de operadores",email:"Correo electrónico",password:"Contraseña",signIn:"Ingresar",signOut:"Salir",working:"Un momento…",dashboard:"Panel",pods:"Pods",audit:"Auditoría",navLabel:"Consola",podsRunning:"Pods en ejecución",podsProvisioning:"Aprovisionando",podsFailed:"Pods fallidos",podsTotal:"Pods en total",revenueMonth:"Ingresos de este mes",revenuePrevious:"Mes anterior",growth:"Variación",growthUndefined:"sin mes anterior",payments:"Pagos",customersActive:"Clientes activos",customersNew:"Nuevos (7 días)",plansTitle:"Suscripciones por plan",revenueChart:"Ingresos por mes",activity:"Actividad reciente",alerts:"Alertas",noAlerts:"Sin alertas.",noActivity:"Sin actividad todavía.",updated:"Actualizado {time}",when:"Cuándo",what:"Qué",who:"Cliente",amount:"Monto",kind1:"Registro",kind2:"Pago",kind3:"Pod iniciado",kind4:"Pod detenido",kind5:"Cancelación",kind6:"Reembolso",status:"Estado",plan:"Plan",customer:"Cliente",anyStatus:"Cualquier estado",anyPlan:"Cualquier plan",filter:"Filtrar",withDestroyed:"Incluir eliminados",next:"Siguientes",first:"Primeros",shown:"{n} de {total}",noPods:"Ningún pod coincide.",pod:"Pod {id}",subscription:"Suscripción",address:"Dirección",created:"Creado",started:"Iniciado",stopped:"Detenido",reason:"Motivo",uptime:"Tiempo activo",costSoFar:"Costo hasta ahora",monthlyCost:"Costo mensual estimado",cpu:"CPU %",memory:"Memoria %",window:"Ventana",hour:"1 hora",day:"24 horas",week:"7 días",start:"Iniciar",stop:"Detener",destroy:"Destruir",destroyConfirm:"Destruir borra la tarea del pod y su token para siempre. Escribe {id} para confirmar.",destroyReason:"Motivo (queda en la auditoría)",confirmId:"Id del pod",confirmDestroy:"Destruir definitivamente",cancel:"Volver",done:"Hecho: {status}.",actor:"Actor",action:"Acción",target:"Objeto",chainOk:"Cadena de auditoría verificada: ninguna entrada alterada.",chainBroken:"¡Cadena de auditoría rota en la entrada {id}!",noEntries:"Sin entradas.",readOnly:"Solo lectura: tu rol no permite acciones."},tt={console:"Console",signInTitle:"Operator sign-in",email:"Email",password:"Password",signIn:"Sign in",signOut:"Sign out",working:"One moment…",dashboard:"Dashboard",pods:"Pods",audit:"Audit log",navLabel:"Console",podsRunning:"Pods running",podsProvisioning:"Provisioning",podsFailed:"Pods failed",podsTotal:"Pods in total",revenueMonth:"Revenue this month",revenuePrevious:"Previous month",growth:"Change",growthUndefined:"no previous month",payments:"Payments",customersActive:"Active customers",customersNew:"New (7 days)",plansTitle:"Subscriptions by plan",revenueChart:"Revenue by month",activity:"Recent activity",alerts:"Alerts",noAlerts:"No alerts.",noActivity:"No activity yet.",updated:"Updated {time}",when:"When",what:"What",who:"Customer",amount:"Amount",kind1:"Sign-up",kind2:"Payment",kind3:"Pod started",kind4:"Pod stopped",kind5:"Cancellation",kind6:"Refund",status:"Status",plan:"Plan",customer:"Customer",anyStatus:"Any status",anyPlan:"Any plan",filter:"Filter",withDestroyed:"Include destroyed",next:"Next",first:"First",shown:"{n} of {total}",noPods:"No pod matches.",pod:"Pod {id}",subscription:"Subscription",address:"Address",created:"Created",started:"Started",stopped:"Stopped",reason:"Reason",uptime:"Uptime",costSoFar:"Cost so far",monthlyCost:"Estimated monthly cost",cpu:"CPU %",memory:"Memory %",window:"Window",hour:"1 hour",day:"24 hours",week:"7 days",start:"Start",stop:"Stop",destroy:"Destroy",destroyConfirm:"Destroy deletes the pod's task and its token for good. Type {id} to confirm.",destroyReason:"Reason (kept in the audit log)",confirmId:"Pod id",confirmDestroy:"Destroy for good",cancel:"Back",done:"Done: {status}.",actor:"Actor",action:"Action",target:"Target",chainOk:"Audit chain verified: no entry altered.",chainBroken:"Audit chain broken at entry {id}!",noEntries:"No entries.",readOnly:"Read-only: your role allows no actions."};function t(a,p={}){return(l==="en"?tt:X)[a].replace(/\{(\w+)\}/g,(r,o)=>String(p[o]??""))}var N="gpubroker.admin.refresh",W="gpubroker.admin.who",U,H,q,g=z({baseUrl:location.origin,token:()=>U});function L(){try{return JSON.parse(sessionStorage.getItem(W)??"null")??void 0}catch{return}}function G(a){return(L()?.role??0)>=a}function B(a,p){U=a.accessToken,sessionStorage.setItem(N,a.refreshToken),sessionStorage.setItem(W,JSON.stringify({email:p,role:a.role}));let e=Number(a.expiresIn?.seconds??0n);window.clearTimeout(H),H=window.setTimeout(()=>{A()},Math.max(5,Math.min(e-60,e/2))*1e3)}async function j(a,p){let e=await g.auth.login({email:a,password:p});B(e,e.user?.email||a)}function A(){return q??=(async()=>{let a=sessionStorage.getItem(N);if(!a)return!1;try{return B(await g.auth.refresh({refreshToken:a}),L()?.email??""),!0}catch{return Q(),!1}})().finally(()=>{q=void 0}),q}async function J(){return U!==void 0||A()}async function k(a){try{return await a()}catch(p){if(y(p).code!==I.Unauthenticated)throw p;if(await A())return a();throw K(),p}}async function Z(){let a=sessionStorage.getItem(N);if(Q(),a)try{await g.auth.logout({refreshToken:a})}catch{}location.replace("/admin/login")}function Q(){U=void 0,window.clearTimeout(H),sessionStorage.removeItem(N),sessionStorage.removeItem(W)}function K(){let a=location.pathname+location.search;location.replace(`/admin/login?next=${encodeURIComponent(a)}`)}function v(a){return a?new Date(Number(a.seconds)*1e3).toLocaleString(l==="es"?"es-EC":"en-US",{dateStyle:"medium",timeStyle:"short"}):"—"}function w(a){return a?M(a.amountMinor,a.currencyCode||"USD",l):"—"}function ot(a){return a>=1&&a<=6?t(`kind${a}`):""}var rt=3e4,E=class extends b{constructor(){super(...arguments);this.error="";this.chart=new D}connectedCallback(){super.connectedCallback(),this.load(),this.timer=window.setInterval(()=>{this.load()},rt)}disconnectedCallback(){window.clearInterval(this.timer),this.chart.destroy(),super.disconnectedCallback()}async load(){try{this.data=await k(()=>g.subscriptions.getDashboard({})),this.error=""}catch(e){this.error=y(e).rawMessage}}updated(e){if(!e.has("data")||!this.data)return;let r=this.data.revenue?.monthly??[];this.chart.draw(this.querySelector("#revenue-chart"),r.map(o=>Date.UTC(o.year,o.month-1,1)/1e3),[{label:t("revenueChart"),values:r.map(o=>Number(o.amount?.amountMinor??0n)),color:"#0b5cad"}],o=>M(o,"USD",l))}render(){this.announce(t("dashboard"));let e=this.data;if(!e)return s`<h1>${t("dashboard")}</h1>
        ${this.error?s`<p role="alert" class="error">${this.error}</p>`:s`<p aria-live="polite">${t("working")}</p>`}`;let r=e.revenue,o=r?.growthDefined?`${(Number(r.growthBasisPoints)/100).toLocaleString(l==="es"?"es-EC":"en-US")} %`:t("growthUndefined"),n=(i,F,O)=>s`<div class="figure"><dt id=${`f-${O}`}>${i}</dt><dd aria-labelledby=${`f-${O}`} data-figure=${O}>${F}</dd></div>`;return s`<h1>${t("dashboard")}</h1>
      ${this.error?s`<p role="alert" class="error">${this.error}</p>`:u}
      <p class="muted" aria-live="polite">${t("updated",{time:v(e.generatedAt)})}</p>
      <dl class="figures">
        ${n(t("podsRunning"),h(e.pods?.running??0n,l),"pods-running")}
        ${n(t("podsProvisioning"),h(e.pods?.provisioning??0n,l),"pods-provisioning")}
        ${n(t("podsFailed"),h(e.pods?.failed??0n,l),"pods-failed")}
        ${n(t("podsTotal"),h(e.pods?.total??0n,l),"pods-total")}
        ${n(t("revenueMonth"),w(r?.currentMonth),"revenue-month")}
        ${n(t("revenuePrevious"),w(r?.previousMonth),"revenue-previous")}
        ${n(t("growth"),o,"growth")}
        ${n(t("payments"),h(r?.paymentCount??0n,l),"payments")}
        ${n(t("customersActive"),h(e.customers?.active??0n,l),"customers-active")}
        ${n(t("customersNew"),h(e.customers?.newLast7Days??0n,l),"customers-new")}
      </dl>
      <h2>${t("revenueChart")}</h2>
      <div id="revenue-chart" class="chart"></div>
      <table>
        <caption class="visually-hidden">${t("revenueChart")}</caption>
        <thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("amount")}</th></tr></thead>
        <tbody>${(r?.monthly??[]).map(i=>s`<tr><td>${i.year}-${String(i.month).padStart(2,"0")}</td><td>${w(i.amount)}</td></tr>`)}</tbody>
      </table>
      <h2>${t("plansTitle")}</h2>
      <ul class="plain">${e.planCounts.map(i=>s`<li>${f(`plan${i.plan}`)}: <strong>${h(i.count,l)}</strong></li>`)}</ul>
      <h2>${t("alerts")}</h2>
      ${e.alerts.length?s`<ul class="plain">${e.alerts.map(i=>s`<li class=${i.severity>=2?"warning":""}>${v(i.occurredAt)} · ${i.message}
            ${i.podId?s` · <a href=${`/admin/pods/${i.podId}`}>${i.podId}</a>`:u}</li>`)}</ul>`:s`<p>${t("noAlerts")}</p>`}
      <h2>${t("activity")}</h2>
      ${e.activity.length?s`<div class="scroll"><table>
            <caption class="visually-hidden">${t("activity")}</caption>
            <thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("what")}</th><th scope="col">${t("who")}</th><th scope="col">${t("amount")}</th></tr></thead>
            <tbody>${e.activity.map(i=>s`<tr><td>${v(i.occurredAt)}</td><td>${ot(i.kind)}
                ${i.podId?s` · <a href=${`/admin/pods/${i.podId}`}>${i.podId}</a>`:u}</td>
                <td>${i.customerEmail}</td><td>${i.amount?w(i.amount):""}</td></tr>`)}</tbody></table></div>`:s`<p>${t("noActivity")}</p>`}`}};d([c()],E.prototype,"data",2),d([c()],E.prototype,"error",2),E=d([$("gb-admin-dashboard")],E);var S=class extends b{constructor(){super(...arguments);this.next="/admin/";this.error="";this.busy=!1}async submit(e){e.preventDefault();let r=new FormData(e.target);this.busy=!0,this.error="";try{await j(String(r.get("email")??"").trim(),String(r.get("password")??"")),history.replaceState(null,"","/admin/login"),C(this.next)}catch(o){this.error=y(o).rawMessage,this.busy=!1,await this.updateComplete,this.querySelector("#login-error")?.focus()}}render(){return s`<h1>${t("signInTitle")}</h1>
      <form @submit=${this.submit}>
        ${this.error?s`<p class="error" role="alert" id="login-error" tabindex="-1">${this.error}</p>`:u}
        <div class="field">
          <label for="admin-email">${t("email")}</label>
          <input id="admin-email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="admin-password">${t("password")}</label>
          <input id="admin-password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit" class="primary" ?disabled=${this.busy}>${this.busy?t("working"):t("signIn")}</button>
      </form>`}};d([T()],S.prototype,"next",2),d([c()],S.prototype,"error",2),d([c()],S.prototype,"busy",2),S=d([$("gb-admin-login")],S);var st=25,at=[1,2,3,4,5,6,7],it=[1,2,3,4,5],x=class extends b{constructor(){super(...arguments);this.error="";this.query=new URLSearchParams(location.search)}connectedCallback(){super.connectedCallback(),this.load()}async load(){try{this.answer=await k(()=>g.pods.listPods({pageSize:st,pageToken:this.query.get("page")??"",status:Number(this.query.get("status")??0),plan:Number(this.query.get("plan")??0),customerEmail:this.query.get("customer")??"",includeDestroyed:this.query.get("destroyed")==="1"})),this.error=""}catch(e){this.error=y(e).rawMessage}}filter(e){e.preventDefault();let r=new FormData(e.target),o=new URLSearchParams;for(let n of["status","plan","customer","destroyed"]){let i=String(r.get(n)??"").trim();i&&i!=="0"&&o.set(n,i)}C(`/admin/pods${o.size?`?${o}`:""}`)}pageHref(e){let r=new URLSearchParams(this.query);return e?r.set("page",e):r.delete("page"),`/admin/pods${r.size?`?${r}`:""}`}render(){this.announce(t("pods"));let e=this.query,r=this.answer;return s`<h1>${t("pods")}</h1>
      <form class="filters" @submit=${this.filter}>
        <div class="field"><label for="f-status">${t("status")}</label>
          <select id="f-status" name="status">
            <option value="0">${t("anyStatus")}</option>
            ${at.map(o=>s`<option value=${o} ?selected=${e.get("status")===String(o)}>${f(`ps${o}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-plan">${t("plan")}</label>
          <select id="f-plan" name="plan">
            <option value="0">${t("anyPlan")}</option>
            ${it.map(o=>s`<option value=${o} ?selected=${e.get("plan")===String(o)}>${f(`plan${o}`)}</option>`)}
          </select></div>
        <div class="field"><label for="f-customer">${t("customer")}</label>
          <input id="f-customer" name="customer" type="search" .value=${e.get("customer")??""} /></div>
        <div class="check"><input id="f-destroyed" name="destroyed" type="checkbox" value="1" ?checked=${e.get("destroyed")==="1"} />
          <label for="f-destroyed">${t("withDestroyed")}</label></div>
        <button type="submit">${t("filter")}</button>
      </form>
      ${this.error?s`<p role="alert" class="error">${this.error}</p>`:u}
      ${r?r.pods.length===0?s`<p>${t("noPods")}</p>`:s`<p class="muted">${t("shown",{n:r.pods.length,total:h(r.totalSize,l)})}</p>
              <div class="scroll"><table>
                <caption class="visually-hidden">${t("pods")}</caption>
                <thead><tr><th scope="col">Pod</th><th scope="col">${t("status")}</th><th scope="col">${t("plan")}</th>
                  <th scope="col">${t("customer")}</th><th scope="col">${t("created")}</th></tr></thead>
                <tbody>${r.pods.map(o=>s`<tr><td><a href=${`/admin/pods/${o.podId}`}>${o.podId}</a></td>
                    <td class="pod-status" data-status=${o.status}>${f(`ps${o.status}`)}</td>
                    <td>${f(`plan${o.plan}`)}</td><td>${o.customerEmail}</td><td>${v(o.createdAt)}</td></tr>`)}</tbody></table></div>
              <p class="actions">
                ${e.get("page")?s`<a class="button" href=${this.pageHref("")}>${t("first")}</a>`:u}
                ${r.nextPageToken?s`<a class="button" href=${this.pageHref(r.nextPageToken)}>${t("next")}</a>`:u}
              </p>`:s`<p aria-live="polite">${t("working")}</p>`}`}};d([c()],x.prototype,"answer",2),d([c()],x.prototype,"error",2),x=d([$("gb-admin-pods")],x);var Y={hour:3600n,day:86400n,week:604800n},m=class extends b{constructor(){super(...arguments);this.podId="";this.window="hour";this.error="";this.message="";this.busy="";this.confirming=!1;this.typed="";this.chart=new D}connectedCallback(){super.connectedCallback(),this.watch(),this.loadMetrics()}disconnectedCallback(){this.abort?.abort(),this.chart.destroy(),super.disconnectedCallback()}async watch(){this.abort=new AbortController;let e=this.abort.signal;for(let r=0;!e.aborted;r++){try{let o=await k(async()=>g.pods.watchPod({podId:this.podId},{signal:e}));for await(let n of o)this.pod=n.pod,r=0}catch(o){if(e.aborted)return;let n=y(o);if([I.NotFound,I.PermissionDenied,I.Unauthenticated].includes(n.code)){this.error=n.rawMessage;return}}await new Promise(o=>setTimeout(o,V(r)))}}async loadMetrics(){try{let e=Y[this.window];this.metrics=await k(()=>g.pods.getPodMetrics({podId:this.podId,window:{seconds:e,nanos:0},step:{seconds:e/60n<60n?60n:e/60n,nanos:0}}))}catch(e){this.message=y(e).rawMessage}}updated(e){if(!e.has("metrics")||!this.metrics)return;let r=this.metrics;this.chart.draw(this.querySelector("#metrics-chart"),r.cpu.map(o=>Number(o.at?.seconds??0n)),[{label:t("cpu"),values:r.cpu.map(o=>o.percent),color:"#0b5cad"},{label:t("memory"),values:r.memory.map(o=>o.percent),color:"#1d6b32"}],o=>`${o} %`)}async act(e,r=""){this.busy=e,this.message="";let o=crypto.randomUUID();try{let n=await k(()=>e==="start"?g.pods.startPod({podId:this.podId,idempotencyKey:o}):e==="stop"?g.pods.stopPod({podId:this.podId,reason:r,idempotencyKey:o}):g.pods.destroyPod({podId:this.podId,reason:r,idempotencyKey:o}));n.pod&&(this.pod=n.pod),this.message=t("done",{status:f(`ps${n.pod?.status??0}`)}),this.confirming=!1}catch(n){let i=y(n);this.message=i.reason?`${i.rawMessage} (${i.reason})`:i.rawMessage}finally{this.busy=""}}destroy(e){e.preventDefault();let r=new FormData(e.target);this.act("destroy",String(r.get("reason")??"").trim())}render(){this.announce(t("pod",{id:this.podId}));let e=this.pod;if(!e)return s`<h1>${t("pod",{id:this.podId})}</h1>
        ${this.error?s`<p role="alert" class="error">${this.error}</p>`:s`<p aria-live="polite">${t("working")}</p>`}`;let r=this.metrics,o=G(2),n=e.status===7;return s`<h1>${t("pod",{id:e.podId})}</h1>
      <dl class="facts">
        <dt>${t("status")}</dt><dd><strong class="pod-status" data-status=${e.status} aria-live="polite">${f(`ps${e.status}`)}</strong></dd>
        ${e.statusReason?s`<dt>${t("reason")}</dt><dd>${e.statusReason}</dd>`:u}
        <dt>${t("customer")}</dt><dd>${e.customerEmail}</dd>
        <dt>${t("plan")}</dt><dd>${f(`plan${e.plan}`)}</dd>
        <dt>${t("subscription")}</dt><dd>${e.subscriptionId} · ${f(`st${e.subscriptionStatus}`)}</dd>
        <dt>${t("address")}</dt><dd class="pod-url">${e.podUrl||"—"}</dd>
        <dt>${t("created")}</dt><dd>${v(e.createdAt)}</dd>
        <dt>${t("started")}</dt><dd>${v(e.startedAt)}</dd>
        <dt>${t("stopped")}</dt><dd>${v(e.stoppedAt)}</dd>
        ${r?s`<dt>${t("uptime")}</dt><dd>${h(r.uptime?.seconds??0n,l)} s</dd>
              <dt>${t("costSoFar")}</dt><dd>${w(r.costSoFar)}</dd>
              <dt>${t("monthlyCost")}</dt><dd>${w(r.monthlyCostEstimate)}</dd>`:u}
      </dl>
      ${this.message?s`<p role="status" class="notice">${this.message}</p>`:u}
      ${o?n?u:s`<div class="actions">
              <button type="button" ?disabled=${!!this.busy} @click=${()=>{this.act("start")}}>${this.busy==="start"?t("working"):t("start")}</button>
              <button type="button" ?disabled=${!!this.busy} @click=${()=>{this.act("stop")}}>${this.busy==="stop"?t("working"):t("stop")}</button>
              <button type="button" class="danger" ?disabled=${!!this.busy} @click=${()=>this.confirming=!0}>${t("destroy")}</button>
              ${this.confirming?s`<form class="confirm" @submit=${this.destroy}>
                    <p>${t("destroyConfirm",{id:e.podId})}</p>
                    <div class="field"><label for="confirm-id">${t("confirmId")}</label>
                      <input id="confirm-id" autocomplete="off" @input=${i=>this.typed=i.target.value.trim()} /></div>
                    <div class="field"><label for="destroy-reason">${t("destroyReason")}</label>
                      <input id="destroy-reason" name="reason" required /></div>
                    <button type="submit" class="danger" ?disabled=${this.typed!==e.podId||!!this.busy}>${this.busy==="destroy"?t("working"):t("confirmDestroy")}</button>
                    <button type="button" @click=${()=>this.confirming=!1}>${t("cancel")}</button>
                  </form>`:u}
            </div>`:s`<p class="muted">${t("readOnly")}</p>`}
      <h2>${t("cpu")} · ${t("memory")}</h2>
      <div class="field"><label for="window">${t("window")}</label>
        <select id="window" @change=${i=>{this.window=i.target.value,this.loadMetrics()}}>${Object.keys(Y).map(i=>s`<option value=${i} ?selected=${i===this.window}>${t(i)}</option>`)}</select></div>
      <div id="metrics-chart" class="chart"></div>
      ${r&&r.cpu.length?s`<div class="scroll"><table>
            <caption class="visually-hidden">${t("cpu")} · ${t("memory")}</caption>
            <thead><tr><th scope="col">${t("when")}</th><th scope="col">${t("cpu")}</th><th scope="col">${t("memory")}</th></tr></thead>
            <tbody>${r.cpu.map((i,F)=>s`<tr><td>${v(i.at)}</td><td>${i.percent.toFixed(1)}</td><td>${r.memory[F]?.percent.toFixed(1)??""}</td></tr>`)}</tbody>
          </table></div>`:u}`}};d([T()],m.prototype,"podId",2),d([c()],m.prototype,"pod",2),d([c()],m.prototype,"metrics",2),d([c()],m.prototype,"window",2),d([c()],m.prototype,"error",2),d([c()],m.prototype,"message",2),d([c()],m.prototype,"busy",2),d([c()],m.prototype,"confirming",2),d([c()],m.prototype,"typed",2),m=d([$("gb-admin-pod")],m);function nt(a){if(a==="/admin"||a==="/admin/")return{page:s`<gb-admin-dashboard></gb-admin-dashboard>`,nav:"/admin/"};if(a==="/admin/pods")return{page:s`<gb-admin-pods></gb-admin-pods>`,nav:"/admin/pods"};let p=a.match(/^\/admin\/pods\/([A-Za-z0-9_-]+)$/);if(p)return{page:s`<gb-admin-pod .podId=${p[1]}></gb-admin-pod>`,nav:"/admin/pods"}}var R=class extends b{constructor(){super(...arguments);this.ready=!1;this.rerender=()=>{this.ready=!1,this.check()};this.follow=e=>{let r=e.target.closest("a"),o=r?.getAttribute("href");!o||!o.startsWith("/admin")||e.ctrlKey||e.metaKey||e.shiftKey||r?.target||(e.preventDefault(),C(o))}}connectedCallback(){super.connectedCallback(),window.addEventListener("popstate",this.rerender),window.addEventListener("gb-navigate",this.rerender),window.addEventListener("pageshow",e=>e.persisted&&location.reload()),this.addEventListener("click",this.follow),this.check()}disconnectedCallback(){window.removeEventListener("popstate",this.rerender),window.removeEventListener("gb-navigate",this.rerender),super.disconnectedCallback()}async check(){if(location.pathname==="/admin/login"){this.ready=!0;return}await J()?this.ready=!0:K()}render(){let e=location.pathname;if(e==="/admin/login")return this.announce(t("signInTitle")),s`<a class="skip" href="#main">${P("skip")}</a>
        <header><span class="brand">${P("brand")} · ${t("console")}</span></header>
        <main id="main" tabindex="-1"><gb-admin-login .next=${_(new URLSearchParams(location.search).get("next"))}></gb-admin-login></main>`;if(!this.ready)return s`<main id="main"><p aria-live="polite">${t("working")}</p></main>`;let r=nt(e),o=n=>r?.nav===n?"page":"false";return s`<a class="skip" href="#main">${P("skip")}</a>
      <header>
        <a class="brand" href="/admin/">${P("brand")} · ${t("console")}</a>
        <nav aria-label=${t("navLabel")}>
          <a href="/admin/" aria-current=${o("/admin/")}>${t("dashboard")}</a>
          <a href="/admin/pods" aria-current=${o("/admin/pods")}>${t("pods")}</a>
        </nav>
        <span class="who">${L()?.email??""}</span>
        <button type="button" class="lang" @click=${()=>{Z()}}>${t("signOut")}</button>
      </header>
      <main id="main" tabindex="-1">${r?r.page:s`<h1>${P("notFound")}</h1><p><a href="/admin/">${t("dashboard")}</a></p>`}</main>`}};d([c()],R.prototype,"ready",2),R=d([$("gb-admin")],R);export{R as AdminShell};
