//! Reading inputs: id files (one per line, or CSV with a header), prospect
//! CSVs for bulk assignment, and the checks that give every bad line its
//! file name and line number before anything is sent.

use crate::exit::CliError;
use gong_flows::BulkProspect;
use std::collections::HashSet;
use std::io::Read as _;

/// Where inputs come from; remembers whether stdin was taken, since it can
/// be read only once.
#[derive(Debug, Default)]
pub struct Inputs {
    stdin_taken: bool,
}

impl Inputs {
    /// The text of `path` (`-` for stdin) and the name to show in messages.
    pub fn read(&mut self, path: &str) -> Result<(String, String), CliError> {
        let (name, bytes) = if path == "-" {
            if self.stdin_taken {
                return Err(CliError::usage(
                    "stdin (`-`) can be given for one input only",
                ));
            }
            self.stdin_taken = true;
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::usage(format!("<stdin>: cannot read: {e}")))?;
            ("<stdin>".to_owned(), bytes)
        } else {
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::usage(format!("{path}: cannot read: {e}")))?;
            (path.to_owned(), bytes)
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
                return Err(CliError::usage(format!("{name}:{line}: not UTF-8 text")));
            }
        };
        // Spreadsheet exports often start with a byte order mark.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        Ok((text, name))
    }
}

/// Ids read from a file, checked and deduplicated, in input order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IdList {
    /// Each id once, in the order first seen.
    pub unique: Vec<String>,
    /// Every repeat (an id given three times is here twice).
    pub duplicates: Vec<String>,
}

/// Why one id is unusable, if it is: the SDK's own check, so that a file
/// that passes here is never refused by it halfway through a job.
pub fn id_problem(id: &str) -> Option<String> {
    match gong_flows::check_id("id", id) {
        Ok(()) => None,
        Err(gong_flows::Error::InvalidInput { value, reason, .. }) => {
            Some(format!("id {:?} {reason}", shorten(&value)))
        }
        Err(other) => Some(other.to_string()),
    }
}

/// Why an email address is unusable, if it is: the SDK's own check.
pub fn email_problem(email: &str) -> Option<String> {
    match gong_flows::check_email("email", email) {
        Ok(()) => None,
        Err(gong_flows::Error::InvalidInput { reason, .. }) => Some(reason),
        Err(other) => Some(other.to_string()),
    }
}

/// Checks an option's email value.
pub fn check_email_option(option: &str, email: &str) -> Result<(), CliError> {
    match email_problem(email) {
        Some(problem) => Err(CliError::usage(format!("{option} {email:?} {problem}"))),
        None => Ok(()),
    }
}

/// Checks an option's id value.
pub fn check_id_option(option: &str, id: &str) -> Result<(), CliError> {
    match id_problem(id) {
        Some(problem) => Err(CliError::usage(format!("{option}: {problem}"))),
        None => Ok(()),
    }
}

/// Keeps messages about a runaway value (a whole CSV line, say) readable.
fn shorten(value: &str) -> String {
    if value.chars().count() <= 60 {
        return value.to_owned();
    }
    let head: String = value.chars().take(57).collect();
    format!("{head}...")
}

fn at(name: &str, line: u64, message: impl std::fmt::Display) -> CliError {
    CliError::usage(format!("{name}:{line}: {message}"))
}

