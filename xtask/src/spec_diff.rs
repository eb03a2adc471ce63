//! `cargo xtask spec-diff`: drift between our spec and Gong's published document.
//!
//! Gong publishes the OpenAPI document behind its documentation site. It is
//! machine-generated JSON, OpenAPI 3.0.1, with quirks that a strict parser
//! rejects: upper-case `style` values (`FORM`, `SIMPLE`), the
//! non-standard keys `exampleSetFlag` and `types`, and no security schemes.
//! So both documents are read as plain [`serde_json::Value`]s (JSON or YAML,
//! for either side), `$ref`s are followed here (named enums thereby become
//! inline ones, as upstream writes them), and only what matters on the wire is
//! compared, for the operations under `/v2/flows`:
//!
//! - operations (matched by method and path template) and their `operationId`;
//! - parameters: presence, `required`, `style`, type, format, enum values;
//! - request and response bodies per status, field by field and recursively
//!   (dotted paths, `[]` for array items): presence, type, format, required
//!   flags, enum values, and `maxItems`/`x-max-items` limits;
//! - declared status codes and response header types.
//!
//! Schema names, descriptions, examples and media-type names are not compared:
//! they do not change what goes over the wire (a generator may well write
//! `*/*` for a JSON body), and schema names differ by design.
//!
//! Every [`Difference`] has a stable [`key`](Difference::key) such as
//! `assignProspects request crmProspectsIds maxItems`. Deliberate ones are
//! listed, each with a reason, in `openapi/known-differences.yaml`; listed
//! differences are suppressed and counted, listed ones that no longer occur
//! are reported as stale.

use crate::document::{self, METHODS, resolve};
use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// Only paths equal to this, or below it, are compared; the rest of Gong's
/// API (calls, users, …) is not this SDK's business.
pub const PATH_PREFIX: &str = "/v2/flows";

/// The default known-differences file, relative to the workspace root.
pub const KNOWN_DIFFERENCES: &str = "openapi/known-differences.yaml";

/// How far nested schemas are followed; deeper than any real body, and a
/// stop for pathological documents.
const MAX_DEPTH: usize = 64;

/// Which side a difference is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Present in our spec only.
    OnlyOurs,
    /// Present in the upstream document only.
    OnlyUpstream,
    /// Present on both sides with different values.
    Changed,
}

/// One difference between our spec and the upstream document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// Stable identifier, used to list the difference as known:
    /// `<operationId> <where> [<field path>] <aspect>`.
    pub key: String,
    /// The operation, as `METHOD /path`.
    pub operation: String,
    /// Which side the difference is on.
    pub change: Change,
    /// Our value (for a presence difference, a short description of the
    /// thing present), if any.
    pub ours: Option<String>,
    /// Upstream's value, likewise.
    pub upstream: Option<String>,
}

impl Difference {
    /// One line for people: the key and what differs.
    pub fn describe(&self) -> String {
        let detail = |v: &Option<String>| v.as_ref().map(|v| format!(" ({v})")).unwrap_or_default();
        match self.change {
            Change::OnlyOurs => format!("{}: only in ours{}", self.key, detail(&self.ours)),
            Change::OnlyUpstream => {
                format!("{}: only upstream{}", self.key, detail(&self.upstream))
            }
            Change::Changed => format!(
                "{}: ours {}, upstream {}",
                self.key,
                self.ours.as_deref().unwrap_or("none"),
                self.upstream.as_deref().unwrap_or("none")
            ),
        }
    }
}

/// An entry of the known-differences file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownDifference {
    /// The [`Difference::key`] it suppresses.
    pub key: String,
    /// Why the difference is deliberate.
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownFile {
    #[serde(default)]
    differences: Vec<KnownDifference>,
}

/// Parses a known-differences file (YAML): a `differences` list of
/// `{key, reason}` entries. Keys must be unique and reasons non-empty.
pub fn parse_known(text: &str) -> Result<Vec<KnownDifference>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let file: Option<KnownFile> =
        serde_yaml::from_str(text).context("parsing known differences")?;
    let entries = file.map(|f| f.differences).unwrap_or_default();
    let mut seen = HashSet::new();
    for entry in &entries {
        if entry.key.trim().is_empty() {
            bail!("a known difference has an empty key");
        }
        if entry.reason.trim().is_empty() {
            bail!("known difference {:?} gives no reason", entry.key);
        }
        if !seen.insert(entry.key.as_str()) {
            bail!("known difference {:?} is listed twice", entry.key);
        }
    }
    Ok(entries)
}

