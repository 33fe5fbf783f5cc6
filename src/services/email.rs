//! Customer email: messages built from templates (every user value escaped), sent through an
//! [`EmailSender`]. The embedded default writes `.eml` files; SES arrives with the pods issue.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::domain::{
    plan::token_amount, secrets::new_id, signup::Language, subscription::Subscription,
};
use crate::persistence::payments::PaymentRow;

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
#[error("email not sent: {0}")]
pub struct EmailError(pub String);

#[async_trait::async_trait]
pub trait EmailSender: Send + Sync + std::fmt::Debug {
    /// Sends one message; returns the provider's message id.
    async fn send(&self, email: &OutgoingEmail) -> Result<String, EmailError>;
}

/// Writes each message as an RFC 5322 `.eml` file (multipart text + HTML) into a directory.
#[derive(Debug, Clone)]
pub struct FileEmailSender {
    pub dir: PathBuf,
    pub from: String,
}

#[async_trait::async_trait]
impl EmailSender for FileEmailSender {
    async fn send(&self, email: &OutgoingEmail) -> Result<String, EmailError> {
        let id = new_id("msg_");
        let boundary = format!("b_{id}");
        let body = format!(
            "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}@gpubroker>\r\nDate: {date}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--{boundary}--\r\n",
            from = self.from,
            to = email.to,
            subject = encoded_header(&email.subject),
            date = Utc::now().to_rfc2822(),
            text = email.text,
            html = email.html,
        );
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| EmailError(format!("cannot create {}: {e}", self.dir.display())))?;
        let path = self.dir.join(format!(
            "{}-{id}.eml",
            Utc::now().format("%Y%m%dT%H%M%S%.6f")
        ));
        tokio::fs::write(&path, body)
            .await
            .map_err(|e| EmailError(format!("cannot write {}: {e}", path.display())))?;
        Ok(id)
    }
}

/// Email through AWS SES v2 `SendEmail` (HTML and text parts). The sender address must be a
/// verified SES identity.
#[derive(Debug, Clone)]
pub struct SesEmailSender {
    pub client: aws_sdk_sesv2::Client,
    pub from: String,
}

#[async_trait::async_trait]
impl EmailSender for SesEmailSender {
    async fn send(&self, email: &OutgoingEmail) -> Result<String, EmailError> {
        use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
        let content = |text: &str| {
            Content::builder()
                .data(text)
                .charset("UTF-8")
                .build()
                .map_err(|e| EmailError(e.to_string()))
        };
        let message = Message::builder()
            .subject(content(&email.subject)?)
            .body(
                Body::builder()
                    .text(content(&email.text)?)
                    .html(content(&email.html)?)
                    .build(),
            )
            .build();
        let output = self
            .client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&email.to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .map_err(|e| EmailError(aws_sdk_sesv2::error::DisplayErrorContext(&e).to_string()))?;
        Ok(output.message_id().unwrap_or_default().to_owned())
    }
}

/// A header value as RFC 2047 UTF-8 base64 when it is not plain ASCII ("está listo").
fn encoded_header(value: &str) -> String {
    use base64::Engine;
    if value.is_ascii() {
        value.to_owned()
    } else {
        format!(
            "=?utf-8?B?{}?=",
            base64::engine::general_purpose::STANDARD.encode(value)
        )
    }
}

/// HTML-escapes a user-supplied value.
pub fn escape_html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Header values cannot carry line breaks (no header injection through a name).
fn header_safe(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// The activation link email. It carries the single-use activation token, never the API key.
pub fn activation_email(
    to: &str,
    name: &str,
    language: Language,
    link: &str,
    expires_at: DateTime<Utc>,
) -> OutgoingEmail {
    let expires = expires_at.format("%Y-%m-%d %H:%M UTC");
    let (subject, greeting, body, action) = match language {
        Language::Spanish => (
            "Activa tu GPUBROKER POD",
            "Hola",
            format!("Tu suscripción está lista. Actívala antes de {expires}:"),
            "Activar mi POD",
        ),
        Language::English => (
            "Activate your GPUBROKER POD",
            "Hello",
            format!("Your subscription is ready. Activate it before {expires}:"),
            "Activate my POD",
        ),
    };
    link_email(to, name, (subject, greeting, &body, action), link)
}

/// A greeting, one paragraph and a link as a button: `(subject, greeting, body, action)`.
fn link_email(
    to: &str,
    name: &str,
    (subject, greeting, body, action): (&str, &str, &str, &str),
    link: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        to: header_safe(to),
        subject: subject.to_owned(),
        text: format!("{greeting} {name},\r\n\r\n{body}\r\n{link}\r\n"),
        html: format!(
            "<p>{greeting} {name},</p><p>{body}</p><p><a href=\"{href}\">{action}</a></p>",
            name = escape_html(name),
            href = escape_html(link),
        ),
    }
}

