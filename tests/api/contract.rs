//! The REST surface against the contract and its own OpenAPI document, and CORS for browsers.

use std::collections::BTreeSet;

use prost::Message;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{fresh_postgres_database, spawn_app, spawn_with, test_settings};

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[test]
fn every_rpc_has_a_rest_route_or_a_reason_not_to() {
    let set = prost_types::FileDescriptorSet::decode(gateway::proto::FILE_DESCRIPTOR_SET).unwrap();
    let rpcs: BTreeSet<String> = set
        .file
        .iter()
        .filter(|file| file.package() == "gpubroker.v1")
        .flat_map(|file| &file.service)
        .flat_map(|service| &service.method)
        .map(|method| snake_case(method.name()))
        .collect();
    assert!(rpcs.len() > 50, "the contract was read: {rpcs:?}");
    let routed: BTreeSet<String> = gateway::REST_ROUTES
        .iter()
        .map(|r| r.rpc.to_owned())
        .collect();
    let grpc_only: BTreeSet<String> = gateway::GRPC_ONLY
        .iter()
        .map(|(rpc, _)| (*rpc).to_owned())
        .collect();
    let missing: Vec<_> = rpcs
        .iter()
        .filter(|rpc| !routed.contains(*rpc) && !grpc_only.contains(*rpc))
        .collect();
    assert!(missing.is_empty(), "RPCs without a REST route: {missing:?}");
    let unknown: Vec<_> = routed
        .iter()
        .chain(&grpc_only)
        .filter(|rpc| !rpcs.contains(*rpc) && *rpc != "check")
        .collect();
    assert!(unknown.is_empty(), "routes naming no RPC: {unknown:?}");
    assert!(routed.is_disjoint(&grpc_only));
}

/// Asks the live router every method on every documented path: documented operations are routed
/// (never the router's 404 or 405) and every other method is 405, so the document lists exactly
/// what the router serves.
#[tokio::test]
async fn the_openapi_document_matches_the_router() {
    let app = spawn_app().await;
    let doc: Value = app
        .get_with("/api/v2/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let route_paths: BTreeSet<&str> = gateway::REST_ROUTES.iter().map(|r| r.path).collect();
    assert_eq!(
        paths.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        route_paths
    );
    let mut operations = 0;
    for (path, item) in paths {
        let concrete = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
        ] {
            let documented = item[method.as_str().to_ascii_lowercase()].is_object();
            let response = app
                .http
                .request(method.clone(), app.url(&concrete))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let message = body["message"].as_str().unwrap_or_default();
            if documented {
                operations += 1;
                assert_ne!(status, 405, "{method} {path} documented but not routed");
                assert!(
                    !message.starts_with("no route"),
                    "{method} {path} documented but not routed"
                );
                assert!(status < 500, "{method} {path} answered {status}: {body}");
                let declared = &item[method.as_str().to_ascii_lowercase()]["responses"];
                assert!(
                    declared[status.to_string()].is_object(),
                    "{method} {path} answered undocumented {status}"
                );
            } else {
                assert_eq!(status, 405, "{method} {path} routed but not documented");
            }
        }
    }
    assert_eq!(operations, gateway::REST_ROUTES.len());
    // Path parameters and GET query fields are declared.
    let metrics = &paths["/api/v2/admin/pod/{pod_id}/metrics"]["get"]["parameters"];
    let names: Vec<&str> = metrics
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["pod_id", "window", "step"]);
    assert_eq!(metrics[0]["in"], "path");
    assert_eq!(metrics[1]["in"], "query");
}

/// Every field `proto/` marks REQUIRED is enforced by the server and the OpenAPI document says so:
/// each route whose request requires fields, called with none of them by a caller allowed to call
/// it, answers 400 naming exactly the missing fields, and the document lists the same fields.
/// A server with a running pod, its token, a super admin's token, the contract's field
/// declarations and the OpenAPI document: what the contract tests call routes with.
struct Callers {
    app: crate::helpers::TestApp,
    agent: String,
    admin: String,
    contracts: std::collections::BTreeMap<String, Vec<contract::FieldContract>>,
    doc: Value,
    _dir: crate::helpers::TempDir,
}

