//! The summary of a saved report, as a person reads it.

use crate::Outcome;
use crate::saved::SavedReport;
use std::fmt;
use std::path::Path;

/// How many refusals a summary lists before pointing at the report.
const SHOWN: usize = 20;

/// What a job was, a count per bucket, and its first refusals: the text
/// the `gong-flows` command prints when a job ends. Its `Display` is a few
/// aligned lines; the fields are there for other layouts.
///
/// ```
/// use gong_flows::{AssignReport, SavedReport};
///
/// let saved = SavedReport::from(AssignReport::default());
/// let text = saved.summary().to_string();
/// assert!(text.starts_with("assign to flow"));
/// assert!(text.lines().any(|line| line.split_whitespace().eq(["not", "attempted", "0"])));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// What the job was, e.g. `assign to flow 1695… (owner a@b.com)`.
    pub title: String,
    /// A count per bucket, then duplicates and calls.
    pub rows: Vec<(String, String)>,
    /// What the refusals are (`not assigned`, `not unassigned`).
    pub refusals_heading: &'static str,
    /// The first refusals: the input, then Gong's code and message.
    pub refusals: Vec<Vec<String>>,
    /// Refusals in all (more than `refusals` holds when there are many).
    pub refused: usize,
    /// The inputs left undone, counted by error
    /// ([`SavedReport::error_counts`]).
    pub error_counts: Vec<crate::failures::ErrorCount>,
}

/// What a report's job was, e.g. `assign to flow 1695… (owner a@b.com)`.
pub(crate) fn title(report: &SavedReport) -> String {
    match report {
        SavedReport::Assign(s) => {
            let r = &s.report;
            format!("assign to flow {} (owner {})", r.flow_id, r.owner_email)
        }
        SavedReport::BulkAssign(s) => {
            let r = &s.report;
            format!(
                "bulk assign to flow {} (owner {})",
                r.flow_id, r.owner_email
            )
        }
        SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
            let by = match report {
                SavedReport::Unassign(_) => "unassign by CRM id",
                _ => "unassign flow instances",
            };
            match (&s.report.flow_id, report) {
                (Some(flow), _) => format!("{by} from flow {flow}"),
                (None, SavedReport::Unassign(_)) => format!("{by} from every flow they are in"),
                (None, _) => by.to_owned(),
            }
        }
    }
}

pub(crate) fn summary(report: &SavedReport) -> Summary {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut refusals: Vec<Vec<String>> = Vec::new();
    let mut row = |name: &str, count: usize| rows.push((name.to_owned(), count.to_string()));
    let (refused, heading, stats) = match report {
        SavedReport::Assign(s) => {
            let r = &s.report;
            let reconciled = r.assigned.iter().filter(|a| a.reconciled).count();
            row("assigned", r.assigned.len());
            if reconciled > 0
                && let Some(last) = rows.last_mut()
            {
                last.1.push_str(&format!(" ({reconciled} reconciled)"));
            }
            let mut row =
                |name: &str, count: usize| rows.push((name.to_owned(), count.to_string()));
            row("already in flow", r.already_in_flow.len());
            row("not assigned", r.not_assigned.len());
            row("not attempted", r.not_attempted.len());
            refusals.extend(r.not_assigned.iter().take(SHOWN).map(|n| {
                vec![
                    n.id.to_string(),
                    n.error_code.as_ref().map_or("-", |c| c.as_str()).to_owned(),
                    n.error_message.clone().unwrap_or_else(|| "-".into()),
                ]
            }));
            (r.not_assigned.len(), "not assigned", &r.stats)
        }
        SavedReport::Unassign(s) | SavedReport::UnassignInstances(s) => {
            let r = &s.report;
            row("unassigned", r.unassigned.len());
            row("not unassigned", r.not_unassigned.len());
            row("not attempted", r.not_attempted.len());
            refusals.extend(
                r.not_unassigned
                    .iter()
                    .take(SHOWN)
                    .map(|n| vec![n.id.to_string(), n.error_message.clone()]),
            );
            (r.not_unassigned.len(), "not unassigned", &r.stats)
        }
        SavedReport::BulkAssign(s) => {
            let r = &s.report;
            row("bulk jobs", r.jobs.len());
            row("assigned", r.assigned.len());
            row("not assigned", r.not_assigned.len());
            row("pending", r.pending.len());
            row("not attempted", r.not_attempted.len());
            refusals.extend(r.not_assigned.iter().take(SHOWN).map(|n| {
                let who = n.prospect.as_ref().map(|p| p.key());
                let who = who.or_else(|| n.crm_prospect_id.clone());
                let why = n.error_message.as_deref().or(n.error_code.as_deref());
                vec![
                    who.unwrap_or_else(|| "-".into()),
                    n.status.as_ref().map_or("-", |s| s.as_str()).to_owned(),
                    why.unwrap_or("-").to_owned(),
                ]
            }));
            (r.not_assigned.len(), "not assigned", &r.stats)
        }
    };
    rows.push(("duplicates".into(), stats.duplicates.len().to_string()));
    rows.push(("calls".into(), stats.requests.to_string()));
    refusals.truncate(SHOWN);
    Summary {
        title: title(report),
        rows,
        refusals_heading: heading,
        refusals,
        refused,
        error_counts: report.error_counts(),
    }
}

