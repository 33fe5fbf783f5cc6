//! Local verification of PayPal webhook deliveries (PayPal's "self verification"): the signature
//! is RSA PKCS#1 v1.5 / SHA-256 over `transmission_id|transmission_time|webhook_id|crc32(body)`
//! (CRC-32 of the **raw** body, in decimal), made with the key of the certificate at
//! `PAYPAL-CERT-URL`. The certificate is fetched only from https hosts on the allow-list, must be
//! valid at the (injectable) time, name a host on the allow-list, and chain to a trusted CA (or be
//! pinned itself). Only PayPal's certificate URL shape is accepted
//! (`https://<allowed host>/v1/notifications/certs/CERT-…`, no query), so a forger cannot make us
//! fetch arbitrary URLs; fetches are single-flight and rate-limited, and the cache is bounded.

use std::{collections::HashMap, sync::Arc, time::Duration};

use base64::Engine;
use chrono::{DateTime, Utc};
use rsa::{
    RsaPublicKey,
    pkcs1v15::{Signature, VerifyingKey},
    pkcs8::DecodePublicKey,
    signature::Verifier,
};
use sha2::Sha256;
use tokio::sync::RwLock;
use x509_cert::{
    Certificate,
    der::{Encode, oid::ObjectIdentifier},
};

/// sha256WithRSAEncryption: the only certificate signature algorithm accepted in a chain.
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// Longest chain walked from the leaf to an anchor.
const MAX_CHAIN: usize = 5;
/// Certificates kept (PayPal rotates a handful; anything beyond is a forger's).
const CACHE_SIZE: usize = 32;
/// Fetches of certificates not yet cached, per minute: enough for PayPal's rotations, far too
/// few for a flood of made-up URLs to turn us into a request amplifier.
const FETCHES_PER_MINUTE: usize = 10;
/// The path every PayPal webhook certificate has.
const CERT_PATH: &str = "/v1/notifications/certs/";

/// Why a delivery is not believed. Every case means "answer 400 and change nothing".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    #[error("unsupported PAYPAL-AUTH-ALGO {0:?} (only SHA256withRSA)")]
    UnsupportedAlgorithm(String),
    #[error("certificate URL not allowed: {0}")]
    CertUrlNotAllowed(String),
    #[error("certificate could not be fetched: {0}")]
    CertFetch(String),
    #[error("too many new certificate URLs; try again later")]
    FetchLimited,
    #[error("certificate is not acceptable: {0}")]
    CertInvalid(String),
    #[error("certificate does not chain to a trusted CA")]
    Untrusted,
    #[error("signature does not verify")]
    BadSignature,
}

/// The signature headers of one delivery (looked up case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeaders {
    pub transmission_id: String,
    pub transmission_time: String,
    pub transmission_sig: String,
    pub cert_url: String,
    pub auth_algo: String,
}

impl SignatureHeaders {
    /// Reads the PAYPAL-* headers from a map with any key case.
    pub fn from_map(headers: &HashMap<String, String>) -> Result<Self, WebhookError> {
        let get = |name: &'static str| {
            headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.trim().to_owned())
                .filter(|value| !value.is_empty())
                .ok_or(WebhookError::MissingHeader(name))
        };
        Ok(Self {
            transmission_id: get("paypal-transmission-id")?,
            transmission_time: get("paypal-transmission-time")?,
            transmission_sig: get("paypal-transmission-sig")?,
            cert_url: get("paypal-cert-url")?,
            auth_algo: get("paypal-auth-algo")?,
        })
    }

    /// The signed message for `body` and `webhook_id`.
    pub fn signed_message(&self, webhook_id: &str, body: &[u8]) -> String {
        format!(
            "{}|{}|{}|{}",
            self.transmission_id,
            self.transmission_time,
            webhook_id,
            crc32fast::hash(body)
        )
    }
}

