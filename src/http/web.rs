//! The customer pages: `web/dist` (built from `web/src` by `web/build.mjs` and committed, so
//! building the server never needs Node) embedded in the binary with gzip and brotli copies made
//! at compile time. Every page path answers the one `index.html` (the script picks the page from
//! the path) under a strict Content-Security-Policy; assets have content-hashed names and are
//! cached for a year.

use axum::{
    Router,
    body::Body,
    extract::Path,
    response::{IntoResponse, Response},
    routing::get,
};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use rust_embed_for_web::{EmbedableFile, RustEmbed};

#[derive(RustEmbed)]
#[folder = "web/dist/"]
struct Dist;

/// The paths the pages live at (`web/src/main.ts` routes them).
pub const PAGES: &[&str] = &[
    "/",
    "/checkout",
    "/checkout/return",
    "/checkout/cancel",
    "/activate",
    "/provisioning",
    "/ready",
    "/account",
    "/recover-key",
];

/// No inline script or style, no other origin: what a page shows from users can never run, and
/// its calls go only to this server. Referrer off: activation and recovery links carry tokens.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The routes of the pages and their assets. `pod_domain` goes into the page, which links a
/// pod's address only when it is under that domain.
pub fn router(pod_domain: &str) -> Router {
    let index = Dist::get("index.html")
        .map(|file| String::from_utf8_lossy(file.data()).into_owned())
        .unwrap_or_default()
        .replace("{{pod_domain}}", &escape_attribute(pod_domain));
    let mut router = Router::new().route("/assets/{file}", get(asset)).route(
        "/favicon.svg",
        get(|headers: HeaderMap| async move { file("favicon.svg", &headers, false) }),
    );
    for path in PAGES {
        let index = index.clone();
        router = router.route(path, get(move || async move { page(index, false) }));
    }
    // The operators' console routes its own pages under /admin/ in the browser.
    for path in ["/admin", "/admin/", "/admin/{*page}"] {
        let index = index.clone();
        router = router.route(path, get(move || async move { page(index, true) }));
    }
    router
}

/// The page shell. `private`: never stored, so neither the cache nor the back button shows a
/// console page after sign-out.
fn page(html: String, private: bool) -> Response {
    let mut response = html.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Always revalidated: a new deployment's page points at its new assets at once.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if private { "no-store" } else { "no-cache" }),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Response {
    file(&format!("assets/{name}"), &headers, true)
}

/// One embedded file, brotli or gzip when the client takes it.
fn file(path: &str, request: &HeaderMap, immutable: bool) -> Response {
    let Some(file) = Dist::get(path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tag| tag.as_bytes() == file.etag().as_bytes())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let accepts = |coding: &str| {
        request
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|item| {
                let mut parts = item.split(';');
                parts.next().is_some_and(|name| name.trim() == coding)
                    && !parts.any(|q| q.trim().replace(' ', "") == "q=0")
            })
    };
    let (body, encoding) = match (file.data_br(), file.data_gzip()) {
        (Some(br), _) if accepts("br") => (br, Some("br")),
        (_, Some(gzip)) if accepts("gzip") => (gzip, Some("gzip")),
        _ => (file.data(), None),
    };
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    if let Some(mime) = file.mime_type().and_then(|m| HeaderValue::from_str(m).ok()) {
        headers.insert(header::CONTENT_TYPE, mime);
    }
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(tag) = HeaderValue::from_str(file.etag()) {
        headers.insert(header::ETAG, tag);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        }),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A value safe inside a double-quoted HTML attribute.
fn escape_attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_pages_are_embedded_and_point_at_embedded_assets() {
        let index = String::from_utf8(Dist::get("index.html").unwrap().data().to_vec()).unwrap();
        for asset in index.split('"').filter(|part| part.starts_with("/assets/")) {
            let file = Dist::get(&asset[1..]).unwrap_or_else(|| panic!("{asset} is embedded"));
            assert!(
                file.data_br().is_some() && file.data_gzip().is_some(),
                "{asset} is precompressed"
            );
        }
        assert!(
            index.contains("{{pod_domain}}"),
            "the pod domain is filled in at startup"
        );
    }

    #[test]
    fn an_attribute_value_cannot_close_its_quotes() {
        assert_eq!(
            escape_attribute(r#"a"><script>"#),
            "a&quot;&gt;&lt;script&gt;"
        );
    }
}
