//! `cargo xtask codegen`: the generated client and typed mocks, from the spec.
//!
//! Three files come out of `openapi/flows.yaml`:
//! - `crates/gong-flows-api/src/generated.rs`: progenitor's Builder-style
//!   client and its types;
//! - `crates/gong-flows-api/src/spec_constants.rs`: the spec's facts that
//!   other crates need as values, written here: the `operationId`s
//!   (`operation_ids`) and the per-request item limits of the request
//!   bodies (`limits`, from `x-max-items`), so the SDK, the simulator and
//!   the tests read them from the spec instead of copying them;
//! - `crates/gong-flows-httpmock/src/generated.rs`: progenitor's typed
//!   `httpmock` extension for the same operations.
//!
//! ## Tolerant enums
//! Gong adds enum values without warning (`flowInstanceStatus` grew from three
//! values to six), and a strict enum would fail a whole response because of
//! one new status. Every string enum of the spec is a named schema; the
//! generator is told to *replace* each with a type we emit here, into the
//! generated `types` module, that has one variant per documented value plus
//! `Unknown(String)`, which keeps the value as sent and writes it back
//! unchanged. The values come from the spec alone, so adding one to the spec
//! and regenerating is all a new value needs. Unknown object fields need no
//! help: no schema in the spec forbids additional properties, and the
//! generated types do not deny unknown fields.

use anyhow::{Context, Result, bail};
use heck::{ToShoutySnakeCase, ToUpperCamelCase};
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, StringType, Type};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::{format_ident, quote};
use std::path::{Path, PathBuf};

/// The command that regenerates the files, named in their header.
pub const REGENERATE: &str = "cargo xtask codegen";

/// One generated file: where it goes and what it must contain.
#[derive(Debug)]
pub struct GeneratedFile {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// Full contents, header included.
    pub contents: String,
}

/// A string enum of the spec, emitted as an open enum.
#[derive(Debug, Clone)]
struct OpenEnum {
    name: String,
    description: Option<String>,
    values: Vec<String>,
}

/// Parses the spec at `path`.
pub fn load_spec(path: &Path) -> Result<OpenAPI> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_yaml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Renders both generated files from the spec at `spec_path`, in memory.
pub fn generate(spec_path: &Path) -> Result<Vec<GeneratedFile>> {
    let spec = load_spec(spec_path)?;
    let enums = open_enums(&spec)?;

    let client = {
        let mut generator = Generator::new(&settings(&enums));
        let tokens = generator
            .generate_tokens(&spec)
            .map_err(|e| anyhow::anyhow!("progenitor: {e}"))?;
        let mut file: syn::File = syn::parse2(tokens).context("parsing generated client")?;
        insert_open_enums(&mut file, &enums)?;
        render(&file)?
    };
    let mocks = {
        let mut generator = Generator::new(&settings(&enums));
        let tokens = generator
            .httpmock(&spec, "gong_flows_api")
            .map_err(|e| anyhow::anyhow!("progenitor httpmock: {e}"))?;
        let file: syn::File = syn::parse2(tokens).context("parsing generated mocks")?;
        render(&file)?
    };

    let constants = render(&syn::parse2(spec_constants(&spec)?).context("parsing constants")?)?;

    Ok(vec![
        GeneratedFile {
            path: PathBuf::from("crates/gong-flows-api/src/generated.rs"),
            contents: client,
        },
        GeneratedFile {
            path: PathBuf::from("crates/gong-flows-api/src/spec_constants.rs"),
            contents: constants,
        },
        GeneratedFile {
            path: PathBuf::from("crates/gong-flows-httpmock/src/generated.rs"),
            contents: mocks,
        },
    ])
}

/// Writes the generated files under `root`; returns the paths that changed.
pub fn write(root: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != file.contents {
            std::fs::write(&path, &file.contents)
                .with_context(|| format!("writing {}", path.display()))?;
            changed.push(file.path.clone());
        }
    }
    Ok(changed)
}

/// Compares the generated files with those under `root`. Returns one unified
/// diff per stale file; empty when everything is up to date.
pub fn check(root: &Path, files: &[GeneratedFile]) -> Vec<String> {
    files
        .iter()
        .filter_map(|file| {
            let path = root.join(&file.path);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            (current != file.contents).then(|| {
                let name = file.path.display().to_string();
                similar::TextDiff::from_lines(&current, &file.contents)
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("a/{name} (committed)"),
                        &format!("b/{name} (from spec)"),
                    )
                    .to_string()
            })
        })
        .collect()
}

