//! `cargo xtask spec-check`: the house rules of `openapi/flows.yaml`.
//!
//! The spec is the single source of truth for the wire format, and the
//! documentation, the generated client and the typed mocks all come from it,
//! so it is held to rules a generic OpenAPI validator does not know:
//!
//! - it is valid OpenAPI 3.0 (parses as [`openapiv3::OpenAPI`], declares
//!   version 3.0.x, and every `$ref` resolves);
//! - every operation has an `operationId` (unique), a `summary` and a tag;
//! - every documented error status (4xx/5xx) answers with the shared
//!   `ErrorResponse` schema, directly or through a `$ref` response;
//! - every 429 declares an integer `Retry-After` header;
//! - every field (object property) has a description and an example, except a
//!   property that is just a `$ref`, whose target carries its own; every
//!   parameter has a description and an example;
//! - every example (on schemas, properties, parameters, headers and media
//!   types) validates against its schema;
//! - every `maxItems` is mirrored by an `x-max-items` extension of the same
//!   value, which the ergonomic crate reads to size its batches.
//!
//! All problems are collected, each with the JSON pointer of its location in
//! the same `#/…` form a `$ref` uses.

use crate::document::{self, METHODS, child, display_pointer, ref_of, resolve};
use anyhow::Result;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The schema every error answer must use.
pub const ERROR_SCHEMA_REF: &str = "#/components/schemas/ErrorResponse";

/// One violated rule, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer of the offending node, as `#/paths/~1v2~1flows/get`.
    pub location: String,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Checks the spec at `path` (YAML or JSON). An `Err` means the file could
/// not be read or is not YAML/JSON at all; rule violations come back as
/// problems, an empty list meaning the spec passes.
pub fn check_file(path: &Path) -> Result<Vec<Problem>> {
    Ok(check_document(&document::load_file(path)?))
}

/// Checks a spec given as text (YAML or JSON); see [`check_file`].
pub fn check_str(text: &str) -> Result<Vec<Problem>> {
    Ok(check_document(&document::parse_document(text)?))
}

/// Checks an already parsed spec and returns every problem, sorted by
/// location (problems at one location keep the order they were found in).
pub fn check_document(doc: &Value) -> Vec<Problem> {
    let mut checker = Checker {
        doc,
        problems: Vec::new(),
    };
    checker.run();
    let mut problems = checker.problems;
    problems.sort_by(|a, b| a.location.cmp(&b.location));
    problems
}