/// Reads and parses the known-differences file at `path`.
pub fn load_known(path: &Path) -> Result<Vec<KnownDifference>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_known(&text).with_context(|| format!("in {}", path.display()))
}

/// A difference suppressed by a known-differences entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnownMatch {
    /// The difference.
    #[serde(flatten)]
    pub difference: Difference,
    /// The reason the entry gives.
    pub reason: String,
}

/// The outcome of a comparison after known differences are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Where our spec came from.
    pub ours: String,
    /// Where the upstream document came from.
    pub upstream: String,
    /// Differences no entry lists: these fail the check.
    pub differences: Vec<Difference>,
    /// Differences suppressed by an entry.
    pub known: Vec<KnownMatch>,
    /// Entries that match no difference any more.
    pub stale: Vec<KnownDifference>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    ours: &'a str,
    upstream: &'a str,
    passed: bool,
    differences: &'a [Difference],
    known: &'a [KnownMatch],
    stale: &'a [KnownDifference],
    counts: JsonCounts,
}

#[derive(Serialize)]
struct JsonCounts {
    differences: usize,
    known: usize,
    stale: usize,
}

impl Report {
    /// Splits `differences` into unlisted and known ones, and finds the
    /// stale entries of `known`.
    pub fn new(
        ours: impl Into<String>,
        upstream: impl Into<String>,
        differences: Vec<Difference>,
        known: &[KnownDifference],
    ) -> Self {
        let reasons: BTreeMap<&str, &str> = known
            .iter()
            .map(|k| (k.key.as_str(), k.reason.as_str()))
            .collect();
        let keys: HashSet<&str> = differences.iter().map(|d| d.key.as_str()).collect();
        let stale = known
            .iter()
            .filter(|k| !keys.contains(k.key.as_str()))
            .cloned()
            .collect();
        let mut unlisted = Vec::new();
        let mut matched = Vec::new();
        for difference in differences {
            match reasons.get(difference.key.as_str()) {
                Some(reason) => matched.push(KnownMatch {
                    reason: (*reason).to_owned(),
                    difference,
                }),
                None => unlisted.push(difference),
            }
        }
        Report {
            ours: ours.into(),
            upstream: upstream.into(),
            differences: unlisted,
            known: matched,
            stale,
        }
    }

    /// Whether no unlisted difference remains (stale entries only warn).
    pub fn passed(&self) -> bool {
        self.differences.is_empty()
    }

