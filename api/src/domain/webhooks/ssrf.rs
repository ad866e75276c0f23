//! No server-side request forgery: a webhook goes only to public addresses. URLs are
//! checked when an endpoint is saved and again on every send, where the resolver used by
//! the HTTP client drops every forbidden address it resolves (so a name that changes to a
//! private address later, DNS rebinding included, is refused at connect time). The
//! operator may allow private targets (`LOUPE_WEBHOOK_ALLOW_PRIVATE`), e.g. for an
//! internal receiver or tests.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::Url;

use crate::error::{AppError, AppResult};

pub const MAX_URL_CHARS: usize = 2048;

/// Loopback, private, link-local (cloud metadata included), shared, multicast, reserved
/// and unspecified addresses: never a public receiver.
pub fn forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return forbidden_v4(v4);
            }
            let s = v6.segments();
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                let [a, b] = s[6].to_be_bytes();
                let [c, d] = s[7].to_be_bytes();
                return forbidden_v4(Ipv4Addr::new(a, b, c, d));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || v6 == Ipv6Addr::from([0u8; 16])
        }
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16: cloud metadata lives here
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a >= 240 // reserved
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
}

/// A webhook URL as given: http or https, a host, no credentials, at most 2048 characters.
pub fn parse(raw: &str, field: &str) -> AppResult<Url> {
    let raw = raw.trim();
    if raw.len() > MAX_URL_CHARS {
        return Err(AppError::bad_input(
            field,
            format!("the URL is longer than {MAX_URL_CHARS} characters"),
        ));
    }
    let url = Url::parse(raw).map_err(|e| AppError::bad_input(field, format!("not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(AppError::bad_input(field, "the URL must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::bad_input(
            field,
            "the URL must not carry credentials; verify Loupe's signature instead",
        ));
    }
    if url.host().is_none() {
        return Err(AppError::bad_input(field, "the URL has no host"));
    }
    Ok(url)
}

/// The URL's host when it is an IP address literal (which no resolver sees).
pub fn literal(url: &Url) -> Option<IpAddr> {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    }
}

/// Resolves the URL's host and refuses it when any address it gives is forbidden
/// (unless private targets are allowed).
pub async fn check(url: &Url, allow_private: bool, field: &str) -> AppResult<()> {
    if allow_private {
        return Ok(());
    }
    let refused = || {
        AppError::bad_input(
            field,
            "the URL points at a loopback, private, link-local or otherwise internal address; \
             webhooks go to public addresses only (the operator may allow private ones with \
             LOUPE_WEBHOOK_ALLOW_PRIVATE)",
        )
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match (literal(url), url.host()) {
        (Some(ip), _) => vec![SocketAddr::new(ip, port)],
        (None, Some(url::Host::Domain(name))) => {
            if name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost") {
                return Err(refused());
            }
            tokio::net::lookup_host((name, port))
                .await
                .map_err(|_| {
                    AppError::bad_input(field, format!("the host {name:?} does not resolve"))
                })?
                .collect()
        }
        (None, _) => return Err(AppError::bad_input(field, "the URL has no host")),
    };
    if addrs.is_empty() || addrs.iter().any(|a| forbidden(a.ip())) {
        return Err(refused());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_forbidden() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
        ] {
            assert!(forbidden(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!forbidden(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_are_http_with_a_host_and_no_credentials() {
        assert!(parse("https://hooks.example.com/x", "url").is_ok());
        for bad in [
            "ftp://example.com/",
            "https://user:pw@example.com/",
            "not a url",
            "file:///etc/passwd",
        ] {
            assert!(parse(bad, "url").is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn literal_and_local_hosts_are_refused() {
        for u in [
            "http://127.0.0.1:8080/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost/",
            "http://0x7f000001/",
        ] {
            let url = parse(u, "url").unwrap();
            assert!(check(&url, false, "url").await.is_err(), "{u}");
            assert!(check(&url, true, "url").await.is_ok(), "{u}");
        }
    }
}