/// Where certificates come from (HTTPS in production; a fixed map in tests).
#[async_trait::async_trait]
pub trait CertFetcher: Send + Sync + std::fmt::Debug {
    /// The PEM text at `url` (one or more certificates, leaf first).
    async fn fetch(&self, url: &str) -> Result<String, WebhookError>;
}

/// What certificates are believed.
#[derive(Debug, Clone)]
pub struct CertPolicy {
    /// Hosts (and their subdomains) certificates may be fetched from and issued to, e.g.
    /// `paypal.com`.
    pub allowed_hosts: Vec<String>,
    /// Trust anchors: CA certificates, or a leaf pinned as itself.
    pub trusted: Vec<Certificate>,
}

impl CertPolicy {
    /// Parses PEM trust anchors (one or more certificates per text).
    pub fn new(allowed_hosts: Vec<String>, trusted_pem: &[&str]) -> Result<Self, WebhookError> {
        let mut trusted = Vec::new();
        for pem in trusted_pem {
            trusted.extend(parse_chain(pem)?);
        }
        Ok(Self {
            allowed_hosts: allowed_hosts
                .into_iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            trusted,
        })
    }

    fn host_allowed(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.allowed_hosts
            .iter()
            .any(|allowed| host == *allowed || host.ends_with(&format!(".{allowed}")))
    }
}

/// Verifies deliveries for one webhook id.
#[derive(Debug)]
pub struct PaypalWebhookVerifier {
    webhook_id: String,
    policy: CertPolicy,
    fetcher: Arc<dyn CertFetcher>,
    cache: RwLock<HashMap<String, Arc<Vec<Certificate>>>>,
    /// Held while fetching (one fetch at a time), with when the recent fetches started.
    fetching: tokio::sync::Mutex<std::collections::VecDeque<std::time::Instant>>,
}

fn parse_chain(pem: &str) -> Result<Vec<Certificate>, WebhookError> {
    let chain = Certificate::load_pem_chain(pem.as_bytes())
        .map_err(|e| WebhookError::CertInvalid(format!("not PEM certificates: {e}")))?;
    if chain.is_empty() {
        return Err(WebhookError::CertInvalid("no certificate".into()));
    }
    Ok(chain)
}

fn public_key(cert: &Certificate) -> Result<RsaPublicKey, WebhookError> {
    let der = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| WebhookError::CertInvalid(e.to_string()))?;
    RsaPublicKey::from_public_key_der(&der)
        .map_err(|_| WebhookError::CertInvalid("the key is not RSA".into()))
}

fn rsa_sha256_ok(key: RsaPublicKey, message: &[u8], signature: &[u8]) -> bool {
    Signature::try_from(signature).is_ok_and(|signature| {
        VerifyingKey::<Sha256>::new(key)
            .verify(message, &signature)
            .is_ok()
    })
}

fn valid_at(cert: &Certificate, now: DateTime<Utc>) -> bool {
    let validity = &cert.tbs_certificate.validity;
    let now = Duration::from_secs(u64::try_from(now.timestamp()).unwrap_or(0));
    validity.not_before.to_unix_duration() <= now && now <= validity.not_after.to_unix_duration()
}

/// Whether a certificate may sign others: basicConstraints cA, and keyCertSign when it lists
/// key usages. (A leaf that "issues" a PayPal-named certificate is the classic chain forgery.)
fn may_issue(cert: &Certificate) -> bool {
    use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
    let is_ca = matches!(
        cert.tbs_certificate.get::<BasicConstraints>(),
        Ok(Some((_, BasicConstraints { ca: true, .. })))
    );
    let usage_ok = match cert.tbs_certificate.get::<KeyUsage>() {
        Ok(Some((_, usage))) => usage.0.contains(KeyUsages::KeyCertSign),
        Ok(None) => true,
        Err(_) => false,
    };
    is_ca && usage_ok
}

