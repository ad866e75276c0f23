//! Which address a request comes from, for the sign-in throttles only: the peer, or, when
//! the peer is a proxy the operator trusts (`LOUPE_TRUSTED_PROXIES`), the nearest address
//! in its `X-Forwarded-For` that is not one of those proxies. The address is never stored
//! or logged; the throttles keep it as a keyed hash in memory.

use std::net::IpAddr;

use ipnet::IpNet;

/// Most `X-Forwarded-For` entries looked at, from the right; a longer chain is cut there.
const MAX_HOPS: usize = 16;

#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses addresses and CIDR ranges (`10.0.0.0/8`, `127.0.0.1`, `::1`).
    pub fn parse(items: &[String]) -> anyhow::Result<TrustedProxies> {
        let mut nets = Vec::new();
        for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let net = match item.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => match item.parse::<IpAddr>() {
                    Ok(ip) => IpNet::from(ip),
                    Err(_) => anyhow::bail!(
                        "LOUPE_TRUSTED_PROXIES: {item:?} is neither an IP address nor a CIDR range"
                    ),
                },
            };
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The caller's address: `peer` unless `peer` is trusted and `forwarded_for` (every
    /// `X-Forwarded-For` header, in order) names hops; then the rightmost hop that is not a
    /// trusted proxy (each trusted proxy appends the address it saw, so everything left of
    /// the first untrusted hop could be made up by the client). An entry that is not an
    /// address stops the walk at the last trusted hop.
    pub fn client<'a>(
        &self,
        peer: Option<IpAddr>,
        forwarded_for: impl IntoIterator<Item = &'a str>,
    ) -> Option<IpAddr> {
        let mut caller = canonical(peer?);
        if self.0.is_empty() || !self.trusts(caller) {
            return Some(caller);
        }
        let hops: Vec<&str> = forwarded_for
            .into_iter()
            .flat_map(|h| h.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev().take(MAX_HOPS) {
            let Some(ip) = parse_hop(hop) else {
                break;
            };
            caller = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        Some(caller)
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`,
/// `[::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    hop.parse::<std::net::SocketAddr>()
        .ok()
        .map(|s| canonical(s.ip()))
}

/// IPv4 addresses seen through an IPv6 socket (`::ffff:1.2.3.4`) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    fn proxies(items: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_caller() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("10.0.0.1"), ["203.0.113.9"]), ip("10.0.0.1"));
    }

    #[test]
    fn an_untrusted_peer_cannot_name_another_address() {
        let p = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            p.client(ip("198.51.100.7"), ["203.0.113.9"]),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_caller() {
        let p = proxies(&["10.0.0.0/8", "127.0.0.1"]);
        // The client claims 1.1.1.1; the edge proxy saw 203.0.113.9; an inner proxy 10.0.0.2.
        assert_eq!(
            p.client(ip("127.0.0.1"), ["1.1.1.1, 203.0.113.9", "10.0.0.2"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            p.client(ip("127.0.0.1"), ["203.0.113.9:4711"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            p.client(ip("127.0.0.1"), ["[2001:db8::1]:80"]),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn garbage_or_an_empty_header_keeps_the_last_trusted_hop() {
        let p = proxies(&["10.0.0.0/8", "127.0.0.1"]);
        assert_eq!(
            p.client(ip("127.0.0.1"), ["nonsense, 10.0.0.3"]),
            ip("10.0.0.3")
        );
        assert_eq!(p.client(ip("127.0.0.1"), [""]), ip("127.0.0.1"));
        assert_eq!(p.client(ip("127.0.0.1"), []), ip("127.0.0.1"));
        assert_eq!(
            p.client(ip("::ffff:127.0.0.1"), ["203.0.113.9"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_long_chain_of_trusted_hops_is_cut() {
        let p = proxies(&["10.0.0.0/8"]);
        let chain = vec!["10.0.0.1"; 1000].join(",");
        assert_eq!(p.client(ip("10.0.0.9"), [chain.as_str()]), ip("10.0.0.1"));
    }

    #[test]
    fn bad_entries_are_refused_at_start() {
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
        assert!(TrustedProxies::parse(&["haproxy".into()]).is_err());
        assert!(TrustedProxies::parse(&[" ".into()]).unwrap().0.is_empty());
    }
}
