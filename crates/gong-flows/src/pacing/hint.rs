//! What Gong's answers say about the quota left.

use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};

/// The remaining quota an answer announced in its headers, for
/// [`Pacer::observe`](crate::Pacer::observe).
///
/// Gong publishes no such headers, but real answers have been seen
/// carrying `X-Ratelimit-Remaining`, and gateways add their own. Read, in
/// any letter case:
///
/// | field | headers |
/// |---|---|
/// | `remaining` | `X-RateLimit-Remaining`, `RateLimit-Remaining`, `RateLimit: remaining=N` (or `r=N`) |
/// | `reset` | `X-RateLimit-Reset`, `RateLimit-Reset`, `RateLimit: reset=N` (or `t=N`) |
/// | `limit` | `X-RateLimit-Limit`, `RateLimit-Limit`, `RateLimit: limit=N` |
/// | `daily_remaining` | `X-RateLimit-Daily-Remaining` |
/// | `daily_reset` | `X-RateLimit-Daily-Reset` |
/// | `daily_limit` | `X-RateLimit-Daily-Limit` |
///
/// Counts are the first whole number of the value (`"5"`, `"5, 5;w=1"`).
/// A reset is seconds from now, or, when larger than 10⁹, a Unix time (as
/// some gateways send it), or an HTTP date. Anything else is ignored, never
/// an error: a header is a hint, and the configured limits stay in force
/// whatever it says.
///
/// ```
/// use gong_flows::QuotaHint;
/// use reqwest::header::{HeaderMap, HeaderValue};
/// use std::time::Duration;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
/// headers.insert("X-RateLimit-Reset", HeaderValue::from_static("2"));
/// headers.insert("x-ratelimit-daily-remaining", HeaderValue::from_static("oops"));
/// let hint = QuotaHint::from_headers(&headers).unwrap();
/// assert_eq!(hint.remaining, Some(0));
/// assert_eq!(hint.reset, Some(Duration::from_secs(2)));
/// assert_eq!(hint.daily_remaining, None);
/// assert_eq!(QuotaHint::from_headers(&HeaderMap::new()), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuotaHint {
    /// Calls left in the short window (Gong's per-second limit, or a
    /// gateway's).
    pub remaining: Option<u32>,
    /// Time until the short window resets.
    pub reset: Option<Duration>,
    /// The short window's limit.
    pub limit: Option<u32>,
    /// Calls left today.
    pub daily_remaining: Option<u32>,
    /// Time until the daily count resets.
    pub daily_reset: Option<Duration>,
    /// The daily limit.
    pub daily_limit: Option<u32>,
}

impl QuotaHint {
    /// The hint in `headers`, or `None` when they carry none that reads.
    pub fn from_headers(headers: &HeaderMap) -> Option<QuotaHint> {
        let combined = headers
            .get_all("ratelimit")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .fold(QuotaHint::default(), |hint, value| hint.or(combined(value)));
        let hint = QuotaHint {
            remaining: count(headers, &["x-ratelimit-remaining", "ratelimit-remaining"]),
            reset: reset(headers, &["x-ratelimit-reset", "ratelimit-reset"]),
            limit: count(headers, &["x-ratelimit-limit", "ratelimit-limit"]),
            daily_remaining: count(headers, &["x-ratelimit-daily-remaining"]),
            daily_reset: reset(headers, &["x-ratelimit-daily-reset"]),
            daily_limit: count(headers, &["x-ratelimit-daily-limit"]),
        }
        .or(combined);
        (hint != QuotaHint::default()).then_some(hint)
    }

    /// Fills the fields `self` lacks from `other`.
    fn or(self, other: QuotaHint) -> QuotaHint {
        QuotaHint {
            remaining: self.remaining.or(other.remaining),
            reset: self.reset.or(other.reset),
            limit: self.limit.or(other.limit),
            daily_remaining: self.daily_remaining.or(other.daily_remaining),
            daily_reset: self.daily_reset.or(other.daily_reset),
            daily_limit: self.daily_limit.or(other.daily_limit),
        }
    }
}

fn first_value<'a>(headers: &'a HeaderMap, names: &[&str]) -> impl Iterator<Item = &'a str> {
    names
        .iter()
        .flat_map(|name| headers.get_all(*name).iter())
        .filter_map(|value| value.to_str().ok())
}

fn count(headers: &HeaderMap, names: &[&str]) -> Option<u32> {
    first_value(headers, names).find_map(parse_count)
}

fn reset(headers: &HeaderMap, names: &[&str]) -> Option<Duration> {
    first_value(headers, names).find_map(parse_reset)
}

/// The first item of a list value (`"5, 5;w=1"` → `"5"`), unquoted.
fn first_item(value: &str) -> &str {
    let item = value.split([',', ';']).next().unwrap_or_default().trim();
    item.trim_matches('"').trim()
}

fn parse_count(value: &str) -> Option<u32> {
    let item = first_item(value);
    if item.is_empty() || !item.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // A count beyond u32 is "plenty".
    Some(
        item.parse::<u64>()
            .map_or(u32::MAX, |n| u32::try_from(n).unwrap_or(u32::MAX)),
    )
}

/// Larger numbers of seconds are Unix times.
const UNIX_TIME_FROM: f64 = 1e9;

fn parse_reset(value: &str) -> Option<Duration> {
    let item = first_item(value);
    if let Ok(seconds) = item.parse::<f64>() {
        if !seconds.is_finite() || seconds < 0.0 {
            return None;
        }
        if seconds < UNIX_TIME_FROM {
            return Duration::try_from_secs_f64(seconds).ok();
        }
        let at = SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)?;
        return Some(at.duration_since(SystemTime::now()).unwrap_or_default());
    }
    let at = httpdate::parse_http_date(value.trim()).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