struct Checker<'a> {
    doc: &'a Value,
    problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    fn report(&mut self, pointer: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            location: display_pointer(pointer),
            message: message.into(),
        });
    }

    fn run(&mut self) {
        if !self.doc.is_object() {
            self.report(
                "",
                "the document is not an object, so not an OpenAPI document",
            );
            return;
        }
        self.check_version();
        if let Err(err) = serde_json::from_value::<openapiv3::OpenAPI>(self.doc.clone()) {
            self.report(
                "",
                format!("does not parse as an OpenAPI 3.0 document: {err}"),
            );
        }
        self.check_refs(self.doc, "");
        self.check_operations();
        self.check_components();
    }

    fn check_version(&mut self) {
        match self.doc.get("openapi") {
            Some(Value::String(v)) => {
                let mut parts = v.split('.');
                let ok = parts.next() == Some("3")
                    && parts.next() == Some("0")
                    && parts
                        .next()
                        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    && parts.next().is_none();
                if !ok {
                    self.report("/openapi", format!("version {v:?} is not 3.0.x"));
                }
            }
            _ => self.report("/openapi", "missing or not a string; expected 3.0.x"),
        }
    }

    /// Every `$ref` anywhere must be a string that resolves inside this
    /// document and does not loop.
    fn check_refs(&mut self, value: &'a Value, pointer: &str) {
        match value {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref") {
                    match r {
                        Value::String(_) => {
                            if let Err(err) = resolve(self.doc, value) {
                                self.report(pointer, err.to_string());
                            }
                        }
                        _ => self.report(pointer, "$ref is not a string"),
                    }
                }
                for (key, v) in map {
                    self.check_refs(v, &child(pointer, key));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    self.check_refs(v, &format!("{pointer}/{i}"));
                }
            }
            _ => {}
        }
    }

    fn check_operations(&mut self) {
        let Some(paths) = self.doc.get("paths") else {
            self.report("/paths", "missing");
            return;
        };
        let Some(paths) = paths.as_object() else {
            self.report("/paths", "not an object");
            return;
        };
        let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in paths {
            let item_ptr = child("/paths", path);
            // A path item may itself be a `$ref`; its target is then checked
            // where it is defined, so only local definitions count here.
            if ref_of(item).is_some() {
                continue;
            }
            self.check_parameter_list(item.get("parameters"), &child(&item_ptr, "parameters"));
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let op_ptr = child(&item_ptr, method);
                self.check_operation(op, &op_ptr, &mut operation_ids);
            }
        }
    }

    fn check_operation(
        &mut self,
        op: &'a Value,
        op_ptr: &str,
        operation_ids: &mut BTreeMap<String, String>,
    ) {
        if !op.is_object() {
            self.report(op_ptr, "operation is not an object");
            return;
        }
        match op.get("operationId").and_then(Value::as_str) {
            Some(id) if !id.trim().is_empty() => {
                if let Some(first) = operation_ids.get(id) {
                    self.report(
                        op_ptr,
                        format!("operationId {id:?} is also used by {first}"),
                    );
                } else {
                    operation_ids.insert(id.to_owned(), display_pointer(op_ptr));
                }
            }
            _ => self.report(op_ptr, "operation has no operationId"),
        }
        if !non_empty_str(op.get("summary")) {
            self.report(op_ptr, "operation has no summary");
        }
        let has_tag = op
            .get("tags")
            .and_then(Value::as_array)
            .is_some_and(|tags| tags.iter().any(|t| non_empty_str(Some(t))));
        if !has_tag {
            self.report(op_ptr, "operation has no tag");
        }
        self.check_parameter_list(op.get("parameters"), &child(op_ptr, "parameters"));
        if let Some(body) = op.get("requestBody")
            && ref_of(body).is_none()
        {
            self.check_content(body, &child(op_ptr, "requestBody"));
        }
        let responses_ptr = child(op_ptr, "responses");
        match op.get("responses").and_then(Value::as_object) {
            Some(responses) if !responses.is_empty() => {
                for (status, response) in responses {
                    let ptr = child(&responses_ptr, status);
                    if ref_of(response).is_none() {
                        self.check_response_definition(response, &ptr);
                    }
                    if is_error_status(status) {
                        self.check_error_response(response, &ptr);
                    }
                    if status == "429" {
                        self.check_retry_after(response, &ptr);
                    }
                }
            }
            _ => self.report(&responses_ptr, "operation declares no responses"),
        }
    }

    /// Definitions under `components`; references to them are checked at
    /// the definition only, so that a shared problem is reported once.
    fn check_components(&mut self) {
        let Some(components) = self.doc.get("components") else {
            return;
        };
        let section = |name: &'static str| -> Vec<(String, &'a Value)> {
            components
                .get(name)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(_, v)| ref_of(v).is_none())
                .map(|(k, v)| (child(&child("/components", name), k), v))
                .collect()
        };
        for (ptr, schema) in section("schemas") {
            self.check_schema(schema, &ptr);
        }
        for (ptr, parameter) in section("parameters") {
            self.check_parameter(parameter, &ptr);
        }
        for (ptr, header) in section("headers") {
            self.check_header(header, &ptr);
        }
        for (ptr, body) in section("requestBodies") {
            self.check_content(body, &ptr);
        }
        for (ptr, response) in section("responses") {
            self.check_response_definition(response, &ptr);
        }
    }

    fn check_parameter_list(&mut self, list: Option<&'a Value>, ptr: &str) {
        let Some(list) = list else { return };
        let Some(items) = list.as_array() else {
            self.report(ptr, "parameters is not a list");
            return;
        };
        for (i, parameter) in items.iter().enumerate() {
            if ref_of(parameter).is_none() {
                self.check_parameter(parameter, &format!("{ptr}/{i}"));
            }
        }
    }

    fn check_parameter(&mut self, parameter: &'a Value, ptr: &str) {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)");
        if !non_empty_str(parameter.get("description")) {
            self.report(ptr, format!("parameter {name:?} has no description"));
        }
        let schema = parameter.get("schema");
        let has_example = parameter.get("example").is_some()
            || parameter
                .get("examples")
                .and_then(Value::as_object)
                .is_some_and(|e| !e.is_empty())
            || schema.and_then(|s| s.get("example")).is_some();
        if !has_example {
            self.report(ptr, format!("parameter {name:?} has no example"));
        }
        self.check_example_holder(parameter, schema, ptr);
        if let Some(schema) = schema
            && ref_of(schema).is_none()
        {
            self.check_schema(schema, &child(ptr, "schema"));
        }
        self.check_content(parameter, ptr);
    }

    fn check_header(&mut self, header: &'a Value, ptr: &str) {
        let schema = header.get("schema");
        self.check_example_holder(header, schema, ptr);
        if let Some(schema) = schema
            && ref_of(schema).is_none()
        {
            self.check_schema(schema, &child(ptr, "schema"));
        }
    }

    /// A response defined here (not a `$ref`): its headers and content.
    fn check_response_definition(&mut self, response: &'a Value, ptr: &str) {
        if let Some(headers) = response.get("headers").and_then(Value::as_object) {
            for (name, header) in headers {
                if ref_of(header).is_none() {
                    self.check_header(header, &child(&child(ptr, "headers"), name));
                }
            }
        }
        self.check_content(response, ptr);
    }

    /// The `content` map of a request body, response or parameter: each
    /// media type's inline schema and examples.
    fn check_content(&mut self, holder: &'a Value, ptr: &str) {
        let Some(content) = holder.get("content").and_then(Value::as_object) else {
            return;
        };
        let content_ptr = child(ptr, "content");
        for (media_type, media) in content {
            let media_ptr = child(&content_ptr, media_type);
            let schema = media.get("schema");
            self.check_example_holder(media, schema, &media_ptr);
            if let Some(schema) = schema
                && ref_of(schema).is_none()
            {
                self.check_schema(schema, &child(&media_ptr, "schema"));
            }
        }
    }

    /// Validates the `example` and `examples` of a parameter, header or
    /// media type against its schema.
    fn check_example_holder(&mut self, holder: &'a Value, schema: Option<&'a Value>, ptr: &str) {
        let Some(schema) = schema else { return };
        if let Some(example) = holder.get("example") {
            self.check_example(example, schema, &child(ptr, "example"));
        }
        if let Some(examples) = holder.get("examples").and_then(Value::as_object) {
            for (name, example) in examples {
                // A named example may be a `$ref` to components/examples.
                let Ok(example) = resolve(self.doc, example) else {
                    continue;
                };
                if let Some(value) = example.value.get("value") {
                    let at = child(&child(&child(ptr, "examples"), name), "value");
                    self.check_example(value, schema, &at);
                }
            }
        }
    }

    fn check_example(&mut self, example: &Value, schema: &Value, ptr: &str) {
        let mut errors = Vec::new();
        Validator { doc: self.doc }.validate(example, schema, "", &mut errors);
        for error in errors {
            self.report(ptr, format!("example does not match its schema: {error}"));
        }
    }

    /// A schema defined at `ptr` (not a `$ref`), and every schema nested in it.
    fn check_schema(&mut self, schema: &'a Value, ptr: &str) {
        let Some(map) = schema.as_object() else {
            // `additionalProperties: true` and the like are not schemas to check.
            if !schema.is_boolean() {
                self.report(ptr, "schema is not an object");
            }
            return;
        };
        if let Some(example) = map.get("example") {
            self.check_example(example, schema, &child(ptr, "example"));
        }
        self.check_max_items(map, ptr);
        let properties_ptr = child(ptr, "properties");
        match map.get("properties") {
            None => {}
            Some(Value::Object(properties)) => self.check_properties(properties, &properties_ptr),
            Some(_) => self.report(&properties_ptr, "properties is not an object"),
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(sub) = map.get(key)
                && ref_of(sub).is_none()
            {
                self.check_schema(sub, &child(ptr, key));
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(list) = map.get(key).and_then(Value::as_array) {
                for (i, sub) in list.iter().enumerate() {
                    if ref_of(sub).is_none() {
                        self.check_schema(sub, &format!("{}/{i}", child(ptr, key)));
                    }
                }
            }
        }
    }

    /// Every field is documented: a description and an example, unless it
    /// is a bare `$ref` whose target carries its own.
    fn check_properties(&mut self, properties: &'a serde_json::Map<String, Value>, ptr: &str) {
        for (name, property) in properties {
            let property_ptr = child(ptr, name);
            if ref_of(property).is_some() {
                continue;
            }
            if !non_empty_str(property.get("description")) {
                self.report(&property_ptr, format!("field {name:?} has no description"));
            }
            if property.get("example").is_none() {
                self.report(&property_ptr, format!("field {name:?} has no example"));
            }
            self.check_schema(property, &property_ptr);
        }
    }

    /// `maxItems` and `x-max-items` come in pairs with equal values: the
    /// first is standard, the second is what the ergonomic crate reads.
    fn check_max_items(&mut self, map: &serde_json::Map<String, Value>, ptr: &str) {
        let max = map.get("maxItems");
        let ext = map.get("x-max-items");
        for (key, value) in [("maxItems", max), ("x-max-items", ext)] {
            if let Some(v) = value
                && v.as_u64().is_none()
            {
                self.report(
                    &child(ptr, key),
                    format!("{key} {v} is not a non-negative integer"),
                );
            }
        }
        match (max.and_then(Value::as_u64), ext.and_then(Value::as_u64)) {
            (Some(m), None) if ext.is_none() => self.report(
                ptr,
                format!("maxItems {m} has no matching x-max-items extension"),
            ),
            (None, Some(e)) if max.is_none() => {
                self.report(ptr, format!("x-max-items {e} has no matching maxItems"))
            }
            (Some(m), Some(e)) if m != e => {
                self.report(ptr, format!("x-max-items {e} differs from maxItems {m}"))
            }
            _ => {}
        }
    }

    /// An error status answers with `ErrorResponse` in every media type.
    fn check_error_response(&mut self, response: &'a Value, ptr: &str) {
        let Ok(resolved) = resolve(self.doc, response) else {
            return; // reported by the `$ref` check
        };
        let via = resolved
            .reference
            .as_deref()
            .map(|r| format!(" (via {r})"))
            .unwrap_or_default();
        let content = resolved.value.get("content").and_then(Value::as_object);
        let Some(content) = content.filter(|c| !c.is_empty()) else {
            self.report(
                ptr,
                format!("error status declares no body{via}; it must use {ERROR_SCHEMA_REF}"),
            );
            return;
        };
        for (media_type, media) in content {
            let uses_error_schema = media
                .get("schema")
                .and_then(|s| resolve(self.doc, s).ok())
                .is_some_and(|s| s.reference.as_deref() == Some(ERROR_SCHEMA_REF));
            if !uses_error_schema {
                self.report(
                    ptr,
                    format!(
                        "error status body ({media_type}){via} does not use {ERROR_SCHEMA_REF}"
                    ),
                );
            }
        }
    }

    /// A 429 tells the client how long to wait, in whole seconds.
    fn check_retry_after(&mut self, response: &'a Value, ptr: &str) {
        let Ok(resolved) = resolve(self.doc, response) else {
            return;
        };
        let header = resolved
            .value
            .get("headers")
            .and_then(Value::as_object)
            .and_then(|h| {
                h.iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("Retry-After"))
                    .map(|(_, v)| v)
            });
        let Some(header) = header else {
            self.report(ptr, "429 declares no Retry-After header");
            return;
        };
        let schema = resolve(self.doc, header)
            .ok()
            .and_then(|h| h.value.get("schema"))
            .and_then(|s| resolve(self.doc, s).ok());
        let ty = schema
            .as_ref()
            .and_then(|s| s.value.get("type"))
            .and_then(Value::as_str);
        if ty != Some("integer") {
            self.report(
                ptr,
                format!(
                    "429's Retry-After header is not declared as an integer (type: {})",
                    ty.unwrap_or("none")
                ),
            );
        }
    }
}

