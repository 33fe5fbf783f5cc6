//! A stateful PayPal REST v2 emulator on loopback: OAuth client credentials, orders with
//! `PayPal-Request-Id` idempotency, buyer approval, capture (completed, pending, declined, or a
//! tampered amount), and injected 5xx faults. Shapes follow the official OpenAPI files.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use rand::Rng;
use serde_json::{Value, json};

pub const CLIENT_ID: &str = "emulator-client";
pub const CLIENT_SECRET: &str = "emulator-secret";
const ACCESS_TOKEN: &str = "A21AAemulatortoken";

#[derive(Debug, Clone)]
struct Order {
    id: String,
    request: Value,
    approved: bool,
    capture: Option<Value>,
    capture_request_id: Option<String>,
}

/// How the next capture ends.
#[derive(Debug, Clone)]
pub struct CaptureOutcome {
    pub status: &'static str,
    /// Overrides the captured amount (a tampered or partial capture).
    pub amount: Option<&'static str>,
}

/// A request as our client sent it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug)]
struct EmulatorState {
    recorded: Vec<RecordedRequest>,
    /// Refunds by capture id: (PayPal-Request-Id, refund body).
    refunds: HashMap<String, Vec<(String, Value)>>,
    base_url: String,
    orders: HashMap<String, Order>,
    order_request_ids: HashMap<String, String>,
    next_capture: CaptureOutcome,
    fail_next: u32,
    /// Captures that answer only after this delay (a PayPal timeout).
    slow_next: u32,
    /// Every capture answers (normally) only after this long: a slow PayPal.
    capture_delay: std::time::Duration,
    /// Captures received and not answered yet.
    captures_in_flight: u32,
    capture_calls: u32,
    requests: Vec<(String, Value)>,
}

type Shared = Arc<Mutex<EmulatorState>>;

/// A running emulator and the knobs tests turn.
#[derive(Clone)]
pub struct PaypalEmulator {
    pub base_url: String,
    state: Shared,
}

/// A JSON response.
fn reply(status: StatusCode, body: Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn error(status: StatusCode, name: &str, issue: &str) -> Response {
    let body = json!({
        "name": name,
        "message": format!("{name}: {issue}"),
        "debug_id": "emu0debug",
        "details": [{"issue": issue, "description": issue}],
    });
    reply(status, body)
}

fn authorised(headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {ACCESS_TOKEN}"))
}

fn order_body(state: &EmulatorState, order: &Order) -> Value {
    let unit = &order.request["purchase_units"][0];
    let mut purchase_unit = json!({
        "reference_id": unit["reference_id"],
        "custom_id": unit["custom_id"],
        "invoice_id": unit["invoice_id"],
        "amount": unit["amount"],
    });
    if let Some(capture) = &order.capture {
        purchase_unit["payments"] = json!({"captures": [capture]});
    }
    let status = match (&order.capture, order.approved) {
        (Some(_), _) => "COMPLETED",
        (None, true) => "APPROVED",
        (None, false) => "PAYER_ACTION_REQUIRED",
    };
    json!({
        "id": order.id,
        "intent": "CAPTURE",
        "status": status,
        "purchase_units": [purchase_unit],
        "links": [
            {"href": format!("{}/v2/checkout/orders/{}", state.base_url, order.id), "rel": "self", "method": "GET"},
            {"href": format!("{}/checkoutnow?token={}", state.base_url, order.id), "rel": "payer-action", "method": "GET"},
        ],
    })
}

async fn token(State(state): State<Shared>, headers: HeaderMap, body: String) -> Response {
    use base64::Engine;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let basic_ok =
        headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str());
    if !basic_ok || body != "grant_type=client_credentials" {
        return reply(
            StatusCode::UNAUTHORIZED,
            json!({"error": "invalid_client", "error_description": "Client Authentication failed"}),
        );
    }
    state
        .lock()
        .unwrap()
        .requests
        .push(("token".into(), Value::Null));
    reply(
        StatusCode::OK,
        json!({
            "scope": "https://uri.paypal.com/services/payments/payment",
            "access_token": ACCESS_TOKEN,
            "token_type": "Bearer",
            "app_id": "APP-EMULATOR",
            "expires_in": 32400,
            "nonce": "emulator",
        }),
    )
}

