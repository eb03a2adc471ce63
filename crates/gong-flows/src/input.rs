//! Reading inputs: id files (one id per line, or a CSV), and prospect CSVs
//! for bulk assignment, with every problem named by file and line before
//! anything is sent.
//!
//! Behind the default cargo feature `input` (it pulls in the `csv` crate).
//!
//! # Id files
//!
//! An id file has one id per line, or is a CSV with a header row. It is
//! read as a CSV when a column is named, or when its first non-blank line
//! holds a comma or a double quote (no id has either). Blank lines and the
//! spaces around an id are ignored; a UTF-8 byte order mark at the start
//! (as spreadsheets write it) is dropped. Every id is held to
//! [`check_id`]; repeats are kept once, in the order first
//! seen, and listed in [`IdList::duplicates`].
//!
//! Which column holds the ids:
//!
//! - the one asked for by name, if any: its exact name, else the one name
//!   that matches it ignoring case, else the one that matches it
//!   [named alike](is_id_header) (case, spaces and punctuation ignored);
//! - else the one column whose header is named like an id: `Id`, `CRM Id`,
//!   `Contact ID`, `Lead ID`, `crmProspectId` or `flowInstanceId`, with case,
//!   spaces, `_` and `-` ignored ([`ID_HEADERS`]). A CSV with several
//!   columns and none, or more than one, named so is refused: naming the
//!   column is the only safe choice, since a CRM export's first column is
//!   often a name.
//!
//! A file with one column may have a header too: a first line named like an
//! id (`Id`, say) is the header, not an id. [`IdList::column`] says which
//! column was read and how it was chosen ([`ColumnRule`]).
//!
//! ```
//! use gong_flows::input::{ColumnRule, parse_ids};
//!
//! let csv = "First Name,Last Name,Contact ID\nAnn,Smith,0035g00000AbCdE\nBob,Jones,0035g00000FgHiJ\n";
//! let ids = parse_ids("contacts.csv", csv, None)?;
//! assert_eq!(ids.unique, ["0035g00000AbCdE", "0035g00000FgHiJ"]);
//! let column = ids.column.as_ref().unwrap();
//! assert_eq!(column.name, "Contact ID");
//! assert_eq!(column.rule, ColumnRule::NamedLikeAnId);
//! assert_eq!(column.to_string(), "column \"Contact ID\" (named like an id)");
//!
//! // Refused, with the file and line: which of these is the id?
//! let err = parse_ids("people.csv", "First Name,Email\nAnn,ann@example.com\n", None).unwrap_err();
//! assert!(err.to_string().starts_with("people.csv:1: "));
//! # Ok::<(), gong_flows::input::InputError>(())
//! ```
//!
//! # Prospect CSVs
//!
//! [`parse_prospects`] reads a CSV whose columns are named after
//! [`BulkProspect`]'s fields, in camelCase, snake_case or spaced (`first
//! name`): `firstName, lastName, email, jobTitle, linkedInUrl, crmId,
//! accountCrmId, companyName`. Each row needs a `crmId`, or a `firstName` and
//! a `lastName`; ids and emails are held to the SDK's checks.
//!
//! Reading is linear in the size of the input: a 1,000,000-row CSV takes
//! about a second in a release build (`cargo xtask bench`).

use crate::batch::{check_email, check_id};
use crate::error::Error;
use crate::failures::Failure;
use crate::model::BulkProspect;
use crate::saved::InputFile;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

mod shape;
pub use shape::{IdKind, ShapeCheck, ShapeProblem, check_shapes, shape_problem};

/// The header names read as "this column holds the ids", compared with case,
/// spaces and punctuation (`_`, `-`) ignored.
pub const ID_HEADERS: [&str; 6] = [
    "Id",
    "CRM Id",
    "Contact ID",
    "Lead ID",
    "crmProspectId",
    "flowInstanceId",
];

/// Whether a header names an id column (one of [`ID_HEADERS`], ignoring
/// case, spaces and punctuation).
///
/// ```
/// use gong_flows::input::is_id_header;
///
/// assert!(is_id_header("CRM Id"));
/// assert!(is_id_header("crm_prospect_id"));
/// assert!(is_id_header(" contact-ID "));
/// assert!(!is_id_header("First Name"));
/// assert!(!is_id_header("Account Id"));
/// ```
pub fn is_id_header(header: &str) -> bool {
    let key = normalise(header);
    !key.is_empty() && ID_HEADERS.iter().any(|known| normalise(known) == key)
}

/// What went wrong, for a caller that words its own advice (a command line
/// adding "give `--column NAME`", say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputErrorKind {
    /// The file could not be read.
    Read,
    /// The file is not UTF-8 text.
    NotUtf8,
    /// The CSV is malformed (an unclosed quote, say).
    MalformedCsv,
    /// The column to read is missing, ambiguous, or must be named.
    Column,
    /// A row has more or fewer fields than the header.
    RaggedRow,
    /// An id is empty or breaks [`check_id`]'s rules.
    BadId,
    /// A prospect row breaks the bulk-assignment rules.
    BadProspect,
}

