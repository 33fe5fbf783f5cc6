//! Who is calling and from where: the client IP (resolved through trusted proxies, never blindly
//! from `X-Forwarded-For`), the user agent, and the bearer credential.

use std::net::{IpAddr, SocketAddr};

use tonic::{Request, Status, metadata::MetadataMap};

use crate::services::audit::RequestOrigin;

/// The TCP peer of a request that reached the server directly. Set by the HTTP layer; absent
/// on calls the in-process gateway makes (the gateway forwards the peer in `x-forwarded-for`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

/// Metadata the in-process gateway uses to forward the browser's user agent.
pub const FORWARDED_USER_AGENT: &str = "x-forwarded-user-agent";

fn header<'a>(metadata: &'a MetadataMap, name: &str) -> Option<&'a str> {
    metadata.get(name).and_then(|v| v.to_str().ok())
}

/// The client address: the direct peer unless it is a trusted proxy, in which case the
/// right-most `X-Forwarded-For` entry that is not a trusted proxy.
pub fn client_ip<T>(request: &Request<T>, trusted: &[IpAddr]) -> String {
    let peer = request
        .extensions()
        .get::<PeerAddr>()
        .map(|p| p.0.ip().to_canonical());
    let peer_trusted = peer.is_none_or(|ip| trusted.contains(&ip));
    if !peer_trusted {
        return peer.map(|ip| ip.to_string()).unwrap_or_default();
    }
    let forwarded: Vec<&str> = request
        .metadata()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip.to_string(),
            // Garbage in the chain: stop believing it.
            Err(_) => break,
        }
    }
    peer.map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn origin<T>(request: &Request<T>, trusted: &[IpAddr]) -> RequestOrigin {
    let metadata = request.metadata();
    let direct = request.extensions().get::<PeerAddr>().is_some();
    let user_agent = if direct {
        header(metadata, "user-agent")
    } else {
        header(metadata, FORWARDED_USER_AGENT).or_else(|| header(metadata, "user-agent"))
    };
    RequestOrigin {
        client_ip: client_ip(request, trusted),
        user_agent: user_agent.unwrap_or_default().to_owned(),
    }
}

/// The bearer credential of `authorization`, if any.
pub fn bearer<T>(request: &Request<T>) -> Option<&str> {
    let value = header(request.metadata(), "authorization")?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

pub fn require_bearer<T>(request: &Request<T>) -> Result<&str, Status> {
    bearer(request)
        .ok_or_else(|| Status::unauthenticated("authorization: Bearer credential required"))
}

/// A request carrying only the caller's credentials (the metadata) of `request`: what a stream
/// keeps to check, while it runs, that its caller may still read it.
pub fn credentials_of<T>(request: &Request<T>) -> Request<()> {
    let mut copy = Request::new(());
    *copy.metadata_mut() = request.metadata().clone();
    copy
}

/// What a stream does after re-checking its caller on a wake.
pub enum Recheck {
    /// Still allowed: send what changed.
    Go,
    /// The check could not be made (a passing fault): send nothing this time.
    Skip,
    /// Refused (expired, revoked, gone): the refusal was sent; end the stream.
    End,
}

/// Turns a stream's re-check of its caller into what the stream does next; a credential that
/// expired or was revoked meanwhile gets its refusal and nothing more.
pub async fn recheck<T, M>(
    outcome: Result<T, Status>,
    tx: &tokio::sync::mpsc::Sender<Result<M, Status>>,
) -> Recheck {
    match outcome {
        Ok(_) => Recheck::Go,
        Err(status)
            if matches!(
                status.code(),
                tonic::Code::Unauthenticated
                    | tonic::Code::PermissionDenied
                    | tonic::Code::NotFound
            ) =>
        {
            let _ = tx.send(Err(status)).await;
            Recheck::End
        }
        Err(_) => Recheck::Skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(peer: Option<&str>, xff: Option<&str>) -> Request<()> {
        let mut request = Request::new(());
        if let Some(peer) = peer {
            request
                .extensions_mut()
                .insert(PeerAddr(peer.parse().unwrap()));
        }
        if let Some(xff) = xff {
            request
                .metadata_mut()
                .insert("x-forwarded-for", xff.parse().unwrap());
        }
        request
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        // A direct client cannot claim another address.
        assert_eq!(
            client_ip(
                &request(Some("203.0.113.9:5000"), Some("1.2.3.4")),
                &[proxy]
            ),
            "203.0.113.9"
        );
        // Through the trusted proxy, the address it saw counts.
        assert_eq!(
            client_ip(
                &request(Some("10.0.0.1:5000"), Some("1.2.3.4, 198.51.100.7")),
                &[proxy]
            ),
            "198.51.100.7"
        );
        // In-process gateway call: the gateway appended the real peer last.
        assert_eq!(
            client_ip(&request(None, Some("6.6.6.6, 198.51.100.8")), &[]),
            "198.51.100.8"
        );
        assert_eq!(
            client_ip(&request(None, Some("6.6.6.6, 10.0.0.1")), &[proxy]),
            "6.6.6.6"
        );
    }
}
