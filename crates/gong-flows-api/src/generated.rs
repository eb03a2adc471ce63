// This file is generated from openapi/flows.yaml by `cargo xtask codegen`.
// Do not edit it by hand: change the spec (or the generator settings in
// xtask/src/codegen.rs) and run `cargo xtask codegen` again.

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    ///Which prospects to put into which flow. At most 200 prospects per request.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct AssignFlowRequestV2 {
        ///CRM IDs of the contacts or leads to assign; at most 200 per request.
        #[serde(rename = "crmProspectsIds")]
        pub crm_prospects_ids: ::std::vec::Vec<::std::string::String>,
        ///The flow to assign the prospects to.
        #[serde(rename = "flowId")]
        pub flow_id: ::std::string::String,
        ///A description for the new flow instances (beta); may hold HTML.
        #[serde(
            rename = "flowInstanceDescription",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_instance_description: ::std::option::Option<::std::string::String>,
        ///Email of the Gong user who will own the flow to-dos.
        #[serde(rename = "flowInstanceOwnerEmail")]
        pub flow_instance_owner_email: ::std::string::String,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub overrides: ::std::option::Option<AssignOverrides>,
    }
    impl AssignFlowRequestV2 {
        pub fn builder() -> builder::AssignFlowRequestV2 {
            Default::default()
        }
    }
    ///The outcome of an assignment, per prospect.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct AssignFlowResponse {
        ///The prospects that were assigned, with their new flow instances.
        #[serde(
            rename = "prospectsAssigned",
            default,
            skip_serializing_if = "::std::vec::Vec::is_empty"
        )]
        pub prospects_assigned: ::std::vec::Vec<PublicApiAssignedFlow>,
        ///The prospects that were not assigned.
        #[serde(
            rename = "prospectsNotAssigned",
            default,
            skip_serializing_if = "::std::vec::Vec::is_empty"
        )]
        pub prospects_not_assigned: ::std::vec::Vec<AssignedFlowFailure>,
        ///Gong's reference for this request.
        #[serde(
            rename = "requestId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub request_id: ::std::option::Option<::std::string::String>,
    }
    impl AssignFlowResponse {
        pub fn builder() -> builder::AssignFlowResponse {
            Default::default()
        }
    }
    ///Per-assignment changes to the flow (beta).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct AssignOverrides {
        ///Assign prospects even while they are in their cool-off period.
        #[serde(
            rename = "coolOffOverride",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub cool_off_override: ::std::option::Option<bool>,
        ///Flow variable values for these prospects.
        #[serde(
            rename = "flowInstanceVariables",
            default,
            skip_serializing_if = "::std::vec::Vec::is_empty"
        )]
        pub flow_instance_variables: ::std::vec::Vec<PublicApiVariableValueOverride>,
        ///Step content to use instead of the flow's own.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub steps: ::std::vec::Vec<PublicApiStepContentOverride>,
    }
    impl AssignOverrides {
        pub fn builder() -> builder::AssignOverrides {
            Default::default()
        }
    }
    ///A prospect that was not assigned, and why.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct AssignedFlowFailure {
        ///The CRM ID of the prospect.
        #[serde(
            rename = "crmProspectId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub crm_prospect_id: ::std::option::Option<::std::string::String>,
        #[serde(
            rename = "errorCode",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub error_code: ::std::option::Option<crate::types::AssignErrorCode>,
        ///What went wrong, in words.
        #[serde(
            rename = "errorMessage",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub error_message: ::std::option::Option<::std::string::String>,
        ///The flow the assignment was for.
        #[serde(
            rename = "flowId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_id: ::std::option::Option<::std::string::String>,
    }
    impl AssignedFlowFailure {
        pub fn builder() -> builder::AssignedFlowFailure {
            Default::default()
        }
    }
    ///The body of every non-2xx answer. There is no machine-readable error code.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ErrorResponse {
        ///Human-readable error messages.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub errors: ::std::vec::Vec<::std::string::String>,
        ///Gong's reference for this request; also sent as the `x-traceid` header.
        #[serde(
            rename = "requestId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub request_id: ::std::option::Option<::std::string::String>,
    }
    impl ErrorResponse {
        pub fn builder() -> builder::ErrorResponse {
            Default::default()
        }
    }
    ///A prospect for a bulk assignment, identified by `crmId` or described by its details; `firstName` and `lastName` are needed when `crmId` is absent.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct FlowAssignmentProspect {
        ///CRM ID of the prospect's account.
        #[serde(
            rename = "accountCrmId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub account_crm_id: ::std::option::Option<::std::string::String>,
        ///Company name.
        #[serde(
            rename = "companyName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub company_name: ::std::option::Option<::std::string::String>,
        ///CRM ID, when the prospect already exists in the CRM.
        #[serde(
            rename = "crmId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub crm_id: ::std::option::Option<::std::string::String>,
        ///Email address.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub email: ::std::option::Option<::std::string::String>,
        ///First name; needed when `crmId` is absent.
        #[serde(
            rename = "firstName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub first_name: ::std::option::Option<::std::string::String>,
        ///Job title.
        #[serde(
            rename = "jobTitle",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub job_title: ::std::option::Option<::std::string::String>,
        ///Last name; needed when `crmId` is absent.
        #[serde(
            rename = "lastName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub last_name: ::std::option::Option<::std::string::String>,
        ///LinkedIn profile URL.
        #[serde(
            rename = "linkedInUrl",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub linked_in_url: ::std::option::Option<::std::string::String>,
    }
    impl FlowAssignmentProspect {
        pub fn builder() -> builder::FlowAssignmentProspect {
            Default::default()
        }
    }
    ///The outcome of a bulk assignment job for one prospect.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct FlowAssignmentResult {
        ///The prospect's CRM ID (created by the job when needed).
        #[serde(
            rename = "crmId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub crm_id: ::std::option::Option<::std::string::String>,
        ///A code for the failure (free text, not an enum), e.g. REQUEST_LIMIT_EXCEEDED.
        #[serde(
            rename = "errorCode",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub error_code: ::std::option::Option<::std::string::String>,
        ///What went wrong, in words.
        #[serde(
            rename = "errorMessage",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub error_message: ::std::option::Option<::std::string::String>,
        ///The new flow instance, when assigned.
        #[serde(
            rename = "flowInstanceId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_instance_id: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub prospect: ::std::option::Option<FlowAssignmentProspect>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<crate::types::FlowAssignmentResultStatus>,
    }
    impl FlowAssignmentResult {
        pub fn builder() -> builder::FlowAssignmentResult {
            Default::default()
        }
    }
    ///A bulk assignment job to start. At most 50 prospects per request.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct FlowProspectsBulkAssignmentRequest {
        ///The flow to assign the prospects to.
        #[serde(rename = "flowId")]
        pub flow_id: ::std::string::String,
        ///Email of the Gong user who will own the flow to-dos.
        #[serde(rename = "flowInstanceOwnerEmail")]
        pub flow_instance_owner_email: ::std::string::String,
        ///The prospects; at most 50 per request.
        pub prospects: ::std::vec::Vec<FlowAssignmentProspect>,
    }
    impl FlowProspectsBulkAssignmentRequest {
        pub fn builder() -> builder::FlowProspectsBulkAssignmentRequest {
            Default::default()
        }
    }
    ///A bulk assignment job and its results so far.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct FlowProspectsBulkAssignmentResponse {
        ///Number of prospects that failed.
        #[serde(
            rename = "failedCount",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub failed_count: ::std::option::Option<i32>,
        ///The job ID, a UUID.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///Number of prospects processed so far.
        #[serde(
            rename = "processedCount",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub processed_count: ::std::option::Option<i32>,
        ///Gong's reference for this request.
        #[serde(
            rename = "requestId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub request_id: ::std::option::Option<::std::string::String>,
        ///Per-prospect outcomes.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub results: ::std::vec::Vec<FlowAssignmentResult>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<crate::types::BulkAssignmentStatus>,
        ///Number of prospects assigned.
        #[serde(
            rename = "successCount",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub success_count: ::std::option::Option<i32>,
        ///Number of prospects in the job.
        #[serde(
            rename = "totalCount",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub total_count: ::std::option::Option<i32>,
    }
    impl FlowProspectsBulkAssignmentResponse {
        pub fn builder() -> builder::FlowProspectsBulkAssignmentResponse {
            Default::default()
        }
    }
    ///Which flows to return with their steps. At most 20 per request.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct FlowStepsRequest {
        ///The flow IDs; at most 20 per request.
        #[serde(
            rename = "flowIds",
            default,
            skip_serializing_if = "::std::vec::Vec::is_empty"
        )]
        pub flow_ids: ::std::vec::Vec<::std::string::String>,
    }
    impl FlowStepsRequest {
        pub fn builder() -> builder::FlowStepsRequest {
            Default::default()
        }
    }
    ///The flows asked for, with their steps.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct FlowStepsResponse {
        ///One entry per flow.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub flows: ::std::vec::Vec<PublicApiFlowWithSteps>,
        ///Gong's reference for this request.
        #[serde(
            rename = "requestId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub request_id: ::std::option::Option<::std::string::String>,
    }
    impl FlowStepsResponse {
        pub fn builder() -> builder::FlowStepsResponse {
            Default::default()
        }
    }
    ///One page of folders. The service sends `flowsFolders`; Gong's document declares a `FlowsResponse` with `flows`. Both keys are accepted.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct FlowsFoldersResponse {
        ///The folders on this page in the documented `FlowsResponse` shape.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub flows: ::std::vec::Vec<PublicApiFlow>,
        ///The folders on this page (the shape real traffic uses).
        #[serde(
            rename = "flowsFolders",
            default,
            skip_serializing_if = "::std::vec::Vec::is_empty"
        )]
        pub flows_folders: ::std::vec::Vec<PublicApiFlowFolder>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub records: ::std::option::Option<Records>,
        ///Gong's reference for this request.
        #[serde(
            rename = "requestId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub request_id: ::std::option::Option<::std::string::String>,
    }
    impl FlowsFoldersResponse {
        pub fn builder() -> builder::FlowsFoldersResponse {
            Default::default()
        }
    }
    ///One page of flows.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct FlowsResponse {
        ///The flows on this page.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub flows: ::std::vec::Vec<PublicApiFlow>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub records: ::std::option::Option<Records>,
        ///Gong's reference for this request.
        #[serde(
            rename = "requestId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub request_id: ::std::option::Option<::std::string::String>,
    }
    impl FlowsResponse {
        pub fn builder() -> builder::FlowsResponse {
            Default::default()
        }
    }
    ///Which prospects to look up; give one of the two lists.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ProspectsAssignedFlowsRequestV2 {
        ///CRM IDs of the prospects (contacts or leads); only open flow instances come back.
        #[serde(
            rename = "crmProspectsIds",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub crm_prospects_ids: ::std::option::Option<
            ::std::vec::Vec<::std::string::String>,
        >,
        ///Flow instance IDs; finished instances come back too.
        #[serde(
            rename = "flowInstanceIds",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_instance_ids: ::std::option::Option<
            ::std::vec::Vec<::std::string::String>,
        >,
    }
    impl ProspectsAssignedFlowsRequestV2 {
        pub fn builder() -> builder::ProspectsAssignedFlowsRequestV2 {
            Default::default()
        }
    }
    ///The flow instances of the prospects asked about.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct ProspectsFlowsResponse {
        ///One entry per flow instance.
        #[serde(
            rename = "prospectsAssigned",
            default,
            skip_serializing_if = "::std::vec::Vec::is_empty"
        )]
        pub prospects_assigned: ::std::vec::Vec<PublicApiAssignedFlow>,
        ///Gong's reference for this request.
        #[serde(
            rename = "requestId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub request_id: ::std::option::Option<::std::string::String>,
    }
    impl ProspectsFlowsResponse {
        pub fn builder() -> builder::ProspectsFlowsResponse {
            Default::default()
        }
    }
    ///A prospect's flow instance.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PublicApiAssignedFlow {
        ///The CRM ID of the prospect.
        #[serde(
            rename = "crmProspectId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub crm_prospect_id: ::std::option::Option<::std::string::String>,
        ///Whether a prospect in this flow is kept out of every other flow.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub exclusive: ::std::option::Option<bool>,
        ///The flow the prospect is in.
        #[serde(
            rename = "flowId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_id: ::std::option::Option<::std::string::String>,
        ///When the instance was created, ISO-8601 with any offset and any fractional-second precision, e.g. 2020-11-20T21:30:07.233692Z.
        #[serde(
            rename = "flowInstanceCreateDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_instance_create_date: ::std::option::Option<::std::string::String>,
        ///The flow instance ID.
        #[serde(
            rename = "flowInstanceId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_instance_id: ::std::option::Option<::std::string::String>,
        ///Email of the Gong user who owns the instance's to-dos.
        #[serde(
            rename = "flowInstanceOwnerEmail",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_instance_owner_email: ::std::option::Option<::std::string::String>,
        ///Full name of the Gong user who owns the instance's to-dos.
        #[serde(
            rename = "flowInstanceOwnerFullName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_instance_owner_full_name: ::std::option::Option<::std::string::String>,
        #[serde(
            rename = "flowInstanceStatus",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_instance_status: ::std::option::Option<
            crate::types::FlowInstanceStatus,
        >,
        ///The name of that flow.
        #[serde(
            rename = "flowName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_name: ::std::option::Option<::std::string::String>,
        ///The workspace the flow belongs to.
        #[serde(
            rename = "workspaceId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub workspace_id: ::std::option::Option<::std::string::String>,
    }
    impl PublicApiAssignedFlow {
        pub fn builder() -> builder::PublicApiAssignedFlow {
            Default::default()
        }
    }
    ///An Engage flow.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PublicApiFlow {
        ///When the flow was created, ISO-8601.
        #[serde(
            rename = "creationDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub creation_date: ::std::option::Option<::std::string::String>,
        ///Whether a prospect in this flow is kept out of every other flow.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub exclusive: ::std::option::Option<bool>,
        ///The ID of the folder holding the flow.
        #[serde(
            rename = "folderId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub folder_id: ::std::option::Option<::std::string::String>,
        ///The name of the folder holding the flow.
        #[serde(
            rename = "folderName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub folder_name: ::std::option::Option<::std::string::String>,
        ///The flow ID.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///The flow name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub visibility: ::std::option::Option<crate::types::FlowVisibility>,
    }
    impl PublicApiFlow {
        pub fn builder() -> builder::PublicApiFlow {
            Default::default()
        }
    }
    ///A flow folder as the service really sends it. Absent values arrive as the string `"null"`.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PublicApiFlowFolder {
        ///The Gong user ID of the folder's creator, or the string "null".
        #[serde(
            rename = "createdById",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub created_by_id: ::std::option::Option<::std::string::String>,
        ///The folder ID.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///The folder name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The ID of the parent folder, or the string "null" at the top.
        #[serde(
            rename = "parentFolderId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub parent_folder_id: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub visibility: ::std::option::Option<crate::types::FlowVisibility>,
    }
    impl PublicApiFlowFolder {
        pub fn builder() -> builder::PublicApiFlowFolder {
            Default::default()
        }
    }
    ///One step of a flow.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PublicApiFlowStep {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub action: ::std::option::Option<crate::types::FlowStepAction>,
        ///The step's content; may hold HTML.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub body: ::std::option::Option<::std::string::String>,
        ///The step ID.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///Whether the email is sent as a reply in the previous step's thread.
        #[serde(
            rename = "isReply",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub is_reply: ::std::option::Option<bool>,
        ///The 1-based position of the step; the `number` that overrides refer to.
        #[serde(
            rename = "stepOrder",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub step_order: ::std::option::Option<i32>,
        ///The email subject, for email steps.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub subject: ::std::option::Option<::std::string::String>,
    }
    impl PublicApiFlowStep {
        pub fn builder() -> builder::PublicApiFlowStep {
            Default::default()
        }
    }
    ///A flow and its steps.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PublicApiFlowWithSteps {
        ///When the flow was created, ISO-8601.
        #[serde(
            rename = "creationDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub creation_date: ::std::option::Option<::std::string::String>,
        ///The flow's description.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub description: ::std::option::Option<::std::string::String>,
        ///Whether a prospect in this flow is kept out of every other flow.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub exclusive: ::std::option::Option<bool>,
        ///The ID of the folder holding the flow.
        #[serde(
            rename = "folderId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub folder_id: ::std::option::Option<::std::string::String>,
        ///The flow ID.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        ///The flow name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        ///The steps in order.
        #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
        pub steps: ::std::vec::Vec<PublicApiFlowStep>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub visibility: ::std::option::Option<crate::types::FlowVisibility>,
    }
    impl PublicApiFlowWithSteps {
        pub fn builder() -> builder::PublicApiFlowWithSteps {
            Default::default()
        }
    }
    ///Replaces the subject and/or body of one step for these prospects.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PublicApiStepContentOverride {
        ///The body to use instead of the step's own; may hold HTML.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub body: ::std::option::Option<::std::string::String>,
        ///The 1-based step number (a step's `stepOrder`).
        pub number: i32,
        ///The subject to use instead of the step's own.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub subject: ::std::option::Option<::std::string::String>,
    }
    impl PublicApiStepContentOverride {
        pub fn builder() -> builder::PublicApiStepContentOverride {
            Default::default()
        }
    }
    ///Sets a flow variable for these prospects.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct PublicApiVariableValueOverride {
        ///The variable name.
        pub name: ::std::string::String,
        ///The value to use.
        pub value: ::std::string::String,
    }
    impl PublicApiVariableValueOverride {
        pub fn builder() -> builder::PublicApiVariableValueOverride {
            Default::default()
        }
    }
    ///Pagination state of a list answer.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct Records {
        ///Zero-based number of this page.
        #[serde(
            rename = "currentPageNumber",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub current_page_number: ::std::option::Option<i32>,
        ///Number of records on this page.
        #[serde(
            rename = "currentPageSize",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub current_page_size: ::std::option::Option<i32>,
        ///Present only when more pages remain; pass it back as the `cursor` parameter.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub cursor: ::std::option::Option<::std::string::String>,
        ///Number of records across all pages.
        #[serde(
            rename = "totalRecords",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub total_records: ::std::option::Option<i32>,
    }
    impl Records {
        pub fn builder() -> builder::Records {
            Default::default()
        }
    }
    ///Which flow instances to remove. At most 200 per request.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UnassignFlowsRequest {
        ///The flow instances to remove; at most 200 per request.
        #[serde(rename = "flowInstanceIds")]
        pub flow_instance_ids: ::std::vec::Vec<::std::string::String>,
        ///Email of the Gong user asking for the removal.
        #[serde(
            rename = "unassignedByUserEmail",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub unassigned_by_user_email: ::std::option::Option<::std::string::String>,
    }
    impl UnassignFlowsRequest {
        pub fn builder() -> builder::UnassignFlowsRequest {
            Default::default()
        }
    }
    ///The flow instances that were removed.
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        Default,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UnassignFlowsResponse {
        ///Gong's reference for this request.
        #[serde(
            rename = "requestId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub request_id: ::std::option::Option<::std::string::String>,
        ///IDs of the removed flow instances.
        #[serde(
            rename = "unassignedFlowInstanceIds",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub unassigned_flow_instance_ids: ::std::option::Option<
            ::std::vec::Vec<::std::string::String>,
        >,
    }
    impl UnassignFlowsResponse {
        pub fn builder() -> builder::UnassignFlowsResponse {
            Default::default()
        }
    }
    ///Which prospect to take out of its flows (one per request).
    #[derive(
        ::serde::Deserialize,
        ::serde::Serialize,
        Clone,
        Debug,
        PartialEq,
        schemars::JsonSchema
    )]
    pub struct UnassignProspectFlowsRequest {
        ///The CRM ID of the prospect to unassign.
        #[serde(rename = "crmProspectId")]
        pub crm_prospect_id: ::std::string::String,
        ///Only this flow; without it, every flow of the prospect.
        #[serde(
            rename = "flowId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub flow_id: ::std::option::Option<::std::string::String>,
        ///Email of the Gong user asking for the removal (not the prospect's).
        #[serde(
            rename = "unassignedByUserEmail",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub unassigned_by_user_email: ::std::option::Option<::std::string::String>,
    }
    impl UnassignProspectFlowsRequest {
        pub fn builder() -> builder::UnassignProspectFlowsRequest {
            Default::default()
        }
    }
    /// Types for composing complex structures.
    pub mod builder {
        #[derive(Clone, Debug)]
        pub struct AssignFlowRequestV2 {
            crm_prospects_ids: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
            flow_id: ::std::result::Result<::std::string::String, ::std::string::String>,
            flow_instance_description: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            flow_instance_owner_email: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            overrides: ::std::result::Result<
                ::std::option::Option<super::AssignOverrides>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for AssignFlowRequestV2 {
            fn default() -> Self {
                Self {
                    crm_prospects_ids: Err(
                        "no value supplied for crm_prospects_ids".to_string(),
                    ),
                    flow_id: Err("no value supplied for flow_id".to_string()),
                    flow_instance_description: Ok(Default::default()),
                    flow_instance_owner_email: Err(
                        "no value supplied for flow_instance_owner_email".to_string(),
                    ),
                    overrides: Ok(Default::default()),
                }
            }
        }
        impl AssignFlowRequestV2 {
            pub fn crm_prospects_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.crm_prospects_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for crm_prospects_ids: {e}"
                        )
                    });
                self
            }
            pub fn flow_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flow_id: {e}")
                    });
                self
            }
            pub fn flow_instance_description<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_description = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_description: {e}"
                        )
                    });
                self
            }
            pub fn flow_instance_owner_email<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_owner_email = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_owner_email: {e}"
                        )
                    });
                self
            }
            pub fn overrides<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<super::AssignOverrides>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.overrides = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for overrides: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<AssignFlowRequestV2>
        for super::AssignFlowRequestV2 {
            type Error = super::error::ConversionError;
            fn try_from(
                value: AssignFlowRequestV2,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    crm_prospects_ids: value.crm_prospects_ids?,
                    flow_id: value.flow_id?,
                    flow_instance_description: value.flow_instance_description?,
                    flow_instance_owner_email: value.flow_instance_owner_email?,
                    overrides: value.overrides?,
                })
            }
        }
        impl ::std::convert::From<super::AssignFlowRequestV2> for AssignFlowRequestV2 {
            fn from(value: super::AssignFlowRequestV2) -> Self {
                Self {
                    crm_prospects_ids: Ok(value.crm_prospects_ids),
                    flow_id: Ok(value.flow_id),
                    flow_instance_description: Ok(value.flow_instance_description),
                    flow_instance_owner_email: Ok(value.flow_instance_owner_email),
                    overrides: Ok(value.overrides),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct AssignFlowResponse {
            prospects_assigned: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiAssignedFlow>,
                ::std::string::String,
            >,
            prospects_not_assigned: ::std::result::Result<
                ::std::vec::Vec<super::AssignedFlowFailure>,
                ::std::string::String,
            >,
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for AssignFlowResponse {
            fn default() -> Self {
                Self {
                    prospects_assigned: Ok(Default::default()),
                    prospects_not_assigned: Ok(Default::default()),
                    request_id: Ok(Default::default()),
                }
            }
        }
        impl AssignFlowResponse {
            pub fn prospects_assigned<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::PublicApiAssignedFlow>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.prospects_assigned = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for prospects_assigned: {e}"
                        )
                    });
                self
            }
            pub fn prospects_not_assigned<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::AssignedFlowFailure>>,
                T::Error: ::std::fmt::Display,
            {
                self.prospects_not_assigned = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for prospects_not_assigned: {e}"
                        )
                    });
                self
            }
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<AssignFlowResponse> for super::AssignFlowResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: AssignFlowResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    prospects_assigned: value.prospects_assigned?,
                    prospects_not_assigned: value.prospects_not_assigned?,
                    request_id: value.request_id?,
                })
            }
        }
        impl ::std::convert::From<super::AssignFlowResponse> for AssignFlowResponse {
            fn from(value: super::AssignFlowResponse) -> Self {
                Self {
                    prospects_assigned: Ok(value.prospects_assigned),
                    prospects_not_assigned: Ok(value.prospects_not_assigned),
                    request_id: Ok(value.request_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct AssignOverrides {
            cool_off_override: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            flow_instance_variables: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiVariableValueOverride>,
                ::std::string::String,
            >,
            steps: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiStepContentOverride>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for AssignOverrides {
            fn default() -> Self {
                Self {
                    cool_off_override: Ok(Default::default()),
                    flow_instance_variables: Ok(Default::default()),
                    steps: Ok(Default::default()),
                }
            }
        }
        impl AssignOverrides {
            pub fn cool_off_override<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.cool_off_override = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for cool_off_override: {e}"
                        )
                    });
                self
            }
            pub fn flow_instance_variables<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::PublicApiVariableValueOverride>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_variables = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_variables: {e}"
                        )
                    });
                self
            }
            pub fn steps<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::PublicApiStepContentOverride>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.steps = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for steps: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<AssignOverrides> for super::AssignOverrides {
            type Error = super::error::ConversionError;
            fn try_from(
                value: AssignOverrides,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    cool_off_override: value.cool_off_override?,
                    flow_instance_variables: value.flow_instance_variables?,
                    steps: value.steps?,
                })
            }
        }
        impl ::std::convert::From<super::AssignOverrides> for AssignOverrides {
            fn from(value: super::AssignOverrides) -> Self {
                Self {
                    cool_off_override: Ok(value.cool_off_override),
                    flow_instance_variables: Ok(value.flow_instance_variables),
                    steps: Ok(value.steps),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct AssignedFlowFailure {
            crm_prospect_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            error_code: ::std::result::Result<
                ::std::option::Option<crate::types::AssignErrorCode>,
                ::std::string::String,
            >,
            error_message: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            flow_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for AssignedFlowFailure {
            fn default() -> Self {
                Self {
                    crm_prospect_id: Ok(Default::default()),
                    error_code: Ok(Default::default()),
                    error_message: Ok(Default::default()),
                    flow_id: Ok(Default::default()),
                }
            }
        }
        impl AssignedFlowFailure {
            pub fn crm_prospect_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.crm_prospect_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for crm_prospect_id: {e}"
                        )
                    });
                self
            }
            pub fn error_code<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<crate::types::AssignErrorCode>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.error_code = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for error_code: {e}")
                    });
                self
            }
            pub fn error_message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.error_message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for error_message: {e}")
                    });
                self
            }
            pub fn flow_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flow_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<AssignedFlowFailure>
        for super::AssignedFlowFailure {
            type Error = super::error::ConversionError;
            fn try_from(
                value: AssignedFlowFailure,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    crm_prospect_id: value.crm_prospect_id?,
                    error_code: value.error_code?,
                    error_message: value.error_message?,
                    flow_id: value.flow_id?,
                })
            }
        }
        impl ::std::convert::From<super::AssignedFlowFailure> for AssignedFlowFailure {
            fn from(value: super::AssignedFlowFailure) -> Self {
                Self {
                    crm_prospect_id: Ok(value.crm_prospect_id),
                    error_code: Ok(value.error_code),
                    error_message: Ok(value.error_message),
                    flow_id: Ok(value.flow_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ErrorResponse {
            errors: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ErrorResponse {
            fn default() -> Self {
                Self {
                    errors: Ok(Default::default()),
                    request_id: Ok(Default::default()),
                }
            }
        }
        impl ErrorResponse {
            pub fn errors<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.errors = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for errors: {e}")
                    });
                self
            }
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ErrorResponse> for super::ErrorResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ErrorResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    errors: value.errors?,
                    request_id: value.request_id?,
                })
            }
        }
        impl ::std::convert::From<super::ErrorResponse> for ErrorResponse {
            fn from(value: super::ErrorResponse) -> Self {
                Self {
                    errors: Ok(value.errors),
                    request_id: Ok(value.request_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct FlowAssignmentProspect {
            account_crm_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            company_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            crm_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            email: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            first_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            job_title: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            last_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            linked_in_url: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for FlowAssignmentProspect {
            fn default() -> Self {
                Self {
                    account_crm_id: Ok(Default::default()),
                    company_name: Ok(Default::default()),
                    crm_id: Ok(Default::default()),
                    email: Ok(Default::default()),
                    first_name: Ok(Default::default()),
                    job_title: Ok(Default::default()),
                    last_name: Ok(Default::default()),
                    linked_in_url: Ok(Default::default()),
                }
            }
        }
        impl FlowAssignmentProspect {
            pub fn account_crm_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.account_crm_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for account_crm_id: {e}"
                        )
                    });
                self
            }
            pub fn company_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.company_name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for company_name: {e}")
                    });
                self
            }
            pub fn crm_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.crm_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for crm_id: {e}")
                    });
                self
            }
            pub fn email<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.email = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for email: {e}")
                    });
                self
            }
            pub fn first_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.first_name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for first_name: {e}")
                    });
                self
            }
            pub fn job_title<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.job_title = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for job_title: {e}")
                    });
                self
            }
            pub fn last_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.last_name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for last_name: {e}")
                    });
                self
            }
            pub fn linked_in_url<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.linked_in_url = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for linked_in_url: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<FlowAssignmentProspect>
        for super::FlowAssignmentProspect {
            type Error = super::error::ConversionError;
            fn try_from(
                value: FlowAssignmentProspect,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    account_crm_id: value.account_crm_id?,
                    company_name: value.company_name?,
                    crm_id: value.crm_id?,
                    email: value.email?,
                    first_name: value.first_name?,
                    job_title: value.job_title?,
                    last_name: value.last_name?,
                    linked_in_url: value.linked_in_url?,
                })
            }
        }
        impl ::std::convert::From<super::FlowAssignmentProspect>
        for FlowAssignmentProspect {
            fn from(value: super::FlowAssignmentProspect) -> Self {
                Self {
                    account_crm_id: Ok(value.account_crm_id),
                    company_name: Ok(value.company_name),
                    crm_id: Ok(value.crm_id),
                    email: Ok(value.email),
                    first_name: Ok(value.first_name),
                    job_title: Ok(value.job_title),
                    last_name: Ok(value.last_name),
                    linked_in_url: Ok(value.linked_in_url),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct FlowAssignmentResult {
            crm_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            error_code: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            error_message: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            flow_instance_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            prospect: ::std::result::Result<
                ::std::option::Option<super::FlowAssignmentProspect>,
                ::std::string::String,
            >,
            status: ::std::result::Result<
                ::std::option::Option<crate::types::FlowAssignmentResultStatus>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for FlowAssignmentResult {
            fn default() -> Self {
                Self {
                    crm_id: Ok(Default::default()),
                    error_code: Ok(Default::default()),
                    error_message: Ok(Default::default()),
                    flow_instance_id: Ok(Default::default()),
                    prospect: Ok(Default::default()),
                    status: Ok(Default::default()),
                }
            }
        }
        impl FlowAssignmentResult {
            pub fn crm_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.crm_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for crm_id: {e}")
                    });
                self
            }
            pub fn error_code<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.error_code = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for error_code: {e}")
                    });
                self
            }
            pub fn error_message<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.error_message = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for error_message: {e}")
                    });
                self
            }
            pub fn flow_instance_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_id: {e}"
                        )
                    });
                self
            }
            pub fn prospect<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<super::FlowAssignmentProspect>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.prospect = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for prospect: {e}")
                    });
                self
            }
            pub fn status<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<crate::types::FlowAssignmentResultStatus>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.status = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for status: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<FlowAssignmentResult>
        for super::FlowAssignmentResult {
            type Error = super::error::ConversionError;
            fn try_from(
                value: FlowAssignmentResult,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    crm_id: value.crm_id?,
                    error_code: value.error_code?,
                    error_message: value.error_message?,
                    flow_instance_id: value.flow_instance_id?,
                    prospect: value.prospect?,
                    status: value.status?,
                })
            }
        }
        impl ::std::convert::From<super::FlowAssignmentResult> for FlowAssignmentResult {
            fn from(value: super::FlowAssignmentResult) -> Self {
                Self {
                    crm_id: Ok(value.crm_id),
                    error_code: Ok(value.error_code),
                    error_message: Ok(value.error_message),
                    flow_instance_id: Ok(value.flow_instance_id),
                    prospect: Ok(value.prospect),
                    status: Ok(value.status),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct FlowProspectsBulkAssignmentRequest {
            flow_id: ::std::result::Result<::std::string::String, ::std::string::String>,
            flow_instance_owner_email: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            prospects: ::std::result::Result<
                ::std::vec::Vec<super::FlowAssignmentProspect>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for FlowProspectsBulkAssignmentRequest {
            fn default() -> Self {
                Self {
                    flow_id: Err("no value supplied for flow_id".to_string()),
                    flow_instance_owner_email: Err(
                        "no value supplied for flow_instance_owner_email".to_string(),
                    ),
                    prospects: Err("no value supplied for prospects".to_string()),
                }
            }
        }
        impl FlowProspectsBulkAssignmentRequest {
            pub fn flow_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flow_id: {e}")
                    });
                self
            }
            pub fn flow_instance_owner_email<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_owner_email = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_owner_email: {e}"
                        )
                    });
                self
            }
            pub fn prospects<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::FlowAssignmentProspect>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.prospects = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for prospects: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<FlowProspectsBulkAssignmentRequest>
        for super::FlowProspectsBulkAssignmentRequest {
            type Error = super::error::ConversionError;
            fn try_from(
                value: FlowProspectsBulkAssignmentRequest,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    flow_id: value.flow_id?,
                    flow_instance_owner_email: value.flow_instance_owner_email?,
                    prospects: value.prospects?,
                })
            }
        }
        impl ::std::convert::From<super::FlowProspectsBulkAssignmentRequest>
        for FlowProspectsBulkAssignmentRequest {
            fn from(value: super::FlowProspectsBulkAssignmentRequest) -> Self {
                Self {
                    flow_id: Ok(value.flow_id),
                    flow_instance_owner_email: Ok(value.flow_instance_owner_email),
                    prospects: Ok(value.prospects),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct FlowProspectsBulkAssignmentResponse {
            failed_count: ::std::result::Result<
                ::std::option::Option<i32>,
                ::std::string::String,
            >,
            id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            processed_count: ::std::result::Result<
                ::std::option::Option<i32>,
                ::std::string::String,
            >,
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            results: ::std::result::Result<
                ::std::vec::Vec<super::FlowAssignmentResult>,
                ::std::string::String,
            >,
            status: ::std::result::Result<
                ::std::option::Option<crate::types::BulkAssignmentStatus>,
                ::std::string::String,
            >,
            success_count: ::std::result::Result<
                ::std::option::Option<i32>,
                ::std::string::String,
            >,
            total_count: ::std::result::Result<
                ::std::option::Option<i32>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for FlowProspectsBulkAssignmentResponse {
            fn default() -> Self {
                Self {
                    failed_count: Ok(Default::default()),
                    id: Ok(Default::default()),
                    processed_count: Ok(Default::default()),
                    request_id: Ok(Default::default()),
                    results: Ok(Default::default()),
                    status: Ok(Default::default()),
                    success_count: Ok(Default::default()),
                    total_count: Ok(Default::default()),
                }
            }
        }
        impl FlowProspectsBulkAssignmentResponse {
            pub fn failed_count<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i32>>,
                T::Error: ::std::fmt::Display,
            {
                self.failed_count = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for failed_count: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn processed_count<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i32>>,
                T::Error: ::std::fmt::Display,
            {
                self.processed_count = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for processed_count: {e}"
                        )
                    });
                self
            }
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
            pub fn results<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::FlowAssignmentResult>>,
                T::Error: ::std::fmt::Display,
            {
                self.results = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for results: {e}")
                    });
                self
            }
            pub fn status<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<crate::types::BulkAssignmentStatus>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.status = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for status: {e}")
                    });
                self
            }
            pub fn success_count<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i32>>,
                T::Error: ::std::fmt::Display,
            {
                self.success_count = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for success_count: {e}")
                    });
                self
            }
            pub fn total_count<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i32>>,
                T::Error: ::std::fmt::Display,
            {
                self.total_count = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for total_count: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<FlowProspectsBulkAssignmentResponse>
        for super::FlowProspectsBulkAssignmentResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: FlowProspectsBulkAssignmentResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    failed_count: value.failed_count?,
                    id: value.id?,
                    processed_count: value.processed_count?,
                    request_id: value.request_id?,
                    results: value.results?,
                    status: value.status?,
                    success_count: value.success_count?,
                    total_count: value.total_count?,
                })
            }
        }
        impl ::std::convert::From<super::FlowProspectsBulkAssignmentResponse>
        for FlowProspectsBulkAssignmentResponse {
            fn from(value: super::FlowProspectsBulkAssignmentResponse) -> Self {
                Self {
                    failed_count: Ok(value.failed_count),
                    id: Ok(value.id),
                    processed_count: Ok(value.processed_count),
                    request_id: Ok(value.request_id),
                    results: Ok(value.results),
                    status: Ok(value.status),
                    success_count: Ok(value.success_count),
                    total_count: Ok(value.total_count),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct FlowStepsRequest {
            flow_ids: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for FlowStepsRequest {
            fn default() -> Self {
                Self {
                    flow_ids: Ok(Default::default()),
                }
            }
        }
        impl FlowStepsRequest {
            pub fn flow_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flow_ids: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<FlowStepsRequest> for super::FlowStepsRequest {
            type Error = super::error::ConversionError;
            fn try_from(
                value: FlowStepsRequest,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self { flow_ids: value.flow_ids? })
            }
        }
        impl ::std::convert::From<super::FlowStepsRequest> for FlowStepsRequest {
            fn from(value: super::FlowStepsRequest) -> Self {
                Self {
                    flow_ids: Ok(value.flow_ids),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct FlowStepsResponse {
            flows: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiFlowWithSteps>,
                ::std::string::String,
            >,
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for FlowStepsResponse {
            fn default() -> Self {
                Self {
                    flows: Ok(Default::default()),
                    request_id: Ok(Default::default()),
                }
            }
        }
        impl FlowStepsResponse {
            pub fn flows<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::PublicApiFlowWithSteps>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.flows = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flows: {e}")
                    });
                self
            }
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<FlowStepsResponse> for super::FlowStepsResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: FlowStepsResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    flows: value.flows?,
                    request_id: value.request_id?,
                })
            }
        }
        impl ::std::convert::From<super::FlowStepsResponse> for FlowStepsResponse {
            fn from(value: super::FlowStepsResponse) -> Self {
                Self {
                    flows: Ok(value.flows),
                    request_id: Ok(value.request_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct FlowsFoldersResponse {
            flows: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiFlow>,
                ::std::string::String,
            >,
            flows_folders: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiFlowFolder>,
                ::std::string::String,
            >,
            records: ::std::result::Result<
                ::std::option::Option<super::Records>,
                ::std::string::String,
            >,
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for FlowsFoldersResponse {
            fn default() -> Self {
                Self {
                    flows: Ok(Default::default()),
                    flows_folders: Ok(Default::default()),
                    records: Ok(Default::default()),
                    request_id: Ok(Default::default()),
                }
            }
        }
        impl FlowsFoldersResponse {
            pub fn flows<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::PublicApiFlow>>,
                T::Error: ::std::fmt::Display,
            {
                self.flows = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flows: {e}")
                    });
                self
            }
            pub fn flows_folders<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::PublicApiFlowFolder>>,
                T::Error: ::std::fmt::Display,
            {
                self.flows_folders = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flows_folders: {e}")
                    });
                self
            }
            pub fn records<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<super::Records>>,
                T::Error: ::std::fmt::Display,
            {
                self.records = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for records: {e}")
                    });
                self
            }
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<FlowsFoldersResponse>
        for super::FlowsFoldersResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: FlowsFoldersResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    flows: value.flows?,
                    flows_folders: value.flows_folders?,
                    records: value.records?,
                    request_id: value.request_id?,
                })
            }
        }
        impl ::std::convert::From<super::FlowsFoldersResponse> for FlowsFoldersResponse {
            fn from(value: super::FlowsFoldersResponse) -> Self {
                Self {
                    flows: Ok(value.flows),
                    flows_folders: Ok(value.flows_folders),
                    records: Ok(value.records),
                    request_id: Ok(value.request_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct FlowsResponse {
            flows: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiFlow>,
                ::std::string::String,
            >,
            records: ::std::result::Result<
                ::std::option::Option<super::Records>,
                ::std::string::String,
            >,
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for FlowsResponse {
            fn default() -> Self {
                Self {
                    flows: Ok(Default::default()),
                    records: Ok(Default::default()),
                    request_id: Ok(Default::default()),
                }
            }
        }
        impl FlowsResponse {
            pub fn flows<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::PublicApiFlow>>,
                T::Error: ::std::fmt::Display,
            {
                self.flows = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flows: {e}")
                    });
                self
            }
            pub fn records<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<super::Records>>,
                T::Error: ::std::fmt::Display,
            {
                self.records = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for records: {e}")
                    });
                self
            }
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<FlowsResponse> for super::FlowsResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: FlowsResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    flows: value.flows?,
                    records: value.records?,
                    request_id: value.request_id?,
                })
            }
        }
        impl ::std::convert::From<super::FlowsResponse> for FlowsResponse {
            fn from(value: super::FlowsResponse) -> Self {
                Self {
                    flows: Ok(value.flows),
                    records: Ok(value.records),
                    request_id: Ok(value.request_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ProspectsAssignedFlowsRequestV2 {
            crm_prospects_ids: ::std::result::Result<
                ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                ::std::string::String,
            >,
            flow_instance_ids: ::std::result::Result<
                ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ProspectsAssignedFlowsRequestV2 {
            fn default() -> Self {
                Self {
                    crm_prospects_ids: Ok(Default::default()),
                    flow_instance_ids: Ok(Default::default()),
                }
            }
        }
        impl ProspectsAssignedFlowsRequestV2 {
            pub fn crm_prospects_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.crm_prospects_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for crm_prospects_ids: {e}"
                        )
                    });
                self
            }
            pub fn flow_instance_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_ids: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ProspectsAssignedFlowsRequestV2>
        for super::ProspectsAssignedFlowsRequestV2 {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ProspectsAssignedFlowsRequestV2,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    crm_prospects_ids: value.crm_prospects_ids?,
                    flow_instance_ids: value.flow_instance_ids?,
                })
            }
        }
        impl ::std::convert::From<super::ProspectsAssignedFlowsRequestV2>
        for ProspectsAssignedFlowsRequestV2 {
            fn from(value: super::ProspectsAssignedFlowsRequestV2) -> Self {
                Self {
                    crm_prospects_ids: Ok(value.crm_prospects_ids),
                    flow_instance_ids: Ok(value.flow_instance_ids),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct ProspectsFlowsResponse {
            prospects_assigned: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiAssignedFlow>,
                ::std::string::String,
            >,
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for ProspectsFlowsResponse {
            fn default() -> Self {
                Self {
                    prospects_assigned: Ok(Default::default()),
                    request_id: Ok(Default::default()),
                }
            }
        }
        impl ProspectsFlowsResponse {
            pub fn prospects_assigned<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::vec::Vec<super::PublicApiAssignedFlow>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.prospects_assigned = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for prospects_assigned: {e}"
                        )
                    });
                self
            }
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<ProspectsFlowsResponse>
        for super::ProspectsFlowsResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: ProspectsFlowsResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    prospects_assigned: value.prospects_assigned?,
                    request_id: value.request_id?,
                })
            }
        }
        impl ::std::convert::From<super::ProspectsFlowsResponse>
        for ProspectsFlowsResponse {
            fn from(value: super::ProspectsFlowsResponse) -> Self {
                Self {
                    prospects_assigned: Ok(value.prospects_assigned),
                    request_id: Ok(value.request_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct PublicApiAssignedFlow {
            crm_prospect_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            exclusive: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            flow_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            flow_instance_create_date: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            flow_instance_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            flow_instance_owner_email: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            flow_instance_owner_full_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            flow_instance_status: ::std::result::Result<
                ::std::option::Option<crate::types::FlowInstanceStatus>,
                ::std::string::String,
            >,
            flow_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            workspace_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for PublicApiAssignedFlow {
            fn default() -> Self {
                Self {
                    crm_prospect_id: Ok(Default::default()),
                    exclusive: Ok(Default::default()),
                    flow_id: Ok(Default::default()),
                    flow_instance_create_date: Ok(Default::default()),
                    flow_instance_id: Ok(Default::default()),
                    flow_instance_owner_email: Ok(Default::default()),
                    flow_instance_owner_full_name: Ok(Default::default()),
                    flow_instance_status: Ok(Default::default()),
                    flow_name: Ok(Default::default()),
                    workspace_id: Ok(Default::default()),
                }
            }
        }
        impl PublicApiAssignedFlow {
            pub fn crm_prospect_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.crm_prospect_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for crm_prospect_id: {e}"
                        )
                    });
                self
            }
            pub fn exclusive<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.exclusive = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for exclusive: {e}")
                    });
                self
            }
            pub fn flow_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flow_id: {e}")
                    });
                self
            }
            pub fn flow_instance_create_date<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_create_date = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_create_date: {e}"
                        )
                    });
                self
            }
            pub fn flow_instance_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_id: {e}"
                        )
                    });
                self
            }
            pub fn flow_instance_owner_email<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_owner_email = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_owner_email: {e}"
                        )
                    });
                self
            }
            pub fn flow_instance_owner_full_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_owner_full_name = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_owner_full_name: {e}"
                        )
                    });
                self
            }
            pub fn flow_instance_status<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<crate::types::FlowInstanceStatus>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_status = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_status: {e}"
                        )
                    });
                self
            }
            pub fn flow_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flow_name: {e}")
                    });
                self
            }
            pub fn workspace_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.workspace_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for workspace_id: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<PublicApiAssignedFlow>
        for super::PublicApiAssignedFlow {
            type Error = super::error::ConversionError;
            fn try_from(
                value: PublicApiAssignedFlow,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    crm_prospect_id: value.crm_prospect_id?,
                    exclusive: value.exclusive?,
                    flow_id: value.flow_id?,
                    flow_instance_create_date: value.flow_instance_create_date?,
                    flow_instance_id: value.flow_instance_id?,
                    flow_instance_owner_email: value.flow_instance_owner_email?,
                    flow_instance_owner_full_name: value.flow_instance_owner_full_name?,
                    flow_instance_status: value.flow_instance_status?,
                    flow_name: value.flow_name?,
                    workspace_id: value.workspace_id?,
                })
            }
        }
        impl ::std::convert::From<super::PublicApiAssignedFlow>
        for PublicApiAssignedFlow {
            fn from(value: super::PublicApiAssignedFlow) -> Self {
                Self {
                    crm_prospect_id: Ok(value.crm_prospect_id),
                    exclusive: Ok(value.exclusive),
                    flow_id: Ok(value.flow_id),
                    flow_instance_create_date: Ok(value.flow_instance_create_date),
                    flow_instance_id: Ok(value.flow_instance_id),
                    flow_instance_owner_email: Ok(value.flow_instance_owner_email),
                    flow_instance_owner_full_name: Ok(
                        value.flow_instance_owner_full_name,
                    ),
                    flow_instance_status: Ok(value.flow_instance_status),
                    flow_name: Ok(value.flow_name),
                    workspace_id: Ok(value.workspace_id),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct PublicApiFlow {
            creation_date: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            exclusive: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            folder_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            folder_name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            visibility: ::std::result::Result<
                ::std::option::Option<crate::types::FlowVisibility>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for PublicApiFlow {
            fn default() -> Self {
                Self {
                    creation_date: Ok(Default::default()),
                    exclusive: Ok(Default::default()),
                    folder_id: Ok(Default::default()),
                    folder_name: Ok(Default::default()),
                    id: Ok(Default::default()),
                    name: Ok(Default::default()),
                    visibility: Ok(Default::default()),
                }
            }
        }
        impl PublicApiFlow {
            pub fn creation_date<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.creation_date = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for creation_date: {e}")
                    });
                self
            }
            pub fn exclusive<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.exclusive = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for exclusive: {e}")
                    });
                self
            }
            pub fn folder_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.folder_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for folder_id: {e}")
                    });
                self
            }
            pub fn folder_name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.folder_name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for folder_name: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for name: {e}")
                    });
                self
            }
            pub fn visibility<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<crate::types::FlowVisibility>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.visibility = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for visibility: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<PublicApiFlow> for super::PublicApiFlow {
            type Error = super::error::ConversionError;
            fn try_from(
                value: PublicApiFlow,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    creation_date: value.creation_date?,
                    exclusive: value.exclusive?,
                    folder_id: value.folder_id?,
                    folder_name: value.folder_name?,
                    id: value.id?,
                    name: value.name?,
                    visibility: value.visibility?,
                })
            }
        }
        impl ::std::convert::From<super::PublicApiFlow> for PublicApiFlow {
            fn from(value: super::PublicApiFlow) -> Self {
                Self {
                    creation_date: Ok(value.creation_date),
                    exclusive: Ok(value.exclusive),
                    folder_id: Ok(value.folder_id),
                    folder_name: Ok(value.folder_name),
                    id: Ok(value.id),
                    name: Ok(value.name),
                    visibility: Ok(value.visibility),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct PublicApiFlowFolder {
            created_by_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            parent_folder_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            visibility: ::std::result::Result<
                ::std::option::Option<crate::types::FlowVisibility>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for PublicApiFlowFolder {
            fn default() -> Self {
                Self {
                    created_by_id: Ok(Default::default()),
                    id: Ok(Default::default()),
                    name: Ok(Default::default()),
                    parent_folder_id: Ok(Default::default()),
                    visibility: Ok(Default::default()),
                }
            }
        }
        impl PublicApiFlowFolder {
            pub fn created_by_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.created_by_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for created_by_id: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for name: {e}")
                    });
                self
            }
            pub fn parent_folder_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.parent_folder_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for parent_folder_id: {e}"
                        )
                    });
                self
            }
            pub fn visibility<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<crate::types::FlowVisibility>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.visibility = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for visibility: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<PublicApiFlowFolder>
        for super::PublicApiFlowFolder {
            type Error = super::error::ConversionError;
            fn try_from(
                value: PublicApiFlowFolder,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    created_by_id: value.created_by_id?,
                    id: value.id?,
                    name: value.name?,
                    parent_folder_id: value.parent_folder_id?,
                    visibility: value.visibility?,
                })
            }
        }
        impl ::std::convert::From<super::PublicApiFlowFolder> for PublicApiFlowFolder {
            fn from(value: super::PublicApiFlowFolder) -> Self {
                Self {
                    created_by_id: Ok(value.created_by_id),
                    id: Ok(value.id),
                    name: Ok(value.name),
                    parent_folder_id: Ok(value.parent_folder_id),
                    visibility: Ok(value.visibility),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct PublicApiFlowStep {
            action: ::std::result::Result<
                ::std::option::Option<crate::types::FlowStepAction>,
                ::std::string::String,
            >,
            body: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            is_reply: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            step_order: ::std::result::Result<
                ::std::option::Option<i32>,
                ::std::string::String,
            >,
            subject: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for PublicApiFlowStep {
            fn default() -> Self {
                Self {
                    action: Ok(Default::default()),
                    body: Ok(Default::default()),
                    id: Ok(Default::default()),
                    is_reply: Ok(Default::default()),
                    step_order: Ok(Default::default()),
                    subject: Ok(Default::default()),
                }
            }
        }
        impl PublicApiFlowStep {
            pub fn action<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<crate::types::FlowStepAction>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.action = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for action: {e}")
                    });
                self
            }
            pub fn body<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.body = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for body: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn is_reply<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.is_reply = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for is_reply: {e}")
                    });
                self
            }
            pub fn step_order<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i32>>,
                T::Error: ::std::fmt::Display,
            {
                self.step_order = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for step_order: {e}")
                    });
                self
            }
            pub fn subject<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.subject = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for subject: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<PublicApiFlowStep> for super::PublicApiFlowStep {
            type Error = super::error::ConversionError;
            fn try_from(
                value: PublicApiFlowStep,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    action: value.action?,
                    body: value.body?,
                    id: value.id?,
                    is_reply: value.is_reply?,
                    step_order: value.step_order?,
                    subject: value.subject?,
                })
            }
        }
        impl ::std::convert::From<super::PublicApiFlowStep> for PublicApiFlowStep {
            fn from(value: super::PublicApiFlowStep) -> Self {
                Self {
                    action: Ok(value.action),
                    body: Ok(value.body),
                    id: Ok(value.id),
                    is_reply: Ok(value.is_reply),
                    step_order: Ok(value.step_order),
                    subject: Ok(value.subject),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct PublicApiFlowWithSteps {
            creation_date: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            description: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            exclusive: ::std::result::Result<
                ::std::option::Option<bool>,
                ::std::string::String,
            >,
            folder_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            name: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            steps: ::std::result::Result<
                ::std::vec::Vec<super::PublicApiFlowStep>,
                ::std::string::String,
            >,
            visibility: ::std::result::Result<
                ::std::option::Option<crate::types::FlowVisibility>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for PublicApiFlowWithSteps {
            fn default() -> Self {
                Self {
                    creation_date: Ok(Default::default()),
                    description: Ok(Default::default()),
                    exclusive: Ok(Default::default()),
                    folder_id: Ok(Default::default()),
                    id: Ok(Default::default()),
                    name: Ok(Default::default()),
                    steps: Ok(Default::default()),
                    visibility: Ok(Default::default()),
                }
            }
        }
        impl PublicApiFlowWithSteps {
            pub fn creation_date<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.creation_date = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for creation_date: {e}")
                    });
                self
            }
            pub fn description<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.description = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for description: {e}")
                    });
                self
            }
            pub fn exclusive<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<bool>>,
                T::Error: ::std::fmt::Display,
            {
                self.exclusive = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for exclusive: {e}")
                    });
                self
            }
            pub fn folder_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.folder_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for folder_id: {e}")
                    });
                self
            }
            pub fn id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.id = value
                    .try_into()
                    .map_err(|e| format!("error converting supplied value for id: {e}"));
                self
            }
            pub fn name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for name: {e}")
                    });
                self
            }
            pub fn steps<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<super::PublicApiFlowStep>>,
                T::Error: ::std::fmt::Display,
            {
                self.steps = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for steps: {e}")
                    });
                self
            }
            pub fn visibility<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<crate::types::FlowVisibility>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.visibility = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for visibility: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<PublicApiFlowWithSteps>
        for super::PublicApiFlowWithSteps {
            type Error = super::error::ConversionError;
            fn try_from(
                value: PublicApiFlowWithSteps,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    creation_date: value.creation_date?,
                    description: value.description?,
                    exclusive: value.exclusive?,
                    folder_id: value.folder_id?,
                    id: value.id?,
                    name: value.name?,
                    steps: value.steps?,
                    visibility: value.visibility?,
                })
            }
        }
        impl ::std::convert::From<super::PublicApiFlowWithSteps>
        for PublicApiFlowWithSteps {
            fn from(value: super::PublicApiFlowWithSteps) -> Self {
                Self {
                    creation_date: Ok(value.creation_date),
                    description: Ok(value.description),
                    exclusive: Ok(value.exclusive),
                    folder_id: Ok(value.folder_id),
                    id: Ok(value.id),
                    name: Ok(value.name),
                    steps: Ok(value.steps),
                    visibility: Ok(value.visibility),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct PublicApiStepContentOverride {
            body: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            number: ::std::result::Result<i32, ::std::string::String>,
            subject: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for PublicApiStepContentOverride {
            fn default() -> Self {
                Self {
                    body: Ok(Default::default()),
                    number: Err("no value supplied for number".to_string()),
                    subject: Ok(Default::default()),
                }
            }
        }
        impl PublicApiStepContentOverride {
            pub fn body<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.body = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for body: {e}")
                    });
                self
            }
            pub fn number<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<i32>,
                T::Error: ::std::fmt::Display,
            {
                self.number = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for number: {e}")
                    });
                self
            }
            pub fn subject<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.subject = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for subject: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<PublicApiStepContentOverride>
        for super::PublicApiStepContentOverride {
            type Error = super::error::ConversionError;
            fn try_from(
                value: PublicApiStepContentOverride,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    body: value.body?,
                    number: value.number?,
                    subject: value.subject?,
                })
            }
        }
        impl ::std::convert::From<super::PublicApiStepContentOverride>
        for PublicApiStepContentOverride {
            fn from(value: super::PublicApiStepContentOverride) -> Self {
                Self {
                    body: Ok(value.body),
                    number: Ok(value.number),
                    subject: Ok(value.subject),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct PublicApiVariableValueOverride {
            name: ::std::result::Result<::std::string::String, ::std::string::String>,
            value: ::std::result::Result<::std::string::String, ::std::string::String>,
        }
        impl ::std::default::Default for PublicApiVariableValueOverride {
            fn default() -> Self {
                Self {
                    name: Err("no value supplied for name".to_string()),
                    value: Err("no value supplied for value".to_string()),
                }
            }
        }
        impl PublicApiVariableValueOverride {
            pub fn name<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.name = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for name: {e}")
                    });
                self
            }
            pub fn value<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.value = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for value: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<PublicApiVariableValueOverride>
        for super::PublicApiVariableValueOverride {
            type Error = super::error::ConversionError;
            fn try_from(
                value: PublicApiVariableValueOverride,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    name: value.name?,
                    value: value.value?,
                })
            }
        }
        impl ::std::convert::From<super::PublicApiVariableValueOverride>
        for PublicApiVariableValueOverride {
            fn from(value: super::PublicApiVariableValueOverride) -> Self {
                Self {
                    name: Ok(value.name),
                    value: Ok(value.value),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct Records {
            current_page_number: ::std::result::Result<
                ::std::option::Option<i32>,
                ::std::string::String,
            >,
            current_page_size: ::std::result::Result<
                ::std::option::Option<i32>,
                ::std::string::String,
            >,
            cursor: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            total_records: ::std::result::Result<
                ::std::option::Option<i32>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for Records {
            fn default() -> Self {
                Self {
                    current_page_number: Ok(Default::default()),
                    current_page_size: Ok(Default::default()),
                    cursor: Ok(Default::default()),
                    total_records: Ok(Default::default()),
                }
            }
        }
        impl Records {
            pub fn current_page_number<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i32>>,
                T::Error: ::std::fmt::Display,
            {
                self.current_page_number = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for current_page_number: {e}"
                        )
                    });
                self
            }
            pub fn current_page_size<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i32>>,
                T::Error: ::std::fmt::Display,
            {
                self.current_page_size = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for current_page_size: {e}"
                        )
                    });
                self
            }
            pub fn cursor<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.cursor = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for cursor: {e}")
                    });
                self
            }
            pub fn total_records<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<i32>>,
                T::Error: ::std::fmt::Display,
            {
                self.total_records = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for total_records: {e}")
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<Records> for super::Records {
            type Error = super::error::ConversionError;
            fn try_from(
                value: Records,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    current_page_number: value.current_page_number?,
                    current_page_size: value.current_page_size?,
                    cursor: value.cursor?,
                    total_records: value.total_records?,
                })
            }
        }
        impl ::std::convert::From<super::Records> for Records {
            fn from(value: super::Records) -> Self {
                Self {
                    current_page_number: Ok(value.current_page_number),
                    current_page_size: Ok(value.current_page_size),
                    cursor: Ok(value.cursor),
                    total_records: Ok(value.total_records),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct UnassignFlowsRequest {
            flow_instance_ids: ::std::result::Result<
                ::std::vec::Vec<::std::string::String>,
                ::std::string::String,
            >,
            unassigned_by_user_email: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for UnassignFlowsRequest {
            fn default() -> Self {
                Self {
                    flow_instance_ids: Err(
                        "no value supplied for flow_instance_ids".to_string(),
                    ),
                    unassigned_by_user_email: Ok(Default::default()),
                }
            }
        }
        impl UnassignFlowsRequest {
            pub fn flow_instance_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::vec::Vec<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_instance_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for flow_instance_ids: {e}"
                        )
                    });
                self
            }
            pub fn unassigned_by_user_email<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.unassigned_by_user_email = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for unassigned_by_user_email: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<UnassignFlowsRequest>
        for super::UnassignFlowsRequest {
            type Error = super::error::ConversionError;
            fn try_from(
                value: UnassignFlowsRequest,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    flow_instance_ids: value.flow_instance_ids?,
                    unassigned_by_user_email: value.unassigned_by_user_email?,
                })
            }
        }
        impl ::std::convert::From<super::UnassignFlowsRequest> for UnassignFlowsRequest {
            fn from(value: super::UnassignFlowsRequest) -> Self {
                Self {
                    flow_instance_ids: Ok(value.flow_instance_ids),
                    unassigned_by_user_email: Ok(value.unassigned_by_user_email),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct UnassignFlowsResponse {
            request_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            unassigned_flow_instance_ids: ::std::result::Result<
                ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for UnassignFlowsResponse {
            fn default() -> Self {
                Self {
                    request_id: Ok(Default::default()),
                    unassigned_flow_instance_ids: Ok(Default::default()),
                }
            }
        }
        impl UnassignFlowsResponse {
            pub fn request_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.request_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for request_id: {e}")
                    });
                self
            }
            pub fn unassigned_flow_instance_ids<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<
                    ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                >,
                T::Error: ::std::fmt::Display,
            {
                self.unassigned_flow_instance_ids = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for unassigned_flow_instance_ids: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<UnassignFlowsResponse>
        for super::UnassignFlowsResponse {
            type Error = super::error::ConversionError;
            fn try_from(
                value: UnassignFlowsResponse,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    request_id: value.request_id?,
                    unassigned_flow_instance_ids: value.unassigned_flow_instance_ids?,
                })
            }
        }
        impl ::std::convert::From<super::UnassignFlowsResponse>
        for UnassignFlowsResponse {
            fn from(value: super::UnassignFlowsResponse) -> Self {
                Self {
                    request_id: Ok(value.request_id),
                    unassigned_flow_instance_ids: Ok(value.unassigned_flow_instance_ids),
                }
            }
        }
        #[derive(Clone, Debug)]
        pub struct UnassignProspectFlowsRequest {
            crm_prospect_id: ::std::result::Result<
                ::std::string::String,
                ::std::string::String,
            >,
            flow_id: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
            unassigned_by_user_email: ::std::result::Result<
                ::std::option::Option<::std::string::String>,
                ::std::string::String,
            >,
        }
        impl ::std::default::Default for UnassignProspectFlowsRequest {
            fn default() -> Self {
                Self {
                    crm_prospect_id: Err(
                        "no value supplied for crm_prospect_id".to_string(),
                    ),
                    flow_id: Ok(Default::default()),
                    unassigned_by_user_email: Ok(Default::default()),
                }
            }
        }
        impl UnassignProspectFlowsRequest {
            pub fn crm_prospect_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::string::String>,
                T::Error: ::std::fmt::Display,
            {
                self.crm_prospect_id = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for crm_prospect_id: {e}"
                        )
                    });
                self
            }
            pub fn flow_id<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.flow_id = value
                    .try_into()
                    .map_err(|e| {
                        format!("error converting supplied value for flow_id: {e}")
                    });
                self
            }
            pub fn unassigned_by_user_email<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                T::Error: ::std::fmt::Display,
            {
                self.unassigned_by_user_email = value
                    .try_into()
                    .map_err(|e| {
                        format!(
                            "error converting supplied value for unassigned_by_user_email: {e}"
                        )
                    });
                self
            }
        }
        impl ::std::convert::TryFrom<UnassignProspectFlowsRequest>
        for super::UnassignProspectFlowsRequest {
            type Error = super::error::ConversionError;
            fn try_from(
                value: UnassignProspectFlowsRequest,
            ) -> ::std::result::Result<Self, super::error::ConversionError> {
                Ok(Self {
                    crm_prospect_id: value.crm_prospect_id?,
                    flow_id: value.flow_id?,
                    unassigned_by_user_email: value.unassigned_by_user_email?,
                })
            }
        }
        impl ::std::convert::From<super::UnassignProspectFlowsRequest>
        for UnassignProspectFlowsRequest {
            fn from(value: super::UnassignProspectFlowsRequest) -> Self {
                Self {
                    crm_prospect_id: Ok(value.crm_prospect_id),
                    flow_id: Ok(value.flow_id),
                    unassigned_by_user_email: Ok(value.unassigned_by_user_email),
                }
            }
        }
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
    /**Who can see a flow or folder.

An open enum: a value this version does not know decodes as [`FlowVisibility::Unknown`] and is written back as it came.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum FlowVisibility {
        ///`Company`
        Company,
        ///`Personal`
        Personal,
        ///`Shared`
        Shared,
        /// A value this version does not know, kept as the service sent it.
        Unknown(::std::string::String),
    }
    impl FlowVisibility {
        /// Every value the spec documents, in the spec's order.
        pub const KNOWN: &'static [Self] = &[
            Self::Company,
            Self::Personal,
            Self::Shared,
        ];
        /// The value as it appears on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Company => "Company",
                Self::Personal => "Personal",
                Self::Shared => "Shared",
                Self::Unknown(value) => value.as_str(),
            }
        }
        /// Whether this value is one the spec does not document.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for FlowVisibility {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::convert::From<&str> for FlowVisibility {
        fn from(value: &str) -> Self {
            match value {
                "Company" => Self::Company,
                "Personal" => Self::Personal,
                "Shared" => Self::Shared,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for FlowVisibility {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "Company" => Self::Company,
                "Personal" => Self::Personal,
                "Shared" => Self::Shared,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for FlowVisibility {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::serde::Serialize for FlowVisibility {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for FlowVisibility {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            ::std::string::String::deserialize(deserializer).map(Self::from)
        }
    }
    impl ::schemars::JsonSchema for FlowVisibility {
        fn schema_name() -> ::std::string::String {
            "FlowVisibility".to_owned()
        }
        fn json_schema(
            _: &mut ::schemars::r#gen::SchemaGenerator,
        ) -> ::schemars::schema::Schema {
            ::schemars::schema::SchemaObject {
                metadata: Some(
                    Box::new(::schemars::schema::Metadata {
                        description: Some("Who can see a flow or folder.".to_owned()),
                        ..Default::default()
                    }),
                ),
                instance_type: Some(::schemars::schema::InstanceType::String.into()),
                enum_values: Some(
                    vec!["Company".into(), "Personal".into(), "Shared".into()],
                ),
                ..Default::default()
            }
                .into()
        }
    }
    /**The state of a prospect's flow instance. Gong documented the first three and added the three `Finished*` values later.

An open enum: a value this version does not know decodes as [`FlowInstanceStatus::Unknown`] and is written back as it came.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum FlowInstanceStatus {
        ///`Running`
        Running,
        ///`Pending`
        Pending,
        ///`Paused`
        Paused,
        ///`FinishedNoReply`
        FinishedNoReply,
        ///`FinishedResponse`
        FinishedResponse,
        ///`Finished`
        Finished,
        /// A value this version does not know, kept as the service sent it.
        Unknown(::std::string::String),
    }
    impl FlowInstanceStatus {
        /// Every value the spec documents, in the spec's order.
        pub const KNOWN: &'static [Self] = &[
            Self::Running,
            Self::Pending,
            Self::Paused,
            Self::FinishedNoReply,
            Self::FinishedResponse,
            Self::Finished,
        ];
        /// The value as it appears on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Running => "Running",
                Self::Pending => "Pending",
                Self::Paused => "Paused",
                Self::FinishedNoReply => "FinishedNoReply",
                Self::FinishedResponse => "FinishedResponse",
                Self::Finished => "Finished",
                Self::Unknown(value) => value.as_str(),
            }
        }
        /// Whether this value is one the spec does not document.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for FlowInstanceStatus {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::convert::From<&str> for FlowInstanceStatus {
        fn from(value: &str) -> Self {
            match value {
                "Running" => Self::Running,
                "Pending" => Self::Pending,
                "Paused" => Self::Paused,
                "FinishedNoReply" => Self::FinishedNoReply,
                "FinishedResponse" => Self::FinishedResponse,
                "Finished" => Self::Finished,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for FlowInstanceStatus {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "Running" => Self::Running,
                "Pending" => Self::Pending,
                "Paused" => Self::Paused,
                "FinishedNoReply" => Self::FinishedNoReply,
                "FinishedResponse" => Self::FinishedResponse,
                "Finished" => Self::Finished,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for FlowInstanceStatus {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::serde::Serialize for FlowInstanceStatus {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for FlowInstanceStatus {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            ::std::string::String::deserialize(deserializer).map(Self::from)
        }
    }
    impl ::schemars::JsonSchema for FlowInstanceStatus {
        fn schema_name() -> ::std::string::String {
            "FlowInstanceStatus".to_owned()
        }
        fn json_schema(
            _: &mut ::schemars::r#gen::SchemaGenerator,
        ) -> ::schemars::schema::Schema {
            ::schemars::schema::SchemaObject {
                metadata: Some(
                    Box::new(::schemars::schema::Metadata {
                        description: Some(
                            "The state of a prospect's flow instance. Gong documented the first three and added the three `Finished*` values later."
                                .to_owned(),
                        ),
                        ..Default::default()
                    }),
                ),
                instance_type: Some(::schemars::schema::InstanceType::String.into()),
                enum_values: Some(
                    vec![
                        "Running".into(), "Pending".into(), "Paused".into(),
                        "FinishedNoReply".into(), "FinishedResponse".into(), "Finished"
                        .into()
                    ],
                ),
                ..Default::default()
            }
                .into()
        }
    }
    /**Why a prospect was not assigned.

An open enum: a value this version does not know decodes as [`AssignErrorCode::Unknown`] and is written back as it came.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum AssignErrorCode {
        ///`InvalidArgument`
        InvalidArgument,
        ///`InvalidState`
        InvalidState,
        ///`UnexpectedError`
        UnexpectedError,
        /// A value this version does not know, kept as the service sent it.
        Unknown(::std::string::String),
    }
    impl AssignErrorCode {
        /// Every value the spec documents, in the spec's order.
        pub const KNOWN: &'static [Self] = &[
            Self::InvalidArgument,
            Self::InvalidState,
            Self::UnexpectedError,
        ];
        /// The value as it appears on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::InvalidArgument => "InvalidArgument",
                Self::InvalidState => "InvalidState",
                Self::UnexpectedError => "UnexpectedError",
                Self::Unknown(value) => value.as_str(),
            }
        }
        /// Whether this value is one the spec does not document.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for AssignErrorCode {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::convert::From<&str> for AssignErrorCode {
        fn from(value: &str) -> Self {
            match value {
                "InvalidArgument" => Self::InvalidArgument,
                "InvalidState" => Self::InvalidState,
                "UnexpectedError" => Self::UnexpectedError,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for AssignErrorCode {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "InvalidArgument" => Self::InvalidArgument,
                "InvalidState" => Self::InvalidState,
                "UnexpectedError" => Self::UnexpectedError,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for AssignErrorCode {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::serde::Serialize for AssignErrorCode {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for AssignErrorCode {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            ::std::string::String::deserialize(deserializer).map(Self::from)
        }
    }
    impl ::schemars::JsonSchema for AssignErrorCode {
        fn schema_name() -> ::std::string::String {
            "AssignErrorCode".to_owned()
        }
        fn json_schema(
            _: &mut ::schemars::r#gen::SchemaGenerator,
        ) -> ::schemars::schema::Schema {
            ::schemars::schema::SchemaObject {
                metadata: Some(
                    Box::new(::schemars::schema::Metadata {
                        description: Some("Why a prospect was not assigned.".to_owned()),
                        ..Default::default()
                    }),
                ),
                instance_type: Some(::schemars::schema::InstanceType::String.into()),
                enum_values: Some(
                    vec![
                        "InvalidArgument".into(), "InvalidState".into(),
                        "UnexpectedError".into()
                    ],
                ),
                ..Default::default()
            }
                .into()
        }
    }
    /**What a flow step does.

An open enum: a value this version does not know decodes as [`FlowStepAction::Unknown`] and is written back as it came.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum FlowStepAction {
        ///`SEND_EMAIL`
        SendEmail,
        ///`AUTO_SEND_EMAIL`
        AutoSendEmail,
        ///`CALL`
        Call,
        ///`LINKEDIN_CONNECT`
        LinkedinConnect,
        ///`LINKEDIN_MESSAGE`
        LinkedinMessage,
        ///`CUSTOM`
        Custom,
        /// A value this version does not know, kept as the service sent it.
        Unknown(::std::string::String),
    }
    impl FlowStepAction {
        /// Every value the spec documents, in the spec's order.
        pub const KNOWN: &'static [Self] = &[
            Self::SendEmail,
            Self::AutoSendEmail,
            Self::Call,
            Self::LinkedinConnect,
            Self::LinkedinMessage,
            Self::Custom,
        ];
        /// The value as it appears on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::SendEmail => "SEND_EMAIL",
                Self::AutoSendEmail => "AUTO_SEND_EMAIL",
                Self::Call => "CALL",
                Self::LinkedinConnect => "LINKEDIN_CONNECT",
                Self::LinkedinMessage => "LINKEDIN_MESSAGE",
                Self::Custom => "CUSTOM",
                Self::Unknown(value) => value.as_str(),
            }
        }
        /// Whether this value is one the spec does not document.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for FlowStepAction {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::convert::From<&str> for FlowStepAction {
        fn from(value: &str) -> Self {
            match value {
                "SEND_EMAIL" => Self::SendEmail,
                "AUTO_SEND_EMAIL" => Self::AutoSendEmail,
                "CALL" => Self::Call,
                "LINKEDIN_CONNECT" => Self::LinkedinConnect,
                "LINKEDIN_MESSAGE" => Self::LinkedinMessage,
                "CUSTOM" => Self::Custom,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for FlowStepAction {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "SEND_EMAIL" => Self::SendEmail,
                "AUTO_SEND_EMAIL" => Self::AutoSendEmail,
                "CALL" => Self::Call,
                "LINKEDIN_CONNECT" => Self::LinkedinConnect,
                "LINKEDIN_MESSAGE" => Self::LinkedinMessage,
                "CUSTOM" => Self::Custom,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for FlowStepAction {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::serde::Serialize for FlowStepAction {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for FlowStepAction {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            ::std::string::String::deserialize(deserializer).map(Self::from)
        }
    }
    impl ::schemars::JsonSchema for FlowStepAction {
        fn schema_name() -> ::std::string::String {
            "FlowStepAction".to_owned()
        }
        fn json_schema(
            _: &mut ::schemars::r#gen::SchemaGenerator,
        ) -> ::schemars::schema::Schema {
            ::schemars::schema::SchemaObject {
                metadata: Some(
                    Box::new(::schemars::schema::Metadata {
                        description: Some("What a flow step does.".to_owned()),
                        ..Default::default()
                    }),
                ),
                instance_type: Some(::schemars::schema::InstanceType::String.into()),
                enum_values: Some(
                    vec![
                        "SEND_EMAIL".into(), "AUTO_SEND_EMAIL".into(), "CALL".into(),
                        "LINKEDIN_CONNECT".into(), "LINKEDIN_MESSAGE".into(), "CUSTOM"
                        .into()
                    ],
                ),
                ..Default::default()
            }
                .into()
        }
    }
    /**The state of a bulk assignment job.

An open enum: a value this version does not know decodes as [`BulkAssignmentStatus::Unknown`] and is written back as it came.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum BulkAssignmentStatus {
        ///`PENDING`
        Pending,
        ///`IN_PROGRESS`
        InProgress,
        ///`COMPLETED`
        Completed,
        ///`FAILED`
        Failed,
        /// A value this version does not know, kept as the service sent it.
        Unknown(::std::string::String),
    }
    impl BulkAssignmentStatus {
        /// Every value the spec documents, in the spec's order.
        pub const KNOWN: &'static [Self] = &[
            Self::Pending,
            Self::InProgress,
            Self::Completed,
            Self::Failed,
        ];
        /// The value as it appears on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Pending => "PENDING",
                Self::InProgress => "IN_PROGRESS",
                Self::Completed => "COMPLETED",
                Self::Failed => "FAILED",
                Self::Unknown(value) => value.as_str(),
            }
        }
        /// Whether this value is one the spec does not document.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for BulkAssignmentStatus {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::convert::From<&str> for BulkAssignmentStatus {
        fn from(value: &str) -> Self {
            match value {
                "PENDING" => Self::Pending,
                "IN_PROGRESS" => Self::InProgress,
                "COMPLETED" => Self::Completed,
                "FAILED" => Self::Failed,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for BulkAssignmentStatus {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "PENDING" => Self::Pending,
                "IN_PROGRESS" => Self::InProgress,
                "COMPLETED" => Self::Completed,
                "FAILED" => Self::Failed,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for BulkAssignmentStatus {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::serde::Serialize for BulkAssignmentStatus {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for BulkAssignmentStatus {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            ::std::string::String::deserialize(deserializer).map(Self::from)
        }
    }
    impl ::schemars::JsonSchema for BulkAssignmentStatus {
        fn schema_name() -> ::std::string::String {
            "BulkAssignmentStatus".to_owned()
        }
        fn json_schema(
            _: &mut ::schemars::r#gen::SchemaGenerator,
        ) -> ::schemars::schema::Schema {
            ::schemars::schema::SchemaObject {
                metadata: Some(
                    Box::new(::schemars::schema::Metadata {
                        description: Some(
                            "The state of a bulk assignment job.".to_owned(),
                        ),
                        ..Default::default()
                    }),
                ),
                instance_type: Some(::schemars::schema::InstanceType::String.into()),
                enum_values: Some(
                    vec![
                        "PENDING".into(), "IN_PROGRESS".into(), "COMPLETED".into(),
                        "FAILED".into()
                    ],
                ),
                ..Default::default()
            }
                .into()
        }
    }
    /**The outcome for one prospect of a bulk assignment job.

An open enum: a value this version does not know decodes as [`FlowAssignmentResultStatus::Unknown`] and is written back as it came.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum FlowAssignmentResultStatus {
        ///`CRM_OPERATION_FAILED`
        CrmOperationFailed,
        ///`FLOW_ASSIGNMENT_FAILED`
        FlowAssignmentFailed,
        ///`ASSIGNED`
        Assigned,
        /// A value this version does not know, kept as the service sent it.
        Unknown(::std::string::String),
    }
    impl FlowAssignmentResultStatus {
        /// Every value the spec documents, in the spec's order.
        pub const KNOWN: &'static [Self] = &[
            Self::CrmOperationFailed,
            Self::FlowAssignmentFailed,
            Self::Assigned,
        ];
        /// The value as it appears on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::CrmOperationFailed => "CRM_OPERATION_FAILED",
                Self::FlowAssignmentFailed => "FLOW_ASSIGNMENT_FAILED",
                Self::Assigned => "ASSIGNED",
                Self::Unknown(value) => value.as_str(),
            }
        }
        /// Whether this value is one the spec does not document.
        pub fn is_unknown(&self) -> bool {
            matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for FlowAssignmentResultStatus {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::convert::From<&str> for FlowAssignmentResultStatus {
        fn from(value: &str) -> Self {
            match value {
                "CRM_OPERATION_FAILED" => Self::CrmOperationFailed,
                "FLOW_ASSIGNMENT_FAILED" => Self::FlowAssignmentFailed,
                "ASSIGNED" => Self::Assigned,
                other => Self::Unknown(other.to_owned()),
            }
        }
    }
    impl ::std::convert::From<::std::string::String> for FlowAssignmentResultStatus {
        fn from(value: ::std::string::String) -> Self {
            match value.as_str() {
                "CRM_OPERATION_FAILED" => Self::CrmOperationFailed,
                "FLOW_ASSIGNMENT_FAILED" => Self::FlowAssignmentFailed,
                "ASSIGNED" => Self::Assigned,
                _ => Self::Unknown(value),
            }
        }
    }
    impl ::std::str::FromStr for FlowAssignmentResultStatus {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self::from(value))
        }
    }
    impl ::serde::Serialize for FlowAssignmentResultStatus {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for FlowAssignmentResultStatus {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            ::std::string::String::deserialize(deserializer).map(Self::from)
        }
    }
    impl ::schemars::JsonSchema for FlowAssignmentResultStatus {
        fn schema_name() -> ::std::string::String {
            "FlowAssignmentResultStatus".to_owned()
        }
        fn json_schema(
            _: &mut ::schemars::r#gen::SchemaGenerator,
        ) -> ::schemars::schema::Schema {
            ::schemars::schema::SchemaObject {
                metadata: Some(
                    Box::new(::schemars::schema::Metadata {
                        description: Some(
                            "The outcome for one prospect of a bulk assignment job."
                                .to_owned(),
                        ),
                        ..Default::default()
                    }),
                ),
                instance_type: Some(::schemars::schema::InstanceType::String.into()),
                enum_values: Some(
                    vec![
                        "CRM_OPERATION_FAILED".into(), "FLOW_ASSIGNMENT_FAILED".into(),
                        "ASSIGNED".into()
                    ],
                ),
                ..Default::default()
            }
                .into()
        }
    }
}
#[derive(Clone, Debug)]
/**Client for Gong Engage Flows API

Put CRM prospects (contacts and leads) into Gong Engage flows, take them out again, and read flows, folders, steps and bulk assignment jobs. Rate limits are per company: 3 calls per second and 10,000 calls per day; over the limit the service answers 429 with an integer `Retry-After`.

Version: 2.0.0*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: crate::RequestSettings,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: crate::RequestSettings) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: crate::RequestSettings,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<crate::RequestSettings> for Client {
    fn api_version() -> &'static str {
        "2.0.0"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &crate::RequestSettings {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<crate::RequestSettings>,
    {}
};
impl Client {
    /**List the flows a user can see

Lists all company flows plus the personal and shared flows of the given user, or, with `mostRecentlyAssigned`, the flows that user assigned most recently (at most 20). Paginated with `cursor`, about 100 flows a page. Required scope: `api:flows:read`.

Sends a `GET` request to `/v2/flows`

Arguments:
- `cursor`: The `records.cursor` of the previous page; pass it back with every other input unchanged to get the next page.
- `flow_owner_email`: Email of the Gong user whose personal and shared flows are listed beside the company flows. (Gong's prose once spelled it `flowEmailOwner`; the parameter is `flowOwnerEmail`.)
- `folder_id`: Only the flows in this folder.
- `most_recently_assigned`: When true, only the flows this user assigned most recently come back (at most 20).
- `workspace_id`: Only the items of this Gong workspace.
```ignore
let response = client.list_flows()
    .cursor(cursor)
    .flow_owner_email(flow_owner_email)
    .folder_id(folder_id)
    .most_recently_assigned(most_recently_assigned)
    .workspace_id(workspace_id)
    .send()
    .await;
```*/
    pub fn list_flows(&self) -> builder::ListFlows<'_> {
        builder::ListFlows::new(self)
    }
    /**List the flow folders a user can see

Lists the company folders plus the personal and shared folders of the given user. Gong documents the answer as a `FlowsResponse`, but the service answers with `flowsFolders` items whose absent values are the string `"null"`; the response schema accepts both shapes. Required scope: `api:flows:read`.

Sends a `GET` request to `/v2/flows/folders`

Arguments:
- `cursor`: The `records.cursor` of the previous page; pass it back with every other input unchanged to get the next page.
- `flow_folder_owner_email`: Email of the Gong user whose personal and shared folders are listed.
- `parent_id`: Only this folder and its children.
- `workspace_id`: Only the items of this Gong workspace.
```ignore
let response = client.list_flows_folders()
    .cursor(cursor)
    .flow_folder_owner_email(flow_folder_owner_email)
    .parent_id(parent_id)
    .workspace_id(workspace_id)
    .send()
    .await;
```*/
    pub fn list_flows_folders(&self) -> builder::ListFlowsFolders<'_> {
        builder::ListFlowsFolders::new(self)
    }
    /**List the flows prospects are in

Give CRM prospect IDs or flow instance IDs. By CRM IDs only open flow instances (Pending, Running, Paused) come back; by flow instance IDs finished ones too. Unknown CRM IDs answer 200 with an empty list. Required scope: `api:flows:read`.

Sends a `POST` request to `/v2/flows/prospects`

```ignore
let response = client.get_prospects_assigned_flows()
    .body(body)
    .send()
    .await;
```*/
    pub fn get_prospects_assigned_flows(
        &self,
    ) -> builder::GetProspectsAssignedFlows<'_> {
        builder::GetProspectsAssignedFlows::new(self)
    }
    /**Assign prospects to a flow

Assigns up to 200 prospects (CRM contacts or leads) to a flow in one request. Partial success is reported per prospect inside the 200 answer: `prospectsAssigned` and `prospectsNotAssigned`. 404 means the flow does not exist. Required scope: `api:flows:write`.

Sends a `POST` request to `/v2/flows/prospects/assign`

```ignore
let response = client.assign_prospects()
    .body(body)
    .send()
    .await;
```*/
    pub fn assign_prospects(&self) -> builder::AssignProspects<'_> {
        builder::AssignProspects::new(self)
    }
    /**Assign prospects to a flow, ignoring their cool-off period

Same body and answers as `assignProspects`, but prospects still in their cool-off period are assigned anyway. Deprecated: use `overrides.coolOffOverride: true` on `assignProspects`. Required scope: `api:flows:write`.

Sends a `POST` request to `/v2/flows/prospects/assign/cool-off-override`

```ignore
let response = client.assign_prospects_cool_off_overrides()
    .body(body)
    .send()
    .await;
```*/
    pub fn assign_prospects_cool_off_overrides(
        &self,
    ) -> builder::AssignProspectsCoolOffOverrides<'_> {
        builder::AssignProspectsCoolOffOverrides::new(self)
    }
    /**Remove one prospect from its flows, by CRM prospect ID

Removes one prospect (one CRM ID per call) from all its flows, or from one flow when `flowId` is given. Answers with the flow instance IDs that were removed; an unknown CRM ID answers 200 with an empty list. Required scope: `api:flows:write`; without it, 403 (Gong's document leaves 403 out here, see openapi/known-differences.yaml).

Sends a `POST` request to `/v2/flows/prospects/unassign-flows-by-crm-id`

```ignore
let response = client.unassign_prospect_flows()
    .body(body)
    .send()
    .await;
```*/
    pub fn unassign_prospect_flows(&self) -> builder::UnassignProspectFlows<'_> {
        builder::UnassignProspectFlows::new(self)
    }
    /**Remove flow instances, by flow instance ID

Removes up to 200 flow instances in one request. Instances that could not be removed are absent from the answer. A single unknown instance ID fails the whole request with 400 ("One or more of the given flowInstanceIds does not exist"). Required scope: `api:flows:write`; without it, 403 (Gong's document leaves 403 out here, see openapi/known-differences.yaml).

Sends a `POST` request to `/v2/flows/prospects/unassign-flows-by-instance-id`

```ignore
let response = client.unassign_flows()
    .body(body)
    .send()
    .await;
```*/
    pub fn unassign_flows(&self) -> builder::UnassignFlows<'_> {
        builder::UnassignFlows::new(self)
    }
    /**Get the steps of flows

Returns up to 20 flows with their steps. A single unknown flow ID fails the whole request with 404. Required scope: `api:flows:read`.

Sends a `POST` request to `/v2/flows/steps`

```ignore
let response = client.get_flow_steps()
    .body(body)
    .send()
    .await;
```*/
    pub fn get_flow_steps(&self) -> builder::GetFlowSteps<'_> {
        builder::GetFlowSteps::new(self)
    }
    /**Submit an asynchronous bulk assignment

Starts an asynchronous job that assigns up to 50 prospects to a flow; the prospects need not exist in the CRM yet. Answers 202 with the job; poll `getFlowProspectsBulkAssignment` until `COMPLETED` or `FAILED`. Inside a job the daily limit shows up per prospect, not as a 429. Required scope: `api:flows:write`.

Sends a `POST` request to `/v2/flows/prospects/bulk-assignments`

```ignore
let response = client.submit_flow_prospects_bulk_assignment()
    .body(body)
    .send()
    .await;
```*/
    pub fn submit_flow_prospects_bulk_assignment(
        &self,
    ) -> builder::SubmitFlowProspectsBulkAssignment<'_> {
        builder::SubmitFlowProspectsBulkAssignment::new(self)
    }
    /**Get the status of a bulk assignment

Returns a bulk assignment job and its per-prospect results. An unknown ID answers 404 (`Flow prospects bulk assignment <id> not found`). Required scope: `api:flows:read`.

Sends a `GET` request to `/v2/flows/prospects/bulk-assignments/{id}`

Arguments:
- `id`: The job ID (a UUID) returned by `submitFlowProspectsBulkAssignment`.
```ignore
let response = client.get_flow_prospects_bulk_assignment()
    .id(id)
    .send()
    .await;
```*/
    pub fn get_flow_prospects_bulk_assignment(
        &self,
    ) -> builder::GetFlowProspectsBulkAssignment<'_> {
        builder::GetFlowProspectsBulkAssignment::new(self)
    }
}
/// Types for composing operation parameters.
#[allow(clippy::all)]
pub mod builder {
    use super::types;
    #[allow(unused_imports)]
    use super::{
        encode_path, ByteStream, ClientInfo, ClientHooks, Error, OperationInfo,
        RequestBuilderExt, ResponseValue,
    };
    /**Builder for [`Client::list_flows`]

[`Client::list_flows`]: super::Client::list_flows*/
    #[derive(Debug, Clone)]
    pub struct ListFlows<'a> {
        client: &'a super::Client,
        cursor: Result<Option<::std::string::String>, String>,
        flow_owner_email: Result<::std::string::String, String>,
        folder_id: Result<Option<::std::string::String>, String>,
        most_recently_assigned: Result<Option<bool>, String>,
        workspace_id: Result<Option<::std::string::String>, String>,
    }
    impl<'a> ListFlows<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                cursor: Ok(None),
                flow_owner_email: Err(
                    "flow_owner_email was not initialized".to_string(),
                ),
                folder_id: Ok(None),
                most_recently_assigned: Ok(None),
                workspace_id: Ok(None),
            }
        }
        pub fn cursor<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.cursor = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for cursor failed"
                        .to_string()
                });
            self
        }
        pub fn flow_owner_email<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.flow_owner_email = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for flow_owner_email failed"
                        .to_string()
                });
            self
        }
        pub fn folder_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.folder_id = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for folder_id failed"
                        .to_string()
                });
            self
        }
        pub fn most_recently_assigned<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<bool>,
        {
            self.most_recently_assigned = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `bool` for most_recently_assigned failed".to_string()
                });
            self
        }
        pub fn workspace_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.workspace_id = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for workspace_id failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/v2/flows`
        pub async fn send(
            self,
        ) -> Result<ResponseValue<types::FlowsResponse>, Error<types::ErrorResponse>> {
            let Self {
                client,
                cursor,
                flow_owner_email,
                folder_id,
                most_recently_assigned,
                workspace_id,
            } = self;
            let cursor = cursor.map_err(Error::InvalidRequest)?;
            let flow_owner_email = flow_owner_email.map_err(Error::InvalidRequest)?;
            let folder_id = folder_id.map_err(Error::InvalidRequest)?;
            let most_recently_assigned = most_recently_assigned
                .map_err(Error::InvalidRequest)?;
            let workspace_id = workspace_id.map_err(Error::InvalidRequest)?;
            let url = format!("{}/v2/flows", client.baseurl,);
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .query(&progenitor_client::QueryParam::new("cursor", &cursor))
                .query(
                    &progenitor_client::QueryParam::new(
                        "flowOwnerEmail",
                        &flow_owner_email,
                    ),
                )
                .query(&progenitor_client::QueryParam::new("folderId", &folder_id))
                .query(
                    &progenitor_client::QueryParam::new(
                        "mostRecentlyAssigned",
                        &most_recently_assigned,
                    ),
                )
                .query(&progenitor_client::QueryParam::new("workspaceId", &workspace_id))
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "list_flows",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::list_flows_folders`]