/// An input refused, with the file name and the line at fault.
///
/// `Display` is `NAME:LINE: MESSAGE` (`NAME: MESSAGE` when no line is at
/// fault, as when the file cannot be read).
///
/// ```
/// use gong_flows::input::{InputErrorKind, parse_ids};
///
/// let err = parse_ids("ids.txt", "a1\n\nb 2\n", None).unwrap_err();
/// assert_eq!(err.line, 3);
/// assert_eq!(err.kind, InputErrorKind::BadId);
/// assert_eq!(err.to_string(), "ids.txt:3: id \"b 2\" contains whitespace (U+0020)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InputError {
    /// The file as named to the reader (`<stdin>`, a path).
    pub name: String,
    /// The 1-based line at fault; 0 when the fault is not on a line.
    pub line: u64,
    /// What kind of fault.
    pub kind: InputErrorKind,
    /// What is wrong, without the file and line.
    pub message: String,
}

impl InputError {
    fn at(name: &str, line: u64, kind: InputErrorKind, message: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            line,
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.name, self.message)
        } else {
            write!(f, "{}:{}: {}", self.name, self.line, self.message)
        }
    }
}

impl std::error::Error for InputError {}

/// How the column holding the ids was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColumnRule {
    /// The caller named it.
    Asked,
    /// Its header is named like an id ([`is_id_header`]).
    NamedLikeAnId,
}

/// The column the ids were read from.
///
/// `Display`: `column "Contact ID" (named like an id)` or
/// `column "crm id" (as asked)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Column {
    /// The header of the column, as written in the file.
    pub name: String,
    /// Its 0-based position.
    pub index: usize,
    /// How it was chosen.
    pub rule: ColumnRule,
    /// The line of the header row.
    pub header_line: u64,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match self.rule {
            ColumnRule::Asked => "as asked",
            ColumnRule::NamedLikeAnId => "named like an id",
        };
        write!(f, "column {:?} ({how})", self.name)
    }
}

/// Ids read from a file, checked and deduplicated, in input order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdList {
    /// Each id once, in the order first seen.
    pub unique: Vec<String>,
    /// Every repeat (an id given three times is here twice).
    pub duplicates: Vec<String>,
    /// The column read, when the file has a header; `None` for a plain list.
    pub column: Option<Column>,
}

impl IdList {
    /// The first `n` unique ids (fewer if there are fewer), to show what
    /// was read before sending anything.
    ///
    /// ```
    /// let ids = gong_flows::input::parse_ids("ids.txt", "a\nb\nc\nd\n", None)?;
    /// assert_eq!(ids.sample(3), ["a", "b", "c"]);
    /// # Ok::<(), gong_flows::input::InputError>(())
    /// ```
    pub fn sample(&self, n: usize) -> &[String] {
        &self.unique[..n.min(self.unique.len())]
    }

    fn add(&mut self, seen: &mut HashSet<String>, id: &str) {
        if seen.contains(id) {
            self.duplicates.push(id.to_owned());
        } else {
            seen.insert(id.to_owned());
            self.unique.push(id.to_owned());
        }
    }
}

impl fmt::Display for IdList {
    /// `3 unique ids, 1 duplicate, from column "Id" (named like an id)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        write!(
            f,
            "{}, {}",
            plural(self.unique.len(), "unique id", "unique ids"),
            plural(self.duplicates.len(), "duplicate", "duplicates")
        )?;
        if let Some(column) = &self.column {
            write!(f, ", from {column}")?;
        }
        Ok(())
    }
}

/// Prospects read from a CSV, deduplicated by [`BulkProspect::key`].
#[derive(Debug, Default, Clone, PartialEq)]
#[non_exhaustive]
pub struct ProspectList {
    /// Each prospect once, in input order.
    pub unique: Vec<BulkProspect>,
    /// The keys of repeats (`crm:…`, `email:…` or `name:…`).
    pub duplicates: Vec<String>,
}

/// The text of a file's bytes: UTF-8 (else an error naming the line of the
/// first bad byte), without a leading byte order mark.
///
/// ```
/// use gong_flows::input::decode;
///
/// assert_eq!(decode("ids.txt", b"\xEF\xBB\xBFId\na1\n".to_vec())?, "Id\na1\n");
/// let err = decode("ids.txt", b"a1\nb\xFF\n".to_vec()).unwrap_err();
/// assert_eq!(err.to_string(), "ids.txt:2: not UTF-8 text");
/// # Ok::<(), gong_flows::input::InputError>(())
/// ```
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = count_newlines(valid) + 1;
        InputError::at(name, line, InputErrorKind::NotUtf8, "not UTF-8 text")
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

fn read_file(path: &Path) -> Result<(String, String), InputError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| InputError::at(&name, 0, InputErrorKind::Read, format!("cannot read: {e}")))?;
    let text = decode(&name, bytes)?;
    Ok((name, text))
}

