//! What an id looks like: catching the wrong column of a CRM export (its
//! emails, its account ids) before calls are spent on certain refusals.

use std::fmt;

/// The kind of id a column should hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdKind {
    /// CRM prospect ids: contacts or leads (Salesforce `003…` / `00Q…`, or
    /// another CRM's ids).
    CrmProspect,
    /// Gong's flow instance ids (decimal strings).
    FlowInstance,
}

/// Why a value does not look like an id of its kind ([`shape_problem`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShapeProblem {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A person's name: letters (and spaces, `'`, `-`, `.`) only,
    /// capitalised.
    PersonName,
    /// A Salesforce id of an object that is not a contact or a lead.
    SalesforceObject {
        /// Its key prefix (`001`).
        prefix: String,
        /// What the prefix names (`account`), if it is a well-known one.
        object: Option<&'static str>,
    },
    /// A CRM prospect id where flow instance ids belong.
    NotAnInstanceId,
}

impl fmt::Display for ShapeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeProblem::Email => f.write_str("looks like an email address"),
            ShapeProblem::Phone => f.write_str("looks like a phone number"),
            ShapeProblem::PersonName => f.write_str("looks like a person's name"),
            ShapeProblem::SalesforceObject {
                prefix,
                object: Some(object),
            } => write!(
                f,
                "is a Salesforce {object} id ({prefix}…), not a contact (003…) or lead (00Q…)"
            ),
            ShapeProblem::SalesforceObject { prefix, .. } => write!(
                f,
                "is a Salesforce id of another object ({prefix}…), not a contact (003…) or lead (00Q…)"
            ),
            ShapeProblem::NotAnInstanceId => {
                f.write_str("looks like a CRM id, not a flow instance id (digits)")
            }
        }
    }
}

/// Salesforce key prefixes seen in CRM exports, other than contacts' and
/// leads'.
const SALESFORCE_OBJECTS: [(&str, &str); 8] = [
    ("001", "account"),
    ("005", "user"),
    ("006", "opportunity"),
    ("00T", "task"),
    ("00U", "event"),
    ("00G", "group"),
    ("500", "case"),
    ("701", "campaign"),
];

/// Contacts and leads: the Salesforce objects Gong Engage assigns.
const SALESFORCE_PROSPECTS: [&str; 2] = ["003", "00Q"];

/// Why `id` does not look like an id of `kind`, if it does not. A value
/// that passes is not known to be right (only Gong knows), but one that
/// fails is a certain refusal: an email, a phone number, a person's name,
/// a Salesforce id of an account (`001…`), opportunity (`006…`), user
/// (`005…`) or other object that is not a contact (`003…`) or lead
/// (`00Q…`). Other CRMs' ids (HubSpot's are numeric) pass.
///
/// ```
/// use gong_flows::input::{IdKind, ShapeProblem, shape_problem};
///
/// let crm = IdKind::CrmProspect;
/// assert_eq!(shape_problem("0035g00000AbCdE", crm), None); // a contact
/// assert_eq!(shape_problem("00Q5g00000AbCdEAAV", crm), None); // a lead
/// assert_eq!(shape_problem("51234", crm), None); // another CRM's id
/// assert_eq!(shape_problem("ann@example.com", crm), Some(ShapeProblem::Email));
/// assert_eq!(shape_problem("+1 (555) 010-7788", crm), Some(ShapeProblem::Phone));
/// assert_eq!(shape_problem("Ann Smith", crm), Some(ShapeProblem::PersonName));
/// let account = shape_problem("0015g00000XyZaB", crm).unwrap();
/// assert_eq!(account.to_string(), "is a Salesforce account id (001…), not a contact (003…) or lead (00Q…)");
/// assert_eq!(
///     shape_problem("0035g00000AbCdE", IdKind::FlowInstance),
///     Some(ShapeProblem::NotAnInstanceId)
/// );
/// ```
pub fn shape_problem(id: &str, kind: IdKind) -> Option<ShapeProblem> {
    let id = id.trim();
    if is_email(id) {
        return Some(ShapeProblem::Email);
    }
    if is_phone(id) {
        return Some(ShapeProblem::Phone);
    }
    if is_name(id) {
        return Some(ShapeProblem::PersonName);
    }
    let prefix = salesforce_prefix(id)?;
    if kind == IdKind::FlowInstance {
        return Some(ShapeProblem::NotAnInstanceId);
    }
    if SALESFORCE_PROSPECTS.contains(&prefix) {
        return None;
    }
    let object = SALESFORCE_OBJECTS
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, object)| *object);
    Some(ShapeProblem::SalesforceObject {
        prefix: prefix.to_owned(),
        object,
    })
}

