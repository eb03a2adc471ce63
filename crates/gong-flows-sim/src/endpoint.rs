//! The ten endpoints of the Engage Flows API, named by their `operationId`.

use std::fmt;
use std::str::FromStr;

/// One endpoint (method and path) of the Engage Flows API, named after its
/// `operationId` in `openapi/flows.yaml`.
///
/// ```
/// use gong_flows_sim::Endpoint;
///
/// let op: Endpoint = "assignProspects".parse().unwrap();
/// assert_eq!(op, Endpoint::AssignProspects);
/// assert_eq!(op.operation_id(), "assignProspects");
/// assert!(op.is_write());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// `GET /v2/flows`.
    ListFlows,
    /// `GET /v2/flows/folders`.
    ListFlowsFolders,
    /// `POST /v2/flows/prospects`.
    GetProspectsAssignedFlows,
    /// `POST /v2/flows/prospects/assign`.
    AssignProspects,
    /// `POST /v2/flows/prospects/assign/cool-off-override` (deprecated by Gong).
    AssignProspectsCoolOffOverrides,
    /// `POST /v2/flows/prospects/unassign-flows-by-crm-id`.
    UnassignProspectFlows,
    /// `POST /v2/flows/prospects/unassign-flows-by-instance-id`.
    UnassignFlows,
    /// `POST /v2/flows/steps`.
    GetFlowSteps,
    /// `POST /v2/flows/prospects/bulk-assignments` (answers 202).
    SubmitFlowProspectsBulkAssignment,
    /// `GET /v2/flows/prospects/bulk-assignments/{id}`.
    GetFlowProspectsBulkAssignment,
}

/// The OAuth scope Gong requires for reads.
pub const SCOPE_READ: &str = "api:flows:read";
/// The OAuth scope Gong requires for writes.
pub const SCOPE_WRITE: &str = "api:flows:write";

impl Endpoint {
    /// Every endpoint, in the spec's order.
    pub const ALL: [Endpoint; 10] = [
        Endpoint::ListFlows,
        Endpoint::ListFlowsFolders,
        Endpoint::GetProspectsAssignedFlows,
        Endpoint::AssignProspects,
        Endpoint::AssignProspectsCoolOffOverrides,
        Endpoint::UnassignProspectFlows,
        Endpoint::UnassignFlows,
        Endpoint::GetFlowSteps,
        Endpoint::SubmitFlowProspectsBulkAssignment,
        Endpoint::GetFlowProspectsBulkAssignment,
    ];

    /// The spec's `operationId` (from [`gong_flows_api::operation_ids`]).
    pub fn operation_id(self) -> &'static str {
        use gong_flows_api::operation_ids as ids;
        match self {
            Endpoint::ListFlows => ids::LIST_FLOWS,
            Endpoint::ListFlowsFolders => ids::LIST_FLOWS_FOLDERS,
            Endpoint::GetProspectsAssignedFlows => ids::GET_PROSPECTS_ASSIGNED_FLOWS,
            Endpoint::AssignProspects => ids::ASSIGN_PROSPECTS,
            Endpoint::AssignProspectsCoolOffOverrides => ids::ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES,
            Endpoint::UnassignProspectFlows => ids::UNASSIGN_PROSPECT_FLOWS,
            Endpoint::UnassignFlows => ids::UNASSIGN_FLOWS,
            Endpoint::GetFlowSteps => ids::GET_FLOW_STEPS,
            Endpoint::SubmitFlowProspectsBulkAssignment => {
                ids::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT
            }
            Endpoint::GetFlowProspectsBulkAssignment => ids::GET_FLOW_PROSPECTS_BULK_ASSIGNMENT,
        }
    }

    /// The HTTP method.
    pub fn method(self) -> http::Method {
        match self {
            Endpoint::ListFlows
            | Endpoint::ListFlowsFolders
            | Endpoint::GetFlowProspectsBulkAssignment => http::Method::GET,
            _ => http::Method::POST,
        }
    }

    /// Whether the endpoint changes state (and so needs `api:flows:write`).
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Endpoint::AssignProspects
                | Endpoint::AssignProspectsCoolOffOverrides
                | Endpoint::UnassignProspectFlows
                | Endpoint::UnassignFlows
                | Endpoint::SubmitFlowProspectsBulkAssignment
        )
    }

    /// The bearer-token scope the endpoint needs.
    pub fn scope(self) -> &'static str {
        if self.is_write() {
            SCOPE_WRITE
        } else {
            SCOPE_READ
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation_id())
    }
}