/// An input read whole: the name messages give it, its text, and the
/// record of it a saved report keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Source {
    /// The file as messages name it: the path as given, or `<stdin>`.
    pub name: String,
    /// Its text ([`decode`]d: UTF-8, without a byte order mark).
    pub text: String,
    /// Its record for a report: its absolute path (`<stdin>`), size and
    /// digest, so that a failures file written later can prove it reads
    /// the same file.
    pub record: InputFile,
}

/// Reads an input whole from `path`, or from stdin for `-`, and decodes
/// it ([`decode`]).
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("ids.txt");
/// std::fs::write(&path, "\u{feff}a1\nb2\n")?;
/// let source = gong_flows::input::read(path.to_str().unwrap())?;
/// assert_eq!(source.text, "a1\nb2\n");
/// assert_eq!(source.record.bytes, 9);
/// assert!(std::path::Path::new(&source.record.path).is_absolute());
/// let missing = gong_flows::input::read("no-such-file.txt").unwrap_err();
/// assert!(missing.to_string().starts_with("no-such-file.txt: cannot read: "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read(path: &str) -> Result<Source, InputError> {
    use std::io::Read as _;
    let (name, read) = match path {
        "-" => {
            let mut bytes = Vec::new();
            let read = std::io::stdin().read_to_end(&mut bytes).map(|_| bytes);
            ("<stdin>".to_owned(), read)
        }
        path => (path.to_owned(), std::fs::read(path)),
    };
    let bytes = read
        .map_err(|e| InputError::at(&name, 0, InputErrorKind::Read, format!("cannot read: {e}")))?;
    let absolute = match path {
        "-" => name.clone(),
        _ => std::path::absolute(path).map_or(name.clone(), |p| p.display().to_string()),
    };
    let record = InputFile::new(absolute, None, &bytes);
    let text = decode(&name, bytes)?;
    Ok(Source { name, text, record })
}

/// Writes the rows of an id file whose ids a job left undone: a CSV with
/// the file's own header and columns, all of them, in their order, and
/// `code`, `message` and `remedy` after them ([`Failure`]). `text` and
/// `column` are the file and column the ids were read from
/// ([`parse_ids`]'s). A file of one id per line gives a column named after
/// its header line, or `id`.
///
/// Every row of a failed id is written, in the file's order (an id on two
/// rows gives two rows). The output is RFC 4180: UTF-8 without a byte
/// order mark, CRLF line ends, fields quoted where they need it. Returns
/// the rows written.
///
/// ```
/// use gong_flows::input::write_failures;
/// use gong_flows::{AssignErrorCode, AssignReport, ItemId, NotAssigned, SavedReport};
///
/// let csv = "\u{feff}Name,Contact ID\r\n\"Smith, Ann\",0035g00000AbCdE\r\nBob,0035g00000FgHiJ\r\n";
/// let mut report = AssignReport::default();
/// report.not_assigned.push(NotAssigned {
///     id: ItemId::CrmProspectId("0035g00000FgHiJ".into()),
///     error_code: Some(AssignErrorCode::InvalidState),
///     error_message: Some("In an exclusive flow".into()),
/// });
/// let failures = SavedReport::from(report).failures();
/// let mut out = Vec::new();
/// assert_eq!(write_failures("contacts.csv", csv, None, &failures, &mut out)?, 1);
/// let out = String::from_utf8(out).unwrap();
/// assert!(out.starts_with("Name,Contact ID,code,message,remedy\r\nBob,0035g00000FgHiJ,InvalidState,In an exclusive flow,"));
/// # Ok::<(), gong_flows::input::InputError>(())
/// ```
pub fn write_failures(
    name: &str,
    text: &str,
    column: Option<&str>,
    failures: &[Failure],
    out: impl std::io::Write,
) -> Result<usize, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let by_id: HashMap<&str, &Failure> = failures.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out);
    let mut written = 0;
    let mut row = |writer: &mut csv::Writer<_>, fields: Vec<&str>, id: &str| {
        let Some(failure) = by_id.get(id) else {
            return Ok(());
        };
        let extra = [
            failure.code.as_str(),
            failure.message.as_str(),
            failure.remedy,
        ];
        written += 1;
        writer.write_record(fields.into_iter().chain(extra))
    };
    fn header_of(fields: Vec<&str>) -> impl Iterator<Item = &str> {
        fields.into_iter().chain(["code", "message", "remedy"])
    }
    let write_error = |e: csv::Error| {
        InputError::at(
            name,
            0,
            InputErrorKind::Read,
            format!("cannot write the failures: {e}"),
        )
    };
    let first = text.lines().map(str::trim).find(|line| !line.is_empty());
    if column.is_some() || first.is_some_and(|line| line.contains([',', '"'])) {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut index = None;
        for (n, record) in reader.records().enumerate() {
            let record = record.map_err(|e| {
                InputError::at(
                    name,
                    n as u64 + 1,
                    InputErrorKind::MalformedCsv,
                    e.to_string(),
                )
            })?;
            if record.iter().all(|field| field.trim().is_empty()) {
                continue;
            }
            let fields: Vec<&str> = record.iter().collect();
            let at = match index {
                Some(at) => at,
                None => {
                    let header: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
                    let chosen = choose_column(name, 1, &header, column)?;
                    let at = chosen.as_ref().map_or(0, |c| c.index);
                    index = Some(at);
                    if chosen.is_some() {
                        writer
                            .write_record(header_of(fields))
                            .map_err(write_error)?;
                        continue;
                    }
                    writer
                        .write_record(header_of(vec!["id"]))
                        .map_err(write_error)?;
                    at
                }
            };
            let id = fields.get(at).map_or("", |f| f.trim());
            row(&mut writer, fields.clone(), id).map_err(write_error)?;
        }
    } else {
        let mut header = None;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if header.is_none() {
                let named = is_id_header(line);
                header = Some(if named { line } else { "id" });
                writer
                    .write_record(header_of(header.into_iter().collect()))
                    .map_err(write_error)?;
                if named {
                    continue;
                }
            }
            row(&mut writer, vec![line], line).map_err(write_error)?;
        }
    }
    writer.flush().map_err(|e| write_error(e.into()))?;
    Ok(written)
}