async fn create_order(State(state): State<Shared>, headers: HeaderMap, body: String) -> Response {
    if !authorised(&headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_FAILURE",
            "invalid_token",
        );
    }
    let Ok(body) = serde_json::from_str::<Value>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_REQUEST",
            "MALFORMED_REQUEST_JSON",
        );
    };
    let mut state = state.lock().unwrap();
    state.requests.push(("create_order".into(), body.clone()));
    let request_id = headers
        .get("paypal-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(existing) = request_id
        .as_ref()
        .and_then(|id| state.order_request_ids.get(id))
        .cloned()
    {
        let order = state.orders[&existing].clone();
        return reply(StatusCode::OK, order_body(&state, &order));
    }
    let id: String = (0..17)
        .map(|_| char::from(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[rand::rng().random_range(0..34)]))
        .collect();
    let order = Order {
        id: id.clone(),
        request: body,
        approved: false,
        capture: None,
        capture_request_id: None,
    };
    if let Some(request_id) = request_id {
        state.order_request_ids.insert(request_id, id.clone());
    }
    let response = order_body(&state, &order);
    state.orders.insert(id, order);
    reply(StatusCode::CREATED, response)
}

async fn get_order(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorised(&headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_FAILURE",
            "invalid_token",
        );
    }
    let state = state.lock().unwrap();
    match state.orders.get(&id) {
        Some(order) => reply(StatusCode::OK, order_body(&state, order)),
        None => error(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "INVALID_RESOURCE_ID",
        ),
    }
}

async fn capture(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorised(&headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_FAILURE",
            "invalid_token",
        );
    }
    let slow = {
        let mut state = state.lock().unwrap();
        let slow = state.slow_next > 0;
        state.slow_next = state.slow_next.saturating_sub(1);
        slow
    };
    let delay = {
        let mut state = state.lock().unwrap();
        state.captures_in_flight += 1;
        state.capture_delay
    };
    tokio::time::sleep(delay).await;
    state.lock().unwrap().captures_in_flight -= 1;
    if slow {
        // Longer than the client's timeout: the caller gives up before PayPal answers.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "INTERNAL_SERVICE_ERROR",
            "TIMEOUT",
        );
    }
    let mut state = state.lock().unwrap();
    state.capture_calls += 1;
    if state.fail_next > 0 {
        state.fail_next -= 1;
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "INTERNAL_SERVICE_ERROR",
            "INTERNAL_SERVICE_ERROR",
        );
    }
    let request_id = headers
        .get("paypal-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let outcome = state.next_capture.clone();
    let Some(order) = state.orders.get_mut(&id) else {
        return error(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "INVALID_RESOURCE_ID",
        );
    };
    if let Some(previous) = &order.capture_request_id {
        if request_id.as_ref() == Some(previous) {
            let order = order.clone();
            return reply(StatusCode::OK, order_body(&state, &order));
        }
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "UNPROCESSABLE_ENTITY",
            "ORDER_ALREADY_CAPTURED",
        );
    }
    if !order.approved {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "UNPROCESSABLE_ENTITY",
            "ORDER_NOT_APPROVED",
        );
    }
    let unit = order.request["purchase_units"][0].clone();
    let mut amount = unit["amount"].clone();
    if let Some(value) = outcome.amount {
        amount["value"] = json!(value);
    }
    let mut capture = json!({
        "id": format!("CAP{}", &order.id[..10]),
        "status": outcome.status,
        "amount": amount,
        "final_capture": true,
        "custom_id": unit["custom_id"],
        "invoice_id": unit["invoice_id"],
    });
    if outcome.status == "PENDING" {
        capture["status_details"] = json!({"reason": "PENDING_REVIEW"});
    }
    order.capture = Some(capture);
    order.capture_request_id = request_id;
    let order = order.clone();
    reply(StatusCode::CREATED, order_body(&state, &order))
}

/// `?token=<order id>` on the buyer's pages.
#[derive(serde::Deserialize)]
struct BuyerQuery {
    token: String,
}