[`Client::list_flows_folders`]: super::Client::list_flows_folders*/
    #[derive(Debug, Clone)]
    pub struct ListFlowsFolders<'a> {
        client: &'a super::Client,
        cursor: Result<Option<::std::string::String>, String>,
        flow_folder_owner_email: Result<::std::string::String, String>,
        parent_id: Result<Option<i64>, String>,
        workspace_id: Result<Option<::std::string::String>, String>,
    }
    impl<'a> ListFlowsFolders<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                cursor: Ok(None),
                flow_folder_owner_email: Err(
                    "flow_folder_owner_email was not initialized".to_string(),
                ),
                parent_id: Ok(None),
                workspace_id: Ok(None),
            }
        }
        pub fn cursor<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.cursor = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for cursor failed"
                        .to_string()
                });
            self
        }
        pub fn flow_folder_owner_email<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.flow_folder_owner_email = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for flow_folder_owner_email failed"
                        .to_string()
                });
            self
        }
        pub fn parent_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<i64>,
        {
            self.parent_id = value
                .try_into()
                .map(Some)
                .map_err(|_| "conversion to `i64` for parent_id failed".to_string());
            self
        }
        pub fn workspace_id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.workspace_id = value
                .try_into()
                .map(Some)
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for workspace_id failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/v2/flows/folders`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::FlowsFoldersResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self {
                client,
                cursor,
                flow_folder_owner_email,
                parent_id,
                workspace_id,
            } = self;
            let cursor = cursor.map_err(Error::InvalidRequest)?;
            let flow_folder_owner_email = flow_folder_owner_email
                .map_err(Error::InvalidRequest)?;
            let parent_id = parent_id.map_err(Error::InvalidRequest)?;
            let workspace_id = workspace_id.map_err(Error::InvalidRequest)?;
            let url = format!("{}/v2/flows/folders", client.baseurl,);
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .query(&progenitor_client::QueryParam::new("cursor", &cursor))
                .query(
                    &progenitor_client::QueryParam::new(
                        "flowFolderOwnerEmail",
                        &flow_folder_owner_email,
                    ),
                )
                .query(&progenitor_client::QueryParam::new("parentId", &parent_id))
                .query(&progenitor_client::QueryParam::new("workspaceId", &workspace_id))
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "list_flows_folders",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::get_prospects_assigned_flows`]