/// `RateLimit: limit=100, remaining=50, reset=30` (the IETF draft's first
/// form) or `RateLimit: "default";r=50;t=30` (its later one).
fn combined(value: &str) -> QuotaHint {
    let mut hint = QuotaHint::default();
    for param in value.split([',', ';']) {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let value = value.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "remaining" | "r" => hint.remaining = hint.remaining.or(parse_count(value)),
            "reset" | "t" => hint.reset = hint.reset.or(parse_reset(value)),
            "limit" | "q" => hint.limit = hint.limit.or(parse_count(value)),
            _ => {}
        }
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn every_spelling_is_read_in_any_case() {
        let hint = QuotaHint::from_headers(&headers(&[
            ("X-Ratelimit-Remaining", "7"),
            ("x-ratelimit-reset", "3"),
            ("X-RATELIMIT-LIMIT", "10"),
            ("X-RateLimit-Daily-Remaining", "9500"),
            ("x-ratelimit-daily-reset", "3600"),
            ("x-ratelimit-daily-limit", "10000"),
        ]))
        .unwrap();
        assert_eq!(
            hint,
            QuotaHint {
                remaining: Some(7),
                reset: Some(Duration::from_secs(3)),
                limit: Some(10),
                daily_remaining: Some(9500),
                daily_reset: Some(Duration::from_secs(3600)),
                daily_limit: Some(10_000),
            }
        );
        let ietf = QuotaHint::from_headers(&headers(&[
            ("RateLimit-Remaining", "2, 2;w=1"),
            ("ratelimit-reset", "0.5"),
            ("RateLimit-Limit", "3"),
        ]))
        .unwrap();
        assert_eq!(ietf.remaining, Some(2));
        assert_eq!(ietf.reset, Some(Duration::from_millis(500)));
        assert_eq!(ietf.limit, Some(3));
    }

    #[test]
    fn the_combined_header_in_both_drafts() {
        let old = QuotaHint::from_headers(&headers(&[(
            "RateLimit",
            "limit=100, remaining=0, reset=30",
        )]))
        .unwrap();
        assert_eq!(
            (old.limit, old.remaining, old.reset),
            (Some(100), Some(0), Some(Duration::from_secs(30)))
        );
        let new =
            QuotaHint::from_headers(&headers(&[("RateLimit", "\"default\";r=5;t=2")])).unwrap();
        assert_eq!(
            (new.remaining, new.reset),
            (Some(5), Some(Duration::from_secs(2)))
        );
        // A header of its own wins over the combined one.
        let both = QuotaHint::from_headers(&headers(&[
            ("RateLimit", "remaining=9"),
            ("X-RateLimit-Remaining", "1"),
        ]))
        .unwrap();
        assert_eq!(both.remaining, Some(1));
    }

    #[test]
    fn a_reset_may_be_a_unix_time_or_a_date() {
        let in_a_minute = SystemTime::now() + Duration::from_secs(60);
        let unix = in_a_minute
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let hint =
            QuotaHint::from_headers(&headers(&[("X-RateLimit-Reset", &unix.to_string())])).unwrap();
        let reset = hint.reset.unwrap();
        assert!(reset <= Duration::from_secs(60) && reset >= Duration::from_secs(55));
        let date = httpdate::fmt_http_date(in_a_minute + Duration::from_secs(1));
        let hint = QuotaHint::from_headers(&headers(&[("RateLimit-Reset", &date)])).unwrap();
        let reset = hint.reset.unwrap();
        assert!(reset <= Duration::from_secs(61) && reset >= Duration::from_secs(55));
        // A time in the past: now.
        let hint =
            QuotaHint::from_headers(&headers(&[("x-ratelimit-reset", "1000000000")])).unwrap();
        assert_eq!(hint.reset, Some(Duration::ZERO));
    }

    #[test]
    fn garbage_is_ignored_never_a_panic() {
        for value in [
            "",
            " ",
            "-1",
            "abc",
            "1e999",
            "NaN",
            "inf",
            "-inf",
            "18446744073709551616000",
            "1.5.5",
            "\"\"",
            ";;;",
            ",",
            "=",
            "r=",
            "0x10",
            "+5",
            "5 5",
            "99999999999999999999999999999999999999999999999999",
        ] {
            let map = headers(&[
                ("x-ratelimit-remaining", value),
                ("x-ratelimit-reset", value),
                ("ratelimit", value),
                ("x-ratelimit-daily-reset", value),
            ]);
            let _ = QuotaHint::from_headers(&map);
        }
        let hint = QuotaHint::from_headers(&headers(&[
            ("x-ratelimit-remaining", "-3"),
            ("x-ratelimit-reset", "soon"),
            ("x-ratelimit-limit", "1e3"),
        ]));
        assert_eq!(hint, None);
        // Not visible ASCII: ignored.
        let mut map = HeaderMap::new();
        map.insert(
            "x-ratelimit-remaining",
            HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
        );
        assert_eq!(QuotaHint::from_headers(&map), None);
        // A count beyond u32 is plenty, not an error.
        let hint =
            QuotaHint::from_headers(&headers(&[("x-ratelimit-daily-remaining", "99999999999")]))
                .unwrap();
        assert_eq!(hint.daily_remaining, Some(u32::MAX));
    }
}