    /// The report for people: unlisted differences grouped by operation,
    /// one line each, stale entries as warnings, and the counts.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "comparing {} with {}", self.ours, self.upstream);
        let mut current: Option<&str> = None;
        for difference in &self.differences {
            if current != Some(difference.operation.as_str()) {
                let _ = writeln!(out, "\n{}", difference.operation);
                current = Some(&difference.operation);
            }
            let _ = writeln!(out, "  {}", difference.describe());
        }
        if !self.stale.is_empty() {
            out.push('\n');
        }
        for entry in &self.stale {
            let _ = writeln!(
                out,
                "warning: known difference {:?} matches nothing any more; remove it",
                entry.key
            );
        }
        let _ = writeln!(
            out,
            "\n{} unlisted difference{}, {} known, {} stale known entr{}",
            self.differences.len(),
            if self.differences.len() == 1 { "" } else { "s" },
            self.known.len(),
            self.stale.len(),
            if self.stale.len() == 1 { "y" } else { "ies" },
        );
        out
    }

    /// The report as a stable JSON structure: `ours`, `upstream`, `passed`,
    /// `differences`, `known` (each also with its `reason`), `stale` and
    /// `counts`. Each difference has `key`, `operation`, `change`
    /// (`only_ours`, `only_upstream` or `changed`), `ours` and `upstream`.
    pub fn to_json(&self) -> String {
        let report = JsonReport {
            ours: &self.ours,
            upstream: &self.upstream,
            passed: self.passed(),
            differences: &self.differences,
            known: &self.known,
            stale: &self.stale,
            counts: JsonCounts {
                differences: self.differences.len(),
                known: self.known.len(),
                stale: self.stale.len(),
            },
        };
        // Serializing plain strings, options and vectors cannot fail.
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// Loads our spec (`ours`, a file) and the upstream document (`upstream`, a
/// file or URL), compares them and applies the known differences at `known`
/// (none when `None`).
pub fn run(ours: &Path, upstream: &str, known: Option<&Path>) -> Result<Report> {
    let ours_doc = document::load_file(ours)?;
    let upstream_doc = document::load_source(upstream)?;
    let known = match known {
        Some(path) => load_known(path)?,
        None => Vec::new(),
    };
    let differences = compare(&ours_doc, &upstream_doc)?;
    Ok(Report::new(
        ours.display().to_string(),
        upstream,
        differences,
        &known,
    ))
}

/// Compares two OpenAPI documents over the operations under
/// [`PATH_PREFIX`]. Differences come grouped by operation (in path order),
/// each group in a fixed order: operation, parameters, request, statuses and
/// responses. An `Err` means a document is not usable: not an object,
/// malformed `paths`, or a `$ref` that does not resolve.
pub fn compare(ours: &Value, upstream: &Value) -> Result<Vec<Difference>> {
    let ours_ops = operations(ours).context("in our spec")?;
    let upstream_ops = operations(upstream).context("in the upstream document")?;
    let mut keys: BTreeSet<(String, usize)> = BTreeSet::new();
    keys.extend(ours_ops.keys().cloned());
    keys.extend(upstream_ops.keys().cloned());

    let mut out = Vec::new();
    for key in keys {
        let o = ours_ops.get(&key);
        let u = upstream_ops.get(&key);
        let Some(shown) = o.or(u) else { continue };
        let operation = format!("{} {}", shown.method.to_uppercase(), shown.path);
        let name = o
            .and_then(|o| o.id.clone())
            .or_else(|| u.and_then(|u| u.id.clone()))
            .unwrap_or_else(|| operation.clone());
        let mut cmp = Comparer {
            ours,
            upstream,
            operation: operation.clone(),
            out: Vec::new(),
        };
        match (o, u) {
            (Some(o), Some(u)) => cmp.operation_pair(&name, o, u)?,
            (Some(_), None) => cmp.push(format!("{name} operation"), Change::OnlyOurs, None, None),
            (None, Some(_)) => cmp.push(
                format!("{name} operation"),
                Change::OnlyUpstream,
                None,
                None,
            ),
            (None, None) => {}
        }
        out.extend(cmp.out);
    }
    Ok(out)
}

/// One operation of a document.
struct Operation<'a> {
    method: &'static str,
    path: String,
    id: Option<String>,
    op: &'a Value,
    path_item: &'a Value,
}

fn in_scope(path: &str) -> bool {
    path == PATH_PREFIX || path.starts_with(&format!("{PATH_PREFIX}/"))
}

/// `/a/{id}/b` → `/a/{}/b`: parameter names do not decide which operations
/// correspond (they are compared as parameters instead).
fn path_template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// The in-scope operations, keyed by (path template, method index).
fn operations(doc: &Value) -> Result<BTreeMap<(String, usize), Operation<'_>>> {
    if !doc.is_object() {
        bail!("the document is not an object, so not an OpenAPI document");
    }
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths") else {
        return Ok(out);
    };
    let paths = paths
        .as_object()
        .ok_or_else(|| anyhow!("`paths` is not an object"))?;
    for (path, item) in paths {
        if !in_scope(path) {
            continue;
        }
        let item = resolve(doc, item)
            .with_context(|| format!("path {path}"))?
            .value;
        for (index, method) in METHODS.iter().enumerate() {
            let Some(op) = item.get(*method) else {
                continue;
            };
            if !op.is_object() {
                bail!("{} {path} is not an object", method.to_uppercase());
            }
            let previous = out.insert(
                (path_template(path), index),
                Operation {
                    method,
                    path: path.clone(),
                    id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    op,
                    path_item: item,
                },
            );
            if let Some(previous) = previous {
                bail!(
                    "{} {path} and {} {} are the same operation",
                    method.to_uppercase(),
                    method.to_uppercase(),
                    previous.path
                );
            }
        }
    }
    Ok(out)
}

