//! The ten operations: decode the request into the generated request type,
//! apply it to the world, and encode the generated response type.

use std::any::TypeId;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use gong_flows_api::types::{
    AssignFlowRequestV2, AssignFlowResponse, AssignedFlowFailure,
    FlowProspectsBulkAssignmentRequest, FlowStepsRequest, FlowStepsResponse, FlowsFoldersResponse,
    FlowsResponse, ProspectsAssignedFlowsRequestV2, ProspectsFlowsResponse, PublicApiAssignedFlow,
    PublicApiFlow, PublicApiFlowFolder, Records, UnassignFlowsRequest, UnassignFlowsResponse,
    UnassignProspectFlowsRequest,
};
use http::StatusCode;
use http::request::Parts;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::server::{Reply, Shared};
use crate::state::{AssignItem, InstanceView, Refusal};
use crate::util::{
    CursorError, FastSet, decode_cursor, encode_cursor, fnv1a, iso8601_millis, lock, parse_query,
};
use crate::{Endpoint, FoldersShape};

// Gong's documented per-request limits, from the spec's `x-max-items`
// (Gong's reference pages; its 2026 document says 100 for assign, but the
// product and its users batch at 200). The cool-off variant takes the same
// body as assign, so the same limit.
use gong_flows_api::limits::{
    ASSIGN_PROSPECTS_CRM_PROSPECTS_IDS as MAX_ASSIGN_IDS,
    GET_FLOW_STEPS_FLOW_IDS as MAX_STEP_FLOWS,
    SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT_PROSPECTS as MAX_BULK_PROSPECTS,
    UNASSIGN_FLOWS_FLOW_INSTANCE_IDS as MAX_UNASSIGN_IDS,
};

/// Runs one admitted, authorised call.
pub(crate) fn dispatch(
    shared: &Arc<Shared>,
    op: Endpoint,
    parts: &Parts,
    body: &[u8],
    path_id: Option<String>,
    request_id: &str,
) -> Reply {
    let query = parts.uri.query().unwrap_or("");
    let result = match op {
        Endpoint::ListFlows => list_flows(shared, query, request_id),
        Endpoint::ListFlowsFolders => list_folders(shared, query, request_id),
        Endpoint::GetProspectsAssignedFlows => prospects_flows(shared, body, request_id),
        Endpoint::AssignProspects | Endpoint::AssignProspectsCoolOffOverrides => {
            // No cool-off period is simulated, so the deprecated endpoint
            // behaves exactly like assign.
            assign(shared, body, request_id)
        }
        Endpoint::UnassignProspectFlows => unassign_by_crm(shared, body, request_id),
        Endpoint::UnassignFlows => unassign_by_instance(shared, body, request_id),
        Endpoint::GetFlowSteps => flow_steps(shared, body, request_id),
        Endpoint::SubmitFlowProspectsBulkAssignment => submit_bulk(shared, body, request_id),
        Endpoint::GetFlowProspectsBulkAssignment => {
            bulk_status(shared, path_id.as_deref().unwrap_or(""), request_id)
        }
    };
    result.unwrap_or_else(|error| Reply::error(error.status, request_id, error.message))
}

/// Decodes a body into a generated request type: malformed JSON, missing
/// required fields, wrong types and `null` values are 400s, as with Gong's
/// JSON binding and bean validation.
fn decode<T: DeserializeOwned + JsonSchema + 'static>(body: &[u8]) -> Result<T, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::bad_request("Required request body is missing"));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| Refusal::bad_request(format!("JSON parse error: {error}")))?;
    if value.is_null() {
        // A literal `null` body binds to no object at all.
        return Err(Refusal::bad_request("Required request body is missing"));
    }
    // serde is more lenient than the spec in two ways a JSON binding like
    // Gong's is not: it reads `null` in an optional field as "absent" (no
    // request field of the spec is nullable), and it fills a struct from an
    // array, by position. A client that came to rely on either would depend
    // on behaviour Gong does not document.
    let schema = schema_of::<T>();
    let mut path = String::new();
    if let Some(problem) = violation(&value, &schema, &schema, &mut path) {
        let at = if path.is_empty() {
            "request body"
        } else {
            &path
        };
        return Err(Refusal::bad_request(format!("{at}: {problem}")));
    }
    T::deserialize(&value)
        .map_err(|error| Refusal::bad_request(format!("JSON parse error: {error}")))
}