/// Text for an HTML page: the order's fields come from our server's request.
fn escaped(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_default()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// PayPal's approval page (the order's `payer-action` link): what is bought and its price, with
/// "Pay" and "Cancel" as PayPal's buttons.
async fn approval_page(State(state): State<Shared>, Query(query): Query<BuyerQuery>) -> Response {
    let state = state.lock().unwrap();
    let Some(order) = state.orders.get(&query.token) else {
        return (StatusCode::NOT_FOUND, "no such order").into_response();
    };
    let unit = &order.request["purchase_units"][0];
    let token = escaped(&json!(order.id));
    let page = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>PayPal (emulator): approve your payment</title></head>
<body><main><h1>PayPal (emulator)</h1>
<p>{description}</p><p>Total: <strong>{value} {currency}</strong></p>
<form method="post" action="/checkoutnow/approve?token={token}"><button type="submit">Pay Now</button></form>
<form method="post" action="/checkoutnow/cancel?token={token}"><button type="submit">Cancel and return</button></form>
</main></body></html>"#,
        description = escaped(&unit["description"]),
        value = escaped(&unit["amount"]["value"]),
        currency = escaped(&unit["amount"]["currency_code"]),
    );
    ([("content-type", "text/html; charset=utf-8")], page).into_response()
}

/// Where the order's experience context sends the buyer, with PayPal's query parameters.
fn back_to_merchant(order: &Order, which: &str, payer: bool) -> Response {
    let base = order.request["payment_source"]["paypal"]["experience_context"][which]
        .as_str()
        .unwrap_or_default();
    let separator = if base.contains('?') { '&' } else { '?' };
    let mut location = format!("{base}{separator}token={}", order.id);
    if payer {
        location.push_str("&PayerID=EMUPAYER0001");
    }
    (StatusCode::SEE_OTHER, [("location", location)]).into_response()
}

/// The buyer pressed "Pay Now": the order is approved and the browser returns to the merchant.
async fn buyer_approves(State(state): State<Shared>, Query(query): Query<BuyerQuery>) -> Response {
    let mut state = state.lock().unwrap();
    let Some(order) = state.orders.get_mut(&query.token) else {
        return (StatusCode::NOT_FOUND, "no such order").into_response();
    };
    order.approved = true;
    back_to_merchant(order, "return_url", true)
}

/// The buyer pressed "Cancel and return".
async fn buyer_cancels(State(state): State<Shared>, Query(query): Query<BuyerQuery>) -> Response {
    let state = state.lock().unwrap();
    match state.orders.get(&query.token) {
        Some(order) => back_to_merchant(order, "cancel_url", false),
        None => (StatusCode::NOT_FOUND, "no such order").into_response(),
    }
}

/// Test control for the emulator run as a process: `{"status": "DECLINED"}` makes the next
/// capture end so (COMPLETED, PENDING, DECLINED).
async fn set_next_capture(State(state): State<Shared>, body: String) -> Response {
    let status = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v["status"].as_str().map(str::to_owned));
    let status: &'static str = match status.as_deref() {
        Some("COMPLETED") => "COMPLETED",
        Some("PENDING") => "PENDING",
        Some("DECLINED") => "DECLINED",
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                "status: COMPLETED, PENDING or DECLINED",
            )
                .into_response();
        }
    };
    state.lock().unwrap().next_capture = CaptureOutcome {
        status,
        amount: None,
    };
    StatusCode::NO_CONTENT.into_response()
}

/// The certificates deliveries point at: PayPal's (signed by the test CA) and an impostor's.
async fn certificate(Path(name): Path<String>) -> Response {
    let file = match name.as_str() {
        "CERT-emulator" => "test-leaf.pem",
        "CERT-attacker" => "attacker-leaf.pem",
        _ => {
            return error(
                StatusCode::NOT_FOUND,
                "RESOURCE_NOT_FOUND",
                "INVALID_RESOURCE_ID",
            );
        }
    };
    (StatusCode::OK, fixture(file)).into_response()
}

pub fn fixture(name: &str) -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/paypal")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub const WEBHOOK_ID: &str = "WHEMULATOR123";
pub const CERT_URL: &str = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-emulator";
pub const ATTACKER_CERT_URL: &str =
    "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-attacker";

/// A webhook delivery ready to POST: the raw body and its PayPal headers.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