/// Parses an id file: one id per line, or a CSV with a header when the
/// first non-blank line has a comma or a column is named. Blank lines and
/// surrounding spaces are ignored; anything else malformed is an error
/// naming the file and line.
pub fn parse_ids(name: &str, text: &str, column: Option<&str>) -> Result<IdList, CliError> {
    let first = text.lines().map(str::trim).find(|line| !line.is_empty());
    let is_csv = column.is_some() || first.is_some_and(|line| line.contains(','));
    let mut ids = IdList::default();
    let mut seen = HashSet::new();
    let mut add = |id: String| {
        if seen.contains(&id) {
            ids.duplicates.push(id);
        } else {
            seen.insert(id.clone());
            ids.unique.push(id);
        }
    };
    if !is_csv {
        for (index, line) in text.lines().enumerate() {
            let line_no = index as u64 + 1;
            let id = line.trim();
            if id.is_empty() {
                continue;
            }
            if id.contains(',') {
                return Err(at(
                    name,
                    line_no,
                    "has a comma, but the first line has none: give the file a header \
                     line, or name the column with --column",
                ));
            }
            if let Some(problem) = id_problem(id) {
                return Err(at(name, line_no, problem));
            }
            add(id.to_owned());
        }
        return Ok(ids);
    }

    let table = read_csv(name, text)?;
    let Some((header_line, header)) = table.header else {
        return Ok(ids);
    };
    let index = match column {
        None => 0,
        Some(wanted) => find_column(&header, wanted).ok_or_else(|| {
            at(
                name,
                header_line,
                format!(
                    "no column {wanted:?} in the header (columns: {})",
                    header.join(", ")
                ),
            )
        })?,
    };
    let column_name = header.get(index).cloned().unwrap_or_default();
    for (line_no, row) in table.rows {
        let id = row.get(index).map(String::as_str).unwrap_or_default();
        if id.is_empty() {
            return Err(at(
                name,
                line_no,
                format!("empty id in column {column_name:?}"),
            ));
        }
        if let Some(problem) = id_problem(id) {
            return Err(at(name, line_no, problem));
        }
        add(id.to_owned());
    }
    Ok(ids)
}

/// A column by exact name, else by a unique case-insensitive match.
fn find_column(header: &[String], wanted: &str) -> Option<usize> {
    let wanted = wanted.trim();
    if let Some(index) = header.iter().position(|h| h == wanted) {
        return Some(index);
    }
    let mut matches = header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.eq_ignore_ascii_case(wanted));
    match (matches.next(), matches.next()) {
        (Some((index, _)), None) => Some(index),
        _ => None,
    }
}

/// A CSV read whole: the header with its line number, then every row that
/// is not blank, each with its line number and as many fields as the header.
struct Table {
    header: Option<(u64, Vec<String>)>,
    rows: Vec<(u64, Vec<String>)>,
}

fn read_csv(name: &str, text: &str) -> Result<Table, CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut table = Table {
        header: None,
        rows: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = line_at(text, e.position().map_or(0, csv::Position::byte));
            at(name, line, format!("malformed CSV: {e}"))
        })?;
        let line = line_at(text, record.position().map_or(0, csv::Position::byte));
        let fields: Vec<String> = record.iter().map(str::to_owned).collect();
        // A line of spaces is a blank line, not a row of one empty field.
        if fields.iter().all(String::is_empty) && fields.len() <= 1 {
            continue;
        }
        match &table.header {
            None => table.header = Some((line, fields)),
            Some((_, header)) => {
                if fields.len() != header.len() {
                    return Err(at(
                        name,
                        line,
                        format!(
                            "row has {} fields, the header has {}",
                            fields.len(),
                            header.len()
                        ),
                    ));
                }
                table.rows.push((line, fields));
            }
        }
    }
    Ok(table)
}

/// The line a CSV record starts on. The reader's own line numbers miss the
/// empty lines it skips, and its byte offset points before them: the record
/// starts after any line breaks at that offset.
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
        at += 1;
    }
    bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// The bulk-assignment fields, by their normalised header names.
const BULK_COLUMNS: [&str; 8] = [
    "firstName",
    "lastName",
    "email",
    "jobTitle",
    "linkedInUrl",
    "crmId",
    "accountCrmId",
    "companyName",
];

/// `first_name`, `firstName`, `First Name` and `FIRSTNAME` all name one field.
fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Prospects read from a CSV, deduplicated by the SDK's key.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ProspectList {
    /// Each prospect once, in input order.
    pub unique: Vec<BulkProspect>,
    /// The keys of repeats (`crm:…`, `email:…` or `name:…`).
    pub duplicates: Vec<String>,
}