/// Whether `issuer` (a CA) signed `cert` (sha256WithRSA only).
fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if !may_issue(issuer) {
        return false;
    }
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject
        || cert.signature_algorithm.oid != SHA256_WITH_RSA
    {
        return false;
    }
    let (Ok(tbs), Some(signature), Ok(key)) = (
        cert.tbs_certificate.to_der(),
        cert.signature.as_bytes(),
        public_key(issuer),
    ) else {
        return false;
    };
    rsa_sha256_ok(key, &tbs, signature)
}

/// The common names of a certificate's subject.
fn common_names(cert: &Certificate) -> Vec<String> {
    cert.tbs_certificate
        .subject
        .to_string()
        .split(',')
        .filter_map(|part| part.trim().strip_prefix("CN=").map(str::to_owned))
        .collect()
}

impl PaypalWebhookVerifier {
    pub fn new(
        webhook_id: impl Into<String>,
        policy: CertPolicy,
        fetcher: Arc<dyn CertFetcher>,
    ) -> Self {
        Self {
            webhook_id: webhook_id.into(),
            policy,
            fetcher,
            cache: RwLock::new(HashMap::new()),
            fetching: tokio::sync::Mutex::new(std::collections::VecDeque::new()),
        }
    }

    /// Checks the URL: https, an allowed host, default port, no credentials, PayPal's
    /// certificate path with a `CERT-…` name, no query or fragment. Returns the URL normalised
    /// (lower-case host), the cache key.
    fn check_url(&self, url: &str) -> Result<String, WebhookError> {
        let refused = || WebhookError::CertUrlNotAllowed(url.chars().take(200).collect());
        if url.len() > 500 || url.contains('#') {
            return Err(refused());
        }
        let uri: http::Uri = url.parse().map_err(|_| refused())?;
        let authority = uri.authority().ok_or_else(refused)?;
        let https = uri.scheme_str() == Some("https");
        let plain_authority =
            !authority.as_str().contains('@') && authority.port_u16().is_none_or(|p| p == 443);
        let name = uri.path().strip_prefix(CERT_PATH).unwrap_or_default();
        let paypal_shape = uri.query().is_none()
            && name.len() > "CERT-".len()
            && name.len() <= 100
            && name.starts_with("CERT-")
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if https && plain_authority && paypal_shape && self.policy.host_allowed(authority.host()) {
            Ok(format!(
                "https://{}{CERT_PATH}{name}",
                authority.host().trim_end_matches('.').to_ascii_lowercase()
            ))
        } else {
            Err(refused())
        }
    }

    async fn certificate_chain(&self, url: &str) -> Result<Arc<Vec<Certificate>>, WebhookError> {
        if let Some(chain) = self.cache.read().await.get(url) {
            return Ok(chain.clone());
        }
        // One fetch at a time: a burst naming one new URL fetches it once.
        let mut recent = self.fetching.lock().await;
        if let Some(chain) = self.cache.read().await.get(url) {
            return Ok(chain.clone());
        }
        let now = std::time::Instant::now();
        while recent
            .front()
            .is_some_and(|at| now.duration_since(*at) > Duration::from_secs(60))
        {
            recent.pop_front();
        }
        if recent.len() >= FETCHES_PER_MINUTE {
            return Err(WebhookError::FetchLimited);
        }
        recent.push_back(now);
        let chain = Arc::new(parse_chain(&self.fetcher.fetch(url).await?)?);
        let mut cache = self.cache.write().await;
        if cache.len() >= CACHE_SIZE {
            // Bounded: forget an arbitrary entry (a real PayPal certificate is fetched again).
            if let Some(evicted) = cache.keys().next().cloned() {
                cache.remove(&evicted);
            }
        }
        cache.insert(url.to_owned(), chain.clone());
        Ok(chain)
    }

    /// Whether the leaf is pinned or chains (through the presented intermediates) to an anchor.
    fn trusted(&self, chain: &[Certificate], now: DateTime<Utc>) -> bool {
        let mut current = &chain[0];
        if self.policy.trusted.contains(current) {
            return true;
        }
        for _ in 0..MAX_CHAIN {
            if self
                .policy
                .trusted
                .iter()
                .any(|anchor| valid_at(anchor, now) && issued_by(current, anchor))
            {
                return true;
            }
            match chain[1..]
                .iter()
                .find(|candidate| valid_at(candidate, now) && issued_by(current, candidate))
            {
                Some(intermediate) => current = intermediate,
                None => return false,
            }
        }
        false
    }