fn settings(enums: &[OpenEnum]) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        // Per-call headers and a response size limit, applied by the
        // hand-written hooks in crates/gong-flows-api/src/hooks.rs.
        .with_inner_type(quote!(crate::RequestSettings))
        .with_hooks(HooksMode::Expected);
    for e in enums {
        settings.with_replacement(
            &e.name,
            format!("crate::types::{}", e.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Every component schema that is a string with an `enum` list.
fn open_enums(spec: &OpenAPI) -> Result<Vec<OpenEnum>> {
    let Some(components) = &spec.components else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        if let SchemaKind::Type(Type::String(StringType { enumeration, .. })) = &schema.schema_kind
        {
            if enumeration.is_empty() {
                continue;
            }
            let values = enumeration
                .iter()
                .map(|v| {
                    v.clone()
                        .with_context(|| format!("{name}: null enum value"))
                })
                .collect::<Result<Vec<_>>>()?;
            out.push(OpenEnum {
                name: name.clone(),
                description: schema.schema_data.description.clone(),
                values,
            });
        }
    }
    Ok(out)
}

fn insert_open_enums(file: &mut syn::File, enums: &[OpenEnum]) -> Result<()> {
    let types = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut(),
            _ => None,
        })
        .context("generated client has no `types` module")?;
    for e in enums {
        let tokens = open_enum_tokens(e)?;
        let parsed: syn::File = syn::parse2(tokens).context("parsing open enum")?;
        types.1.extend(parsed.items);
    }
    Ok(())
}

fn open_enum_tokens(e: &OpenEnum) -> Result<TokenStream> {
    let name = format_ident!("{}", e.name);
    let variants = e
        .values
        .iter()
        .map(|v| {
            let ident = v.to_upper_camel_case();
            if ident.is_empty() || ident == "Unknown" || !ident.starts_with(char::is_alphabetic) {
                bail!("{}: enum value {v:?} has no usable variant name", e.name);
            }
            Ok(format_ident!("{}", ident))
        })
        .collect::<Result<Vec<_>>>()?;
    let values = &e.values;
    let variant_docs = values.iter().map(|v| format!("`{v}`"));
    let doc = format!(
        "{}\n\nAn open enum: a value this version does not know decodes as \
         [`{}::Unknown`] and is written back as it came.",
        e.description.as_deref().unwrap_or(&e.name).trim(),
        e.name
    );
    let schema_name = &e.name;
    let schema_description = e.description.clone().unwrap_or_default();
    Ok(quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            /// A value this version does not know, kept as the service sent it.
            Unknown(::std::string::String),
        }

        impl #name {
            /// Every value the spec documents, in the spec's order.
            pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether this value is one the spec does not document.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#values => Self::#variants,)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                ::std::string::String::deserialize(deserializer).map(Self::from)
            }
        }

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::string::String {
                #schema_name.to_owned()
            }

            fn json_schema(
                _: &mut ::schemars::r#gen::SchemaGenerator,
            ) -> ::schemars::schema::Schema {
                ::schemars::schema::SchemaObject {
                    metadata: Some(Box::new(::schemars::schema::Metadata {
                        description: Some(#schema_description.to_owned()),
                        ..Default::default()
                    })),
                    instance_type: Some(::schemars::schema::InstanceType::String.into()),
                    enum_values: Some(vec![#(#values.into()),*]),
                    ..Default::default()
                }
                .into()
            }
        }
    })
}

/// One operation of the spec, in the spec's order.
struct SpecOperation<'a> {
    id: &'a str,
    method: &'a str,
    path: &'a str,
    operation: &'a openapiv3::Operation,
}

/// Every operation, in the order of `paths` and, within a path, of
/// [`openapiv3::PathItem::iter`]. Each needs an `operationId`.
fn spec_operations(spec: &OpenAPI) -> Result<Vec<SpecOperation<'_>>> {
    let mut out = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            bail!("{path}: path items by reference are not supported");
        };
        for (method, operation) in item.iter() {
            let id = operation
                .operation_id
                .as_deref()
                .with_context(|| format!("{} {path} has no operationId", method.to_uppercase()))?;
            out.push(SpecOperation {
                id,
                method,
                path,
                operation,
            });
        }
    }
    Ok(out)
}