/// A schema reduced to what the comparison looks at, after `$ref`s are
/// followed and `allOf` parts merged.
#[derive(Debug, Default)]
struct Shape<'a> {
    ty: Option<String>,
    format: Option<String>,
    enumeration: Option<Vec<String>>,
    properties: BTreeMap<String, &'a Value>,
    required: BTreeSet<String>,
    items: Option<&'a Value>,
    additional: Option<&'a Value>,
    max_items: Option<u64>,
    /// Identity (address) of the schema object the shape was read from:
    /// seeing the same pair of objects again means a recursive schema.
    origin: usize,
}

impl Shape<'_> {
    fn summary(&self) -> String {
        let mut s = self.ty.clone().unwrap_or_else(|| "any".to_owned());
        if let Some(format) = &self.format {
            let _ = write!(s, " ({format})");
        }
        if self.enumeration.is_some() {
            s.push_str(" enum");
        }
        s
    }
}

struct Comparer<'a> {
    ours: &'a Value,
    upstream: &'a Value,
    operation: String,
    out: Vec<Difference>,
}

const EMPTY_SCHEMA: &Value = &Value::Null;

impl<'a> Comparer<'a> {
    fn push(
        &mut self,
        key: String,
        change: Change,
        ours: Option<String>,
        upstream: Option<String>,
    ) {
        self.out.push(Difference {
            key,
            operation: self.operation.clone(),
            change,
            ours,
            upstream,
        });
    }

    /// A value present on both sides that may differ.
    fn value(&mut self, key: String, ours: Option<String>, upstream: Option<String>) {
        if ours != upstream {
            self.push(key, Change::Changed, ours, upstream);
        }
    }

    fn operation_pair(&mut self, name: &str, o: &Operation<'a>, u: &Operation<'a>) -> Result<()> {
        self.value(format!("{name} operationId"), o.id.clone(), u.id.clone());
        self.parameters(name, o, u)?;
        self.request(name, o.op, u.op)?;
        self.responses(name, o.op, u.op)
    }

    fn parameters(&mut self, name: &str, o: &Operation<'a>, u: &Operation<'a>) -> Result<()> {
        let ours = parameters(self.ours, o)?;
        let upstream = parameters(self.upstream, u)?;
        let keys: BTreeSet<&(String, String)> = ours.keys().chain(upstream.keys()).collect();
        for key in keys {
            let (location, _) = key;
            let (op, up) = (ours.get(key), upstream.get(key));
            let shown = op.or(up).map(|p| p.name.as_str()).unwrap_or_default();
            let prefix = format!("{name} parameter {location} {shown}");
            match (op, up) {
                (Some(op), Some(up)) => {
                    self.value(
                        format!("{prefix} required"),
                        Some(op.required.to_string()),
                        Some(up.required.to_string()),
                    );
                    self.value(
                        format!("{prefix} style"),
                        Some(op.style.clone()),
                        Some(up.style.clone()),
                    );
                    let (os, us) = (
                        op.schema.unwrap_or(EMPTY_SCHEMA),
                        up.schema.unwrap_or(EMPTY_SCHEMA),
                    );
                    self.schema(&prefix, "", os, us, &mut Vec::new())?;
                }
                (Some(op), None) => {
                    let summary = self.summary(self.ours, op.schema)?;
                    self.push(prefix, Change::OnlyOurs, Some(summary), None);
                }
                (None, Some(up)) => {
                    let summary = self.summary(self.upstream, up.schema)?;
                    self.push(prefix, Change::OnlyUpstream, None, Some(summary));
                }
                (None, None) => {}
            }
        }
        Ok(())
    }