/// Reads an id file from disk ([`parse_ids`] on its text).
///
/// ```no_run
/// let ids = gong_flows::input::read_ids("contacts.csv", Some("Contact ID"))?;
/// println!("{ids}; first: {:?}", ids.sample(3));
/// # Ok::<(), gong_flows::input::InputError>(())
/// ```
pub fn read_ids(path: impl AsRef<Path>, column: Option<&str>) -> Result<IdList, InputError> {
    let (name, text) = read_file(path.as_ref())?;
    parse_ids(&name, &text, column)
}

/// Reads a prospects CSV from disk ([`parse_prospects`] on its text).
///
/// ```no_run
/// let prospects = gong_flows::input::read_prospects("prospects.csv")?;
/// println!("{} prospects", prospects.unique.len());
/// # Ok::<(), gong_flows::input::InputError>(())
/// ```
pub fn read_prospects(path: impl AsRef<Path>) -> Result<ProspectList, InputError> {
    let (name, text) = read_file(path.as_ref())?;
    parse_prospects(&name, &text)
}

/// Parses an id file's text (see the [module docs](self) for the rules).
/// `name` is the file's name for messages; `column`, the column to read.
///
/// ```
/// use gong_flows::input::parse_ids;
///
/// // One id per line, a header recognised, blanks and repeats handled.
/// let ids = parse_ids("ids.txt", "Id\n a1 \n\nb2\na1\n", None)?;
/// assert_eq!(ids.unique, ["a1", "b2"]);
/// assert_eq!(ids.duplicates, ["a1"]);
/// assert_eq!(ids.column.unwrap().name, "Id");
///
/// // A column by name, quoted fields and all.
/// let ids = parse_ids("x.csv", "name,Account\n\"Smith, Ann\",A-1\n", Some("account"))?;
/// assert_eq!(ids.unique, ["A-1"]);
/// # Ok::<(), gong_flows::input::InputError>(())
/// ```
pub fn parse_ids(name: &str, text: &str, column: Option<&str>) -> Result<IdList, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().map(str::trim).find(|line| !line.is_empty());
    let is_csv = column.is_some() || first.is_some_and(|line| line.contains([',', '"']));
    if is_csv {
        parse_id_csv(name, text, column)
    } else {
        parse_id_lines(name, text)
    }
}

/// One id per line, the first line possibly a header named like an id.
fn parse_id_lines(name: &str, text: &str) -> Result<IdList, InputError> {
    let mut ids = IdList::default();
    let mut seen = HashSet::new();
    let mut first = true;
    for (index, line) in text.lines().enumerate() {
        let line_no = index as u64 + 1;
        let id = line.trim();
        if id.is_empty() {
            continue;
        }
        if std::mem::take(&mut first) && is_id_header(id) {
            ids.column = Some(Column {
                name: id.to_owned(),
                index: 0,
                rule: ColumnRule::NamedLikeAnId,
                header_line: line_no,
            });
            continue;
        }
        if id.contains(',') {
            return Err(InputError::at(
                name,
                line_no,
                InputErrorKind::Column,
                "has a comma, but the first line has none: give the file a header line, \
                 or name the column to read",
            ));
        }
        check(name, line_no, id)?;
        ids.add(&mut seen, id);
    }
    Ok(ids)
}

fn parse_id_csv(name: &str, text: &str, column: Option<&str>) -> Result<IdList, InputError> {
    let mut ids = IdList::default();
    let mut seen = HashSet::new();
    // Where the ids are, once the first record has said: (index, width).
    let mut layout: Option<(usize, usize)> = None;
    for_each_record(name, text, |line, record| {
        let (index, width) = match layout {
            Some(layout) => layout,
            None => {
                let header: Vec<&str> = record.iter().collect();
                let chosen = choose_column(name, line, &header, column)?;
                let Some(chosen) = chosen else {
                    // One column, not named like an id, none asked for:
                    // no header, and this first row is an id like the rest.
                    layout = Some((0, 1));
                    return id_row(name, line, record, (0, 1), &mut ids, &mut seen);
                };
                layout = Some((chosen.index, header.len()));
                ids.column = Some(chosen);
                return Ok(());
            }
        };
        id_row(name, line, record, (index, width), &mut ids, &mut seen)
    })?;
    Ok(ids)
}

