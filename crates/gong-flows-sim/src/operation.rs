//! The ten operations of the Engage Flows API, by their `operationId`.

use std::fmt;
use std::str::FromStr;

/// One operation of the Engage Flows API, named after its `operationId` in
/// `openapi/flows.yaml`.
///
/// ```
/// use gong_flows_sim::Operation;
///
/// let op: Operation = "assignProspects".parse().unwrap();
/// assert_eq!(op, Operation::AssignProspects);
/// assert_eq!(op.operation_id(), "assignProspects");
/// assert!(op.is_write());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
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

impl Operation {
    /// Every operation, in the spec's order.
    pub const ALL: [Operation; 10] = [
        Operation::ListFlows,
        Operation::ListFlowsFolders,
        Operation::GetProspectsAssignedFlows,
        Operation::AssignProspects,
        Operation::AssignProspectsCoolOffOverrides,
        Operation::UnassignProspectFlows,
        Operation::UnassignFlows,
        Operation::GetFlowSteps,
        Operation::SubmitFlowProspectsBulkAssignment,
        Operation::GetFlowProspectsBulkAssignment,
    ];

    /// The spec's `operationId` (from [`gong_flows_api::operation_ids`]).
    pub fn operation_id(self) -> &'static str {
        use gong_flows_api::operation_ids as ids;
        match self {
            Operation::ListFlows => ids::LIST_FLOWS,
            Operation::ListFlowsFolders => ids::LIST_FLOWS_FOLDERS,
            Operation::GetProspectsAssignedFlows => ids::GET_PROSPECTS_ASSIGNED_FLOWS,
            Operation::AssignProspects => ids::ASSIGN_PROSPECTS,
            Operation::AssignProspectsCoolOffOverrides => ids::ASSIGN_PROSPECTS_COOL_OFF_OVERRIDES,
            Operation::UnassignProspectFlows => ids::UNASSIGN_PROSPECT_FLOWS,
            Operation::UnassignFlows => ids::UNASSIGN_FLOWS,
            Operation::GetFlowSteps => ids::GET_FLOW_STEPS,
            Operation::SubmitFlowProspectsBulkAssignment => {
                ids::SUBMIT_FLOW_PROSPECTS_BULK_ASSIGNMENT
            }
            Operation::GetFlowProspectsBulkAssignment => ids::GET_FLOW_PROSPECTS_BULK_ASSIGNMENT,
        }
    }

    /// The HTTP method.
    pub fn method(self) -> http::Method {
        match self {
            Operation::ListFlows
            | Operation::ListFlowsFolders
            | Operation::GetFlowProspectsBulkAssignment => http::Method::GET,
            _ => http::Method::POST,
        }
    }

    /// Whether the operation changes state (and so needs `api:flows:write`).
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Operation::AssignProspects
                | Operation::AssignProspectsCoolOffOverrides
                | Operation::UnassignProspectFlows
                | Operation::UnassignFlows
                | Operation::SubmitFlowProspectsBulkAssignment
        )
    }

    /// The bearer-token scope the operation needs.
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

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation_id())
    }
}

/// An `operationId` this simulator does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown operation `{0}` (expected an operationId such as assignProspects)")]
pub struct UnknownOperation(pub String);

impl FromStr for Operation {
    type Err = UnknownOperation;

    /// Parses an `operationId`, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Operation::ALL
            .into_iter()
            .find(|op| op.operation_id().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownOperation(s.to_owned()))
    }
}

/// Where a request goes: an operation (with the job id for the bulk status
/// path), or why no operation matched.
pub(crate) enum Route {
    Operation(Operation, Option<String>),
    NotFound,
    MethodNotAllowed(&'static str),
}

const BULK_PREFIX: &str = "/v2/flows/prospects/bulk-assignments/";

/// Matches a method and path to an operation. Paths match exactly, as
/// Gong's do (no trailing-slash tolerance).
pub(crate) fn route(method: &http::Method, path: &str) -> Route {
    let (op, id) = match path {
        "/v2/flows" => (Operation::ListFlows, None),
        "/v2/flows/folders" => (Operation::ListFlowsFolders, None),
        "/v2/flows/prospects" => (Operation::GetProspectsAssignedFlows, None),
        "/v2/flows/prospects/assign" => (Operation::AssignProspects, None),
        "/v2/flows/prospects/assign/cool-off-override" => {
            (Operation::AssignProspectsCoolOffOverrides, None)
        }
        "/v2/flows/prospects/unassign-flows-by-crm-id" => (Operation::UnassignProspectFlows, None),
        "/v2/flows/prospects/unassign-flows-by-instance-id" => (Operation::UnassignFlows, None),
        "/v2/flows/steps" => (Operation::GetFlowSteps, None),
        "/v2/flows/prospects/bulk-assignments" => {
            (Operation::SubmitFlowProspectsBulkAssignment, None)
        }
        _ => match path.strip_prefix(BULK_PREFIX) {
            Some(id) if !id.is_empty() && !id.contains('/') => (
                Operation::GetFlowProspectsBulkAssignment,
                Some(crate::util::percent_decode(id, false)),
            ),
            _ => return Route::NotFound,
        },
    };
    if *method == op.method() {
        Route::Operation(op, id)
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
    fn every_operation_of_the_spec_in_its_order() {
        let ids: Vec<&str> = Operation::ALL.iter().map(|op| op.operation_id()).collect();
        assert_eq!(ids, gong_flows_api::operation_ids::ALL);
    }

    #[test]
    fn names_round_trip() {
        for op in Operation::ALL {
            assert_eq!(op.operation_id().parse::<Operation>(), Ok(op));
            assert_eq!(Operation::ALL[op.index()], op);
        }
        assert!("nope".parse::<Operation>().is_err());
    }

    #[test]
    fn routing() {
        assert!(matches!(
            route(&http::Method::GET, "/v2/flows/prospects/bulk-assignments/abc%2Dd"),
            Route::Operation(Operation::GetFlowProspectsBulkAssignment, Some(id)) if id == "abc-d"
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