/// The JSON schema of a generated request type, built once per type.
fn schema_of<T: JsonSchema + 'static>() -> Arc<Value> {
    static SCHEMAS: OnceLock<Mutex<HashMap<TypeId, Arc<Value>>>> = OnceLock::new();
    let schemas = SCHEMAS.get_or_init(Mutex::default);
    Arc::clone(lock(schemas).entry(TypeId::of::<T>()).or_insert_with(|| {
        Arc::new(serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default())
    }))
}

/// The object or array schema `schema` stands for: follows `$ref`s (into
/// `root`) and looks through the `anyOf`/`allOf`/`oneOf` wrappers schemars
/// puts around optional fields.
fn structural<'a>(schema: &'a Value, root: &'a Value) -> Option<&'a Value> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = root.pointer(reference.strip_prefix('#')?)?;
        return structural(target, root);
    }
    if schema.get("properties").is_some() || schema.get("items").is_some() {
        return Some(schema);
    }
    ["anyOf", "allOf", "oneOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .find_map(|sub| structural(sub, root))
}

/// What serde would accept but the spec does not: a `null` where `schema`
/// declares a field or an item, or an array where it declares an object.
/// Fields the spec does not declare are ignored, whatever they hold. On a
/// finding, `path` names its place in bean-validation style
/// (`prospects[0].companyName`).
fn violation(
    value: &Value,
    schema: &Value,
    root: &Value,
    path: &mut String,
) -> Option<&'static str> {
    let schema = structural(schema, root)?;
    let len = path.len();
    if let Some(properties) = schema.get("properties") {
        let fields = match value {
            Value::Object(fields) => fields,
            Value::Array(_) => return Some("must be an object"),
            // Scalars: serde's own type error says it.
            _ => return None,
        };
        for (key, field) in fields {
            let Some(field_schema) = properties.get(key) else {
                continue;
            };
            if len > 0 {
                path.push('.');
            }
            path.push_str(key);
            if field.is_null() {
                return Some("must not be null");
            }
            if let Some(problem) = violation(field, field_schema, root, path) {
                return Some(problem);
            }
            path.truncate(len);
        }
    } else if let (Some(item_schema), Value::Array(items)) = (schema.get("items"), value) {
        for (index, item) in items.iter().enumerate() {
            path.push_str(&format!("[{index}]"));
            if item.is_null() {
                return Some("must not be null");
            }
            if let Some(problem) = violation(item, item_schema, root, path) {
                return Some(problem);
            }
            path.truncate(len);
        }
    }
    None
}

/// The spec declares these id lists `uniqueItems`; a repeated id is refused
/// like any other validation error, in the wording of bean validation's
/// `@UniqueElements`, rather than silently collapsed: a client that sends a
/// repeat has lost track of its ids, and Gong documents no deduplication.
fn unique(field: &str, ids: &[String]) -> Result<(), Refusal> {
    let mut seen = FastSet::default();
    seen.reserve(ids.len());
    if ids.iter().all(|id| seen.insert(id.as_str())) {
        Ok(())
    } else {
        Err(Refusal::bad_request(format!(
            "{field}: must only contain unique elements"
        )))
    }
}

/// Encodes a generated response type. The generated types skip empty
/// arrays when serialising, but Gong sends them (`"flows":[]`,
/// `"prospectsAssigned":[]`), so the named keys whose arrays are empty are
/// appended to the serialised object. Splicing the bytes keeps a 200-item
/// answer from taking a detour through `serde_json::Value`.
fn encode<T: Serialize>(
    status: StatusCode,
    value: &T,
    arrays: &[(&str, bool)],
) -> Result<Reply, Refusal> {
    let mut bytes = serde_json::to_vec(value).map_err(|error| Refusal {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        message: format!("cannot encode the answer: {error}"),
    })?;
    for (key, empty) in arrays {
        if *empty && bytes.last() == Some(&b'}') {
            bytes.pop();
            if bytes.len() > 1 {
                bytes.push(b',');
            }
            bytes.push(b'"');
            bytes.extend_from_slice(key.as_bytes());
            bytes.extend_from_slice(b"\":[]}");
        }
    }
    Ok(Reply::json(status, bytes))
}

fn too_many(field: &str, max: usize) -> Refusal {
    // The wording of Java bean validation, which Gong's errors resemble.
    Refusal::bad_request(format!("{field}: size must be between 0 and {max}"))
}

fn query_value<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.is_empty())
}