/// Parses a prospects CSV for bulk assignment.
pub fn parse_prospects(name: &str, text: &str) -> Result<ProspectList, CliError> {
    let table = read_csv(name, text)?;
    let Some((header_line, header)) = table.header else {
        return Ok(ProspectList::default());
    };
    let mut fields = Vec::with_capacity(header.len());
    for column in &header {
        let wanted = normalise(column);
        let field = BULK_COLUMNS
            .iter()
            .position(|known| normalise(known) == wanted)
            .ok_or_else(|| {
                at(
                    name,
                    header_line,
                    format!(
                        "unknown column {column:?} (known: {}, in camelCase or snake_case)",
                        BULK_COLUMNS.join(", ")
                    ),
                )
            })?;
        if fields.contains(&field) {
            return Err(at(
                name,
                header_line,
                format!("column {column:?} is given twice"),
            ));
        }
        fields.push(field);
    }
    let mut list = ProspectList::default();
    let mut seen = HashSet::new();
    for (line, row) in table.rows {
        let mut prospect = BulkProspect::default();
        for (field, value) in fields.iter().zip(row) {
            if value.is_empty() {
                continue;
            }
            let slot = match field {
                0 => &mut prospect.first_name,
                1 => &mut prospect.last_name,
                2 => &mut prospect.email,
                3 => &mut prospect.job_title,
                4 => &mut prospect.linked_in_url,
                5 => &mut prospect.crm_id,
                6 => &mut prospect.account_crm_id,
                _ => &mut prospect.company_name,
            };
            *slot = Some(value);
        }
        check_prospect(&prospect).map_err(|problem| at(name, line, problem))?;
        let key = prospect.key();
        if seen.insert(key.clone()) {
            list.unique.push(prospect);
        } else {
            list.duplicates.push(key);
        }
    }
    Ok(list)
}