[`Client::get_prospects_assigned_flows`]: super::Client::get_prospects_assigned_flows*/
    #[derive(Debug, Clone)]
    pub struct GetProspectsAssignedFlows<'a> {
        client: &'a super::Client,
        body: Result<types::builder::ProspectsAssignedFlowsRequestV2, String>,
    }
    impl<'a> GetProspectsAssignedFlows<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::ProspectsAssignedFlowsRequestV2>,
            <V as std::convert::TryInto<
                types::ProspectsAssignedFlowsRequestV2,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!(
                        "conversion to `ProspectsAssignedFlowsRequestV2` for body failed: {}",
                        s
                    )
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::ProspectsAssignedFlowsRequestV2,
            ) -> types::builder::ProspectsAssignedFlowsRequestV2,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v2/flows/prospects`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::ProspectsFlowsResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, body } = self;
            let body = body
                .and_then(|v| {
                    types::ProspectsAssignedFlowsRequestV2::try_from(v)
                        .map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!("{}/v2/flows/prospects", client.baseurl,);
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "get_prospects_assigned_flows",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::assign_prospects`]

[`Client::assign_prospects`]: super::Client::assign_prospects*/
    #[derive(Debug, Clone)]
    pub struct AssignProspects<'a> {
        client: &'a super::Client,
        body: Result<types::builder::AssignFlowRequestV2, String>,
    }
    impl<'a> AssignProspects<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::AssignFlowRequestV2>,
            <V as std::convert::TryInto<
                types::AssignFlowRequestV2,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!("conversion to `AssignFlowRequestV2` for body failed: {}", s)
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::AssignFlowRequestV2,
            ) -> types::builder::AssignFlowRequestV2,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v2/flows/prospects/assign`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::AssignFlowResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, body } = self;
            let body = body
                .and_then(|v| {
                    types::AssignFlowRequestV2::try_from(v).map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!("{}/v2/flows/prospects/assign", client.baseurl,);
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "assign_prospects",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::assign_prospects_cool_off_overrides`]

