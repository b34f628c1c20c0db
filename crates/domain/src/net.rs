//! Addresses: networks in CIDR notation (trusted reverse proxies), the client behind a chain of
//! proxies (`X-Forwarded-For`), and web origins (scheme, host, port) for the same-origin check.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An IP network such as `10.0.0.0/8`, `::1/128` or a single address (`127.0.0.1`).
/// IPv4-mapped IPv6 networks and addresses (`::ffff:10.0.0.1`) are treated as IPv4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

/// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as the IPv4 address it stands for.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

fn mask_v4(a: Ipv4Addr, prefix: u8) -> u32 {
    let bits = u32::from(a);
    if prefix == 0 {
        0
    } else {
        bits & (u32::MAX << (32 - u32::from(prefix)))
    }
}

fn mask_v6(a: Ipv6Addr, prefix: u8) -> u128 {
    let bits = u128::from(a);
    if prefix == 0 {
        0
    } else {
        bits & (u128::MAX << (128 - u32::from(prefix)))
    }
}

impl Cidr {
    /// Parses `ADDRESS` or `ADDRESS/PREFIX`; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or network such as 10.0.0.0/8"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && !p.starts_with('+') => n,
                _ => return Err(format!("{s:?}: the prefix length must be 0 to {max}")),
            },
        };
        // `::ffff:10.0.0.0/104` is the IPv4 network 10.0.0.0/8.
        if let IpAddr::V6(v6) = addr
            && let Some(v4) = v6.to_ipv4_mapped()
            && prefix >= 96
        {
            return Ok(Cidr::new(IpAddr::V4(v4), prefix - 96));
        }
        Ok(Cidr::new(addr, prefix))
    }

    fn new(addr: IpAddr, prefix: u8) -> Cidr {
        let addr = match addr {
            IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(mask_v4(a, prefix))),
            IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(mask_v6(a, prefix))),
        };
        Cidr { addr, prefix }
    }

    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(a)) => mask_v4(a, self.prefix) == u32::from(net),
            (IpAddr::V6(net), IpAddr::V6(a)) => mask_v6(a, self.prefix) == u128::from(net),
            _ => false,
        }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Whether `ip` is one of the `trusted` networks.
