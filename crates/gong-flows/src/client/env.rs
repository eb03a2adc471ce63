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
                reason: "is not set: no credentials (set GONG_ACCESS_KEY and \
                         GONG_ACCESS_KEY_SECRET, or GONG_BEARER_TOKEN)"
                    .to_owned(),
            });
        }
    };
    let mut builder = Client::builder().base_url(base).credentials(credentials);
    if let Some(rate) = get("GONG_RATE_LIMIT")? {
        builder = builder.rate_limit(rate_limit(&rate)?);
    }
    let daily = match get("GONG_DAILY_LIMIT")? {
        Some(daily) => {
            let daily = calls(&daily, "GONG_DAILY_LIMIT", true)?;
            builder = builder.daily_budget(daily);
            daily
        }
        None => Some(super::GONG_DAILY_CALLS),
    };
    if let Some(reserve) = get("GONG_DAILY_RESERVE")? {
        let reserve = calls(&reserve, "GONG_DAILY_RESERVE", false)?.unwrap_or(0);
        super::builder::check_reserve(reserve, daily, "GONG_DAILY_RESERVE")?;
        builder = builder.daily_reserve(reserve);
    }
    Ok(builder)
}

/// `GONG_RATE_LIMIT`: calls per second, or `none` for no pacing.
fn rate_limit(value: &str) -> Result<Option<f64>> {
    if value.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    match value.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(Some(rate)),
        _ => Err(Error::Config {
            setting: "GONG_RATE_LIMIT".to_owned(),
            reason: format!(
                "must be a positive number of calls per second (e.g. 3 or 2.5) or `none`, got \
                 {value:?}"
            ),
        }),
    }
}

/// `GONG_DAILY_LIMIT` (a positive count, or `none` when allowed) or
/// `GONG_DAILY_RESERVE` (a count, zero included).
fn calls(value: &str, name: &str, none_allowed: bool) -> Result<Option<u32>> {
    if none_allowed && value.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    match value.replace('_', "").parse::<u32>() {
        Ok(0) if none_allowed => {}
        Ok(calls) => return Ok(Some(calls)),
        Err(_) => {}
    }
    let what = if none_allowed {
        "a positive whole number of calls per 24 hours (e.g. 10000) or `none`"
    } else {
        "a whole number of calls (e.g. 1000)"
    };
    Err(Error::Config {
        setting: name.to_owned(),
        reason: format!("must be {what}, got {value:?}"),
    })
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

    #[tokio::test]
    async fn pacing_settings_come_from_the_environment() {
        let base = [
            ("GONG_BASE_URL", "https://x.api.gong.io"),
            ("GONG_BEARER_TOKEN", "t"),
        ];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            builder_from_lookup(env(&pairs))
        };
        let client = with(&[
            ("GONG_RATE_LIMIT", "2.5"),
            ("GONG_DAILY_LIMIT", "20_000"),
            ("GONG_DAILY_RESERVE", "5000"),
        ])
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.pacer().rate(), Some(2.5));
        let budget = client.pacer().budget().await.unwrap().unwrap();
        assert_eq!(
            (budget.limit, budget.reserve, budget.left),
            (20_000, 5_000, 15_000)
        );
        // A reserve alone is kept from Gong's default limit.
        let client = with(&[("GONG_DAILY_RESERVE", "1000")])
            .unwrap()
            .build()
            .unwrap();
        let budget = client.pacer().budget().await.unwrap().unwrap();
        assert_eq!((budget.limit, budget.left), (10_000, 9_000));
        // `none` turns a limit off.
        let client = with(&[("GONG_RATE_LIMIT", "none"), ("GONG_DAILY_LIMIT", "None")])
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.pacer().rate(), None);
        assert_eq!(client.pacer().budget().await.unwrap(), None);
    }

    #[test]
    fn bad_pacing_settings_name_the_variable() {
        let base = [
            ("GONG_BASE_URL", "https://x.api.gong.io"),
            ("GONG_BEARER_TOKEN", "t"),
        ];
        for (name, value) in [
            ("GONG_RATE_LIMIT", "fast"),
            ("GONG_RATE_LIMIT", "0"),
            ("GONG_RATE_LIMIT", "-3"),
            ("GONG_RATE_LIMIT", "NaN"),
            ("GONG_RATE_LIMIT", "inf"),
            ("GONG_RATE_LIMIT", " "),
            ("GONG_DAILY_LIMIT", "0"),
            ("GONG_DAILY_LIMIT", "1.5"),
            ("GONG_DAILY_LIMIT", "-1"),
            ("GONG_DAILY_LIMIT", "99999999999"),
            ("GONG_DAILY_RESERVE", "lots"),
            ("GONG_DAILY_RESERVE", "none"),
            ("GONG_DAILY_RESERVE", "10000"),
        ] {
            let mut pairs = base.to_vec();
            pairs.push((name, value));
            assert_eq!(
                config_setting(builder_from_lookup(env(&pairs))),
                name,
                "{name}={value:?}"
            );
        }
        // A reserve with no daily limit has nothing to be kept from.
        let mut pairs = base.to_vec();
        pairs.extend([("GONG_DAILY_LIMIT", "none"), ("GONG_DAILY_RESERVE", "10")]);
        assert_eq!(
            config_setting(builder_from_lookup(env(&pairs))),
            "GONG_DAILY_RESERVE"
        );
        // The reason says what is expected.
        let mut pairs = base.to_vec();
        pairs.push(("GONG_RATE_LIMIT", "fast"));
        let Err(err) = builder_from_lookup(env(&pairs)) else {
            panic!("accepted")
        };
        assert_eq!(
            err.to_string(),
            "configuration: GONG_RATE_LIMIT must be a positive number of calls per second \
             (e.g. 3 or 2.5) or `none`, got \"fast\""
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