[`Client::assign_prospects_cool_off_overrides`]: super::Client::assign_prospects_cool_off_overrides*/
    #[derive(Debug, Clone)]
    pub struct AssignProspectsCoolOffOverrides<'a> {
        client: &'a super::Client,
        body: Result<types::builder::AssignFlowRequestV2, String>,
    }
    impl<'a> AssignProspectsCoolOffOverrides<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::AssignFlowRequestV2>,
            <V as std::convert::TryInto<
                types::AssignFlowRequestV2,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!("conversion to `AssignFlowRequestV2` for body failed: {}", s)
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::AssignFlowRequestV2,
            ) -> types::builder::AssignFlowRequestV2,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v2/flows/prospects/assign/cool-off-override`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::AssignFlowResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, body } = self;
            let body = body
                .and_then(|v| {
                    types::AssignFlowRequestV2::try_from(v).map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v2/flows/prospects/assign/cool-off-override", client.baseurl,
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "assign_prospects_cool_off_overrides",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::unassign_prospect_flows`]

[`Client::unassign_prospect_flows`]: super::Client::unassign_prospect_flows*/
    #[derive(Debug, Clone)]
    pub struct UnassignProspectFlows<'a> {
        client: &'a super::Client,
        body: Result<types::builder::UnassignProspectFlowsRequest, String>,
    }
    impl<'a> UnassignProspectFlows<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::UnassignProspectFlowsRequest>,
            <V as std::convert::TryInto<
                types::UnassignProspectFlowsRequest,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!(
                        "conversion to `UnassignProspectFlowsRequest` for body failed: {}",
                        s
                    )
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::UnassignProspectFlowsRequest,
            ) -> types::builder::UnassignProspectFlowsRequest,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v2/flows/prospects/unassign-flows-by-crm-id`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::UnassignFlowsResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, body } = self;
            let body = body
                .and_then(|v| {
                    types::UnassignProspectFlowsRequest::try_from(v)
                        .map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v2/flows/prospects/unassign-flows-by-crm-id", client.baseurl,
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "unassign_prospect_flows",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::unassign_flows`]

