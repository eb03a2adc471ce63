//! Typed answers for the common cases, and body matchers on the ids sent.
//!
//! Hand-written beside the generated mocks: [`answers`] builds the wire
//! answers of Gong's operations from the few facts a test cares about (which
//! ids were assigned, which refused and why), and the `When` wrappers gain
//! matchers on the ids a request carries, in any order, whatever else its
//! body holds.
//!
//! ```
//! use gong_flows_api::types::AssignErrorCode;
//! use gong_flows_httpmock::{MockServerExt as _, answers};
//!
//! let server = httpmock::MockServer::start();
//! let mock = server.assign_prospects(|when, then| {
//!     when.prospect_ids(["a1", "a2", "bad"]).flow_id("1695493301223590792");
//!     then.ok(&answers::assign(
//!         "1695493301223590792",
//!         &["a1", "a2"],
//!         &[("bad", AssignErrorCode::InvalidArgument)],
//!     ));
//! });
//! # let _ = mock;
//! ```

use crate::operations::{
    AssignProspectsCoolOffOverridesWhen, AssignProspectsWhen, GetFlowStepsWhen,
    GetProspectsAssignedFlowsWhen, SubmitFlowProspectsBulkAssignmentWhen, UnassignFlowsWhen,
    UnassignProspectFlowsWhen,
};
use httpmock::HttpMockRequest;
use serde_json::Value;
use std::collections::BTreeSet;

pub mod answers {
    //! Wire answers built from what a test cares about. Every answer carries
    //! the request id [`REQUEST_ID`]; change the field to test another.

    use gong_flows_api::types::{
        AssignErrorCode, AssignFlowResponse, AssignedFlowFailure, ErrorResponse,
        FlowInstanceStatus, FlowStepsResponse, FlowVisibility, FlowsResponse,
        ProspectsFlowsResponse, PublicApiAssignedFlow, PublicApiFlow, PublicApiFlowWithSteps,
        Records, UnassignFlowsResponse,
    };

    /// The request id of every answer built here.
    pub const REQUEST_ID: &str = "mock4request5id6789";

    /// The owner of the instances built here.
    pub const OWNER_EMAIL: &str = "owner@example.com";

    /// The flow instance id [`instance`] gives prospect `crm_id`:
    /// `inst-CRM_ID`, so a test can unassign what it assigned.
    pub fn instance_id(crm_id: &str) -> String {
        format!("inst-{crm_id}")
    }

    /// `crm_id`'s new instance of `flow_id`, as Gong reports an assignment:
    /// instance id [`instance_id`], owner [`OWNER_EMAIL`], status `Pending`.
    pub fn instance(flow_id: &str, crm_id: &str) -> PublicApiAssignedFlow {
        PublicApiAssignedFlow {
            flow_id: Some(flow_id.to_owned()),
            flow_name: None,
            crm_prospect_id: Some(crm_id.to_owned()),
            flow_instance_id: Some(instance_id(crm_id)),
            flow_instance_owner_email: Some(OWNER_EMAIL.to_owned()),
            flow_instance_owner_full_name: Some("Owner".to_owned()),
            flow_instance_create_date: Some("2026-06-01T10:00:00.123Z".to_owned()),
            flow_instance_status: Some(FlowInstanceStatus::Pending),
            workspace_id: None,
            exclusive: Some(false),
        }
    }

    /// The answer to an assign: `assigned` got instances ([`instance`]),
    /// `refused` were refused with their codes (message `CODE: ID`).
    ///
    /// ```
    /// use gong_flows_api::types::AssignErrorCode;
    /// use gong_flows_httpmock::answers;
    ///
    /// let answer = answers::assign("42", &["a1"], &[("a2", AssignErrorCode::InvalidState)]);
    /// assert_eq!(answer.prospects_assigned.len(), 1);
    /// assert_eq!(answer.prospects_not_assigned[0].crm_prospect_id.as_deref(), Some("a2"));
    /// ```
    pub fn assign(
        flow_id: &str,
        assigned: &[&str],
        refused: &[(&str, AssignErrorCode)],
    ) -> AssignFlowResponse {
        AssignFlowResponse {
            prospects_assigned: assigned.iter().map(|id| instance(flow_id, id)).collect(),
            prospects_not_assigned: refused
                .iter()
                .map(|(id, code)| AssignedFlowFailure {
                    crm_prospect_id: Some((*id).to_owned()),
                    error_code: Some(code.clone()),
                    error_message: Some(format!("{code}: {id}")),
                    flow_id: Some(flow_id.to_owned()),
                })
                .collect(),
            request_id: Some(REQUEST_ID.to_owned()),
        }
    }