impl Callers {
    async fn new() -> Self {
        let (app, dir) = crate::budgets::agent_app(None).await;
        let agent = crate::budgets::running_agent(&app, &dir).await.token;
        let admin = app
            .admin_token(gpubroker::domain::role::Role::SuperAdmin)
            .await;
        let doc: Value = app
            .get_with("/api/v2/openapi.json", None)
            .await
            .json()
            .await
            .unwrap();
        Self {
            app,
            agent,
            admin,
            contracts: contract::field_contracts(gateway::proto::FILE_DESCRIPTOR_SET).unwrap(),
            doc,
            _dir: dir,
        }
    }
}

/// Pods spend their budget with their own token; everything else lets a super admin in.
const POD_RPCS: &[&str] = &[
    "reserve",
    "commit",
    "release",
    "record_usage",
    "start_session",
    "end_session",
    "log_decision",
];

/// Calls `route` with `fields` (a JSON body, or the query of a GET) and path parameters `x`:
/// the status, the fields the answer's violations name, and the body.
async fn call(
    app: &crate::helpers::TestApp,
    route: &gateway::RestRoute,
    bearer: &str,
    fields: Value,
) -> (u16, BTreeSet<String>, Value) {
    let path = route
        .path
        .split('/')
        .map(|s| if s.starts_with('{') { "x" } else { s })
        .collect::<Vec<_>>()
        .join("/");
    let response = if route.method == Method::GET {
        let query: Vec<String> = fields
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                let v = v.as_str().map_or(v.to_string(), str::to_owned);
                format!("{k}={}", percent_encoded(&v))
            })
            .collect();
        app.get_with(&format!("{path}?{}", query.join("&")), Some(bearer))
            .await
    } else {
        app.post_with(&path, &fields, Some(bearer)).await
    };
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let named: BTreeSet<String> = body["details"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|detail| detail["field_violations"].as_array().into_iter().flatten())
        .filter_map(|violation| violation["field"].as_str().map(str::to_owned))
        .collect();
    (status, named, body)
}

fn percent_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A value that breaks one of the field's rules, or `None` when it has none to break here.
fn breaking_value(field: &contract::FieldContract) -> Option<Value> {
    use contract::{Form, Kind};
    let rules = &field.rules;
    let text = match field.kind {
        Kind::Int32 => return rules.max.map(|max| serde_json::json!(max + 1)),
        Kind::Int64 => return rules.max.map(|max| Value::from((max + 1).to_string())),
        Kind::Duration => return rules.max.map(|max| Value::from(format!("{}s", max + 1))),
        Kind::Other => return None,
        Kind::Text => match rules.form {
            Form::Line | Form::Multiline => "a\u{1}b".to_owned(),
            Form::Email => "not-an-email".to_owned(),
            Form::CountryCode => "ECU".to_owned(),
            Form::EcMobile => "+15550100".to_owned(),
            Form::Any if rules.pattern.is_some() => "!".to_owned(),
            Form::Any => "x".repeat(rules.max_len? as usize + 1),
        },
    };
    Some(if field.repeated {
        serde_json::json!([text])
    } else {
        Value::from(text)
    })
}

