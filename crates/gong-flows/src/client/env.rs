//! A client configured from `GONG_*` environment variables.

use super::ClientBuilder;
use super::url::check_base_url;
use crate::Client;
use crate::auth::Credentials;
use crate::error::{Error, Result};

pub(super) fn builder_from_lookup(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<ClientBuilder> {
    let get = |name: &str| -> Result<Option<String>> {
        match lookup(name) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Err(Error::Config {
                setting: name.to_owned(),
                reason: "is set but empty".to_owned(),
            }),
            Some(v) => Ok(Some(v.trim().to_owned())),
        }
    };
    let base = get("GONG_BASE_URL")?.ok_or_else(|| Error::Config {
        setting: "GONG_BASE_URL".to_owned(),
        reason: "is not set".to_owned(),
    })?;
    // Check the URL here so the error names the variable.
    check_base_url(&base, false).map_err(|e| match e {
        Error::Config { reason, .. } => Error::Config {
            setting: "GONG_BASE_URL".to_owned(),
            reason,
        },
        other => other,
    })?;
    let key = get("GONG_ACCESS_KEY")?;
    let secret = get("GONG_ACCESS_KEY_SECRET")?;
    let token = get("GONG_BEARER_TOKEN")?;
    let credentials = match (key, secret, token) {
        (Some(key), Some(secret), None) => Credentials::basic(key, secret),
        (None, None, Some(token)) => Credentials::bearer(token),
        (Some(_), None, _) => {
            return Err(Error::Config {
                setting: "GONG_ACCESS_KEY_SECRET".to_owned(),
                reason: "is not set (GONG_ACCESS_KEY is)".to_owned(),
            });
        }
        (None, Some(_), _) => {
            return Err(Error::Config {
                setting: "GONG_ACCESS_KEY".to_owned(),
                reason: "is not set (GONG_ACCESS_KEY_SECRET is)".to_owned(),
            });
        }
        (Some(_), Some(_), Some(_)) => {
            return Err(Error::Config {
                setting: "GONG_BEARER_TOKEN".to_owned(),
                reason: "is set together with GONG_ACCESS_KEY; set one kind of credentials"
                    .to_owned(),
            });
        }
        (None, None, None) => {
            return Err(Error::Config {
                setting: "GONG_ACCESS_KEY".to_owned(),
                reason: "is not set (set GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET, or \
                         GONG_BEARER_TOKEN)"
                    .to_owned(),
            });
        }
    };
    Ok(Client::builder().base_url(base).credentials(credentials))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn config_setting(result: Result<ClientBuilder>) -> String {
        match result {
            Err(Error::Config { setting, .. }) => setting,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn env_errors_name_the_variable() {
        assert_eq!(
            config_setting(builder_from_lookup(env(&[]))),
            "GONG_BASE_URL"
        );
        assert_eq!(
            config_setting(builder_from_lookup(env(&[(
                "GONG_BASE_URL",
                "https://x.api.gong.io"
            )]))),
            "GONG_ACCESS_KEY"
        );
        assert_eq!(
            config_setting(builder_from_lookup(env(&[
                ("GONG_BASE_URL", "https://x.api.gong.io"),
                ("GONG_ACCESS_KEY", "k"),
            ]))),
            "GONG_ACCESS_KEY_SECRET"
        );
        assert_eq!(
            config_setting(builder_from_lookup(env(&[
                ("GONG_BASE_URL", "not a url"),
                ("GONG_BEARER_TOKEN", "t"),
            ]))),
            "GONG_BASE_URL"
        );
        assert_eq!(
            config_setting(builder_from_lookup(env(&[
                ("GONG_BASE_URL", "https://x.api.gong.io"),
                ("GONG_BEARER_TOKEN", " "),
            ]))),
            "GONG_BEARER_TOKEN"
        );
    }

    #[test]
    fn env_with_bearer_or_basic_builds() {
        for pairs in [
            vec![
                ("GONG_BASE_URL", "https://x.api.gong.io"),
                ("GONG_BEARER_TOKEN", "t"),
            ],
            vec![
                ("GONG_BASE_URL", "https://x.api.gong.io"),
                ("GONG_ACCESS_KEY", "k"),
                ("GONG_ACCESS_KEY_SECRET", "s"),
            ],
        ] {
            let client = builder_from_lookup(env(&pairs)).unwrap().build().unwrap();
            assert_eq!(client.base_url(), "https://x.api.gong.io");
        }
    }
}