/// One data row: as wide as the header, its id present and well-formed.
fn id_row(
    name: &str,
    line: u64,
    record: &csv::StringRecord,
    (index, width): (usize, usize),
    ids: &mut IdList,
    seen: &mut HashSet<String>,
) -> Result<(), InputError> {
    ragged(name, line, record.len(), width)?;
    let id = record.get(index).unwrap_or_default();
    if id.is_empty() {
        let message = match &ids.column {
            Some(column) => format!("empty id in column {:?}", column.name),
            None => "empty id".to_owned(),
        };
        return Err(InputError::at(name, line, InputErrorKind::BadId, message));
    }
    check(name, line, id)?;
    ids.add(seen, id);
    Ok(())
}

fn ragged(name: &str, line: u64, fields: usize, width: usize) -> Result<(), InputError> {
    if fields == width {
        return Ok(());
    }
    Err(InputError::at(
        name,
        line,
        InputErrorKind::RaggedRow,
        format!("row has {fields} fields, the header has {width}"),
    ))
}

/// The column to read: the one asked for, else the one named like an id.
/// `None` when the table has one column, not named like an id, and none was
/// asked for: it has no header.
fn choose_column(
    name: &str,
    line: u64,
    header: &[&str],
    wanted: Option<&str>,
) -> Result<Option<Column>, InputError> {
    let column = |index: usize, rule| Column {
        name: header[index].to_owned(),
        index,
        rule,
        header_line: line,
    };
    let problem = |message: String| InputError::at(name, line, InputErrorKind::Column, message);
    if let Some(wanted) = wanted {
        return match find_column(header, wanted) {
            Some(index) => Ok(Some(column(index, ColumnRule::Asked))),
            None => Err(problem(format!(
                "no column {wanted:?} in the header (columns: {})",
                header.join(", ")
            ))),
        };
    }
    let named: Vec<usize> = (0..header.len())
        .filter(|&i| is_id_header(header[i]))
        .collect();
    match named.as_slice() {
        [index] => Ok(Some(column(*index, ColumnRule::NamedLikeAnId))),
        [] if header.len() == 1 => Ok(None),
        [] => Err(problem(format!(
            "{} columns ({}) and none is named like an id ({}): name the column to read",
            header.len(),
            shorten(&header.join(", ")),
            ID_HEADERS.join(", ")
        ))),
        several => Err(problem(format!(
            "columns {} are all named like an id: name the column to read",
            several
                .iter()
                .map(|&i| format!("{:?}", header[i]))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// A column by exact name, else by a unique match ignoring case, else by a
/// unique match ignoring case, spaces and punctuation.
fn find_column(header: &[&str], wanted: &str) -> Option<usize> {
    let wanted = wanted.trim();
    if let Some(index) = header.iter().position(|h| *h == wanted) {
        return Some(index);
    }
    let unique = |matches: Vec<usize>| match matches.as_slice() {
        [index] => Some(*index),
        _ => None,
    };
    let by_case = (0..header.len())
        .filter(|&i| header[i].eq_ignore_ascii_case(wanted))
        .collect();
    if let Some(index) = unique(by_case) {
        return Some(index);
    }
    let key = normalise(wanted);
    if key.is_empty() {
        return None;
    }
    unique(
        (0..header.len())
            .filter(|&i| normalise(header[i]) == key)
            .collect(),
    )
}

/// An id checked by [`check_id`], its fault worded for a file.
/// A value that breaks the rules because it is a name or a phone number
/// (`Ann Smith`) says so: the column is the likely fault.
fn check(name: &str, line: u64, id: &str) -> Result<(), InputError> {
    id_problem(id).map_or(Ok(()), |mut problem| {
        if let Some(shape) = shape_problem(id, IdKind::CrmProspect) {
            problem.push_str(&format!(" and {shape}: is it the right column?"));
        }
        Err(InputError::at(name, line, InputErrorKind::BadId, problem))
    })
}

/// Why an id is unusable, if it is ([`check_id`]'s
/// rules), worded for a message about a line or an option: `id "b 2"
/// contains whitespace (U+0020)`. A runaway value (a whole CSV
/// line, say) is shortened.
///
/// ```
/// use gong_flows::input::id_problem;
///
/// assert_eq!(id_problem("0035g00000AbCdE"), None);
/// assert_eq!(id_problem("").as_deref(), Some("id \"\" is empty or blank"));
/// ```
pub fn id_problem(id: &str) -> Option<String> {
    match check_id("id", id) {
        Ok(()) => None,
        Err(Error::InvalidInput { value, reason, .. }) => {
            Some(format!("id {:?} {reason}", shorten(&value)))
        }
        Err(other) => Some(other.to_string()),
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

/// Calls `each` with every CSV record that is not a blank line, and the line
/// it starts on. Fields are trimmed; rows may differ in width (the callers
/// check). Linear in the text: line numbers are counted on from the last
/// record, never from the start.
fn for_each_record(
    name: &str,
    text: &str,
    mut each: impl FnMut(u64, &csv::StringRecord) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut lines = Lines::new(text.as_bytes());
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = lines.line_at(e.position().map_or(0, csv::Position::byte));
                return Err(InputError::at(
                    name,
                    line,
                    InputErrorKind::MalformedCsv,
                    format!("malformed CSV: {e}"),
                ));
            }
        }
        let line = lines.line_at(record.position().map_or(0, csv::Position::byte));
        // A line of spaces is a blank line, not a row of one empty field.
        if record.len() <= 1 && record.iter().all(str::is_empty) {
            continue;
        }
        each(line, &record)?;
    }
}

/// Line numbers of byte offsets asked for in (mostly) increasing order.
struct Lines<'a> {
    bytes: &'a [u8],
    /// An offset already counted, and the line it is on.
    at: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            at: 0,
            line: 1,
        }
    }

    /// The line a CSV record starts on. The reader's own line numbers miss
    /// the empty lines it skips, and its byte offset points before them: the
    /// record starts after any line breaks at that offset.
    fn line_at(&mut self, byte: u64) -> u64 {
        let bytes = self.bytes;
        let mut to = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while to < bytes.len() && matches!(bytes[to], b'\n' | b'\r') {
            to += 1;
        }
        if to >= self.at {
            self.line += count_newlines(&bytes[self.at..to]);
        } else {
            self.line -= count_newlines(&bytes[to..self.at]);
        }
        self.at = to;
        self.line
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// The bulk-assignment fields, by their names in the wire format.
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

/// `first_name`, `firstName`, `First Name` and `FIRST-NAME` all name one
/// field: letters and digits only, lower-cased.
fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Parses a prospects CSV for bulk assignment (see the [module docs](self)).
///
/// ```
/// use gong_flows::input::parse_prospects;
///
/// let csv = "first_name,Last Name,email,crmId\nAnn,Smith,ann@example.com,\n,,,0035g00000AbCdE\n";
/// let list = parse_prospects("p.csv", csv)?;
/// assert_eq!(list.unique.len(), 2);
/// assert_eq!(list.unique[1].crm_id.as_deref(), Some("0035g00000AbCdE"));
/// # Ok::<(), gong_flows::input::InputError>(())
/// ```
pub fn parse_prospects(name: &str, text: &str) -> Result<ProspectList, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut list = ProspectList::default();
    let mut seen = HashSet::new();
    let mut fields: Option<Vec<usize>> = None;
    for_each_record(name, text, |line, record| {
        let Some(fields) = &fields else {
            fields = Some(bulk_header(name, line, record)?);
            return Ok(());
        };
        ragged(name, line, record.len(), fields.len())?;
        let mut prospect = BulkProspect::default();
        for (field, value) in fields.iter().zip(record.iter()) {
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
            *slot = Some(value.to_owned());
        }
        check_prospect(&prospect)
            .map_err(|problem| InputError::at(name, line, InputErrorKind::BadProspect, problem))?;
        let key = prospect.key();
        if seen.insert(key.clone()) {
            list.unique.push(prospect);
        } else {
            list.duplicates.push(key);
        }
        Ok(())
    })?;
    Ok(list)
}

/// The field of each header column.
fn bulk_header(
    name: &str,
    line: u64,
    record: &csv::StringRecord,
) -> Result<Vec<usize>, InputError> {
    let mut fields = Vec::with_capacity(record.len());
    for column in record {
        let wanted = normalise(column);
        let field = BULK_COLUMNS
            .iter()
            .position(|known| normalise(known) == wanted)
            .ok_or_else(|| {
                InputError::at(
                    name,
                    line,
                    InputErrorKind::Column,
                    format!(
                        "unknown column {column:?} (known: {}, in camelCase or snake_case)",
                        BULK_COLUMNS.join(", ")
                    ),
                )
            })?;
        if fields.contains(&field) {
            return Err(InputError::at(
                name,
                line,
                InputErrorKind::Column,
                format!("column {column:?} is given twice"),
            ));
        }
        fields.push(field);
    }
    Ok(fields)
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
        && let Err(Error::InvalidInput { reason, .. }) = check_email("email", email)
    {
        return Err(format!("email {email:?} {reason}"));
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

    fn ids(text: &str, column: Option<&str>) -> Result<IdList, InputError> {
        parse_ids("ids.txt", text, column)
    }

    fn err(text: &str, column: Option<&str>) -> InputError {
        ids(text, column).unwrap_err()
    }

    #[test]
    fn plain_lines_with_blanks_spaces_and_repeats() {
        let list = ids("a1\n\n  b2  \r\n\t\na1\nc3\n   \n", None).unwrap();
        assert_eq!(list.unique, ["a1", "b2", "c3"]);
        assert_eq!(list.duplicates, ["a1"]);
        assert_eq!(list.column, None);
        assert_eq!(ids("", None).unwrap(), IdList::default());
        assert_eq!(ids("\n \n", None).unwrap(), IdList::default());
    }

    #[test]
    fn bad_ids_name_their_line() {
        let e = err("a1\n\nb 2\n", None);
        assert_eq!((e.line, e.kind), (3, InputErrorKind::BadId));
        assert!(e.to_string().starts_with("ids.txt:3: "), "{e}");
        assert!(e.message.contains("whitespace"), "{e}");

        let long = "x".repeat(crate::MAX_ID_LEN + 1);
        let e = err(&format!("a\n{long}\n"), None);
        assert!(e.to_string().starts_with("ids.txt:2: "), "{e}");
        assert!(e.message.contains("longer than"), "{e}");
        assert!(e.message.len() < 150, "shortened: {e}");

        let e = err("a\nb,c\n", None);
        assert_eq!((e.line, e.kind), (2, InputErrorKind::Column));

        let e = err("a\u{7}b\n", None);
        assert!(e.message.contains("control"), "{e}");
    }

    #[test]
    fn a_header_named_like_an_id_is_not_an_id() {
        for header in [
            "Id",
            "CRM Id",
            "crm_id",
            "Contact ID",
            "LEAD-ID",
            "crmProspectId",
        ] {
            let list = ids(&format!("\n{header}\na1\nb2\n"), None).unwrap();
            assert_eq!(list.unique, ["a1", "b2"], "{header}");
            let column = list.column.unwrap();
            assert_eq!(column.name, header);
            assert_eq!(column.rule, ColumnRule::NamedLikeAnId);
            assert_eq!(column.header_line, 2);
        }
        // Only the first line can be a header: later, "id" is an id.
        let list = ids("a1\nid\n", None).unwrap();
        assert_eq!(list.unique, ["a1", "id"]);
        assert_eq!(list.column, None);
        // A header that is not named like an id is an id.
        assert_eq!(ids("Email\na1\n", None).unwrap().unique, ["Email", "a1"]);
    }

    #[test]
    fn the_column_named_like_an_id_is_chosen_and_said() {
        let text =
            "First Name,Last Name,Contact ID,Email\nFn0,Ln0,c-0,e0@x.com\nFn1,Ln1,c-1,e1@x.com\n";
        let list = ids(text, None).unwrap();
        assert_eq!(list.unique, ["c-0", "c-1"]);
        let column = list.column.clone().unwrap();
        assert_eq!((column.index, column.rule), (2, ColumnRule::NamedLikeAnId));
        assert_eq!(
            list.to_string(),
            "2 unique ids, 0 duplicates, from column \"Contact ID\" (named like an id)"
        );
        assert_eq!(list.sample(3), ["c-0", "c-1"]);
    }

    #[test]
    fn several_columns_and_no_id_column_is_refused() {
        // A CRM export whose first column is a name is never read as ids.
        let e = err("First Name,Email\nFn0,a@x.com\n", None);
        assert_eq!((e.line, e.kind), (1, InputErrorKind::Column));
        assert!(e.message.contains("none is named like an id"), "{e}");
        assert!(e.message.contains("First Name, Email"), "{e}");
        // Two id-like columns: ambiguous.
        let e = err("Id,Lead ID\n1,2\n", None);
        assert_eq!(e.kind, InputErrorKind::Column);
        assert!(e.message.contains("\"Id\", \"Lead ID\""), "{e}");
        // Naming one settles it.
        assert_eq!(
            ids("Id,Lead ID\n1,2\n", Some("lead id")).unwrap().unique,
            ["2"]
        );
    }

    #[test]
    fn csv_column_by_name_and_quoted_fields() {
        let text = "name,Crm Id\n\"Smith, Ann\",a1\nBob,b2\n";
        let list = ids(text, Some("Crm Id")).unwrap();
        assert_eq!(list.unique, ["a1", "b2"]);
        assert_eq!(list.column.unwrap().rule, ColumnRule::Asked);
        assert_eq!(ids(text, Some("crm id")).unwrap().unique, ["a1", "b2"]);
        assert_eq!(ids(text, Some("crm_id")).unwrap().unique, ["a1", "b2"]);
        // A one-column CSV is recognised by a named column.
        assert_eq!(ids("id\nx\ny\n", Some("id")).unwrap().unique, ["x", "y"]);
        // Ambiguous case-insensitive names are not guessed.
        assert!(ids("ID,id2,Id\n1,2,3\n", Some("iD")).is_err());
    }

    #[test]
    fn quoted_one_column_files() {
        let list = ids("\"Id\"\n\"a1\"\n\"b2\"\n", None).unwrap();
        assert_eq!(list.unique, ["a1", "b2"]);
        assert_eq!(list.column.unwrap().name, "Id");
        // No header: the first row is an id too.
        let list = ids("\"a1\"\n\"b2\"\n", None).unwrap();
        assert_eq!(list.unique, ["a1", "b2"]);
        assert_eq!(list.column, None);
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        for text in [
            "\u{feff}Id\na1\n",
            "\u{feff}Id,name\na1,x\n",
            "\u{feff}a1\n",
        ] {
            let list = ids(text, None).unwrap();
            assert_eq!(list.unique, ["a1"], "{text:?}");
        }
        let list = decode("x", b"\xEF\xBB\xBFcrmId,name\na1,x\n".to_vec()).unwrap();
        assert_eq!(ids(&list, None).unwrap().unique, ["a1"]);
        let e = decode("x", b"a\n\nb\xC3(\n".to_vec()).unwrap_err();
        assert_eq!((e.line, e.kind), (3, InputErrorKind::NotUtf8));
    }

    #[test]
    fn csv_errors_name_their_line() {
        let e = err("a,b\n1,2\n", Some("c"));
        assert!(e.to_string().starts_with("ids.txt:1: "), "{e}");
        assert!(e.message.contains("no column \"c\""), "{e}");

        let e = err("id,b\n1,2\n3\n", None);
        assert_eq!((e.line, e.kind), (3, InputErrorKind::RaggedRow));
        assert!(e.message.contains("1 fields"), "{e}");

        let e = err("id,b\n1,2\n,4\n", None);
        assert_eq!((e.line, e.kind), (3, InputErrorKind::BadId));
        assert!(e.message.contains("empty id in column \"id\""), "{e}");

        let e = err("\n\nid,b\n\n1 1,2\n", None);
        assert_eq!(e.line, 5, "{e}");

        // Line breaks inside quotes and CRLF line ends still count right.
        let e = err("id,b\r\n\r\n1,\"x\r\ny\"\r\n\r\n2 2,z\r\n", None);
        assert_eq!(e.line, 6, "{e}");

        let e = err("id,b\n1,2\n\"3,4\n", None);
        assert!(
            matches!(
                e.kind,
                InputErrorKind::RaggedRow | InputErrorKind::MalformedCsv
            ),
            "{e}"
        );
    }

    #[test]
    fn line_numbers_hold_deep_into_a_long_file() {
        // Every 1000th row blank, a quoted line break every 777th: the
        // running count must agree with a count from the start.
        let mut text = String::from("crmId,note\n");
        for i in 0..5_000 {
            if i % 1000 == 999 {
                text.push('\n');
            }
            if i % 777 == 0 {
                text.push_str(&format!("id-{i},\"two\nlines\"\n"));
            } else {
                text.push_str(&format!("id-{i},x\n"));
            }
        }
        text.push_str("bad id,x\n");
        let e = err(&text, None);
        let expected = text.lines().position(|l| l.starts_with("bad id")).unwrap() as u64 + 1;
        assert_eq!(e.line, expected, "{e}");
        let good = ids(&text.replace("bad id", "last"), None).unwrap();
        assert_eq!(good.unique.len(), 5_001);
    }

    #[test]
    fn csv_with_only_a_header_is_empty() {
        let list = ids("id,b\n", None).unwrap();
        assert!(list.unique.is_empty());
        assert_eq!(list.column.unwrap().name, "id");
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
        let list = parse_prospects("p.csv", "\u{feff}crmId\nc1\n").unwrap();
        assert_eq!(list.unique.len(), 1);
    }

    #[test]
    fn prospect_errors_name_their_line() {
        let e = parse_prospects("p.csv", "firstName,nickname\nA,B\n").unwrap_err();
        assert!(e.to_string().starts_with("p.csv:1: unknown column"), "{e}");
        let e = parse_prospects("p.csv", "firstName,lastName\nA,B\nC,\n").unwrap_err();
        assert!(e.to_string().starts_with("p.csv:3: needs"), "{e}");
        let e = parse_prospects("p.csv", "crmId,email\nc1,nobody\n").unwrap_err();
        assert!(e.to_string().starts_with("p.csv:2: email"), "{e}");
        let e = parse_prospects("p.csv", "crmId,crm_id\n").unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
        let e = parse_prospects("p.csv", "crmId,email\nc1\n").unwrap_err();
        assert_eq!((e.line, e.kind), (2, InputErrorKind::RaggedRow));
    }

    #[test]
    fn files_on_disk() {
        let dir = std::env::temp_dir().join(format!("gong-flows-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ids.csv");
        std::fs::write(&path, "\u{feff}Lead ID,Company\nl-1,Acme\n").unwrap();
        assert_eq!(read_ids(&path, None).unwrap().unique, ["l-1"]);
        let missing = read_ids(dir.join("missing.txt"), None).unwrap_err();
        assert_eq!((missing.line, missing.kind), (0, InputErrorKind::Read));
        assert!(
            missing.to_string().contains("missing.txt: cannot read"),
            "{missing}"
        );
        std::fs::write(&path, "crmId\nc-1\n").unwrap();
        assert_eq!(read_prospects(&path).unwrap().unique.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