fn non_empty_str(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

/// `4xx`/`5xx` status codes, including the `4XX` range form.
fn is_error_status(status: &str) -> bool {
    status.len() == 3 && (status.starts_with('4') || status.starts_with('5'))
}

/// Keywords that constrain values but that [`Validator`] does not implement.
/// An example checked against a schema using one is reported as uncheckable
/// rather than silently passed.
const UNSUPPORTED_KEYWORDS: [&str; 16] = [
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "pattern",
    "minLength",
    "maxLength",
    "minItems",
    "minProperties",
    "maxProperties",
    "discriminator",
];

/// Validates example values against the subset of JSON Schema the spec uses:
/// `type`, `format` (int32/int64), `enum`, `items`, `required`, `properties`,
/// `additionalProperties`, `uniqueItems`, `maxItems` and `nullable`.
///
/// One deliberate strictness beyond JSON Schema: unless a schema states
/// `additionalProperties`, an example may only use the properties the schema
/// declares. No object in the spec forbids extra fields on the wire, but an
/// undeclared name in an example is a typo far more often than a feature.
struct Validator<'a> {
    doc: &'a Value,
}

impl Validator<'_> {
    fn validate(&self, value: &Value, schema: &Value, at: &str, errors: &mut Vec<String>) {
        let here = if at.is_empty() { "the example" } else { at };
        let schema = match resolve(self.doc, schema) {
            Ok(s) => s.value,
            Err(err) => {
                errors.push(format!("{here}: cannot check: {err}"));
                return;
            }
        };
        let Some(map) = schema.as_object() else {
            if schema == &Value::Bool(false) {
                errors.push(format!("{here}: no value is allowed here"));
            }
            return;
        };
        let unsupported: Vec<&str> = UNSUPPORTED_KEYWORDS
            .iter()
            .copied()
            .filter(|k| map.contains_key(*k))
            .collect();
        if !unsupported.is_empty() {
            errors.push(format!(
                "{here}: cannot check: the example validator does not support {} \
                 (extend xtask/src/spec_check.rs)",
                unsupported.join(", ")
            ));
            return;
        }
        if value.is_null() && map.get("nullable") == Some(&Value::Bool(true)) {
            return;
        }
        if let Some(ty) = map.get("type") {
            let Some(ty) = ty.as_str() else {
                errors.push(format!("{here}: cannot check: type {ty} is not a string"));
                return;
            };
            if !self.check_type(value, ty, map.get("format"), here, errors) {
                return;
            }
        }
        if let Some(allowed) = map.get("enum") {
            match allowed.as_array() {
                Some(allowed) if allowed.contains(value) => {}
                Some(allowed) => errors.push(format!(
                    "{here}: {} is not one of {}",
                    short(value),
                    short(&Value::Array(allowed.clone()))
                )),
                None => errors.push(format!("{here}: cannot check: enum is not a list")),
            }
        }
        if let Some(items) = value.as_array() {
            self.check_array(items, map, at, here, errors);
        }
        if let Some(object) = value.as_object() {
            self.check_object(object, map, at, here, errors);
        }
    }

    /// Whether `value` has type `ty` (and format); reports when it does not.
    fn check_type(
        &self,
        value: &Value,
        ty: &str,
        format: Option<&Value>,
        here: &str,
        errors: &mut Vec<String>,
    ) -> bool {
        let ok = match ty {
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            "integer" => integer_value(value).is_some(),
            other => {
                errors.push(format!("{here}: cannot check: unknown type {other:?}"));
                return false;
            }
        };
        if !ok {
            errors.push(format!("{here}: {} is not of type {ty}", short(value)));
            return false;
        }
        if ty == "integer"
            && let Some(n) = integer_value(value)
        {
            let range = match format.and_then(Value::as_str) {
                Some("int32") => Some((i128::from(i32::MIN), i128::from(i32::MAX))),
                Some("int64") => Some((i128::from(i64::MIN), i128::from(i64::MAX))),
                _ => None,
            };
            if let Some((lo, hi)) = range
                && !(lo..=hi).contains(&n)
            {
                let format = format.and_then(Value::as_str).unwrap_or_default();
                errors.push(format!("{here}: {n} does not fit format {format}"));
                return false;
            }
        }
        true
    }

    fn check_array(
        &self,
        items: &[Value],
        map: &serde_json::Map<String, Value>,
        at: &str,
        here: &str,
        errors: &mut Vec<String>,
    ) {
        if let Some(max) = map.get("maxItems").and_then(Value::as_u64)
            && items.len() as u64 > max
        {
            errors.push(format!(
                "{here}: {} items are more than maxItems {max}",
                items.len()
            ));
        }
        if map.get("uniqueItems") == Some(&Value::Bool(true)) {
            for (i, item) in items.iter().enumerate() {
                if items[..i].contains(item) {
                    errors.push(format!(
                        "{here}: item {i} ({}) repeats an earlier item, but uniqueItems is true",
                        short(item)
                    ));
                }
            }
        }
        if let Some(item_schema) = map.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.validate(item, item_schema, &format!("{at}/{i}"), errors);
            }
        }
    }

    fn check_object(
        &self,
        object: &serde_json::Map<String, Value>,
        map: &serde_json::Map<String, Value>,
        at: &str,
        here: &str,
        errors: &mut Vec<String>,
    ) {
        if let Some(required) = map.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(name) {
                    errors.push(format!("{here}: required field {name:?} is missing"));
                }
            }
        }
        let properties = map.get("properties").and_then(Value::as_object);
        let additional = map.get("additionalProperties");
        for (name, field) in object {
            let field_at = child(at, name);
            match (properties.and_then(|p| p.get(name)), additional) {
                (Some(field_schema), _) => self.validate(field, field_schema, &field_at, errors),
                (None, Some(Value::Bool(true))) => {}
                (None, Some(extra)) if extra.is_object() => {
                    self.validate(field, extra, &field_at, errors)
                }
                (None, _) if properties.is_some() || additional.is_some() => errors.push(format!(
                    "{here}: field {name:?} is not declared by the schema"
                )),
                (None, _) => {}
            }
        }
    }
}

/// The value of an integer, also when written as `3.0`.
fn integer_value(value: &Value) -> Option<i128> {
    let n = value.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    let f = n.as_f64()?;
    // Beyond 2^63 the float cannot be an exact int64 anyway; clamping keeps
    // the cast defined and the range check then rejects it.
    (f.fract() == 0.0).then(|| f.clamp(-1e20, 1e20) as i128)
}

/// A value rendered for a message, cut short when long.
fn short(value: &Value) -> String {
    const MAX: usize = 60;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}
