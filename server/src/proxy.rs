//! Reverse proxies the server believes. Behind nginx, every request comes from the proxy's
//! address; the proxy names the real client in `X-Forwarded-For` (or RFC 7239's
//! `Forwarded: for=`) and the scheme the browser used in `X-Forwarded-Proto`. Anyone can
//! send those headers, so they are read only on a request whose peer is one of the
//! `--trusted-proxies`; otherwise the peer is the client and the connection its scheme.
//!
//! actix-web's `ConnectionInfo` reads the same headers from every peer, so nothing that
//! decides something (the failed-login limits, the session cookie's `Secure`, the
//! cross-site check's host, the links' origin) asks it: they ask this module.

use std::net::IpAddr;

use actix_web::http::header::{self, HeaderMap};
use actix_web::{web, HttpRequest};
use clap::Args;
use ipnet::IpNet;

/// The proxies whose forwarding headers are believed (none by default).
#[derive(Debug, Clone, Default, Args)]
pub struct TrustedProxies {
    /// Reverse proxies whose X-Forwarded-For, Forwarded and X-Forwarded-Proto headers are
    /// believed: addresses or ranges, comma-separated (`127.0.0.1,10.0.0.0/8,::1`). From
    /// any other peer those headers are ignored.
    #[arg(
        long = "trusted-proxies",
        env = "HUMIAO_TRUSTED_PROXIES",
        value_name = "ADDRESSES",
        value_delimiter = ',',
        value_parser = parse_proxy
    )]
    pub trusted_proxies: Vec<IpNet>,
}

/// `10.0.0.0/8`, or one address (`127.0.0.1`, `::1`) as a range of one.
fn parse_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| format!("{text:?} is neither an IP address nor a range such as 10.0.0.0/8"))
}

/// What a request says about where it comes from, once its proxies are accounted for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The client's address: the peer, or the one a trusted proxy forwarded for.
    pub client: Option<IpAddr>,
    /// `https` or `http`, as the browser reached the first proxy (or this server).
    pub scheme: String,
    /// `host[:port]` the browser asked for.
    pub host: String,
}

impl TrustedProxies {
    /// `127.0.0.1, 10.0.0.0/8` as the flag takes it.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let trusted_proxies = list.split(',').map(parse_proxy).collect::<Result<_, _>>()?;
        Ok(TrustedProxies { trusted_proxies })
    }

    pub fn is_empty(&self) -> bool {
        self.trusted_proxies.is_empty()
    }

    /// Whether a range lets every address in (`0.0.0.0/0`): then any client can say who it is.
    pub fn trusts_everyone(&self) -> bool {
        self.trusted_proxies.iter().any(|net| net.prefix_len() == 0)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }

    /// Reads a request that came from `peer` with `headers`; `secure` and `fallback_host`
    /// are what the connection itself says.
    pub fn origin(
        &self,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
        secure: bool,
        fallback_host: &str,
    ) -> Origin {
        let peer = peer.map(|ip| ip.to_canonical());
        let own_scheme = if secure { "https" } else { "http" };
        let own_host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(fallback_host);
        let direct = Origin {
            client: peer,
            scheme: own_scheme.to_string(),
            host: own_host.to_string(),
        };
        let Some(peer) = peer.filter(|ip| self.trusts(*ip)) else {
            return direct;
        };
        let forwarded = forwarded_elements(headers);
        Origin {
            client: Some(self.client(peer, headers, &forwarded)),
            scheme: first_value(headers, "x-forwarded-proto")
                .or_else(|| forwarded_param(&forwarded, "proto"))
                .filter(|s| s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http"))
                .map(|s| s.to_ascii_lowercase())
                .unwrap_or(direct.scheme),
            host: first_value(headers, "x-forwarded-host")
                .or_else(|| forwarded_param(&forwarded, "host"))
                .unwrap_or(direct.host),
        }
    }

    /// The rightmost address in the chain that is not a trusted proxy: what is to its left
    /// was written by the client itself and may be anything. `X-Forwarded-For` is read
    /// first, since nginx, Apache, Caddy and Traefik write it and pass a client's own
    /// `Forwarded` header through unchanged; `Forwarded` only when there is none.
    fn client(
        &self,
        peer: IpAddr,
        headers: &HeaderMap,
        forwarded: &[Vec<(String, String)>],
    ) -> IpAddr {
        let x_forwarded_for: Vec<String> = headers
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let chain: Vec<String> = if !x_forwarded_for.is_empty() {
            x_forwarded_for
        } else {
            forwarded
                .iter()
                .filter_map(|element| param(element, "for"))
                .collect()
        };
        let mut client = peer;
        for hop in chain.iter().rev() {
            // An entry that is no address ("unknown", an obfuscated name) says nothing:
            // the hop that wrote it is the last one known.
            let Some(ip) = node_address(hop) else {
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// `Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"` as its elements (one
/// per hop, in order), each a list of lower-case names and unquoted values.
fn forwarded_elements(headers: &HeaderMap) -> Vec<Vec<(String, String)>> {
    headers
        .get_all(header::FORWARDED)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    let value = value.trim().trim_matches('"');
                    Some((name.trim().to_ascii_lowercase(), value.to_string()))
                })
                .collect()
        })
        .collect()
}