/// After an API key was revoked: the link (with a single-use token) that issues a new key. Never
/// a key itself.
pub fn key_recovery_email(
    to: &str,
    name: &str,
    language: Language,
    link: &str,
    expires_at: DateTime<Utc>,
) -> OutgoingEmail {
    let expires = expires_at.format("%Y-%m-%d %H:%M UTC");
    let (subject, greeting, body, action) = match language {
        Language::Spanish => (
            "Tu clave API de GPUBROKER fue revocada",
            "Hola",
            format!(
                "Tu clave API ya no funciona. Obtén una nueva antes de {expires} (si no pediste esto, avísanos):"
            ),
            "Obtener una clave nueva",
        ),
        Language::English => (
            "Your GPUBROKER API key was revoked",
            "Hello",
            format!(
                "Your API key no longer works. Get a new one before {expires} (tell us if you did not ask for this):"
            ),
            "Get a new key",
        ),
    };
    link_email(to, name, (subject, greeting, &body, action), link)
}

/// A payment receipt.
pub fn receipt_email(
    to: &str,
    name: &str,
    language: Language,
    plan: &str,
    amount: &str,
    payment_id: &str,
    paid_at: DateTime<Utc>,
) -> OutgoingEmail {
    let date = paid_at.format("%Y-%m-%d");
    let (subject, greeting, line) = match language {
        Language::Spanish => ("Recibo de pago GPUBROKER", "Hola", "Recibimos tu pago"),
        Language::English => (
            "GPUBROKER payment receipt",
            "Hello",
            "We received your payment",
        ),
    };
    OutgoingEmail {
        to: header_safe(to),
        subject: subject.to_owned(),
        text: format!(
            "{greeting} {name},\r\n\r\n{line}: {amount} USD, plan {plan}, {date}.\r\nRef: {payment_id}\r\n"
        ),
        html: format!(
            "<p>{greeting} {name},</p><p>{line}: <b>{amount} USD</b>, plan {plan}, {date}.</p><p>Ref: {payment_id}</p>",
            name = escape_html(name),
            plan = escape_html(plan),
            payment_id = escape_html(payment_id),
        ),
    }
}

/// The pod is running: where to reach it.
pub fn pod_ready_email(to: &str, name: &str, language: Language, pod_url: &str) -> OutgoingEmail {
    let (subject, greeting, body, action) = match language {
        Language::Spanish => (
            "Tu GPUBROKER POD está listo",
            "Hola",
            "Tu POD está en marcha. Entra aquí:",
            "Abrir mi POD",
        ),
        Language::English => (
            "Your GPUBROKER POD is ready",
            "Hello",
            "Your POD is running. Open it here:",
            "Open my POD",
        ),
    };
    link_email(to, name, (subject, greeting, body, action), pod_url)
}

/// Tells the vendor about a new paid subscription.
pub fn vendor_sale_email(
    to: &str,
    customer: &str,
    plan: &str,
    amount: &str,
    subscription_id: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        to: header_safe(to),
        subject: format!("GPUBROKER: new sale ({})", header_safe(plan)),
        text: format!(
            "New paid subscription.\r\nCustomer: {customer}\r\nPlan: {plan}\r\nAmount: {amount} USD\r\nSubscription: {subscription_id}\r\n"
        ),
        html: format!(
            "<p>New paid subscription.</p><ul><li>Customer: {customer}</li><li>Plan: {plan}</li><li>Amount: {amount} USD</li><li>Subscription: {subscription_id}</li></ul>",
            customer = escape_html(customer),
            plan = escape_html(plan),
            subscription_id = escape_html(subscription_id),
        ),
    }
}