fn required_param<'a>(query: &'a [(String, String)], name: &str) -> Result<&'a str, Refusal> {
    query_value(query, name).ok_or_else(|| {
        Refusal::bad_request(format!(
            "Required request parameter '{name}' for method parameter type String is not present"
        ))
    })
}

/// The page offset from the `cursor` parameter (0 without one).
fn page_offset(query: &[(String, String)], inputs_hash: u64) -> Result<usize, Refusal> {
    match query_value(query, "cursor") {
        None => Ok(0),
        Some(cursor) => decode_cursor(cursor, inputs_hash).map_err(|error| match error {
            CursorError::Malformed => Refusal::bad_request("Invalid cursor"),
            CursorError::Mismatch => Refusal::bad_request(
                "The cursor does not match the other request parameters; pass them unchanged",
            ),
        }),
    }
}

/// `records`: a cursor only while more pages remain; an empty result is
/// `{"totalRecords":0,"currentPageSize":0,"currentPageNumber":0}` (recorded).
fn records(
    total: usize,
    offset: usize,
    count: usize,
    page_size: usize,
    inputs_hash: u64,
) -> Records {
    let int = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    if total == 0 {
        return Records {
            total_records: Some(0),
            current_page_size: Some(0),
            current_page_number: Some(0),
            cursor: None,
        };
    }
    let next = offset + count;
    Records {
        total_records: Some(int(total)),
        current_page_size: Some(int(count)),
        current_page_number: Some(int(offset / page_size)),
        cursor: (count > 0 && next < total).then(|| encode_cursor(next, inputs_hash)),
    }
}

fn list_flows(shared: &Shared, query: &str, request_id: &str) -> Result<Reply, Refusal> {
    let query = parse_query(query);
    let email = required_param(&query, "flowOwnerEmail")?;
    let workspace = query_value(&query, "workspaceId");
    let folder = query_value(&query, "folderId");
    let most_recent = match query_value(&query, "mostRecentlyAssigned") {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(v) => {
            return Err(Refusal::bad_request(format!(
                "Invalid value '{v}' for parameter 'mostRecentlyAssigned' (expected true or false)"
            )));
        }
    };
    let hash = fnv1a(&[
        gong_flows_api::operation_ids::LIST_FLOWS,
        &email.to_ascii_lowercase(),
        workspace.unwrap_or("\u{0}"),
        folder.unwrap_or("\u{0}"),
        if most_recent { "1" } else { "0" },
    ]);
    let offset = page_offset(&query, hash)?;
    let (total, flows) = lock(&shared.world).list_flows(
        email,
        workspace,
        folder,
        most_recent,
        offset,
        shared.page_size,
    );
    let answer = FlowsResponse {
        request_id: Some(request_id.to_owned()),
        records: Some(records(total, offset, flows.len(), shared.page_size, hash)),
        flows,
    };
    encode(
        StatusCode::OK,
        &answer,
        &[("flows", answer.flows.is_empty())],
    )
}

fn list_folders(shared: &Shared, query: &str, request_id: &str) -> Result<Reply, Refusal> {
    let query = parse_query(query);
    let email = required_param(&query, "flowFolderOwnerEmail")?;
    let workspace = query_value(&query, "workspaceId");
    let parent = match query_value(&query, "parentId") {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            Refusal::bad_request(format!(
                "Failed to convert value '{v}' of parameter 'parentId' to required type 'long'"
            ))
        })?),
    };
    let parent_text = parent.map(|p| p.to_string());
    let hash = fnv1a(&[
        gong_flows_api::operation_ids::LIST_FLOWS_FOLDERS,
        &email.to_ascii_lowercase(),
        workspace.unwrap_or("\u{0}"),
        parent_text.as_deref().unwrap_or("\u{0}"),
    ]);
    let offset = page_offset(&query, hash)?;
    let (total, folders) =
        lock(&shared.world).list_folders(email, parent, workspace, offset, shared.page_size);
    let records = Some(records(
        total,
        offset,
        folders.len(),
        shared.page_size,
        hash,
    ));
    match shared.folders_shape {
        // The real service answers `flowsFolders`, not the documented `flows`.
        FoldersShape::Observed => {
            let answer = FlowsFoldersResponse {
                request_id: Some(request_id.to_owned()),
                records,
                flows_folders: folders,
                flows: Vec::new(),
            };
            encode(
                StatusCode::OK,
                &answer,
                &[("flowsFolders", answer.flows_folders.is_empty())],
            )
        }
        FoldersShape::Documented => {
            let answer = FlowsFoldersResponse {
                request_id: Some(request_id.to_owned()),
                records,
                flows_folders: Vec::new(),
                flows: folders.into_iter().map(documented_folder).collect(),
            };
            encode(
                StatusCode::OK,
                &answer,
                &[("flows", answer.flows.is_empty())],
            )
        }
    }
}