fn param(element: &[(String, String)], name: &str) -> Option<String> {
    element
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// The first element's `name` (`proto`, `host`): what the first proxy saw.
fn forwarded_param(forwarded: &[Vec<(String, String)>], name: &str) -> Option<String> {
    forwarded.iter().find_map(|element| param(element, name))
}

fn first_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    let first = value.split(',').next()?.trim();
    (!first.is_empty()).then(|| first.to_string())
}

/// The address in a node: `192.0.2.60`, `192.0.2.60:4711`, `[2001:db8::1]:4711` or a bare
/// IPv6 address.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    let host = match node.strip_prefix('[') {
        Some(rest) => rest.split(']').next()?,
        None => node.rsplit_once(':').map(|(host, _)| host)?,
    };
    host.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}

/// Where `req` comes from, by the server's trusted proxies (none when the app has none).
pub fn origin(req: &HttpRequest) -> Origin {
    let none = TrustedProxies::default();
    let proxies = req
        .app_data::<web::Data<TrustedProxies>>()
        .map(|data| data.get_ref())
        .unwrap_or(&none);
    let config = req.app_config();
    proxies.origin(
        req.peer_addr().map(|a| a.ip()),
        req.headers(),
        config.secure(),
        config.host(),
    )
}

/// The client's address as the failed-login limits count it.
pub fn client_address(req: &HttpRequest) -> String {
    origin(req)
        .client
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn proxies(list: &str) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn the_client_is_the_rightmost_address_that_is_not_a_trusted_proxy() {
        let trusted = proxies("127.0.0.1, 10.0.0.0/8");
        // The peer, the headers it sent, the client.
        type Case<'a> = (&'a str, &'a [(&'static str, &'a str)], &'a str);
        let cases: [Case; 10] = [
            (
                "127.0.0.1",
                &[("x-forwarded-for", "203.0.113.7")],
                "203.0.113.7",
            ),
            // What the client wrote itself, left of the proxy's entry, is not believed.
            (
                "127.0.0.1",
                &[("x-forwarded-for", "1.2.3.4, 203.0.113.7")],
                "203.0.113.7",
            ),
            (
                "127.0.0.1",
                &[("x-forwarded-for", "203.0.113.7, 10.1.2.3")],
                "203.0.113.7",
            ),
            (
                "127.0.0.1",
                &[("x-forwarded-for", "10.9.9.9, 10.1.2.3")],
                "10.9.9.9",
            ),
            ("127.0.0.1", &[("x-forwarded-for", "unknown")], "127.0.0.1"),
            ("127.0.0.1", &[], "127.0.0.1"),
            (
                "127.0.0.1",
                &[(
                    "forwarded",
                    "for=198.51.100.1;proto=https, for=\"[2001:db8::1]:4711\"",
                )],
                "2001:db8::1",
            ),
            // X-Forwarded-For first: nginx writes it and passes the client's Forwarded on.
            (
                "127.0.0.1",
                &[
                    ("forwarded", "for=6.6.6.6"),
                    ("x-forwarded-for", "203.0.113.7"),
                ],
                "203.0.113.7",
            ),
            // From a peer that is no trusted proxy, the headers are ignored.
            (
                "192.0.2.1",
                &[("x-forwarded-for", "203.0.113.7")],
                "192.0.2.1",
            ),
            (
                "::ffff:127.0.0.1",
                &[("x-forwarded-for", "203.0.113.7:555")],
                "203.0.113.7",
            ),
        ];
        for (peer, given, client) in cases {
            let origin = trusted.origin(Some(peer.parse().unwrap()), &headers(given), false, "h");
            assert_eq!(
                origin.client,
                Some(client.parse().unwrap()),
                "{peer} {given:?}"
            );
        }
    }

    #[test]
    fn the_scheme_and_host_are_believed_only_from_a_trusted_proxy() {
        let trusted = proxies("127.0.0.1");
        let given = headers(&[
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "humiao.example"),
            ("host", "127.0.0.1:8080"),
        ]);
        let from_proxy = trusted.origin(Some("127.0.0.1".parse().unwrap()), &given, false, "h");
        assert_eq!(from_proxy.scheme, "https");
        assert_eq!(from_proxy.host, "humiao.example");
        let from_elsewhere = trusted.origin(Some("192.0.2.1".parse().unwrap()), &given, false, "h");
        assert_eq!(from_elsewhere.scheme, "http");
        assert_eq!(from_elsewhere.host, "127.0.0.1:8080");
        let forwarded = headers(&[("forwarded", "for=1.2.3.4;proto=https;host=a.example")]);
        let origin = trusted.origin(Some("127.0.0.1".parse().unwrap()), &forwarded, false, "h");
        assert_eq!(
            (origin.scheme.as_str(), origin.host.as_str()),
            ("https", "a.example")
        );
    }

    #[test]
    fn a_proxy_list_takes_addresses_and_ranges_and_names_a_bad_entry() {
        assert_eq!(parse_proxy(" ::1 ").unwrap().to_string(), "::1/128");
        assert_eq!(parse_proxy("10.1.2.3/8").unwrap().to_string(), "10.0.0.0/8");
        let error = parse_proxy("nginx.local").unwrap_err();
        assert!(error.contains("nginx.local"), "{error}");
    }
}