    /// Verifies one delivery: `body` must be the raw bytes as received.
    pub async fn verify(
        &self,
        headers: &SignatureHeaders,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), WebhookError> {
        if headers.auth_algo != "SHA256withRSA" {
            return Err(WebhookError::UnsupportedAlgorithm(
                headers.auth_algo.clone(),
            ));
        }
        let url = self.check_url(&headers.cert_url)?;
        let chain = self.certificate_chain(&url).await?;
        let leaf = &chain[0];
        if !valid_at(leaf, now) {
            return Err(WebhookError::CertInvalid("expired or not yet valid".into()));
        }
        if !common_names(leaf)
            .iter()
            .any(|cn| self.policy.host_allowed(cn))
        {
            return Err(WebhookError::CertInvalid(
                "subject is not an allowed host".into(),
            ));
        }
        if !self.trusted(&chain, now) {
            return Err(WebhookError::Untrusted);
        }
        let signature = base64::engine::general_purpose::STANDARD
            .decode(headers.transmission_sig.as_bytes())
            .map_err(|_| WebhookError::BadSignature)?;
        let message = headers.signed_message(&self.webhook_id, body);
        if rsa_sha256_ok(public_key(leaf)?, message.as_bytes(), &signature) {
            Ok(())
        } else {
            Err(WebhookError::BadSignature)
        }
    }
}

#[cfg(test)]
mod tests;

/// Fetches certificates over HTTPS (no redirects, bounded size). `rewrite_base` replaces the
/// scheme and host of every URL — only for tests against the emulator, after the allow-list
/// check of the original URL.
#[derive(Debug)]
pub struct HttpsCertFetcher {
    http: reqwest::Client,
    rewrite_base: Option<String>,
}

impl HttpsCertFetcher {
    pub fn new(timeout: Duration, rewrite_base: Option<String>) -> Result<Self, WebhookError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| WebhookError::CertFetch(e.to_string()))?;
        Ok(Self { http, rewrite_base })
    }
}

#[async_trait::async_trait]
impl CertFetcher for HttpsCertFetcher {
    async fn fetch(&self, url: &str) -> Result<String, WebhookError> {
        let target = match &self.rewrite_base {
            Some(base) => {
                let uri: http::Uri = url
                    .parse()
                    .map_err(|_| WebhookError::CertUrlNotAllowed(url.into()))?;
                let path = uri.path_and_query().map_or("/", |p| p.as_str());
                format!("{}{path}", base.trim_end_matches('/'))
            }
            None => url.to_owned(),
        };
        let response = self
            .http
            .get(&target)
            .send()
            .await
            .map_err(|e| WebhookError::CertFetch(e.to_string()))?;
        if !response.status().is_success() {
            return Err(WebhookError::CertFetch(format!(
                "HTTP {}",
                response.status()
            )));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| WebhookError::CertFetch(e.to_string()))?;
        if bytes.len() > 64 * 1024 {
            return Err(WebhookError::CertFetch(
                "certificate larger than 64 KiB".into(),
            ));
        }
        String::from_utf8(bytes.to_vec())
            .map_err(|_| WebhookError::CertInvalid("not PEM text".into()))
    }
}

/// Trust anchors from a PEM bundle, skipping certificates that do not parse (system bundles
/// carry a few exotic ones).
pub fn anchors_from_bundle(pem: &str) -> Vec<Certificate> {
    pem.split_inclusive("-----END CERTIFICATE-----")
        .filter(|block| block.contains("-----BEGIN CERTIFICATE-----"))
        .filter_map(|block| Certificate::load_pem_chain(block.trim().as_bytes()).ok())
        .flatten()
        .collect()
}