/// A folder in the documented shape: a flow-shaped item whose `folderId` is
/// the parent folder, with absent values left out rather than `"null"`.
fn documented_folder(folder: PublicApiFlowFolder) -> PublicApiFlow {
    let present = |value: Option<String>| value.filter(|v| v != "null");
    PublicApiFlow {
        id: folder.id,
        name: folder.name,
        folder_id: present(folder.parent_folder_id),
        folder_name: None,
        visibility: folder.visibility,
        creation_date: None,
        exclusive: None,
    }
}

/// Formats creation dates, remembering the last one: the instances of one
/// assign call share their creation time.
#[derive(Default)]
struct Dates(Option<(u64, String)>);

impl Dates {
    fn format(&mut self, ms: u64) -> String {
        match &self.0 {
            Some((cached, text)) if *cached == ms => text.clone(),
            _ => {
                let text = iso8601_millis(ms);
                self.0 = Some((ms, text.clone()));
                text
            }
        }
    }
}

fn assigned_flow(view: &InstanceView, dates: &mut Dates) -> PublicApiAssignedFlow {
    PublicApiAssignedFlow {
        flow_id: Some(view.flow.id.clone()),
        flow_name: Some(view.flow.name.clone()),
        crm_prospect_id: Some(view.crm.to_string()),
        flow_instance_id: Some(view.id.to_string()),
        flow_instance_owner_email: Some(view.owner.email.clone()),
        flow_instance_owner_full_name: Some(view.owner.full_name.clone()),
        flow_instance_create_date: Some(dates.format(view.created_ms)),
        flow_instance_status: Some(view.status.clone()),
        workspace_id: Some(view.flow.workspace_id.clone()),
        exclusive: Some(view.flow.exclusive),
    }
}

fn prospects_flows(shared: &Shared, body: &[u8], request_id: &str) -> Result<Reply, Refusal> {
    let request: ProspectsAssignedFlowsRequestV2 = decode(body)?;
    if let Some(ids) = &request.crm_prospects_ids {
        unique("crmProspectsIds", ids)?;
    }
    if let Some(ids) = &request.flow_instance_ids {
        unique("flowInstanceIds", ids)?;
    }
    if request.crm_prospects_ids.is_none() && request.flow_instance_ids.is_none() {
        return Err(Refusal::bad_request(
            "Either crmProspectsIds or flowInstanceIds must be given",
        ));
    }
    let mut views = Vec::new();
    let mut seen = HashSet::new();
    {
        let world = lock(&shared.world);
        if let Some(ids) = &request.crm_prospects_ids {
            world.open_instances_of(ids, &mut views, &mut seen);
        }
        if let Some(ids) = &request.flow_instance_ids {
            world.instances_by_id(ids, &mut views, &mut seen);
        }
    }
    let answer = ProspectsFlowsResponse {
        request_id: Some(request_id.to_owned()),
        prospects_assigned: {
            let mut dates = Dates::default();
            views.iter().map(|v| assigned_flow(v, &mut dates)).collect()
        },
    };
    encode(
        StatusCode::OK,
        &answer,
        &[("prospectsAssigned", answer.prospects_assigned.is_empty())],
    )
}

fn assign(shared: &Shared, body: &[u8], request_id: &str) -> Result<Reply, Refusal> {
    let request: AssignFlowRequestV2 = decode(body)?;
    let limit = shared.assign_limit.min(MAX_ASSIGN_IDS);
    if request.crm_prospects_ids.len() > limit {
        return Err(too_many("crmProspectsIds", limit));
    }
    unique("crmProspectsIds", &request.crm_prospects_ids)?;
    let now_ms = shared.clock.now().unix_millis();
    let items = lock(&shared.world).assign(
        &request.flow_id,
        &request.crm_prospects_ids,
        &request.flow_instance_owner_email,
        now_ms,
    )?;
    let mut answer = AssignFlowResponse {
        request_id: Some(request_id.to_owned()),
        ..AssignFlowResponse::default()
    };
    let mut dates = Dates::default();
    for item in items {
        match item {
            AssignItem::Assigned(view) => answer
                .prospects_assigned
                .push(assigned_flow(&view, &mut dates)),
            AssignItem::Failed { crm, code, message } => {
                answer.prospects_not_assigned.push(AssignedFlowFailure {
                    flow_id: Some(request.flow_id.clone()),
                    crm_prospect_id: Some(crm),
                    error_code: Some(code),
                    error_message: Some(message),
                });
            }
        }
    }
    encode(
        StatusCode::OK,
        &answer,
        &[
            ("prospectsAssigned", answer.prospects_assigned.is_empty()),
            (
                "prospectsNotAssigned",
                answer.prospects_not_assigned.is_empty(),
            ),
        ],
    )
}