fn is_email(id: &str) -> bool {
    match id.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.split('.').count() >= 2
                && domain.split('.').all(|part| !part.is_empty())
        }
        None => false,
    }
}

/// 7 to 15 digits, written as people write phone numbers: with a `+`, or
/// groups apart (` `, `-`, `.`, parentheses). Bare digits are left alone:
/// they may be another CRM's ids.
fn is_phone(id: &str) -> bool {
    let digits = id.chars().filter(char::is_ascii_digit).count();
    let allowed = id
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'));
    let written =
        id.starts_with('+') || id.contains(['(', ' ']) || id.matches(['-', '.']).count() >= 2;
    allowed && written && (7..=15).contains(&digits)
}

/// Letters only (and the spaces, apostrophes, hyphens and dots of names),
/// capitalised, with a lower-case letter: `Ann Smith`, `O'Neil`, `Smith`;
/// not `ABC` nor `abc`.
fn is_name(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(char::is_uppercase)
        && id.chars().any(char::is_lowercase)
        && id
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '.'))
}

/// The key prefix of what reads as a Salesforce id: 15 or 18 letters and
/// digits, starting with a digit and holding another. Salesforce's standard
/// objects' prefixes start with a digit (`001`, `003`, `00Q`, `500`).
fn salesforce_prefix(id: &str) -> Option<&str> {
    let shaped = matches!(id.len(), 15 | 18)
        && id.bytes().all(|b| b.is_ascii_alphanumeric())
        && id.as_bytes()[0].is_ascii_digit()
        && id.bytes().any(|b| b.is_ascii_alphabetic());
    shaped.then(|| &id[..3])
}

/// What [`check_shapes`] found in a list of ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShapeCheck {
    /// Ids checked.
    pub checked: usize,
    /// Ids that do not look like ids of their kind.
    pub suspect: usize,
    /// The first few of them, with why.
    pub examples: Vec<(String, ShapeProblem)>,
}

impl ShapeCheck {
    /// Some ids were checked, and every one looks wrong: the column is.
    pub fn all_suspect(&self) -> bool {
        self.checked > 0 && self.suspect == self.checked
    }
}

impl fmt::Display for ShapeCheck {
    /// `2 of 3 ids do not look like CRM ids: "ann@x.com" looks like an
    /// email address, …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} ids look wrong", self.suspect, self.checked)?;
        for (i, (id, problem)) in self.examples.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{id:?} {problem}")?;
        }
        Ok(())
    }
}

/// Checks the shape of every id ([`shape_problem`]), keeping three
/// examples of those that look wrong.
///
/// ```
/// use gong_flows::input::{IdKind, check_shapes};
///
/// let check = check_shapes(["0035g00000AbCdE", "ann@example.com"], IdKind::CrmProspect);
/// assert_eq!((check.checked, check.suspect), (2, 1));
/// assert!(!check.all_suspect());
/// assert_eq!(check.to_string(), "1 of 2 ids look wrong: \"ann@example.com\" looks like an email address");
/// ```
pub fn check_shapes<'a>(ids: impl IntoIterator<Item = &'a str>, kind: IdKind) -> ShapeCheck {
    let mut check = ShapeCheck::default();
    for id in ids {
        check.checked += 1;
        if let Some(problem) = shape_problem(id, kind) {
            check.suspect += 1;
            if check.examples.len() < 3 {
                check.examples.push((id.to_owned(), problem));
            }
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let crm = IdKind::CrmProspect;
        for fine in [
            "a1",
            "abc",
            "ABC123",
            "5551234567",
            "0035g00000AbCdEAAV",
            "00Q000000000001AAA",
            "lead-17",
            "1695493301223590792",
        ] {
            assert_eq!(shape_problem(fine, crm), None, "{fine}");
        }
        for (wrong, problem) in [
            ("a@b.co", ShapeProblem::Email),
            ("555-010-7788", ShapeProblem::Phone),
            ("+44 20 7946 0958", ShapeProblem::Phone),
            ("O'Neil", ShapeProblem::PersonName),
            ("José García", ShapeProblem::PersonName),
        ] {
            assert_eq!(shape_problem(wrong, crm), Some(problem), "{wrong}");
        }
        let opportunity = shape_problem("0065g00000AbCdEAAV", crm).unwrap();
        assert!(opportunity.to_string().contains("opportunity"));
        let custom = shape_problem("0A15g00000AbCdE", crm).unwrap();
        assert!(custom.to_string().contains("another object (0A1…)"));
        let instance = IdKind::FlowInstance;
        assert_eq!(shape_problem("3697469986975249", instance), None);
        assert_eq!(
            shape_problem("ann@x.io", instance),
            Some(ShapeProblem::Email)
        );
    }
}
