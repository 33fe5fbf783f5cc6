//! gRPC-web as a browser sends it: HTTP/1.1, `application/grpc-web+proto`, length-prefixed frames,
//! trailers in a final frame.

use gpubroker::proto::v1 as pb;
use prost::Message;

use crate::helpers::spawn_app;

fn frame(message: &impl Message) -> Vec<u8> {
    let payload = message.encode_to_vec();
    let mut out = vec![0u8];
    out.extend_from_slice(&u32::try_from(payload.len()).unwrap().to_be_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Splits a gRPC-web response body into its data frames and its trailer text.
fn unframe(mut body: &[u8]) -> (Vec<Vec<u8>>, String) {
    let mut messages = Vec::new();
    let mut trailers = String::new();
    while body.len() >= 5 {
        let flag = body[0];
        let len = u32::from_be_bytes(body[1..5].try_into().unwrap()) as usize;
        let payload = &body[5..5 + len];
        if flag & 0x80 != 0 {
            trailers.push_str(std::str::from_utf8(payload).unwrap());
        } else {
            messages.push(payload.to_vec());
        }
        body = &body[5 + len..];
    }
    (messages, trailers)
}

async fn call(app: &crate::helpers::TestApp, method: &str, body: Vec<u8>) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/gpubroker.v1.ValidationService/{method}")))
        .header("content-type", "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .header("origin", "http://localhost:3000")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn validate_ruc_over_grpc_web_http1() {
    let app = spawn_app().await;
    let request = pb::ValidateRucRequest {
        ruc: "1790011674001".into(),
        strict: true,
    };
    let response = call(&app, "ValidateRuc", frame(&request)).await;
    assert_eq!(response.version(), reqwest::Version::HTTP_11);
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/grpc-web")
    );
    let (messages, trailers) = unframe(&response.bytes().await.unwrap());
    assert!(trailers.contains("grpc-status:0"), "{trailers}");
    let reply = pb::ValidateRucResponse::decode(messages[0].as_slice()).unwrap();
    assert!(reply.valid);
    assert_eq!(reply.check.unwrap().province_name, "Pichincha");
}

#[tokio::test]
async fn grpc_web_errors_carry_the_status_in_trailers() {
    let app = spawn_app().await;
    let response = call(
        &app,
        "ValidateRuc",
        frame(&pb::ValidateRucRequest::default()),
    )
    .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap();
    let (_, trailers) = unframe(&body);
    // Errors before any message come back as trailers-only (headers) or a trailer frame.
    let status = headers
        .get("grpc-status")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_else(|| trailers.clone());
    assert!(
        status.contains('3'),
        "INVALID_ARGUMENT expected: {status} / {trailers}"
    );
}