fn unassign_by_crm(shared: &Shared, body: &[u8], request_id: &str) -> Result<Reply, Refusal> {
    let request: UnassignProspectFlowsRequest = decode(body)?;
    let removed =
        lock(&shared.world).unassign_crm(&request.crm_prospect_id, request.flow_id.as_deref());
    let answer = UnassignFlowsResponse {
        request_id: Some(request_id.to_owned()),
        unassigned_flow_instance_ids: Some(removed),
    };
    encode(StatusCode::OK, &answer, &[])
}

fn unassign_by_instance(shared: &Shared, body: &[u8], request_id: &str) -> Result<Reply, Refusal> {
    let request: UnassignFlowsRequest = decode(body)?;
    if request.flow_instance_ids.len() > MAX_UNASSIGN_IDS {
        return Err(too_many("flowInstanceIds", MAX_UNASSIGN_IDS));
    }
    unique("flowInstanceIds", &request.flow_instance_ids)?;
    let removed = lock(&shared.world).unassign_instances(&request.flow_instance_ids)?;
    let answer = UnassignFlowsResponse {
        request_id: Some(request_id.to_owned()),
        unassigned_flow_instance_ids: Some(removed),
    };
    encode(StatusCode::OK, &answer, &[])
}

fn flow_steps(shared: &Shared, body: &[u8], request_id: &str) -> Result<Reply, Refusal> {
    let request: FlowStepsRequest = decode(body)?;
    if request.flow_ids.len() > MAX_STEP_FLOWS {
        return Err(too_many("flowIds", MAX_STEP_FLOWS));
    }
    let flows = lock(&shared.world).flow_steps(&request.flow_ids)?;
    let answer = FlowStepsResponse {
        request_id: Some(request_id.to_owned()),
        flows,
    };
    encode(
        StatusCode::OK,
        &answer,
        &[("flows", answer.flows.is_empty())],
    )
}

fn submit_bulk(shared: &Arc<Shared>, body: &[u8], request_id: &str) -> Result<Reply, Refusal> {
    let request: FlowProspectsBulkAssignmentRequest = decode(body)?;
    if request.prospects.len() > MAX_BULK_PROSPECTS {
        return Err(too_many("prospects", MAX_BULK_PROSPECTS));
    }
    let mut answer = lock(&shared.world).submit_job(
        &request.flow_id,
        &request.flow_instance_owner_email,
        request.prospects,
        shared.clock.now().instant,
    )?;
    answer.request_id = Some(request_id.to_owned());
    if let Some(job_id) = answer.id.clone() {
        // Complete the job on time even if nobody polls, so its assignments
        // show in the state; polls also complete it when due.
        let shared = Arc::clone(shared);
        let due = shared.bulk_stage * 2;
        tokio::spawn(async move {
            tokio::select! {
                () = tokio::time::sleep(due) => {
                    let exceeded = shared.daily_limit_exceeded();
                    let now_ms = shared.clock.now().unix_millis();
                    lock(&shared.world).complete_job(&job_id, exceeded, now_ms);
                }
                () = shared.shutting_down() => {}
            }
        });
    }
    encode(StatusCode::ACCEPTED, &answer, &[("results", true)])
}

fn bulk_status(shared: &Shared, id: &str, request_id: &str) -> Result<Reply, Refusal> {
    let exceeded = shared.daily_limit_exceeded();
    let now = shared.clock.now();
    let mut answer = lock(&shared.world).job_status(
        id,
        now.instant,
        shared.bulk_stage,
        exceeded,
        now.unix_millis(),
    )?;
    answer.request_id = Some(request_id.to_owned());
    let empty = answer.results.is_empty();
    encode(StatusCode::OK, &answer, &[("results", empty)])
}
