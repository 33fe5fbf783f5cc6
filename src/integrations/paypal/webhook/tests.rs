use std::{
    path::PathBuf,
    sync::atomic::{AtomicUsize, Ordering},
};

use rsa::{
    RsaPrivateKey,
    pkcs1v15::SigningKey,
    pkcs8::DecodePrivateKey,
    signature::{SignatureEncoding, Signer},
};

use super::*;

const URL: &str = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-test";

/// Serves fixed PEM texts and counts fetches.
#[derive(Debug, Default)]
struct StaticFetcher {
    certs: HashMap<String, String>,
    fetches: AtomicUsize,
}

#[async_trait::async_trait]
impl CertFetcher for StaticFetcher {
    async fn fetch(&self, url: &str) -> Result<String, WebhookError> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        self.certs
            .get(url)
            .cloned()
            .ok_or_else(|| WebhookError::CertFetch(format!("404 {url}")))
    }
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/paypal")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shared_vector(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/paypal/webhook-vector")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{} (../shared must sit beside the repo): {e}",
            path.display()
        )
    })
}

fn make_verifier(
    webhook_id: &str,
    trusted: &[&str],
    certs: &[(&str, String)],
) -> (PaypalWebhookVerifier, Arc<StaticFetcher>) {
    let fetcher = Arc::new(StaticFetcher {
        certs: certs
            .iter()
            .map(|(u, c)| ((*u).to_owned(), c.clone()))
            .collect(),
        fetches: AtomicUsize::new(0),
    });
    let policy = CertPolicy::new(vec!["paypal.com".into()], trusted).unwrap();
    (
        PaypalWebhookVerifier::new(webhook_id, policy, fetcher.clone()),
        fetcher,
    )
}

fn headers(signature: &str, cert_url: &str) -> SignatureHeaders {
    SignatureHeaders {
        transmission_id: "d2c8a5d0-0000-11ef-9d4a-0123456789ab".into(),
        transmission_time: "2026-11-25T10:00:00Z".into(),
        transmission_sig: signature.into(),
        cert_url: cert_url.into(),
        auth_algo: "SHA256withRSA".into(),
    }
}

fn sign(key_pem: &str, message: &str) -> String {
    let key = SigningKey::<Sha256>::new(RsaPrivateKey::from_pkcs8_pem(key_pem).unwrap());
    base64::engine::general_purpose::STANDARD.encode(key.sign(message.as_bytes()).to_vec())
}

fn now() -> DateTime<Utc> {
    "2026-11-25T10:00:05Z".parse().unwrap()
}

#[tokio::test]
async fn the_real_paypal_delivery_verifies_at_its_time() {
    let vector: serde_json::Value = serde_json::from_slice(&shared_vector("vector.json")).unwrap();
    let body = shared_vector("body.json");
    let cert = String::from_utf8(shared_vector("testClientCert.crt")).unwrap();
    let mut map = HashMap::new();
    for name in [
        "PAYPAL-TRANSMISSION-ID",
        "PAYPAL-TRANSMISSION-TIME",
        "PAYPAL-TRANSMISSION-SIG",
        "PAYPAL-AUTH-ALGO",
    ] {
        map.insert(name.to_owned(), vector[name].as_str().unwrap().to_owned());
    }
    map.insert("PAYPAL-CERT-URL".into(), URL.into());
    let headers = SignatureHeaders::from_map(&map).unwrap();
    let webhook_id = vector["webhook_id"].as_str().unwrap();
    assert_eq!(
        headers.signed_message(webhook_id, &body),
        vector["expected_signed_message"]
    );

    // Its DigiCert chain is not available offline: the leaf is pinned as the trust anchor.
    let (verifier, _) = make_verifier(webhook_id, &[&cert], &[(URL, cert.clone())]);
    let sent_at: DateTime<Utc> = "2017-03-30T20:04:05Z".parse().unwrap();
    assert_eq!(verifier.verify(&headers, &body, sent_at).await, Ok(()));

    // The certificate expired in 2019.
    assert!(matches!(
        verifier.verify(&headers, &body, now()).await,
        Err(WebhookError::CertInvalid(_))
    ));
    // One changed byte, or another webhook id, breaks it.
    let mut altered = body.clone();
    altered[100] ^= 1;
    assert_eq!(
        verifier.verify(&headers, &altered, sent_at).await,
        Err(WebhookError::BadSignature)
    );
    let (other, _) = make_verifier("OTHERWEBHOOK", &[&cert], &[(URL, cert.clone())]);
    assert_eq!(
        other.verify(&headers, &body, sent_at).await,
        Err(WebhookError::BadSignature)
    );
}