pub fn is_trusted(ip: IpAddr, trusted: &[Cidr]) -> bool {
    trusted.iter().any(|c| c.contains(ip))
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`, `[::1]:80`).
fn forwarded_entry(entry: &str) -> Option<IpAddr> {
    let e = entry.trim();
    e.parse::<IpAddr>()
        .ok()
        .or_else(|| e.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// The client's address. Only when the connection comes from a trusted proxy are the
/// `X-Forwarded-For` entries (all header lines, in order) believed: walking from the right, the
/// trusted proxies are skipped and the first other address is the client. Malformed entries are
/// ignored. If every entry is a trusted proxy, the leftmost one is the client.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[Cidr],
) -> IpAddr {
    let peer = canonical(peer);
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let entries: Vec<IpAddr> = forwarded_for
        .into_iter()
        .flat_map(|line| line.split(','))
        .filter_map(forwarded_entry)
        .collect();
    let mut client = peer;
    for ip in entries.into_iter().rev() {
        client = ip;
        if !is_trusted(ip, trusted) {
            break;
        }
    }
    client
}

/// A web origin: scheme, host and port (the default port filled in), compared as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// Parses `scheme://host[:port]` with an optional path after it (a `base_url` or an `Origin`
    /// header); only http and https. `None` for anything else, `null` included.
    pub fn parse(url: &str) -> Option<Origin> {
        let (scheme, rest) = url.trim().split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.is_empty() || authority.contains('@') {
            return None;
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']')?;
            (format!("[{h}]"), after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (authority.to_string(), None),
            }
        };
        let port = match port {
            None => default,
            Some(p) => p.parse().ok()?,
        };
        if host.is_empty() || host.contains(':') && !host.starts_with('[') {
            return None;
        }
        Some(Origin {
            scheme,
            host: host.trim_end_matches('.').to_ascii_lowercase(),
            port,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn cidr(s: &str) -> Cidr {
        Cidr::parse(s).unwrap()
    }

    #[test]
    fn ipv4_networks() {
        let n = cidr("10.1.0.0/16");
        assert!(n.contains(ip("10.1.0.1")));
        assert!(n.contains(ip("10.1.255.255")));
        assert!(!n.contains(ip("10.2.0.1")));
        assert!(!n.contains(ip("::1")));
        let one = cidr("127.0.0.1/32");
        assert!(one.contains(ip("127.0.0.1")));
        assert!(!one.contains(ip("127.0.0.2")));
        assert_eq!(cidr("127.0.0.1"), one, "a bare address is a /32");
        assert_eq!(
            cidr("10.1.2.3/8").to_string(),
            "10.0.0.0/8",
            "host bits are masked"
        );
    }

    #[test]
    fn zero_prefix_matches_its_family() {
        let all4 = cidr("0.0.0.0/0");
        assert!(all4.contains(ip("8.8.8.8")));
        assert!(all4.contains(ip("::ffff:8.8.8.8")));
        assert!(!all4.contains(ip("2001:db8::1")));
        let all6 = cidr("::/0");
        assert!(all6.contains(ip("2001:db8::1")));
        assert!(!all6.contains(ip("8.8.8.8")));
    }

    #[test]
    fn ipv6_networks() {
        let n = cidr("2001:db8::/32");
        assert!(n.contains(ip("2001:db8:ffff::1")));
        assert!(!n.contains(ip("2001:db9::1")));
        assert!(cidr("::1").contains(ip("::1")));
        assert!(!cidr("::1").contains(ip("::2")));
        assert!(cidr("fd00::/8").contains(ip("fdab::1")));
    }

    #[test]
    fn ipv4_mapped_addresses_are_ipv4() {
        assert!(cidr("10.0.0.0/8").contains(ip("::ffff:10.9.8.7")));
        assert!(cidr("::ffff:10.0.0.0/104").contains(ip("10.9.8.7")));
        assert_eq!(cidr("::ffff:127.0.0.1"), cidr("127.0.0.1"));
        assert_eq!(canonical(ip("::ffff:1.2.3.4")), ip("1.2.3.4"));
    }

    #[test]
    fn bad_networks_are_refused() {
        for bad in [
            "",
            "localhost",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "/8",
            "10.0.0.0/-1",
            "10.0.0.0/+8",
            "10.0.0/8",
            "10.0.0.0/8/8",
            "1.2.3.4:80",
        ] {
            assert!(Cidr::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn forwarded_for_is_believed_from_trusted_proxies_only() {
        let trusted = [cidr("127.0.0.1"), cidr("10.0.0.0/8")];
        let client = ip("203.0.113.7");
        // Straight from the client: the header is whatever the client wrote.
        assert_eq!(client_address(client, ["198.51.100.1"], &trusted), client);
        // Through the proxy: the rightmost untrusted entry.
        assert_eq!(
            client_address(ip("127.0.0.1"), ["198.51.100.1, 203.0.113.7"], &trusted),
            client,
            "what the client wrote to the left is not believed"
        );
        // Through two proxies, across two header lines, with a port and a malformed entry.
        assert_eq!(
            client_address(
                ip("::ffff:127.0.0.1"),
                ["unknown, 203.0.113.7:5123", "10.1.1.1, , 10.2.2.2"],
                &trusted
            ),
            client
        );
        // No header: the proxy itself.
        assert_eq!(
            client_address(ip("127.0.0.1"), [], &trusted),
            ip("127.0.0.1")
        );
        // Only proxies in the chain: the leftmost.
        assert_eq!(
            client_address(ip("127.0.0.1"), ["10.0.0.5, 10.0.0.6"], &trusted),
            ip("10.0.0.5")
        );
        // Nothing trusted: the peer, always.
        assert_eq!(
            client_address(ip("127.0.0.1"), ["203.0.113.7"], &[]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let base = Origin::parse("https://Radar.Example/pfad").unwrap();
        assert_eq!(Origin::parse("https://radar.example"), Some(base.clone()));
        assert_eq!(
            Origin::parse("https://radar.example:443"),
            Some(base.clone())
        );
        assert_ne!(Origin::parse("http://radar.example"), Some(base.clone()));
        assert_ne!(Origin::parse("https://radar.example:8443"), Some(base));
        assert_eq!(Origin::parse("http://[::1]:8080").unwrap().port, 8080);
        for bad in [
            "null",
            "radar.example",
            "ftp://x",
            "https://",
            "https://a@b",
            "https://x:y",
        ] {
            assert_eq!(Origin::parse(bad), None, "{bad}");
        }
    }
}
