//! Input checks: every id and email is checked before anything is sent.

use crate::error::{Error, Result};

/// The longest id accepted. Gong's ids are decimal strings of about 19 digits
/// and CRM ids are short (Salesforce's are 15 or 18 characters); anything far
/// longer is a mistake in the input, such as a whole CSV line.
pub const MAX_ID_LEN: usize = 128;

/// Checks one id the way every operation does before sending anything: not
/// empty, no whitespace (non-breaking spaces included), control or invisible
/// format characters (zero-width spaces, byte order marks, bidirectional
/// marks), at most [`MAX_ID_LEN`] bytes. The error names the offending
/// character's code point.
/// `field` names the input in the error.
///
/// ```
/// assert!(gong_flows::check_id("crm_prospect_ids", "0035g00000AbCdE").is_ok());
/// assert!(gong_flows::check_id("crm_prospect_ids", "two words").is_err());
/// ```
pub fn check_id(field: &'static str, id: &str) -> Result<()> {
    // The common case first, byte by byte: printable ASCII of a good length.
    // ASCII whitespace and control characters are the bytes up to 0x20 and
    // 0x7F, and any byte from 0x80 up belongs to a non-ASCII character, which
    // the full check below handles.
    if !id.is_empty() && id.len() <= MAX_ID_LEN && printable_ascii(id.as_bytes()) {
        return Ok(());
    }
    if id.trim().is_empty() {
        return Err(Error::invalid(field, id, "is empty or blank"));
    }
    if let Some(c) = id
        .chars()
        .find(|&c| c.is_whitespace() || c.is_control() || is_format(c))
    {
        let kind = if c.is_whitespace() {
            "whitespace"
        } else if c.is_control() {
            "a control character"
        } else {
            "an invisible format character"
        };
        return Err(Error::invalid(
            field,
            id.escape_default().to_string(),
            &format!("contains {kind} (U+{:04X})", u32::from(c)),
        ));
    }
    if id.len() > MAX_ID_LEN {
        return Err(Error::invalid(
            field,
            truncate(id),
            &format!("is longer than {MAX_ID_LEN} bytes"),
        ));
    }
    Ok(())
}

/// Whether every byte is printable ASCII other than space (`!` to `~`),
/// eight bytes at a time: an id is checked at every chunk, so this is on the
/// path of every call.
fn printable_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const FIRST: u64 = u64::from_ne_bytes([b'!'; 8]);
    // In each word, a byte's high bit ends up set if the byte is:
    // from 0x80 up (`x`); 0x7F, which one more carries into the high bit;
    // or below `!`, which borrows (the borrow can spill into the next byte
    // only from a byte that is already out of range, so the verdict is
    // exact).
    let bad = |x: u64| (x | x.wrapping_add(ONES) | (x.wrapping_sub(FIRST) & !x)) & HIGH;
    let mut words = bytes.chunks_exact(8);
    let mut found = 0;
    for word in &mut words {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        found |= bad(u64::from_ne_bytes(eight));
    }
    // The last bytes, padded with a printable one.
    let mut last = [b'!'; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    found |= bad(u64::from_ne_bytes(last));
    found == 0
}

/// Unicode's format characters (general category Cf): zero-width spaces and
/// joiners, byte order marks, bidirectional marks, soft hyphens. They print
/// as nothing, so an id holding one looks right and matches nothing.
fn is_format(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

fn truncate(value: &str) -> String {
    let mut end = 40.min(value.len());
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &value[..end])
}

/// Checks an email address the way every operation does before sending
/// anything (a form's check, not RFC 5322): one `@`, a non-empty local part,
/// a domain with a dot, no whitespace, at most 254 bytes.
///
/// ```
/// assert!(gong_flows::check_email("owner_email", "owner@example.com").is_ok());
/// assert!(gong_flows::check_email("owner_email", "owner").is_err());
/// ```
pub fn check_email(field: &'static str, email: &str) -> Result<()> {
    let bad = |reason: &str| Err(Error::invalid(field, email, reason));
    if email.len() > 254 {
        return bad("is longer than 254 bytes");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("contains whitespace or control characters");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return bad("is not an email address (no @)");
    };
    if local.is_empty() || domain.contains('@') {
        return bad("is not an email address");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return bad("is not an email address (bad domain)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_check_agrees_with_the_byte_check_for_every_byte_anywhere() {
        let one_by_one = |bytes: &[u8]| bytes.iter().all(|b| (b'!'..=b'~').contains(b));
        for len in 1..=25 {
            for at in 0..len {
                for byte in 0..=u8::MAX {
                    // Around the odd byte: printable neighbours, then the
                    // edges of the range (`!`, `~`), then bytes that borrow.
                    for fill in [b'a', b'!', b'~', b'\0', 0xff] {
                        let mut id = vec![fill; len];
                        id[at] = byte;
                        assert_eq!(
                            printable_ascii(&id),
                            one_by_one(&id),
                            "{id:?} (length {len}, byte {byte:#04x} at {at})"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn ids_are_checked() {
        assert!(check_id("ids", "0035g00000AbCdE").is_ok());
        for bad in ["", "   ", "a b", "tab\there", "new\nline"] {
            assert!(
                matches!(
                    check_id("ids", bad),
                    Err(Error::InvalidInput { field: "ids", .. })
                ),
                "{bad:?}"
            );
        }
        assert!(check_id("ids", &"x".repeat(MAX_ID_LEN)).is_ok());
        assert!(check_id("ids", &"x".repeat(MAX_ID_LEN + 1)).is_err());
        assert!(check_id("ids", &"é".repeat(100)).is_err());
        // Past the printable-ASCII fast path: DEL is a control character,
        // and a non-ASCII id of a good length is fine.
        assert!(check_id("ids", "a\u{7f}b").is_err());
        assert!(check_id("ids", "a\u{85}b").is_err());
        assert!(check_id("ids", "Müller-00Q5g").is_ok());
        // Invisible characters from spreadsheets, each named.
        for (bad, point) in [
            ("0035g\u{200B}00AbC", "U+200B"),
            ("\u{FEFF}0035g00AbC", "U+FEFF"),
            ("0035g00AbC\u{200E}", "U+200E"),
            ("0035g\u{00A0}00AbC", "U+00A0"),
            ("0035g\u{202F}00AbC", "U+202F"),
            ("0035g\u{2060}00AbC", "U+2060"),
            ("0035g\u{00AD}00AbC", "U+00AD"),
        ] {
            let err = check_id("ids", bad).unwrap_err();
            assert!(err.to_string().contains(point), "{bad:?}: {err}");
            assert!(
                !err.to_string().contains(bad),
                "the id is shown escaped: {err}"
            );
        }
    }

    #[test]
    fn emails_are_checked() {
        assert!(check_email("owner", "owner@example.com").is_ok());
        for bad in [
            "",
            "owner",
            "@example.com",
            "owner@",
            "owner@example",
            "a@b@c.com",
            "o wner@example.com",
            "owner@.com",
        ] {
            assert!(check_email("owner", bad).is_err(), "{bad:?}");
        }
    }
}