#[tokio::test]
async fn a_delivery_signed_under_the_trusted_ca_verifies_and_forgeries_do_not() {
    let body = br#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#;
    let leaf = fixture("test-leaf.pem");
    let attacker_leaf = fixture("attacker-leaf.pem");
    let attacker_chain = format!("{attacker_leaf}{}", fixture("attacker-ca.pem"));
    let attacker_url = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-attacker";
    let (verifier, fetcher) = make_verifier(
        "WH123",
        &[&fixture("test-ca.pem")],
        &[(URL, leaf), (attacker_url, attacker_chain)],
    );
    let message = headers("", URL).signed_message("WH123", body);
    let good = headers(&sign(&fixture("test-leaf.key"), &message), URL);
    assert_eq!(verifier.verify(&good, body, now()).await, Ok(()));
    assert_eq!(verifier.verify(&good, body, now()).await, Ok(()));
    assert_eq!(
        fetcher.fetches.load(Ordering::SeqCst),
        1,
        "certificates are cached by URL"
    );

    // Re-signed with another key while pointing at the genuine certificate.
    let resigned = headers(&sign(&fixture("attacker-leaf.key"), &message), URL);
    assert_eq!(
        verifier.verify(&resigned, body, now()).await,
        Err(WebhookError::BadSignature)
    );
    // Signed with the attacker's own certificate (same subject, untrusted CA).
    let forged = headers(&sign(&fixture("attacker-leaf.key"), &message), attacker_url);
    assert_eq!(
        verifier.verify(&forged, body, now()).await,
        Err(WebhookError::Untrusted)
    );
    // A PayPal-named certificate "issued" by the genuine leaf, which is not a CA.
    let forged_url = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-forged";
    let (forged_verifier, _) = make_verifier(
        "WH123",
        &[&fixture("test-ca.pem")],
        &[(forged_url, fixture("forged-by-leaf-chain.pem"))],
    );
    let forged_by_leaf = headers(&sign(&fixture("forged-by-leaf.key"), &message), forged_url);
    assert_eq!(
        forged_verifier.verify(&forged_by_leaf, body, now()).await,
        Err(WebhookError::Untrusted)
    );
    // Body modified after signing.
    assert_eq!(
        verifier
            .verify(
                &good,
                br#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.DENIED"}"#,
                now()
            )
            .await,
        Err(WebhookError::BadSignature)
    );
    // Garbage signature.
    let garbage = headers("not base64 !!", URL);
    assert_eq!(
        verifier.verify(&garbage, body, now()).await,
        Err(WebhookError::BadSignature)
    );
}

#[tokio::test]
async fn certificates_come_only_from_https_paypal_hosts() {
    let (verifier, fetcher) = make_verifier("WH123", &[&fixture("test-ca.pem")], &[]);
    for url in [
        "http://api.paypal.com/v1/notifications/certs/CERT-1",
        "https://api.paypal.com.evil.example/cert",
        "https://evilpaypal.com/cert",
        "https://user@api.paypal.com/cert",
        "https://api.paypal.com:8443/cert",
        "https://169.254.169.254/latest/meta-data",
        "not a url",
        // PayPal's shape only: its certificate path, a CERT- name, no query or fragment.
        "https://api.paypal.com/v1/notifications/certs/CERT-1?x=2",
        "https://api.paypal.com/v1/notifications/certs/CERT-1#x",
        "https://api.paypal.com/v1/notifications/certs/../../oauth2/token",
        "https://api.paypal.com/v1/notifications/certs/CERT-",
        "https://api.paypal.com/v1/notifications/other/CERT-1",
    ] {
        let result = verifier.verify(&headers("AAAA", url), b"{}", now()).await;
        assert!(
            matches!(result, Err(WebhookError::CertUrlNotAllowed(_))),
            "{url}: {result:?}"
        );
    }
    assert_eq!(
        fetcher.fetches.load(Ordering::SeqCst),
        0,
        "refused URLs are never fetched"
    );
    let mut other_algo = headers("AAAA", URL);
    other_algo.auth_algo = "SHA1withRSA".into();
    assert!(matches!(
        verifier.verify(&other_algo, b"{}", now()).await,
        Err(WebhookError::UnsupportedAlgorithm(_))
    ));
    assert_eq!(
        SignatureHeaders::from_map(&HashMap::new()),
        Err(WebhookError::MissingHeader("paypal-transmission-id"))
    );
}

#[tokio::test]
async fn floods_of_new_certificate_urls_are_fetched_a_bounded_number_of_times() {
    let (verifier, fetcher) = make_verifier("WH123", &[&fixture("test-ca.pem")], &[]);
    let verifier = Arc::new(verifier);
    // 200 deliveries naming one unknown certificate at once: one fetch.
    let same: Vec<_> = (0..200)
        .map(|_| {
            let verifier = verifier.clone();
            tokio::spawn(async move {
                let url = "https://api.paypal.com/v1/notifications/certs/CERT-same";
                verifier.verify(&headers("AAAA", url), b"{}", now()).await
            })
        })
        .collect();
    for delivery in same {
        assert!(delivery.await.unwrap().is_err());
    }
    let after_same = fetcher.fetches.load(Ordering::SeqCst);
    assert!(
        after_same <= super::FETCHES_PER_MINUTE,
        "{after_same} fetches"
    );
    // 2,000 made-up names: at most the per-minute allowance is fetched, the rest refused.
    let mut limited = 0;
    for n in 0..2_000 {
        let url = format!("https://api.paypal.com/v1/notifications/certs/CERT-{n}");
        if verifier.verify(&headers("AAAA", &url), b"{}", now()).await
            == Err(WebhookError::FetchLimited)
        {
            limited += 1;
        }
    }
    assert!(fetcher.fetches.load(Ordering::SeqCst) <= super::FETCHES_PER_MINUTE);
    assert!(limited >= 2_000 - super::FETCHES_PER_MINUTE);
}