/// Rows as left-aligned columns two spaces apart, one line each ending in
/// a line break: the first row is the header, if there is one. Line breaks
/// and tabs inside a cell become spaces, so that a row stays one line.
///
/// ```
/// let rows = [vec!["ID".into(), "NAME".into()], vec!["12345".into(), "two\nlines".into()]];
/// assert_eq!(gong_flows::table(&rows), "ID     NAME\n12345  two lines\n");
/// ```
pub fn table(rows: &[Vec<String>]) -> String {
    let one_line = |cell: &str| cell.replace(['\n', '\r', '\t'], " ");
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width = |i: usize| {
        rows.iter()
            .filter_map(|row| row.get(i))
            .map(|cell| one_line(cell).chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..columns).map(width).collect();
    let mut out = String::new();
    for row in rows {
        let mut text = String::new();
        for (i, cell) in row.iter().enumerate() {
            let cell = one_line(cell);
            if i + 1 < row.len() {
                text.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            } else {
                text.push_str(&cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// A list's items as rows of a [`table`]: what `gong-flows flows list`,
/// `folders list` and `prospects flows` print. A missing value is `-`.
///
/// ```
/// use gong_flows::TableRow;
///
/// let folder: gong_flows::Folder =
///     serde_json::from_value(serde_json::json!({"id": "12", "name": "Q4"})).unwrap();
/// assert_eq!(folder.cells(), ["12", "Q4", "-", "-"]);
/// assert_eq!(
///     gong_flows::table_of(&[folder]),
///     "ID  NAME  PARENT  VISIBILITY\n12  Q4    -       -\n"
/// );
/// ```
pub trait TableRow {
    /// The column headers.
    const HEADERS: &'static [&'static str];
    /// This item's cells, one per header.
    fn cells(&self) -> Vec<String>;
}

/// `items` as a [`table`] under [`TableRow::HEADERS`] (the header alone
/// when there are none).
pub fn table_of<T: TableRow>(items: &[T]) -> String {
    let header = T::HEADERS.iter().map(|h| (*h).to_owned()).collect();
    let rows: Vec<Vec<String>> = std::iter::once(header)
        .chain(items.iter().map(T::cells))
        .collect();
    table(&rows)
}

/// A cell: the value, or `-`.
pub(crate) fn or_dash(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}

/// A cell: `yes` for `Some(true)`, else `no`.
pub(crate) fn yes_no(value: Option<bool>) -> String {
    if value == Some(true) { "yes" } else { "no" }.to_owned()
}

impl TableRow for crate::Flow {
    const HEADERS: &'static [&'static str] = &["ID", "NAME", "FOLDER", "VISIBILITY", "EXCLUSIVE"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            or_dash(self.name.as_deref()),
            or_dash(self.folder_name.as_deref()),
            or_dash(self.visibility.as_ref().map(|v| v.as_str())),
            yes_no(self.exclusive),
        ]
    }
}

impl TableRow for crate::Folder {
    const HEADERS: &'static [&'static str] = &["ID", "NAME", "PARENT", "VISIBILITY"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            or_dash(self.name.as_deref()),
            or_dash(self.parent_folder_id.as_deref()),
            or_dash(self.visibility.as_ref().map(|v| v.as_str())),
        ]
    }
}

impl TableRow for crate::FlowInstance {
    const HEADERS: &'static [&'static str] =
        &["CRM ID", "FLOW ID", "FLOW", "INSTANCE", "STATUS", "OWNER"];
    fn cells(&self) -> Vec<String> {
        vec![
            or_dash(self.crm_prospect_id.as_deref()),
            or_dash(self.flow_id.as_deref()),
            or_dash(self.flow_name.as_deref()),
            or_dash(self.flow_instance_id.as_deref()),
            or_dash(self.status.as_ref().map(|s| s.as_str())),
            or_dash(self.owner_email.as_deref()),
        ]
    }
}