    /// The answer to an unassign (by CRM id or by instance ids): these
    /// instances were removed.
    pub fn unassign(instance_ids: &[&str]) -> UnassignFlowsResponse {
        UnassignFlowsResponse {
            request_id: Some(REQUEST_ID.to_owned()),
            unassigned_flow_instance_ids: Some(
                instance_ids.iter().map(|id| (*id).to_owned()).collect(),
            ),
        }
    }

    /// A company flow: id and name, nothing else.
    pub fn flow(id: &str, name: &str) -> PublicApiFlow {
        PublicApiFlow {
            id: Some(id.to_owned()),
            name: Some(name.to_owned()),
            visibility: Some(FlowVisibility::Company),
            exclusive: Some(false),
            ..PublicApiFlow::default()
        }
    }

    /// The last (or only) page of a flows list. Takes wire flows ([`flow`])
    /// or the SDK's `gong_flows::Flow` (`Flow::new(id, name)`).
    pub fn flows<F: Into<PublicApiFlow>>(flows: impl IntoIterator<Item = F>) -> FlowsResponse {
        let flows: Vec<PublicApiFlow> = flows.into_iter().map(Into::into).collect();
        FlowsResponse {
            records: Some(Records {
                current_page_number: Some(0),
                current_page_size: i32::try_from(flows.len()).ok(),
                cursor: None,
                total_records: i32::try_from(flows.len()).ok(),
            }),
            flows,
            request_id: Some(REQUEST_ID.to_owned()),
        }
    }

    /// A page of a flows list followed by the page at `next_cursor`.
    pub fn flows_page<F: Into<PublicApiFlow>>(
        flows: impl IntoIterator<Item = F>,
        next_cursor: &str,
    ) -> FlowsResponse {
        let mut page = self::flows(flows);
        if let Some(records) = &mut page.records {
            records.cursor = Some(next_cursor.to_owned());
            records.total_records = None;
        }
        page
    }

    /// The answer to "which flows are these prospects in". Takes wire
    /// instances ([`instance`]) or the SDK's `gong_flows::FlowInstance`.
    pub fn prospects_flows<I: Into<PublicApiAssignedFlow>>(
        instances: impl IntoIterator<Item = I>,
    ) -> ProspectsFlowsResponse {
        ProspectsFlowsResponse {
            prospects_assigned: instances.into_iter().map(Into::into).collect(),
            request_id: Some(REQUEST_ID.to_owned()),
        }
    }

    /// The answer to a steps request. Takes the SDK's
    /// `gong_flows::FlowWithSteps` or wire flows with steps.
    pub fn flow_steps<F: Into<PublicApiFlowWithSteps>>(
        flows: impl IntoIterator<Item = F>,
    ) -> FlowStepsResponse {
        FlowStepsResponse {
            flows: flows.into_iter().map(Into::into).collect(),
            request_id: Some(REQUEST_ID.to_owned()),
        }
    }

    /// An error answer with Gong's messages, for any status.
    pub fn error(messages: &[&str]) -> ErrorResponse {
        ErrorResponse {
            errors: messages.iter().map(|m| (*m).to_owned()).collect(),
            request_id: Some(REQUEST_ID.to_owned()),
        }
    }
}

/// The request's JSON body, if it has one.
fn body(request: &HttpMockRequest) -> Option<Value> {
    serde_json::from_slice(&request.body().to_vec()).ok()
}