/// Signs `body` as PayPal would, with `key_file`'s key, pointing at `cert_url`.
pub fn sign_delivery(body: Vec<u8>, key_file: &str, cert_url: &str) -> Delivery {
    use base64::Engine;
    use rsa::{
        pkcs1v15::SigningKey,
        pkcs8::DecodePrivateKey,
        signature::{SignatureEncoding, Signer},
    };
    let transmission_id = format!("{:032x}", rand::rng().random::<u128>());
    let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let message = format!(
        "{transmission_id}|{time}|{WEBHOOK_ID}|{}",
        crc32fast::hash(&body)
    );
    let key = SigningKey::<sha2::Sha256>::new(
        rsa::RsaPrivateKey::from_pkcs8_pem(&fixture(key_file)).unwrap(),
    );
    let signature =
        base64::engine::general_purpose::STANDARD.encode(key.sign(message.as_bytes()).to_vec());
    Delivery {
        body,
        headers: vec![
            ("paypal-transmission-id".into(), transmission_id),
            ("paypal-transmission-time".into(), time),
            ("paypal-transmission-sig".into(), signature),
            ("paypal-cert-url".into(), cert_url.into()),
            ("paypal-auth-algo".into(), "SHA256withRSA".into()),
            ("content-type".into(), "application/json".into()),
        ],
    }
}

/// Keeps every request our client sends, for the contract check against PayPal's OpenAPI files.
async fn record(
    State(state): State<Shared>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let headers = [
        "authorization",
        "content-type",
        "paypal-request-id",
        "prefer",
    ]
    .iter()
    .filter_map(|name| {
        Some((
            (*name).to_owned(),
            parts.headers.get(*name)?.to_str().ok()?.to_owned(),
        ))
    })
    .collect();
    state.lock().unwrap().recorded.push(RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    });
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// `POST /v2/payments/captures/{id}/refund`: idempotent by PayPal-Request-Id, never more than
/// was captured.
async fn refund(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(capture_id): Path<String>,
    body: String,
) -> Response {
    if !authorised(&headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_FAILURE",
            "invalid_token",
        );
    }
    let request: Value =
        serde_json::from_str(if body.is_empty() { "{}" } else { &body }).unwrap_or(Value::Null);
    let request_id = headers
        .get("paypal-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut state = state.lock().unwrap();
    let captured = state
        .orders
        .values()
        .filter_map(|o| o.capture.as_ref())
        .find(|c| c["id"] == capture_id.as_str())
        .and_then(|c| c["amount"]["value"].as_str())
        .and_then(|v| v.replace('.', "").parse::<i64>().ok());
    let Some(captured) = captured else {
        return error(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "INVALID_RESOURCE_ID",
        );
    };
    let refunds = state.refunds.entry(capture_id.clone()).or_default();
    if let Some((_, existing)) = refunds.iter().find(|(id, _)| *id == request_id) {
        return reply(StatusCode::OK, existing.clone());
    }
    let already: i64 = refunds
        .iter()
        .filter_map(|(_, r)| {
            r["amount"]["value"]
                .as_str()?
                .replace('.', "")
                .parse::<i64>()
                .ok()
        })
        .sum();
    let amount = request["amount"]["value"]
        .as_str()
        .and_then(|v| v.replace('.', "").parse::<i64>().ok())
        .unwrap_or(captured - already);
    if amount <= 0 || already + amount > captured {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "UNPROCESSABLE_ENTITY",
            "REFUND_AMOUNT_EXCEEDED",
        );
    }
    let refund = json!({
        "id": format!("RF{}{}", &capture_id[3..], refunds.len()),
        "status": "COMPLETED",
        "amount": {"currency_code": "USD", "value": format!("{}.{:02}", amount / 100, amount % 100)},
        "links": [{"href": format!("https://api.sandbox.paypal.com/v2/payments/captures/{capture_id}"), "rel": "up", "method": "GET"}],
    });
    refunds.push((request_id, refund.clone()));
    reply(StatusCode::CREATED, refund)
}

impl PaypalEmulator {
    /// A genuine delivery of `event_type` about `resource`.
    pub fn event(&self, event_type: &str, resource: Value) -> Delivery {
        let event = json!({
            "id": format!("WH-{:020X}", rand::rng().random::<u64>()),
            "event_version": "1.0",
            "create_time": chrono::Utc::now().to_rfc3339(),
            "resource_type": "capture",
            "event_type": event_type,
            "summary": event_type,
            "resource": resource,
        });
        sign_delivery(event.to_string().into_bytes(), "test-leaf.key", CERT_URL)
    }

    /// The order as PayPal reports it now.
    pub fn order(&self, order_id: &str) -> Value {
        let state = self.state.lock().unwrap();
        order_body(&state, &state.orders[order_id])
    }

    /// The capture resource of an order, as webhooks carry it (with its related order id).
    pub fn capture_resource(&self, order_id: &str) -> Value {
        let mut capture =
            self.order(order_id)["purchase_units"][0]["payments"]["captures"][0].clone();
        capture["supplementary_data"] = json!({"related_ids": {"order_id": order_id}});
        capture
    }