[`Client::unassign_flows`]: super::Client::unassign_flows*/
    #[derive(Debug, Clone)]
    pub struct UnassignFlows<'a> {
        client: &'a super::Client,
        body: Result<types::builder::UnassignFlowsRequest, String>,
    }
    impl<'a> UnassignFlows<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::UnassignFlowsRequest>,
            <V as std::convert::TryInto<
                types::UnassignFlowsRequest,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!(
                        "conversion to `UnassignFlowsRequest` for body failed: {}", s
                    )
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::UnassignFlowsRequest,
            ) -> types::builder::UnassignFlowsRequest,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v2/flows/prospects/unassign-flows-by-instance-id`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::UnassignFlowsResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, body } = self;
            let body = body
                .and_then(|v| {
                    types::UnassignFlowsRequest::try_from(v).map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v2/flows/prospects/unassign-flows-by-instance-id", client.baseurl,
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "unassign_flows",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::get_flow_steps`]

[`Client::get_flow_steps`]: super::Client::get_flow_steps*/
    #[derive(Debug, Clone)]
    pub struct GetFlowSteps<'a> {
        client: &'a super::Client,
        body: Result<types::builder::FlowStepsRequest, String>,
    }
    impl<'a> GetFlowSteps<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::FlowStepsRequest>,
            <V as std::convert::TryInto<
                types::FlowStepsRequest,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!("conversion to `FlowStepsRequest` for body failed: {}", s)
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::FlowStepsRequest,
            ) -> types::builder::FlowStepsRequest,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v2/flows/steps`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::FlowStepsResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, body } = self;
            let body = body
                .and_then(|v| {
                    types::FlowStepsRequest::try_from(v).map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!("{}/v2/flows/steps", client.baseurl,);
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "get_flow_steps",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::submit_flow_prospects_bulk_assignment`]