/// Every `(gpubroker.v1.rules)` of `proto/` is enforced by the server on every route whose request
/// carries the field, naming it, and the OpenAPI document states a constraint for it.
#[tokio::test]
async fn every_rule_of_the_contract_is_enforced_and_documented() {
    let Callers {
        app,
        agent,
        admin,
        contracts,
        doc,
        _dir,
    } = Callers::new().await;
    let mut checked = 0;
    let mut refused_caller = BTreeSet::new();
    for route in gateway::REST_ROUTES {
        let Some(fields) = route.request.and_then(|name| contracts.get(name)) else {
            continue;
        };
        let bearer = if POD_RPCS.contains(&route.rpc) {
            &agent
        } else {
            &admin
        };
        for field in fields {
            // A query carries neither path parameters nor repeated fields.
            let in_query = route.method == Method::GET;
            if route.path.contains(&format!("{{{}}}", field.name)) || (in_query && field.repeated) {
                continue;
            }
            let Some(value) = breaking_value(field) else {
                continue;
            };
            let body = serde_json::json!({ field.name.as_str(): value });
            let (status, named, answer) = call(&app, route, bearer, body).await;
            if matches!(status, 401 | 403) {
                // A customer's own route: the caller is refused before its input is read.
                refused_caller.insert(route.rpc);
                continue;
            }
            assert!(
                status == 400 && named.contains(&field.name),
                "{} {} with {} = {value}: {status} {answer}",
                route.method,
                route.path,
                field.name
            );
            if route.method != Method::GET {
                let schema = &doc["components"]["schemas"][route.request.unwrap()]["properties"]
                    [&field.name];
                let stated = ["pattern", "maxLength", "maximum", "format", "anyOf", "enum"]
                    .iter()
                    .any(|key| !schema[*key].is_null() || !schema["items"][*key].is_null());
                assert!(stated, "{}.{}: {schema}", route.path, field.name);
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 100,
        "only {checked} rules checked (callers refused: {refused_caller:?})"
    );
}

#[tokio::test]
async fn every_required_field_of_the_contract_is_enforced_and_documented() {
    let Callers {
        app,
        agent,
        admin,
        contracts: required,
        doc,
        _dir,
    } = Callers::new().await;
    let mut checked = 0;
    for route in gateway::REST_ROUTES {
        let Some(fields) = route.request.and_then(|name| required.get(name)) else {
            continue;
        };
        let in_path: Vec<String> = route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .map(str::to_owned)
            .collect();
        let expected: BTreeSet<String> = fields
            .iter()
            .filter(|f| f.must_send())
            .map(|f| f.name.clone())
            .filter(|name| !in_path.contains(name))
            .collect();
        if expected.is_empty() {
            continue;
        }
        let bearer = if POD_RPCS.contains(&route.rpc) {
            &agent
        } else {
            &admin
        };
        let (status, named, body) = call(&app, route, bearer, serde_json::json!({})).await;
        assert_eq!(
            (status, &named),
            (400, &expected),
            "{} {}: {body}",
            route.method,
            route.path
        );
        if route.method != Method::GET {
            let schema = &doc["components"]["schemas"][route.request.unwrap()];
            let documented: BTreeSet<String> = schema["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect();
            assert!(
                documented.is_superset(&expected),
                "{}: {schema}",
                route.path
            );
        }
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} routes require fields");
}

async fn preflight(app: &crate::helpers::TestApp, path: &str, origin: &str) -> reqwest::Response {
    app.http
        .request(Method::OPTIONS, app.url(path))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-grpc-web,x-user-agent,authorization",
        )
        .send()
        .await
        .unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn configured_origins_may_call_grpc_web_and_rest_from_a_browser() {
    let mut settings = test_settings(Some(fresh_postgres_database().await));
    settings.server.cors_origins = vec!["https://app.gpubroker.site".into()];
    let app = spawn_with(settings).await;
    let origin = "https://app.gpubroker.site";

    for path in [
        "/gpubroker.v1.ValidationService/ValidateRuc",
        "/api/v2/admin/public/validate/ruc",
    ] {
        let response = preflight(&app, path, origin).await;
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        assert_eq!(header(&response, "access-control-allow-origin"), origin);
        let allowed = header(&response, "access-control-allow-headers").to_ascii_lowercase();
        for wanted in [
            "x-grpc-web",
            "x-user-agent",
            "authorization",
            "content-type",
        ] {
            assert!(allowed.contains(wanted), "{path}: {allowed}");
        }
        assert!(header(&response, "access-control-allow-methods").contains("POST"));
    }

    // The real call exposes the gRPC status to the page.
    let call = app
        .http
        .post(app.url("/api/v2/admin/public/validate/ruc"))
        .header("origin", origin)
        .header("content-type", "application/json")
        .body(r#"{"ruc":"1790011674001"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(call.status(), 200);
    assert_eq!(header(&call, "access-control-allow-origin"), origin);
    assert!(header(&call, "access-control-expose-headers").contains("grpc-status"));

    // Another origin gets no permission.
    let other = preflight(
        &app,
        "/api/v2/admin/public/validate/ruc",
        "https://evil.example",
    )
    .await;
    assert_eq!(header(&other, "access-control-allow-origin"), "");
}

#[tokio::test]
async fn without_configured_origins_no_cross_origin_permission_is_given() {
    let app = spawn_app().await;
    let response = preflight(
        &app,
        "/api/v2/admin/public/validate/ruc",
        "https://app.gpubroker.site",
    )
    .await;
    assert_eq!(header(&response, "access-control-allow-origin"), "");
}