    fn request(&mut self, name: &str, o: &'a Value, u: &'a Value) -> Result<()> {
        let prefix = format!("{name} request");
        let ob = o
            .get("requestBody")
            .map(|b| resolve(self.ours, b))
            .transpose()?;
        let ub = u
            .get("requestBody")
            .map(|b| resolve(self.upstream, b))
            .transpose()?;
        match (ob, ub) {
            (Some(ob), Some(ub)) => {
                let required = |b: &Value| {
                    b.get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                        .to_string()
                };
                self.value(
                    format!("{prefix} required"),
                    Some(required(ob.value)),
                    Some(required(ub.value)),
                );
                let os = body_schema(ob.value).unwrap_or(EMPTY_SCHEMA);
                let us = body_schema(ub.value).unwrap_or(EMPTY_SCHEMA);
                self.schema(&prefix, "", os, us, &mut Vec::new())?;
            }
            (Some(_), None) => self.push(prefix, Change::OnlyOurs, None, None),
            (None, Some(_)) => self.push(prefix, Change::OnlyUpstream, None, None),
            (None, None) => {}
        }
        Ok(())
    }

    fn responses(&mut self, name: &str, o: &'a Value, u: &'a Value) -> Result<()> {
        let ours = responses(o);
        let upstream = responses(u);
        let statuses: BTreeSet<&String> = ours.keys().chain(upstream.keys()).collect();
        // Declared status codes first, then the bodies of the shared ones,
        // so the presence differences read as one block.
        for status in &statuses {
            match (ours.get(*status), upstream.get(*status)) {
                (Some(_), None) => self.push(
                    format!("{name} status {status}"),
                    Change::OnlyOurs,
                    None,
                    None,
                ),
                (None, Some(_)) => self.push(
                    format!("{name} status {status}"),
                    Change::OnlyUpstream,
                    None,
                    None,
                ),
                _ => {}
            }
        }
        for status in statuses {
            let (Some(or), Some(ur)) = (ours.get(status), upstream.get(status)) else {
                continue;
            };
            let or = resolve(self.ours, or)?.value;
            let ur = resolve(self.upstream, ur)?.value;
            let prefix = format!("{name} response {status}");
            self.headers(&prefix, or, ur)?;
            match (body_schema(or), body_schema(ur)) {
                (Some(os), Some(us)) => self.schema(&prefix, "", os, us, &mut Vec::new())?,
                (Some(os), None) => {
                    let summary = self.summary(self.ours, Some(os))?;
                    self.push(
                        format!("{prefix} body"),
                        Change::OnlyOurs,
                        Some(summary),
                        None,
                    );
                }
                (None, Some(us)) => {
                    let summary = self.summary(self.upstream, Some(us))?;
                    self.push(
                        format!("{prefix} body"),
                        Change::OnlyUpstream,
                        None,
                        Some(summary),
                    );
                }
                (None, None) => {}
            }
        }
        Ok(())
    }