/// Tells the vendor a capture took the wrong amount and was refunded automatically.
pub fn wrong_capture_email(
    to: &str,
    customer: &str,
    payment_id: &str,
    taken: &str,
    price: &str,
    refund_id: &str,
) -> OutgoingEmail {
    OutgoingEmail {
        to: header_safe(to),
        subject: format!(
            "GPUBROKER: wrong capture refunded ({})",
            header_safe(payment_id)
        ),
        text: format!(
            "A PayPal capture did not match the plan price and was refunded in full.\r\nCustomer: {customer}\r\nPayment: {payment_id}\r\nTaken and refunded: {taken} USD\r\nPlan price: {price} USD\r\nPayPal refund: {refund_id}\r\nThe subscription stays unpaid; the customer may pay again.\r\n"
        ),
        html: format!(
            "<p>A PayPal capture did not match the plan price and was refunded in full.</p><ul><li>Customer: {customer}</li><li>Payment: {payment_id}</li><li>Taken and refunded: {taken} USD</li><li>Plan price: {price} USD</li><li>PayPal refund: {refund_id}</li></ul><p>The subscription stays unpaid; the customer may pay again.</p>",
            customer = escape_html(customer),
            payment_id = escape_html(payment_id),
            refund_id = escape_html(refund_id),
        ),
    }
}

/// Tells the vendor a customer used up their budget.
pub fn vendor_budget_email(
    to: &str,
    customer: &str,
    subscription_id: &str,
    limit: i64,
) -> OutgoingEmail {
    OutgoingEmail {
        to: header_safe(to),
        subject: "GPUBROKER: a customer used their whole token budget".to_owned(),
        text: format!(
            "Customer: {customer}\r\nSubscription: {subscription_id}\r\nLimit: {limit} tokens (100 % used)\r\n",
            limit = token_amount(limit, false),
        ),
        html: format!(
            "<ul><li>Customer: {customer}</li><li>Subscription: {subscription_id}</li><li>Limit: {limit} tokens (100 % used)</li></ul>",
            customer = escape_html(customer),
            subscription_id = escape_html(subscription_id),
            limit = token_amount(limit, false),
        ),
    }
}

/// A token budget crossed a threshold (50, 75, 90 or 100 %).
pub fn budget_alert_email(
    to: &str,
    name: &str,
    language: Language,
    percent: u8,
    used: i64,
    limit: i64,
) -> OutgoingEmail {
    let (subject, greeting, body) = match language {
        Language::Spanish => (
            format!("GPUBROKER: usaste el {percent} % de tus tokens"),
            "Hola",
            format!(
                "Tus agentes usaron {} de {} tokens de este periodo.",
                token_amount(used, true),
                token_amount(limit, true)
            ),
        ),
        Language::English => (
            format!("GPUBROKER: you used {percent}% of your tokens"),
            "Hello",
            format!(
                "Your agents used {} of {} tokens this period.",
                token_amount(used, false),
                token_amount(limit, false)
            ),
        ),
    };
    OutgoingEmail {
        to: header_safe(to),
        subject,
        text: format!("{greeting} {name},\r\n\r\n{body}\r\n"),
        html: format!(
            "<p>{greeting} {name},</p><p>{body}</p>",
            name = escape_html(name),
        ),
    }
}

/// `12.34` for 1234 cents.
pub(crate) fn amount_text(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The receipt of a completed payment, in the customer's language.
pub(crate) fn receipt_message(payment: &PaymentRow, subscription: &Subscription) -> OutgoingEmail {
    receipt_email(
        &payment.customer_email,
        &subscription.name,
        subscription.language,
        subscription.plan.display_name(false),
        &amount_text(payment.amount_cents),
        &payment.id,
        payment.completed_at.unwrap_or(payment.created_at),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_values_are_escaped_in_html() {
        let email = activation_email(
            "a@b.ec",
            "<script>alert(1)</script>",
            Language::English,
            "https://x/activate?token=act_1",
            Utc::now(),
        );
        assert!(!email.html.contains("<script>"));
        assert!(email.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn every_template_escapes_names_and_speaks_both_languages() {
        let name = "<script>alert(1)</script>";
        for language in [Language::Spanish, Language::English] {
            let paid = Utc::now();
            for email in [
                pod_ready_email("a@b.ec", name, language, "https://pod-1.example"),
                receipt_email("a@b.ec", name, language, name, "9.99", name, paid),
                budget_alert_email("a@b.ec", name, language, 90, 90, 100),
                vendor_sale_email("v@b.ec", name, name, "9.99", name),
                vendor_budget_email("v@b.ec", name, name, 10),
            ] {
                assert!(!email.html.contains("<script>"), "{}", email.html);
                assert!(email.html.contains("&lt;script&gt;"), "{}", email.html);
            }
        }
        assert!(
            pod_ready_email("a@b.ec", "Ana", Language::Spanish, "u")
                .subject
                .contains("listo")
        );
        assert!(
            pod_ready_email("a@b.ec", "Ana", Language::English, "u")
                .subject
                .contains("ready")
        );
    }
}