/// Follows a schema reference (`#/components/schemas/…`).
fn schema_by_ref<'a>(spec: &'a OpenAPI, reference: &str) -> Result<&'a Schema> {
    let name = reference
        .strip_prefix("#/components/schemas/")
        .with_context(|| format!("unsupported schema reference {reference}"))?;
    match spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
        Some(ReferenceOr::Item(schema)) => Ok(schema),
        Some(ReferenceOr::Reference { reference: next }) => {
            bail!("{reference} refers on to {next}: chained references are not supported")
        }
        None => bail!("{reference} does not resolve"),
    }
}

/// The JSON request body schema of an operation, if it has one.
fn request_schema<'a>(
    spec: &'a OpenAPI,
    operation: &'a openapiv3::Operation,
) -> Result<Option<&'a Schema>> {
    let Some(body) = &operation.request_body else {
        return Ok(None);
    };
    let ReferenceOr::Item(body) = body else {
        bail!("request bodies by reference are not supported");
    };
    match body
        .content
        .get("application/json")
        .and_then(|media| media.schema.as_ref())
    {
        Some(ReferenceOr::Item(schema)) => Ok(Some(schema)),
        Some(ReferenceOr::Reference { reference }) => schema_by_ref(spec, reference).map(Some),
        None => Ok(None),
    }
}

/// `operation_ids` and `limits`: the facts of the spec other crates use as
/// values.
fn spec_constants(spec: &OpenAPI) -> Result<TokenStream> {
    let operations = spec_operations(spec)?;
    let mut id_items = Vec::new();
    let mut id_names = Vec::new();
    let mut limit_items = Vec::new();
    for op in &operations {
        let name = format_ident!("{}", op.id.to_shouty_snake_case());
        let id = op.id;
        let doc = format!(
            "`{} {}`: {}.",
            op.method.to_uppercase(),
            op.path,
            op.operation
                .summary
                .as_deref()
                .unwrap_or(op.id)
                .trim_end_matches('.')
        );
        id_items.push(quote! {
            #[doc = #doc]
            pub const #name: &str = #id;
        });
        id_names.push(name);

        let Some(body) = request_schema(spec, op.operation)? else {
            continue;
        };
        let SchemaKind::Type(Type::Object(object)) = &body.schema_kind else {
            continue;
        };
        for (field, property) in &object.properties {
            let property = match property {
                ReferenceOr::Item(schema) => schema.as_ref(),
                ReferenceOr::Reference { reference } => schema_by_ref(spec, reference)?,
            };
            let Some(limit) = property.schema_data.extensions.get("x-max-items") else {
                continue;
            };
            let limit = limit
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .with_context(|| format!("{}: x-max-items of `{field}` is not a count", op.id))?;
            let name = format_ident!(
                "{}_{}",
                op.id.to_shouty_snake_case(),
                field.to_shouty_snake_case()
            );
            let doc = format!(
                "At most {limit} items in `{field}` per `{}` request.",
                op.id
            );
            let limit = proc_macro2::Literal::usize_unsuffixed(limit);
            limit_items.push(quote! {
                #[doc = #doc]
                pub const #name: usize = #limit;
            });
        }
    }
    let count = proc_macro2::Literal::usize_unsuffixed(id_names.len());
    Ok(quote! {
        /// The `operationId` of every operation in `openapi/flows.yaml`: the
        /// names operations go by in errors, logs, reports and fault specs.
        pub mod operation_ids {
            #(#id_items)*

            /// Every `operationId`, in the spec's order.
            pub const ALL: [&str; #count] = [#(#id_names),*];
        }

        /// Per-request item limits of the request bodies, from the spec's
        /// `x-max-items` (which mirrors `maxItems`), named
        /// `<OPERATION>_<FIELD>`: larger lists must be split across calls.
        pub mod limits {
            #(#limit_items)*
        }
    })
}

fn render(file: &syn::File) -> Result<String> {
    let body = prettyplease::unparse(file);
    Ok(format!(
        "// This file is generated from openapi/flows.yaml by `{REGENERATE}`.\n\
         // Do not edit it by hand: change the spec (or the generator settings in\n\
         // xtask/src/codegen.rs) and run `{REGENERATE}` again.\n\n{body}"
    ))
}