/// An `operationId` this simulator does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown endpoint `{0}` (expected an operationId such as assignProspects)")]
pub struct UnknownEndpoint(pub String);

impl FromStr for Endpoint {
    type Err = UnknownEndpoint;

    /// Parses an `operationId`, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Endpoint::ALL
            .into_iter()
            .find(|op| op.operation_id().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownEndpoint(s.to_owned()))
    }
}

/// Where a request goes: an endpoint (with the job id for the bulk status
/// path), or why no endpoint matched.
pub(crate) enum Route {
    Endpoint(Endpoint, Option<String>),
    NotFound,
    MethodNotAllowed(&'static str),
}

const BULK_PREFIX: &str = "/v2/flows/prospects/bulk-assignments/";

/// Matches a method and path to an endpoint. Paths match exactly, as
/// Gong's do (no trailing-slash tolerance).
pub(crate) fn route(method: &http::Method, path: &str) -> Route {
    let (op, id) = match path {
        "/v2/flows" => (Endpoint::ListFlows, None),
        "/v2/flows/folders" => (Endpoint::ListFlowsFolders, None),
        "/v2/flows/prospects" => (Endpoint::GetProspectsAssignedFlows, None),
        "/v2/flows/prospects/assign" => (Endpoint::AssignProspects, None),
        "/v2/flows/prospects/assign/cool-off-override" => {
            (Endpoint::AssignProspectsCoolOffOverrides, None)
        }
        "/v2/flows/prospects/unassign-flows-by-crm-id" => (Endpoint::UnassignProspectFlows, None),
        "/v2/flows/prospects/unassign-flows-by-instance-id" => (Endpoint::UnassignFlows, None),
        "/v2/flows/steps" => (Endpoint::GetFlowSteps, None),
        "/v2/flows/prospects/bulk-assignments" => {
            (Endpoint::SubmitFlowProspectsBulkAssignment, None)
        }
        _ => match path.strip_prefix(BULK_PREFIX) {
            Some(id) if !id.is_empty() && !id.contains('/') => (
                Endpoint::GetFlowProspectsBulkAssignment,
                Some(crate::util::percent_decode(id, false)),
            ),
            _ => return Route::NotFound,
        },
    };
    if *method == op.method() {
        Route::Endpoint(op, id)
    } else {
        Route::MethodNotAllowed(if op.method() == http::Method::GET {
            "GET"
        } else {
            "POST"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_of_the_spec_in_its_order() {
        let ids: Vec<&str> = Endpoint::ALL.iter().map(|op| op.operation_id()).collect();
        assert_eq!(ids, gong_flows_api::operation_ids::ALL);
    }

    #[test]
    fn names_round_trip() {
        for op in Endpoint::ALL {
            assert_eq!(op.operation_id().parse::<Endpoint>(), Ok(op));
            assert_eq!(Endpoint::ALL[op.index()], op);
        }
        assert!("nope".parse::<Endpoint>().is_err());
    }

    #[test]
    fn routing() {
        assert!(matches!(
            route(&http::Method::GET, "/v2/flows/prospects/bulk-assignments/abc%2Dd"),
            Route::Endpoint(Endpoint::GetFlowProspectsBulkAssignment, Some(id)) if id == "abc-d"
        ));
        assert!(matches!(
            route(&http::Method::GET, "/v2/flows/prospects/assign"),
            Route::MethodNotAllowed("POST")
        ));
        assert!(matches!(
            route(&http::Method::GET, "/v2/flows/"),
            Route::NotFound
        ));
    }
}