    fn headers(&mut self, prefix: &str, or: &'a Value, ur: &'a Value) -> Result<()> {
        let collect = |r: &'a Value| -> BTreeMap<String, (&'a str, &'a Value)> {
            r.get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.to_ascii_lowercase(), (k.as_str(), v)))
                .collect()
        };
        let (oh, uh) = (collect(or), collect(ur));
        let names: BTreeSet<&String> = oh.keys().chain(uh.keys()).collect();
        for name in names {
            let (o, u) = (oh.get(name), uh.get(name));
            let shown = o.or(u).map(|(n, _)| *n).unwrap_or_default();
            let key = format!("{prefix} header {shown}");
            let header_schema = |doc: &'a Value, h: &'a Value| -> Result<Option<&'a Value>> {
                Ok(resolve(doc, h)?.value.get("schema"))
            };
            match (o, u) {
                (Some((_, o)), Some((_, u))) => {
                    let os = header_schema(self.ours, o)?.unwrap_or(EMPTY_SCHEMA);
                    let us = header_schema(self.upstream, u)?.unwrap_or(EMPTY_SCHEMA);
                    self.schema(&key, "", os, us, &mut Vec::new())?;
                }
                (Some((_, o)), None) => {
                    let summary = self.summary(self.ours, header_schema(self.ours, o)?)?;
                    self.push(key, Change::OnlyOurs, Some(summary), None);
                }
                (None, Some((_, u))) => {
                    let summary = self.summary(self.upstream, header_schema(self.upstream, u)?)?;
                    self.push(key, Change::OnlyUpstream, None, Some(summary));
                }
                (None, None) => {}
            }
        }
        Ok(())
    }

    /// A short description of a schema for presence differences, such as
    /// `array of string`.
    fn summary(&self, doc: &'a Value, schema: Option<&'a Value>) -> Result<String> {
        let outer = shape(doc, schema.unwrap_or(EMPTY_SCHEMA), 0)?;
        let mut text = outer.summary();
        if let Some(items) = outer.items {
            let _ = write!(text, " of {}", shape(doc, items, 0)?.summary());
        }
        Ok(text)
    }

    /// Compares two schemas at field path `path` (empty for the body itself).
    /// `stack` holds the pairs of references being compared further up, so
    /// that recursive schemas end instead of looping.
    fn schema(
        &mut self,
        prefix: &str,
        path: &str,
        ours: &'a Value,
        upstream: &'a Value,
        stack: &mut Vec<(usize, usize)>,
    ) -> Result<()> {
        let o = shape(self.ours, ours, 0).with_context(|| at(prefix, path))?;
        let u = shape(self.upstream, upstream, 0).with_context(|| at(prefix, path))?;
        let pair = (o.origin, u.origin);
        if stack.contains(&pair) || stack.len() >= MAX_DEPTH {
            return Ok(());
        }
        let key = |aspect: &str| {
            if path.is_empty() {
                format!("{prefix} {aspect}")
            } else {
                format!("{prefix} {path} {aspect}")
            }
        };

        if o.ty != u.ty {
            // Different kinds of value: nothing below them compares.
            self.push(key("type"), Change::Changed, o.ty.clone(), u.ty.clone());
            return Ok(());
        }
        self.value(key("format"), o.format.clone(), u.format.clone());
        match (&o.enumeration, &u.enumeration) {
            (Some(ov), Some(uv)) => {
                let (os, us): (BTreeSet<&String>, BTreeSet<&String>) =
                    (ov.iter().collect(), uv.iter().collect());
                for value in os.difference(&us) {
                    self.push(key(&format!("enum {value}")), Change::OnlyOurs, None, None);
                }
                for value in us.difference(&os) {
                    self.push(
                        key(&format!("enum {value}")),
                        Change::OnlyUpstream,
                        None,
                        None,
                    );
                }
            }
            (Some(ov), None) => self.push(key("enum"), Change::Changed, Some(ov.join(", ")), None),
            (None, Some(uv)) => self.push(key("enum"), Change::Changed, None, Some(uv.join(", "))),
            (None, None) => {}
        }
        self.value(
            key("maxItems"),
            o.max_items.map(|m| m.to_string()),
            u.max_items.map(|m| m.to_string()),
        );

        stack.push(pair);
        let result = self.children(prefix, path, &o, &u, stack);
        stack.pop();
        result
    }

    fn children(
        &mut self,
        prefix: &str,
        path: &str,
        o: &Shape<'a>,
        u: &Shape<'a>,
        stack: &mut Vec<(usize, usize)>,
    ) -> Result<()> {
        let names: BTreeSet<&String> = o.properties.keys().chain(u.properties.keys()).collect();
        for name in names {
            let field = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            match (o.properties.get(name), u.properties.get(name)) {
                (Some(os), Some(us)) => {
                    self.value(
                        format!("{prefix} {field} required"),
                        Some(o.required.contains(name).to_string()),
                        Some(u.required.contains(name).to_string()),
                    );
                    self.schema(prefix, &field, os, us, stack)?;
                }
                (Some(os), None) => {
                    let summary = self.summary(self.ours, Some(os))?;
                    self.push(
                        format!("{prefix} {field} field"),
                        Change::OnlyOurs,
                        Some(summary),
                        None,
                    );
                }
                (None, Some(us)) => {
                    let summary = self.summary(self.upstream, Some(us))?;
                    self.push(
                        format!("{prefix} {field} field"),
                        Change::OnlyUpstream,
                        None,
                        Some(summary),
                    );
                }
                (None, None) => {}
            }
        }
        if o.items.is_some() || u.items.is_some() {
            let os = o.items.unwrap_or(EMPTY_SCHEMA);
            let us = u.items.unwrap_or(EMPTY_SCHEMA);
            self.schema(prefix, &format!("{path}[]"), os, us, stack)?;
        }
        if let (Some(os), Some(us)) = (o.additional, u.additional)
            && (os.is_object() || us.is_object())
        {
            self.schema(prefix, &format!("{path}{{}}"), os, us, stack)?;
        }
        Ok(())
    }
}