    /// A refund resource (as PAYMENT.CAPTURE.REFUNDED carries it) returning the whole capture.
    pub fn full_refund_resource(&self, order_id: &str, refund_id: &str) -> Value {
        let capture = self.capture_resource(order_id);
        json!({
            "id": refund_id,
            "status": "COMPLETED",
            "amount": capture["amount"],
            "links": [{
                "href": format!("https://api.sandbox.paypal.com/v2/payments/captures/{}", capture["id"].as_str().unwrap()),
                "rel": "up",
                "method": "GET",
            }],
        })
    }

    /// PayPal finishes reviewing a PENDING capture.
    pub fn complete_capture(&self, order_id: &str) {
        let mut state = self.state.lock().unwrap();
        let order = state.orders.get_mut(order_id).unwrap();
        let capture = order.capture.as_mut().unwrap();
        capture["status"] = json!("COMPLETED");
        capture.as_object_mut().unwrap().remove("status_details");
    }

    pub async fn start() -> Self {
        Self::start_on("127.0.0.1:0").await
    }

    /// An emulator listening on `address` (`host:port`; port 0 picks one).
    pub async fn start_on(address: &str) -> Self {
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(EmulatorState {
            base_url: base_url.clone(),
            recorded: Vec::new(),
            refunds: HashMap::new(),
            orders: HashMap::new(),
            order_request_ids: HashMap::new(),
            next_capture: CaptureOutcome {
                status: "COMPLETED",
                amount: None,
            },
            fail_next: 0,
            slow_next: 0,
            capture_delay: std::time::Duration::ZERO,
            captures_in_flight: 0,
            capture_calls: 0,
            requests: Vec::new(),
        }));
        let app = Router::new()
            .route("/v1/notifications/certs/{name}", get(certificate))
            .route("/v1/oauth2/token", post(token))
            .route("/v2/checkout/orders", post(create_order))
            .route("/v2/checkout/orders/{id}", get(get_order))
            .route("/v2/checkout/orders/{id}/capture", post(capture))
            .route("/v2/payments/captures/{id}/refund", post(refund))
            .route("/checkoutnow", get(approval_page))
            .route("/checkoutnow/approve", post(buyer_approves))
            .route("/checkoutnow/cancel", post(buyer_cancels))
            .route("/emulator/next-capture", post(set_next_capture))
            .layer(axum::middleware::from_fn_with_state(state.clone(), record))
            .with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base_url, state }
    }

    /// The buyer approves the order on PayPal.
    pub fn approve(&self, order_id: &str) {
        self.state
            .lock()
            .unwrap()
            .orders
            .get_mut(order_id)
            .expect("order exists")
            .approved = true;
    }

    pub fn next_capture(&self, outcome: CaptureOutcome) {
        self.state.lock().unwrap().next_capture = outcome;
    }

    pub fn slow_next_captures(&self, count: u32) {
        self.state.lock().unwrap().slow_next = count;
    }

    /// Every capture from now on answers after `delay` (a slow but working PayPal).
    pub fn delay_captures(&self, delay: std::time::Duration) {
        self.state.lock().unwrap().capture_delay = delay;
    }

    /// Captures PayPal is working on now.
    pub fn captures_in_flight(&self) -> u32 {
        self.state.lock().unwrap().captures_in_flight
    }

    pub fn fail_next_captures(&self, count: u32) {
        self.state.lock().unwrap().fail_next = count;
    }

    /// The refunds PayPal holds for a capture.
    pub fn refunds(&self, capture_id: &str) -> Vec<Value> {
        let state = self.state.lock().unwrap();
        state
            .refunds
            .get(capture_id)
            .map(|r| r.iter().map(|(_, body)| body.clone()).collect())
            .unwrap_or_default()
    }

    /// Every request received, oldest first.
    pub fn recorded(&self) -> Vec<RecordedRequest> {
        self.state.lock().unwrap().recorded.clone()
    }

    pub fn capture_calls(&self) -> u32 {
        self.state.lock().unwrap().capture_calls
    }

    /// Bodies of the create-order requests received, oldest first.
    pub fn order_requests(&self) -> Vec<Value> {
        self.state
            .lock()
            .unwrap()
            .requests
            .iter()
            .filter(|(kind, _)| kind == "create_order")
            .map(|(_, body)| body.clone())
            .collect()
    }
}
