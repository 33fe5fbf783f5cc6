//! Customer email through AWS SES v2, against moto: the activation email reaches SES with the
//! activation link and never the API key.

use serde_json::{Value, json};

use crate::helpers::{
    activation_token_in, fresh_postgres_database, moto_data, random_suffix, spawn_with,
    test_settings, use_moto,
};

#[tokio::test]
async fn the_activation_email_goes_out_through_ses() {
    let domain = format!("{}.gpubroker.test", random_suffix());
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    settings.email.provider = gpubroker::config::EmailProvider::Ses;
    settings.email.from = format!("GPUBROKER <no-reply@{domain}>");
    use_moto(&mut settings);
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
    let api_key = created["api_key"].as_str().unwrap();
    let data = moto_data().await;
    let message = data["ses"]["Message"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["destinations"].to_string().contains(&customer))
        .expect("the activation email reached SES");
    let body = message["body"].as_str().unwrap();
    assert!(
        activation_token_in(body).is_some(),
        "the activation link: {body}"
    );
    assert!(!body.contains(api_key));
    assert!(
        body.contains("&lt;b&gt;Ana&lt;/b&gt;"),
        "names are escaped: {body}"
    );
    assert!(message["source"].as_str().unwrap().contains(&domain));
}

#[tokio::test]
async fn an_email_that_ses_refuses_waits_in_the_outbox_and_goes_out_later() {
    let domain = format!("{}.gpubroker.test", random_suffix());
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    settings.email.provider = gpubroker::config::EmailProvider::Ses;
    settings.email.from = format!("no-reply@{domain}");
    use_moto(&mut settings);
    let aws = gpubroker::startup::aws_config(&settings.aws).await;
    let app = spawn_with(settings).await;
    let customer = format!("late-{}@example.ec", random_suffix());
    let created = app
        .post_json(
            "/api/v2/admin/public/subscription/create",
            &json!({"email": customer, "plan": "trial", "ruc": "1790011674001"}),
        )
        .await;
    // The signup succeeds although SES refused the (unverified) sender.
    assert_eq!(created.status(), 200);
    let in_moto = |data: &Value| {
        data["ses"]["Message"].as_array().is_some_and(|messages| {
            messages
                .iter()
                .any(|m| m["destinations"].to_string().contains(&customer))
        })
    };
    let data = moto_data().await;
    assert!(!in_moto(&data));

    // SES recovers (the identity is verified); the next pass after the back-off sends it.
    aws_sdk_sesv2::Client::new(&aws)
        .create_email_identity()
        .email_identity(&domain)
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.emails.deliver_once().await.unwrap().sent,
        0,
        "still backing off"
    );
    app.clock.advance(chrono::Duration::minutes(2));
    let report = app.emails.deliver_once().await.unwrap();
    assert_eq!(report.sent, 1);
    let data = moto_data().await;
    assert!(in_moto(&data));
    assert_eq!(
        app.emails.deliver_once().await.unwrap(),
        Default::default(),
        "sent once"
    );
}