[`Client::submit_flow_prospects_bulk_assignment`]: super::Client::submit_flow_prospects_bulk_assignment*/
    #[derive(Debug, Clone)]
    pub struct SubmitFlowProspectsBulkAssignment<'a> {
        client: &'a super::Client,
        body: Result<types::builder::FlowProspectsBulkAssignmentRequest, String>,
    }
    impl<'a> SubmitFlowProspectsBulkAssignment<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                body: Ok(::std::default::Default::default()),
            }
        }
        pub fn body<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<types::FlowProspectsBulkAssignmentRequest>,
            <V as std::convert::TryInto<
                types::FlowProspectsBulkAssignmentRequest,
            >>::Error: std::fmt::Display,
        {
            self.body = value
                .try_into()
                .map(From::from)
                .map_err(|s| {
                    format!(
                        "conversion to `FlowProspectsBulkAssignmentRequest` for body failed: {}",
                        s
                    )
                });
            self
        }
        pub fn body_map<F>(mut self, f: F) -> Self
        where
            F: std::ops::FnOnce(
                types::builder::FlowProspectsBulkAssignmentRequest,
            ) -> types::builder::FlowProspectsBulkAssignmentRequest,
        {
            self.body = self.body.map(f);
            self
        }
        ///Sends a `POST` request to `/v2/flows/prospects/bulk-assignments`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::FlowProspectsBulkAssignmentResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, body } = self;
            let body = body
                .and_then(|v| {
                    types::FlowProspectsBulkAssignmentRequest::try_from(v)
                        .map_err(|e| e.to_string())
                })
                .map_err(Error::InvalidRequest)?;
            let url = format!("{}/v2/flows/prospects/bulk-assignments", client.baseurl,);
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .post(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .json(&body)
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "submit_flow_prospects_bulk_assignment",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                202u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
    /**Builder for [`Client::get_flow_prospects_bulk_assignment`]

[`Client::get_flow_prospects_bulk_assignment`]: super::Client::get_flow_prospects_bulk_assignment*/
    #[derive(Debug, Clone)]
    pub struct GetFlowProspectsBulkAssignment<'a> {
        client: &'a super::Client,
        id: Result<::std::string::String, String>,
    }
    impl<'a> GetFlowProspectsBulkAssignment<'a> {
        pub fn new(client: &'a super::Client) -> Self {
            Self {
                client: client,
                id: Err("id was not initialized".to_string()),
            }
        }
        pub fn id<V>(mut self, value: V) -> Self
        where
            V: std::convert::TryInto<::std::string::String>,
        {
            self.id = value
                .try_into()
                .map_err(|_| {
                    "conversion to `:: std :: string :: String` for id failed"
                        .to_string()
                });
            self
        }
        ///Sends a `GET` request to `/v2/flows/prospects/bulk-assignments/{id}`
        pub async fn send(
            self,
        ) -> Result<
            ResponseValue<types::FlowProspectsBulkAssignmentResponse>,
            Error<types::ErrorResponse>,
        > {
            let Self { client, id } = self;
            let id = id.map_err(Error::InvalidRequest)?;
            let url = format!(
                "{}/v2/flows/prospects/bulk-assignments/{}", client.baseurl,
                encode_path(& id.to_string()),
            );
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
            header_map
                .append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(
                        super::Client::api_version(),
                    ),
                );
            #[allow(unused_mut)]
            let mut request = client
                .client
                .get(url)
                .header(
                    ::reqwest::header::ACCEPT,
                    ::reqwest::header::HeaderValue::from_static("application/json"),
                )
                .headers(header_map)
                .build()?;
            let info = OperationInfo {
                operation_id: "get_flow_prospects_bulk_assignment",
            };
            client.pre(&mut request, &info).await?;
            let result = client.exec(request, &info).await;
            client.post(&result, &info).await?;
            let response = result?;
            match response.status().as_u16() {
                200u16 => ResponseValue::from_response(response).await,
                400u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                401u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                403u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                404u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                429u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                500u16 => {
                    Err(
                        Error::ErrorResponse(
                            ResponseValue::from_response(response).await?,
                        ),
                    )
                }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    pub use self::super::Client;
}
