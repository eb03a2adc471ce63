//! Loading OpenAPI documents as plain JSON values, and walking their `$ref`s.
//!
//! The spec checks work on `serde_json::Value` rather than on typed structs:
//! Gong's published document has quirks a strict parser rejects (upper-case
//! `style` values, non-standard keys), and the checks need to name the exact
//! location of every problem, which a typed model forgets.

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

/// Parses a document that is either JSON or YAML.
///
/// JSON is tried first when the text looks like JSON, because its error
/// messages are more precise than those of the YAML parser for the same text.
pub fn parse_document(text: &str) -> Result<Value> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return serde_json::from_str(trimmed).context("parsing the document as JSON");
    }
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(trimmed).context("parsing the document as YAML")?;
    yaml_to_json(yaml, "")
}

/// Reads and parses the document at `path` (JSON or YAML).
pub fn load_file(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_document(&text).with_context(|| format!("in {}", path.display()))
}

/// Whether `source` names a URL rather than a local file.
pub fn is_url(source: &str) -> bool {
    source.contains("://")
}

/// Loads a document from a local file or, for a URL, by running
/// `curl -fsSL`, so that this crate needs no TLS stack of its own.
pub fn load_source(source: &str) -> Result<Value> {
    if !is_url(source) {
        return load_file(Path::new(source));
    }
    let output = Command::new("curl")
        .args(["-fsSL", "--max-time", "120", "--", source])
        .output()
        .context("running curl (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "curl could not fetch {source} ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = String::from_utf8(output.stdout)
        .with_context(|| format!("the document at {source} is not UTF-8"))?;
    parse_document(&text).with_context(|| format!("in {source}"))
}

/// Converts a YAML value to JSON. Mapping keys that are numbers or booleans
/// (an unquoted `200:` status code) become strings, as in JSON; tags are
/// dropped; keys that have no string form are errors.
fn yaml_to_json(value: serde_yaml::Value, at: &str) -> Result<Value> {
    Ok(match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| anyhow!("{}: {f} has no JSON form", display_pointer(at)))?
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{at}/{i}")))
                .collect::<Result<_>>()?,
        ),
        serde_yaml::Value::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    serde_yaml::Value::String(s) => s,
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    serde_yaml::Value::Null => "null".to_owned(),
                    other => bail!(
                        "{}: mapping key {other:?} has no JSON form",
                        display_pointer(at)
                    ),
                };
                let child = format!("{at}/{}", escape_token(&key));
                out.insert(key, yaml_to_json(v, &child)?);
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

/// Escapes one JSON-pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer as shown to people: `#` plus the pointer, the same form a
/// `$ref` uses, so a location can be pasted into a `$ref` or a search.
pub fn display_pointer(pointer: &str) -> String {
    format!("#{pointer}")
}

/// Appends one token to a JSON pointer.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// The target of a local `$ref` (`#/components/...`), if it exists.
///
/// Only same-document references are supported; the Flows documents use no
/// others. Percent-encoding in the reference is decoded as RFC 6901 asks for
/// URI fragments.
pub fn lookup<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    let decoded = percent_decode(pointer)?;
    doc.pointer(&decoded)
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `$ref` string of `value`, if it is a reference object.
pub fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// A value with its `$ref` chain followed to the end.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// The value the chain ends at.
    pub value: &'a Value,
    /// The last reference followed, if any (`#/components/schemas/Foo`).
    pub reference: Option<String>,
}

/// Follows `value`'s `$ref` chain to a value that is not a reference.
/// Errors name the broken or circular reference.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Result<Resolved<'a>> {
    let mut current = value;
    let mut reference = None;
    let mut seen = HashSet::new();
    while let Some(r) = ref_of(current) {
        if !seen.insert(r.to_owned()) {
            bail!("circular $ref {r:?}");
        }
        current = lookup(doc, r).ok_or_else(|| anyhow!("$ref {r:?} does not resolve"))?;
        reference = Some(r.to_owned());
    }
    Ok(Resolved {
        value: current,
        reference,
    })
}

/// The HTTP methods an OpenAPI path item may hold, in the order people expect.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let value = parse_document("responses:\n  200: {description: ok}\n").unwrap();
        assert!(value.pointer("/responses/200/description").is_some());
    }

    #[test]
    fn json_is_parsed_as_json() {
        let value = parse_document("  {\"a\": [1, 2]}").unwrap();
        assert_eq!(value["a"][1], 2);
    }

    #[test]
    fn circular_refs_are_errors() {
        let doc = serde_json::json!({
            "a": {"$ref": "#/b"},
            "b": {"$ref": "#/a"},
        });
        let err = resolve(&doc, &doc["a"]).unwrap_err();
        assert!(err.to_string().contains("circular"), "{err}");
    }

    #[test]
    fn refs_with_escaped_tokens_resolve() {
        let doc = serde_json::json!({"paths": {"/v2/flows": {"get": 1}}});
        assert_eq!(
            lookup(&doc, "#/paths/~1v2~1flows/get"),
            Some(&Value::from(1))
        );
        assert_eq!(
            lookup(&doc, "#/paths/%7E1v2~1flows/get"),
            Some(&Value::from(1))
        );
        assert_eq!(lookup(&doc, "#/missing"), None);
        assert_eq!(lookup(&doc, "other.yaml#/a"), None);
    }
}