/// The SDK's rules for one bulk prospect, checked here to name the line.
fn check_prospect(p: &BulkProspect) -> Result<(), String> {
    match &p.crm_id {
        Some(id) => {
            if let Some(problem) = id_problem(id) {
                return Err(format!("crmId: {problem}"));
            }
        }
        None => {
            if p.first_name.is_none() || p.last_name.is_none() {
                return Err("needs a crmId, or a firstName and a lastName".to_owned());
            }
        }
    }
    if let Some(email) = &p.email
        && let Some(problem) = email_problem(email)
    {
        return Err(format!("email {email:?} {problem}"));
    }
    if let Some(id) = &p.account_crm_id
        && let Some(problem) = id_problem(id)
    {
        return Err(format!("accountCrmId: {problem}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str, column: Option<&str>) -> Result<IdList, CliError> {
        parse_ids("ids.txt", text, column)
    }

    #[test]
    fn plain_lines_with_blanks_spaces_and_repeats() {
        let list = ids("a1\n\n  b2  \r\n\t\na1\nc3\n   \n", None).unwrap();
        assert_eq!(list.unique, ["a1", "b2", "c3"]);
        assert_eq!(list.duplicates, ["a1"]);
        assert_eq!(ids("", None).unwrap(), IdList::default());
        assert_eq!(ids("\n \n", None).unwrap(), IdList::default());
    }

    #[test]
    fn bad_ids_name_their_line() {
        let err = ids("a1\n\nb 2\n", None).unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.starts_with("ids.txt:3: "), "{}", err.message);
        assert!(err.message.contains("whitespace"), "{}", err.message);

        let long = "x".repeat(gong_flows::MAX_ID_LEN + 1);
        let err = ids(&format!("a\n{long}\n"), None).unwrap_err();
        assert!(err.message.starts_with("ids.txt:2: "), "{}", err.message);
        assert!(err.message.contains("longer than"), "{}", err.message);

        let err = ids("a\nb,c\n", None).unwrap_err();
        assert!(err.message.starts_with("ids.txt:2: "), "{}", err.message);

        let err = ids("a\u{7}b\n", None).unwrap_err();
        assert!(err.message.contains("control"), "{}", err.message);
    }

    #[test]
    fn csv_first_column_by_default() {
        let list = ids("crmId,name\n a1 , Ann\n\nb2,Bob\na1,Ann again\n", None).unwrap();
        assert_eq!(list.unique, ["a1", "b2"]);
        assert_eq!(list.duplicates, ["a1"]);
    }

    #[test]
    fn csv_column_by_name_and_quoted_fields() {
        let text = "name,Crm Id\n\"Smith, Ann\",a1\nBob,b2\n";
        let list = ids(text, Some("Crm Id")).unwrap();
        assert_eq!(list.unique, ["a1", "b2"]);
        // Case-insensitive when unambiguous.
        assert_eq!(ids(text, Some("crm id")).unwrap().unique, ["a1", "b2"]);
        // A one-column CSV is recognised by --column.
        assert_eq!(ids("id\nx\ny\n", Some("id")).unwrap().unique, ["x", "y"]);
    }

    #[test]
    fn csv_errors_name_their_line() {
        let err = ids("a,b\n1,2\n", Some("c")).unwrap_err();
        assert!(err.message.starts_with("ids.txt:1: "), "{}", err.message);
        assert!(err.message.contains("no column \"c\""), "{}", err.message);

        let err = ids("a,b\n1,2\n3\n", None).unwrap_err();
        assert!(err.message.starts_with("ids.txt:3: "), "{}", err.message);
        assert!(err.message.contains("1 fields"), "{}", err.message);

        let err = ids("a,b\n1,2\n,4\n", None).unwrap_err();
        assert!(err.message.starts_with("ids.txt:3: "), "{}", err.message);

        let err = ids("\n\na,b\n\n1 1,2\n", None).unwrap_err();
        assert!(err.message.starts_with("ids.txt:5: "), "{}", err.message);

        // Line breaks inside quotes and CRLF line ends still count right.
        let err = ids("a,b\r\n\r\n1,\"x\r\ny\"\r\n\r\n2 2,z\r\n", None).unwrap_err();
        assert!(err.message.starts_with("ids.txt:6: "), "{}", err.message);
    }

    #[test]
    fn csv_with_only_a_header_is_empty() {
        assert_eq!(ids("a,b\n", None).unwrap(), IdList::default());
    }

    #[test]
    fn prospects_accept_both_spellings() {
        let text = "first_name,lastName,EMAIL,crm_id,linkedin_url\n\
                    Ann,Smith,ann@example.com,,\n\
                    ,,,c1,https://x\n\
                    Bob,Jones,,,\n\
                    ann,smith,ANN@example.com,,\n";
        let list = parse_prospects("p.csv", text).unwrap();
        assert_eq!(list.unique.len(), 3);
        assert_eq!(list.unique[0].first_name.as_deref(), Some("Ann"));
        assert_eq!(list.unique[1].crm_id.as_deref(), Some("c1"));
        assert_eq!(list.unique[1].linked_in_url.as_deref(), Some("https://x"));
        assert_eq!(list.duplicates, ["email:ann@example.com"]);
    }

    #[test]
    fn prospect_errors_name_their_line() {
        let err = parse_prospects("p.csv", "firstName,nickname\nA,B\n").unwrap_err();
        assert!(
            err.message.starts_with("p.csv:1: unknown column"),
            "{}",
            err.message
        );
        let err = parse_prospects("p.csv", "firstName,lastName\nA,B\nC,\n").unwrap_err();
        assert!(err.message.starts_with("p.csv:3: needs"), "{}", err.message);
        let err = parse_prospects("p.csv", "crmId,email\nc1,nobody\n").unwrap_err();
        assert!(err.message.starts_with("p.csv:2: email"), "{}", err.message);
        let err = parse_prospects("p.csv", "crmId,crm_id\n").unwrap_err();
        assert!(err.message.contains("twice"), "{}", err.message);
    }

    #[test]
    fn emails() {
        assert_eq!(email_problem("owner@example.com"), None);
        for bad in [
            "",
            "owner",
            "@x.com",
            "a@b",
            "a b@c.com",
            "a@b@c.com",
            "a@.com",
        ] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }
}
