//! PayPal's request and response bodies, as the official OpenAPI files name them. Kept apart from
//! the domain: the payments use case converts.

use serde::{Deserialize, Serialize};

/// `money`: a decimal string in the currency's major unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub currency_code: String,
    pub value: String,
}

impl Money {
    /// Cents → `"20.00"` (two-decimal currencies such as USD).
    pub fn from_cents(currency_code: &str, cents: i64) -> Self {
        Self {
            currency_code: currency_code.to_owned(),
            value: format!("{}.{:02}", cents / 100, cents % 100),
        }
    }

    /// `"20.00"` → cents; `None` for anything that is not a plain non-negative 0–2-decimal number.
    pub fn cents(&self) -> Option<i64> {
        let (units, fraction) = self.value.split_once('.').unwrap_or((&self.value, ""));
        if units.is_empty()
            || fraction.len() > 2
            || !units
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let units: i64 = units.parse().ok()?;
        let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
        units.checked_mul(100)?.checked_add(fraction)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderRequest {
    pub intent: &'static str,
    pub purchase_units: Vec<PurchaseUnitRequest>,
    pub payment_source: PaymentSource,
}

#[derive(Debug, Clone, Serialize)]
pub struct PurchaseUnitRequest {
    pub reference_id: String,
    pub custom_id: String,
    pub invoice_id: String,
    pub description: String,
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentSource {
    pub paypal: PaypalSource,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaypalSource {
    pub experience_context: ExperienceContext,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExperienceContext {
    pub return_url: String,
    pub cancel_url: String,
    pub user_action: &'static str,
    pub shipping_preference: &'static str,
    pub brand_name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Link {
    pub href: String,
    pub rel: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Order {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub purchase_units: Vec<PurchaseUnit>,
}

impl Order {
    /// Where to send the buyer: `approve` (no payment source) or `payer-action`.
    pub fn approval_url(&self) -> Option<&str> {
        self.links
            .iter()
            .find(|l| l.rel == "approve" || l.rel == "payer-action")
            .map(|l| l.href.as_str())
    }

    /// The first capture of the first purchase unit.
    pub fn capture(&self) -> Option<&Capture> {
        self.purchase_units
            .first()?
            .payments
            .as_ref()?
            .captures
            .first()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct PurchaseUnit {
    #[serde(default)]
    pub custom_id: Option<String>,
    #[serde(default)]
    pub payments: Option<Payments>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Payments {
    #[serde(default)]
    pub captures: Vec<Capture>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Capture {
    pub id: String,
    pub status: String,
    pub amount: Money,
    #[serde(default)]
    pub custom_id: Option<String>,
    #[serde(default)]
    pub status_details: Option<StatusDetails>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StatusDetails {
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AccessToken {
    pub access_token: String,
    pub expires_in: u64,
}

/// PayPal's REST error body.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub debug_id: String,
    #[serde(default)]
    pub details: Vec<ErrorDetail>,
    /// OAuth errors use `error` / `error_description` instead.
    #[serde(default)]
    pub error: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorDetail {
    #[serde(default)]
    pub issue: String,
    #[serde(default)]
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_round_trips_through_cents() {
        assert_eq!(Money::from_cents("USD", 2_000).value, "20.00");
        assert_eq!(Money::from_cents("USD", 29_905).value, "299.05");
        for (value, cents) in [
            ("20.00", Some(2_000)),
            ("20", Some(2_000)),
            ("20.5", Some(2_050)),
            ("0.01", Some(1)),
        ] {
            assert_eq!(
                Money {
                    currency_code: "USD".into(),
                    value: value.into()
                }
                .cents(),
                cents,
                "{value}"
            );
        }
        for bad in ["-1.00", "20.001", "1e3", "", ".5", "20.00 "] {
            assert_eq!(
                Money {
                    currency_code: "USD".into(),
                    value: bad.into()
                }
                .cents(),
                None,
                "{bad}"
            );
        }
    }
}

/// A webhook delivery (`event` in notifications_webhooks_v1.json), with the fields we act on.
#[derive(Debug, Clone, Deserialize)]
pub struct WebhookEvent {
    pub id: String,
    pub event_type: String,
    #[serde(default)]
    pub resource: serde_json::Value,
}

impl WebhookEvent {
    fn text(&self, pointer: &str) -> Option<String> {
        self.resource
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }

    /// The resource id (capture, refund or order id).
    pub fn resource_id(&self) -> String {
        self.text("/id").unwrap_or_default()
    }

    /// The order a capture belongs to (`supplementary_data.related_ids.order_id`).
    pub fn related_order_id(&self) -> Option<String> {
        self.text("/supplementary_data/related_ids/order_id")
    }

    /// The capture a refund belongs to (its `up` link's last path segment).
    pub fn refunded_capture_id(&self) -> Option<String> {
        self.resource
            .get("links")?
            .as_array()?
            .iter()
            .find(|link| link.get("rel").and_then(|r| r.as_str()) == Some("up"))?
            .get("href")?
            .as_str()?
            .rsplit('/')
            .next()
            .map(str::to_owned)
    }

    pub fn amount(&self) -> Option<Money> {
        serde_json::from_value(self.resource.get("amount")?.clone()).ok()
    }

    pub fn custom_id(&self) -> Option<String> {
        self.text("/custom_id")
    }
}

/// `POST /v2/payments/captures/{id}/refund` body: no amount refunds the rest.
#[derive(Debug, Clone, Serialize)]
pub struct RefundRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note_to_payer: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Refund {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub amount: Option<Money>,
}
