//! Small helpers with no simulator state: request ids, timestamps, query
//! strings, cursors and durations.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Locks a mutex, ignoring poisoning: no simulator code panics while holding
/// a lock, and a poisoned lock must not turn every later request into a
/// panic.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A fast, non-cryptographic hasher (the "Fx" hash of rustc) for the
/// simulator's own maps: their keys come from a local test client, so
/// hash-flooding resistance (what std's SipHash pays for) buys nothing, and
/// hashing is a large share of an assign call's work.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;
/// A `HashSet` with [`FxHasher`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;

/// SplitMix64: a tiny, well-mixed, seedable generator step.
pub(crate) fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Generates Gong-style request ids without a lock: 19 lowercase
/// alphanumerics, like the recorded `1aztwuefb9b8sktif0k`.
#[derive(Debug)]
pub(crate) struct RequestIds {
    seed: u64,
    counter: AtomicU64,
}

impl RequestIds {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            seed: splitmix64(seed ^ 0x7265_7175_6573_7449),
            counter: AtomicU64::new(0),
        }
    }

    pub(crate) fn next_id(&self) -> String {
        const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut a = splitmix64(self.seed.wrapping_add(n.wrapping_mul(2)));
        let mut b = splitmix64(self.seed.wrapping_add(n.wrapping_mul(2) + 1));
        let mut id = String::with_capacity(19);
        for i in 0..19 {
            let source = if i < 10 { &mut a } else { &mut b };
            id.push(char::from(ALPHABET[(*source % 36) as usize]));
            *source /= 36;
        }
        id
    }
}

/// Formats milliseconds since the epoch as ISO-8601 UTC with milliseconds,
/// e.g. `2026-06-01T12:34:56.789Z` (one of the shapes Gong sends).
pub(crate) fn iso8601_millis(ms: u64) -> String {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        ms % 1000
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Splits and percent-decodes an `application/x-www-form-urlencoded` query.
pub(crate) fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name, true), percent_decode(value, true))
        })
        .collect()
}

/// Percent-decodes `input`; `plus_is_space` for query strings. Invalid
/// escapes are kept as they are and invalid UTF-8 is replaced, so decoding
/// never fails.
pub(crate) fn percent_decode(input: &str, plus_is_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// FNV-1a, 64 bits: a stable hash (unlike `RandomState`) so cursors stay
/// valid for the life of the simulator and are reproducible across runs.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// An opaque page cursor: base64 of the next offset and a hash of every
/// other input of the listing, so a cursor replayed with different inputs is
/// refused (Gong requires "all other inputs unchanged").
pub(crate) fn encode_cursor(offset: usize, inputs_hash: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{offset}:{inputs_hash:016x}"))
}

/// Why a cursor was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CursorError {
    /// Not a cursor this simulator issued.
    Malformed,
    /// Issued for a listing with other inputs.
    Mismatch,
}

/// Decodes a cursor made by [`encode_cursor`] and checks its inputs hash.
pub(crate) fn decode_cursor(cursor: &str, inputs_hash: u64) -> Result<usize, CursorError> {
    let raw = URL_SAFE_NO_PAD
        .decode(cursor.trim_end_matches('='))
        .map_err(|_| CursorError::Malformed)?;
    let text = std::str::from_utf8(&raw).map_err(|_| CursorError::Malformed)?;
    let mut parts = text.split(':');
    let (Some("v1"), Some(offset), Some(hash), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CursorError::Malformed);
    };
    let offset: usize = offset.parse().map_err(|_| CursorError::Malformed)?;
    let hash = u64::from_str_radix(hash, 16).map_err(|_| CursorError::Malformed)?;
    if hash != inputs_hash {
        return Err(CursorError::Mismatch);
    }
    Ok(offset)
}