/// [`table`], each line indented by two spaces.
pub(crate) fn aligned(f: &mut fmt::Formatter<'_>, rows: &[Vec<String>]) -> fmt::Result {
    for line in table(rows).lines() {
        match line {
            "" => writeln!(f)?,
            line => writeln!(f, "  {line}")?,
        }
    }
    Ok(())
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.title)?;
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|(name, value)| vec![name.clone(), value.clone()])
            .collect();
        aligned(f, &rows)?;
        if !self.refusals.is_empty() {
            writeln!(f, "{}:", self.refusals_heading)?;
            aligned(f, &self.refusals)?;
            if self.refused > self.refusals.len() {
                writeln!(
                    f,
                    "  ... and {} more (the report lists them all)",
                    self.refused - self.refusals.len()
                )?;
            }
        }
        if !self.error_counts.is_empty() {
            writeln!(f, "by error:")?;
        }
        for count in &self.error_counts {
            writeln!(f, "  {count}")?;
        }
        Ok(())
    }
}

impl SavedReport {
    /// The report as JSON, with the inputs left undone counted by error
    /// beside it (`errorCounts`): what `gong-flows --json` prints when a job
    /// ends.
    ///
    /// ```
    /// let saved = gong_flows::SavedReport::from(gong_flows::AssignReport::default());
    /// let json = saved.to_json();
    /// assert_eq!(json["operation"], "assign");
    /// assert_eq!(json["errorCounts"], serde_json::json!([]));
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        let mut json = serde_json::to_value(self).unwrap_or_default();
        if let Some(object) = json.as_object_mut() {
            let counts = serde_json::to_value(self.error_counts()).unwrap_or_default();
            object.insert("errorCounts".into(), counts);
        }
        json
    }

    /// What to do about the inputs the job left, as a person reads it
    /// (`None` when it left none): check the credentials or the flow,
    /// resume the report saved at `path` (naming the command), poll bulk
    /// jobs still running, or check in Gong when nothing left can be sent
    /// again safely. One rule for every kind of report; pending bulk jobs
    /// count as left.
    ///
    /// ```
    /// use gong_flows::{AssignReport, SavedReport};
    ///
    /// let saved = SavedReport::from(AssignReport::default());
    /// assert_eq!(saved.next_step("job.json".as_ref()), None);
    /// ```
    pub fn next_step(&self, path: &Path) -> Option<String> {
        let left = self.left();
        if left.total() == 0 {
            return None;
        }
        let resume = format!("gong-flows resume --report {}", path.display());
        Some(match self.outcome() {
            Outcome::Auth | Outcome::Scope => format!(
                "Check the credentials and their scope (api:flows:write to assign or \
                 unassign), then resume with: {resume}"
            ),
            Outcome::NotFound => {
                "Check the flow id (`gong-flows flows list --owner EMAIL`).".to_owned()
            }
            _ if left.resumable == 0 => "The report lists them (a bulk submit whose answer was \
                 lost may have started a bulk job: check in Gong before submitting them again)."
                .to_owned(),
            _ if left.pending > 0 => {
                format!("Their bulk jobs are still running at Gong: poll them later with {resume}")
            }
            _ => format!("Resume with: {resume}"),
        })
    }
}