/// The strings of `field` (an array of strings) in the body, as a set.
fn id_set(request: &HttpMockRequest, field: &str) -> Option<BTreeSet<String>> {
    let body = body(request)?;
    body.get(field)?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn wanted(ids: impl IntoIterator<Item = impl Into<String>>) -> BTreeSet<String> {
    ids.into_iter().map(Into::into).collect()
}

/// Matches when `field` of the body is exactly the string `value`.
fn string_field(field: &'static str, value: String) -> impl Fn(&HttpMockRequest) -> bool {
    move |request| {
        body(request)
            .and_then(|b| b.get(field).and_then(Value::as_str).map(|s| s == value))
            .unwrap_or(false)
    }
}

/// Matches when `field` of the body holds exactly `ids`, in any order.
fn ids_field(field: &'static str, ids: BTreeSet<String>) -> impl Fn(&HttpMockRequest) -> bool {
    move |request| id_set(request, field).is_some_and(|sent| sent == ids)
}

macro_rules! assign_matchers {
    ($when:ident) => {
        impl $when {
            /// Matches an assign of exactly these CRM ids (`crmProspectsIds`),
            /// in any order, whatever else the body holds.
            pub fn prospect_ids(self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
                Self::new(
                    self.into_inner()
                        .is_true(ids_field("crmProspectsIds", wanted(ids))),
                )
            }

            /// Matches an assign to this flow (`flowId`).
            pub fn flow_id(self, id: &str) -> Self {
                Self::new(
                    self.into_inner()
                        .is_true(string_field("flowId", id.to_owned())),
                )
            }

            /// Matches an assign for this owner (`flowInstanceOwnerEmail`).
            pub fn owner_email(self, email: &str) -> Self {
                Self::new(
                    self.into_inner()
                        .is_true(string_field("flowInstanceOwnerEmail", email.to_owned())),
                )
            }
        }
    };
}

assign_matchers!(AssignProspectsWhen);
assign_matchers!(AssignProspectsCoolOffOverridesWhen);

impl UnassignFlowsWhen {
    /// Matches an unassign of exactly these instances (`flowInstanceIds`),
    /// in any order.
    pub fn instance_ids(self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self::new(
            self.into_inner()
                .is_true(ids_field("flowInstanceIds", wanted(ids))),
        )
    }
}

impl UnassignProspectFlowsWhen {
    /// Matches an unassign of this prospect (`crmProspectId`).
    pub fn prospect_id(self, id: &str) -> Self {
        Self::new(
            self.into_inner()
                .is_true(string_field("crmProspectId", id.to_owned())),
        )
    }

    /// Matches an unassign from this flow only (`flowId`).
    pub fn flow_id(self, id: &str) -> Self {
        Self::new(
            self.into_inner()
                .is_true(string_field("flowId", id.to_owned())),
        )
    }
}

impl GetProspectsAssignedFlowsWhen {
    /// Matches a question about exactly these CRM ids (`crmProspectsIds`),
    /// in any order.
    pub fn prospect_ids(self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self::new(
            self.into_inner()
                .is_true(ids_field("crmProspectsIds", wanted(ids))),
        )
    }

    /// Matches a question about exactly these instances
    /// (`flowInstanceIds`), in any order.
    pub fn instance_ids(self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self::new(
            self.into_inner()
                .is_true(ids_field("flowInstanceIds", wanted(ids))),
        )
    }
}

impl GetFlowStepsWhen {
    /// Matches a steps request for exactly these flows (`flowIds`), in any
    /// order.
    pub fn flow_ids(self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self::new(self.into_inner().is_true(ids_field("flowIds", wanted(ids))))
    }
}

impl SubmitFlowProspectsBulkAssignmentWhen {
    /// Matches a bulk submit to this flow (`flowId`).
    pub fn flow_id(self, id: &str) -> Self {
        Self::new(
            self.into_inner()
                .is_true(string_field("flowId", id.to_owned())),
        )
    }
}