/// Parses a duration such as `100ms`, `1.5s`, `250us`, `2m`, `1h` or `0`.
pub(crate) fn parse_duration(input: &str) -> Result<Duration, String> {
    let text = input.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("`{text}` has no unit (use us, ms, s, m or h)"))?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` does not start with a number"))?;
    let seconds = match unit.trim() {
        "ns" => value / 1e9,
        "us" | "µs" => value / 1e6,
        "ms" => value / 1e3,
        "s" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}` (use us, ms, s, m or h)"
            ));
        }
    };
    if !seconds.is_finite() || !(0.0..=86_400.0).contains(&seconds) {
        return Err(format!("`{text}` is out of range (at most a day)"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Formats a duration the way [`parse_duration`] reads it.
pub(crate) fn format_duration(duration: Duration) -> String {
    if duration.is_zero() {
        "0".to_owned()
    } else if duration.subsec_nanos() == 0 {
        format!("{}s", duration.as_secs())
    } else if duration.as_nanos().is_multiple_of(1_000_000) {
        format!("{}ms", duration.as_millis())
    } else {
        format!("{}us", duration.as_micros())
    }
}

/// Whether `id` is a canonical decimal id (Gong's ids are decimal strings
/// without sign or leading zeros).
pub(crate) fn is_decimal_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 19
        && id.bytes().all(|b| b.is_ascii_digit())
        && !(id.len() > 1 && id.starts_with('0'))
}

/// A decimal id as a number, when it is canonical and fits in a `u64`.
pub(crate) fn parse_decimal_id(id: &str) -> Option<u64> {
    if is_decimal_id(id) {
        id.parse().ok()
    } else {
        None
    }
}

/// "jane.doe@example.com" → "Jane Doe": Gong answers with the owner's full
/// name, and the simulator has no user directory.
pub(crate) fn full_name_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    let words: Vec<String> = local
        .split(['.', '_', '-', '+'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect();
    if words.is_empty() {
        "Gong User".to_owned()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_look_like_gong_ones() {
        let ids = RequestIds::new(7);
        let a = ids.next_id();
        let b = ids.next_id();
        assert_eq!(a.len(), 19);
        assert_ne!(a, b);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
        );
        assert_eq!(RequestIds::new(7).next_id(), a, "seeded");
    }

    #[test]
    fn dates_are_iso8601() {
        assert_eq!(iso8601_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            iso8601_millis(1_706_031_605_123),
            "2024-01-23T17:40:05.123Z"
        );
        assert_eq!(iso8601_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn query_decoding() {
        assert_eq!(
            parse_query("a=b%40c.d&e=f+g&h&i=%zz&j=%4"),
            vec![
                ("a".into(), "b@c.d".into()),
                ("e".into(), "f g".into()),
                ("h".into(), String::new()),
                ("i".into(), "%zz".into()),
                ("j".into(), "%4".into()),
            ]
        );
    }

    #[test]
    fn cursors_round_trip_and_check_inputs() {
        let hash = fnv1a(&["flows", "a@b.c"]);
        let cursor = encode_cursor(200, hash);
        assert_eq!(decode_cursor(&cursor, hash), Ok(200));
        assert_eq!(
            decode_cursor(&cursor, fnv1a(&["flows", "x@y.z"])),
            Err(CursorError::Mismatch)
        );
        assert_eq!(decode_cursor("garbage!", hash), Err(CursorError::Malformed));
        assert_eq!(decode_cursor("", hash), Err(CursorError::Malformed));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("100ms"), Ok(Duration::from_millis(100)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("10parsecs").is_err());
        assert!(parse_duration("-1s").is_err());
        assert_eq!(format_duration(Duration::from_millis(150)), "150ms");
        assert_eq!(format_duration(Duration::from_secs(30)), "30s");
    }

    #[test]
    fn decimal_ids() {
        assert!(is_decimal_id("1695493301223590792"));
        assert!(!is_decimal_id("0123"));
        assert!(!is_decimal_id("12a"));
        assert!(!is_decimal_id(""));
        assert_eq!(parse_decimal_id("42"), Some(42));
        assert_eq!(parse_decimal_id("99999999999999999999"), None);
    }

    #[test]
    fn names_from_emails() {
        assert_eq!(full_name_from_email("jane.doe@example.com"), "Jane Doe");
        assert_eq!(full_name_from_email("@x"), "Gong User");
    }
}
