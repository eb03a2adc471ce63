//! Which company a client calls for, without its secrets.

use crate::auth::Credentials;
use crate::error::{Error, Result};
use std::fmt;

/// A company as far as Gong's limits go: its API host and a non-secret
/// fingerprint of its credentials ([`Credentials::fingerprint`]).
///
/// Gong's limits are per company, and several companies can share a host
/// (a generic `api.gong.io`, a proxy), so the host alone does not name one.
/// [`Client::company`](crate::Client::company) gives the client's; a report
/// file can record it, and `RedisPacer` uses it as its namespace, so that
/// processes of one company share one limit and two companies never do.
/// `Display` is `host`, or `host#fingerprint` when there is one.
///
/// ```
/// use gong_flows::{Company, Credentials};
///
/// let company = Company::new("https://api.gong.io", &Credentials::basic("KEY", "SECRET"))?;
/// assert_eq!(company.host, "api.gong.io");
/// assert!(company.to_string().starts_with("api.gong.io#"));
/// assert!(!company.to_string().contains("SECRET"));
/// let named = Company::with_key("https://api.gong.io", "acme")?;
/// assert_eq!(named.to_string(), "api.gong.io#acme");
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    /// The API host, lower-case, with the port if the base URL names one.
    pub host: String,
    /// The credentials' fingerprint or an explicit company key; `None` for
    /// a token provider without a key.
    #[serde(default)]
    pub fingerprint: Option<String>,
}

impl Company {
    /// The company behind `base_url` and `credentials`.
    pub fn new(base_url: &str, credentials: &Credentials) -> Result<Company> {
        Ok(Company {
            host: host_of(base_url)?,
            fingerprint: credentials.fingerprint(),
        })
    }

    /// The company behind `base_url`, named by a key of your own (for
    /// example with a token provider, whose tokens name no company).
    pub fn with_key(base_url: &str, key: impl Into<String>) -> Result<Company> {
        Ok(Company {
            host: host_of(base_url)?,
            fingerprint: Some(key.into()),
        })
    }
}

impl fmt::Display for Company {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fingerprint {
            Some(fingerprint) => write!(f, "{}#{fingerprint}", self.host),
            None => f.write_str(&self.host),
        }
    }
}

/// The host, and port if any, of a base URL, lower-case.
pub(crate) fn host_of(base_url: &str) -> Result<String> {
    let url = url::Url::parse(base_url).map_err(|e| Error::Config {
        setting: "base_url".to_owned(),
        reason: format!("cannot name the company: {e}"),
    })?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_tells_companies_apart_and_reveals_no_secret() {
        let a = Company::new(
            "https://API.gong.io/",
            &Credentials::basic("key-a", "s3cr3t-a"),
        )
        .unwrap();
        let b = Company::new(
            "https://api.gong.io",
            &Credentials::basic("key-b", "s3cr3t-a"),
        )
        .unwrap();
        assert_eq!(a.host, "api.gong.io");
        assert_ne!(a, b);
        let token = "eyJhbGciOiJSUzI1NiJ9.very-secret-token";
        let bearer = Company::new("https://api.gong.io:8443", &Credentials::bearer(token)).unwrap();
        assert_eq!(bearer.host, "api.gong.io:8443");
        for company in [&a, &b, &bearer] {
            let shown = format!("{company} {company:?}");
            for secret in ["s3cr3t-a", token, "very-secret", "eyJhbGci"] {
                assert!(!shown.contains(secret), "{shown}");
            }
            let fingerprint = company.fingerprint.as_deref().unwrap();
            assert_eq!(fingerprint.len(), 16);
            assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        // The same token in Basic and Bearer names different companies
        // (the strings are domain-separated).
        let as_key =
            Company::new("https://api.gong.io:8443", &Credentials::basic(token, "x")).unwrap();
        assert_ne!(as_key.fingerprint, bearer.fingerprint);
    }
}
