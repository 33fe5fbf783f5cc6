//! Customer email through AWS SES v2, against moto: the activation email reaches SES with the
//! activation link and never the API key.

use serde_json::{Value, json};

use crate::helpers::{fresh_postgres_database, random_suffix, spawn_with, test_settings};

#[tokio::test]
async fn the_activation_email_goes_out_through_ses() {
    let endpoint =
        std::env::var("TEST_AWS_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:5055".to_owned());
    let domain = format!("{}.gpubroker.test", random_suffix());
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    settings.email.provider = "ses".into();
    settings.email.from = format!("GPUBROKER <no-reply@{domain}>");
    settings.aws.endpoint_url = Some(endpoint.clone());
    settings.aws.access_key_id = Some("testing".into());
    settings.aws.secret_access_key = Some("testing".into());
    // SES only sends from verified identities.
    let aws = gpubroker::startup::aws_config(&settings.aws).await;
    aws_sdk_sesv2::Client::new(&aws)
        .create_email_identity()
        .email_identity(&domain)
        .send()
        .await
        .expect("moto_server must run (scripts/test starts it)");
    let app = spawn_with(settings).await;
    let customer = format!("ana-{}@example.ec", random_suffix());
    let created: Value = app
        .post_json(
            "/api/v2/admin/public/subscription/create",
            &json!({"email": customer, "name": "<b>Ana</b>", "plan": "trial", "ruc": "1790011674001"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = created["activation_token"].as_str().unwrap();
    let api_key = created["api_key"].as_str().unwrap();
    let data: Value = reqwest::get(format!("{endpoint}/moto-api/data.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let message = data["ses"]["Message"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["destinations"].to_string().contains(&customer))
        .expect("the activation email reached SES");
    let body = message["body"].as_str().unwrap();
    assert!(body.contains(token), "{body}");
    assert!(!body.contains(api_key));
    assert!(
        body.contains("&lt;b&gt;Ana&lt;/b&gt;"),
        "names are escaped: {body}"
    );
    assert!(message["source"].as_str().unwrap().contains(&domain));
}