fn at(prefix: &str, path: &str) -> String {
    if path.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix} {path}")
    }
}

/// Reduces `schema` (in `doc`) to a [`Shape`]: references followed, `allOf`
/// merged, the type taken from `type`, from upstream's `types` list, or
/// from the keywords present.
fn shape<'a>(doc: &'a Value, schema: &'a Value, depth: usize) -> Result<Shape<'a>> {
    if depth > MAX_DEPTH {
        bail!("allOf nested deeper than {MAX_DEPTH} levels");
    }
    let resolved = resolve(doc, schema)?;
    let mut out = Shape {
        origin: std::ptr::from_ref(resolved.value) as usize,
        ..Shape::default()
    };
    let Some(map) = resolved.value.as_object() else {
        // `true`, `{}` or a missing schema: any value, nothing to compare.
        return Ok(out);
    };
    if let Some(parts) = map.get("allOf").and_then(Value::as_array) {
        for part in parts {
            let part = shape(doc, part, depth + 1)?;
            merge(&mut out, part);
        }
    }
    let ty = match map.get("type") {
        Some(Value::String(t)) => Some(t.clone()),
        _ => map
            .get("types")
            .and_then(Value::as_array)
            .and_then(|types| {
                // Upstream carries a non-standard `types` list beside (or, at
                // worst, instead of) `type`; one named type is as good as `type`.
                let mut named = types
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null");
                match (named.next(), named.next()) {
                    (Some(t), None) => Some(t.to_owned()),
                    _ => None,
                }
            }),
    };
    let ty = ty.or_else(|| {
        if map.contains_key("properties") {
            Some("object".to_owned())
        } else if map.contains_key("items") {
            Some("array".to_owned())
        } else {
            None
        }
    });
    if ty.is_some() {
        out.ty = ty;
    }
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        out.format = Some(format.to_owned());
    }
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        out.enumeration = Some(
            values
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect(),
        );
    }
    if let Some(properties) = map.get("properties").and_then(Value::as_object) {
        out.properties
            .extend(properties.iter().map(|(k, v)| (k.clone(), v)));
    }
    if let Some(required) = map.get("required").and_then(Value::as_array) {
        out.required
            .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    if let Some(items) = map.get("items") {
        out.items = Some(items);
    }
    if let Some(additional) = map.get("additionalProperties") {
        out.additional = Some(additional);
    }
    // `x-max-items` is our mirror of `maxItems`; either one states the limit.
    let limit = map
        .get("maxItems")
        .or_else(|| map.get("x-max-items"))
        .and_then(Value::as_u64);
    if limit.is_some() {
        out.max_items = limit;
    }
    Ok(out)
}

fn merge<'a>(into: &mut Shape<'a>, part: Shape<'a>) {
    into.ty = into.ty.take().or(part.ty);
    into.format = into.format.take().or(part.format);
    into.enumeration = into.enumeration.take().or(part.enumeration);
    into.properties.extend(part.properties);
    into.required.extend(part.required);
    into.items = into.items.or(part.items);
    into.additional = into.additional.or(part.additional);
    into.max_items = into.max_items.or(part.max_items);
}

/// A parameter as compared.
struct Parameter<'a> {
    name: String,
    required: bool,
    style: String,
    schema: Option<&'a Value>,
}

/// The parameters of an operation, the path item's included (the
/// operation's own win), keyed by (`in`, name); header names are
/// case-insensitive.
fn parameters<'a>(
    doc: &'a Value,
    op: &Operation<'a>,
) -> Result<BTreeMap<(String, String), Parameter<'a>>> {
    let mut out = BTreeMap::new();
    for list in [op.path_item.get("parameters"), op.op.get("parameters")] {
        let Some(list) = list else { continue };
        let list = list.as_array().ok_or_else(|| {
            anyhow!(
                "{} {}: parameters is not a list",
                op.method.to_uppercase(),
                op.path
            )
        })?;
        for parameter in list {
            let parameter = resolve(doc, parameter)?.value;
            let (Some(name), Some(location)) = (
                parameter.get("name").and_then(Value::as_str),
                parameter.get("in").and_then(Value::as_str),
            ) else {
                bail!(
                    "{} {}: a parameter has no name or no `in`",
                    op.method.to_uppercase(),
                    op.path
                );
            };
            let location = location.to_ascii_lowercase();
            let matched = if location == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_owned()
            };
            // Path parameters are always required, whatever a document says.
            let required = location == "path"
                || parameter
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
            let style = parameter
                .get("style")
                .and_then(Value::as_str)
                .map(canonical_style)
                .unwrap_or_else(|| default_style(&location).to_owned());
            let schema = parameter.get("schema").or_else(|| body_schema(parameter));
            out.insert(
                (location, matched),
                Parameter {
                    name: name.to_owned(),
                    required,
                    style,
                    schema,
                },
            );
        }
    }
    Ok(out)
}

