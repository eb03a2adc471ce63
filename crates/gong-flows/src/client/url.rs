//! Where calls may go: the base URL policy.

use crate::error::{Error, Result};

/// Refuses cleartext HTTP to anything but loopback unless allowed.
pub(super) fn check_base_url(raw: &str, allow_insecure_http: bool) -> Result<url::Url> {
    check_url(raw, allow_insecure_http, "base_url")
}

/// [`check_base_url`]'s rules for any URL the client calls, errors naming
/// `setting`.
pub(crate) fn check_url(raw: &str, allow_insecure_http: bool, setting: &str) -> Result<url::Url> {
    let invalid = |reason: String| Error::Config {
        setting: setting.to_owned(),
        reason,
    };
    // Error messages quote the URL; never with credentials in it.
    let shown = redact_userinfo(raw);
    let raw_for_errors = shown.as_str();
    let url = url::Url::parse(raw)
        .map_err(|e| invalid(format!("{raw_for_errors:?} is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if !loopback && !allow_insecure_http {
                return Err(invalid(format!(
                    "{raw_for_errors:?} uses cleartext http:// to a non-loopback host; use https:// \
                     (or opt in with allow_insecure_http)"
                )));
            }
        }
        other => return Err(invalid(format!("scheme {other:?} is not http or https"))),
    }
    if url.host().is_none() {
        return Err(invalid(format!("{raw_for_errors:?} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not carry credentials; use the credentials setting".to_owned(),
        ));
    }
    // Every call's path is appended to the base URL: a query or fragment
    // would misroute all of them.
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(format!(
            "{raw_for_errors:?} has a query or fragment; give the API host only, e.g. \
             https://us-55616.api.gong.io"
        )));
    }
    Ok(url)
}

/// `raw` with anything between `://` and `@` replaced, so that a URL with
/// credentials in it can be quoted.
pub(crate) fn redact_userinfo(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://").map(|i| i + 3) else {
        return raw.to_owned();
    };
    let rest = &raw[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &raw[..scheme_end], &rest[at..]),
        None => raw.to_owned(),
    }
}

/// `raw` with the password of its userinfo replaced, the user kept
/// (`redis://user:***@host:6379`), so that a store's URL can be quoted
/// and still say which account it uses.
#[cfg(any(feature = "redis", test))]
pub(crate) fn redact_password(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://").map(|i| i + 3) else {
        return raw.to_owned();
    };
    let rest = &raw[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return raw.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &raw[..scheme_end],
            &rest[..colon],
            &rest[at..]
        ),
        // A user alone: no secret to hide.
        None => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleartext_http_only_to_loopback() {
        assert!(check_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(check_base_url("http://localhost:8080", false).is_ok());
        assert!(check_base_url("http://[::1]:8080", false).is_ok());
        assert!(check_base_url("http://api.gong.io", false).is_err());
        assert!(check_base_url("http://10.0.0.1", false).is_err());
        assert!(check_base_url("http://api.gong.io", true).is_ok());
        assert!(check_base_url("ftp://api.gong.io", true).is_err());
        assert!(check_base_url("https://user:pw@api.gong.io", false).is_err());
        for misrouting in [
            "https://api.gong.io/?tenant=x",
            "https://api.gong.io?x",
            "https://api.gong.io/#frag",
        ] {
            assert!(
                matches!(check_base_url(misrouting, false), Err(Error::Config { .. })),
                "{misrouting}"
            );
        }
    }

    #[test]
    fn url_errors_never_quote_credentials() {
        for raw in [
            "http://user:pw-secret@api.gong.io",
            "https://user:pw-secret@api.gong.io/x",
        ] {
            let err = check_base_url(raw, false).unwrap_err();
            assert!(!err.to_string().contains("pw-secret"), "{err}");
            assert!(!format!("{err:?}").contains("pw-secret"), "{err:?}");
        }
        assert_eq!(redact_userinfo("https://a:b@h/p@q"), "https://***@h/p@q");
        assert_eq!(redact_userinfo("not a url"), "not a url");
    }

    #[test]
    fn a_password_is_hidden_and_the_user_kept() {
        assert_eq!(
            redact_password("redis://user:hunter2@10.0.0.5:6379/0"),
            "redis://user:***@10.0.0.5:6379/0"
        );
        assert_eq!(
            redact_password("rediss://:hunter2@cache:6380"),
            "rediss://:***@cache:6380"
        );
        // A password with `:` and `@` in it is hidden whole.
        assert_eq!(
            redact_password("redis://u:a:b@c@host:1/0?x=@"),
            "redis://u:***@host:1/0?x=@"
        );
        assert_eq!(
            redact_password("redis://acl-user@host:1"),
            "redis://acl-user@host:1"
        );
        assert_eq!(
            redact_password("redis://127.0.0.1:6379/0"),
            "redis://127.0.0.1:6379/0"
        );
        assert_eq!(redact_password("not a url"), "not a url");
    }
}