/// Upstream writes styles as upper-case enum names (`FORM`, `SIMPLE`, and
/// presumably `SPACEDELIMITED` and so on); OpenAPI spells them `form`,
/// `simple`, `spaceDelimited`. Unknown spellings are kept as they are.
fn canonical_style(style: &str) -> String {
    let flat: String = style
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    match flat.as_str() {
        "form" => "form",
        "simple" => "simple",
        "matrix" => "matrix",
        "label" => "label",
        "spacedelimited" => "spaceDelimited",
        "pipedelimited" => "pipeDelimited",
        "deepobject" => "deepObject",
        _ => return style.to_owned(),
    }
    .to_owned()
}

/// The style OpenAPI implies when a parameter states none.
fn default_style(location: &str) -> &'static str {
    match location {
        "path" | "header" => "simple",
        _ => "form",
    }
}

/// The declared responses by status code; range codes are upper-cased
/// (`4xx` → `4XX`) so both spellings match.
fn responses(op: &Value) -> BTreeMap<String, &Value> {
    op.get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(status, r)| {
            let status = if status.eq_ignore_ascii_case("default") {
                "default".to_owned()
            } else {
                status.to_ascii_uppercase()
            };
            (status, r)
        })
        .collect()
}

/// The schema of a body (request body, response, or parameter `content`):
/// JSON if declared, else `*/*` (which upstream uses for JSON), else the
/// first media type.
fn body_schema(holder: &Value) -> Option<&Value> {
    let content = holder.get("content")?.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| {
            content
                .iter()
                .find(|(k, _)| k.contains("json"))
                .map(|(_, v)| v)
        })
        .or_else(|| content.get("*/*"))
        .or_else(|| content.values().next())?;
    media.get("schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_ignore_parameter_names() {
        assert_eq!(path_template("/v2/a/{id}/b"), "/v2/a/{}/b");
        assert_eq!(path_template("/v2/a/{jobId}"), "/v2/a/{}");
    }

    #[test]
    fn styles_are_canonical() {
        assert_eq!(canonical_style("FORM"), "form");
        assert_eq!(canonical_style("SPACE_DELIMITED"), "spaceDelimited");
        assert_eq!(canonical_style("deepObject"), "deepObject");
        assert_eq!(canonical_style("weird"), "weird");
    }

    #[test]
    fn scope_is_the_flows_paths() {
        assert!(in_scope("/v2/flows"));
        assert!(in_scope("/v2/flows/steps"));
        assert!(!in_scope("/v2/flowsx"));
        assert!(!in_scope("/v2/calls"));
    }

    #[test]
    fn known_file_rules() {
        assert!(parse_known("").unwrap().is_empty());
        assert!(parse_known("differences: []").unwrap().is_empty());
        let two = "differences:\n  - {key: a, reason: r}\n  - {key: a, reason: s}\n";
        assert!(parse_known(two).is_err());
        assert!(parse_known("differences:\n  - {key: a, reason: ''}\n").is_err());
        assert!(parse_known("differences:\n  - {key: a}\n").is_err());
        assert!(parse_known("other: 1\n").is_err());
    }

    #[test]
    fn recursive_schemas_end() {
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "paths": {"/v2/flows": {"get": {
                "operationId": "tree",
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Node"}
                }}}}
            }}},
            "components": {"schemas": {"Node": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
                }
            }}}
        });
        assert!(compare(&doc, &doc).unwrap().is_empty());
    }
}
