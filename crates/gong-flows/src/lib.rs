//! The Rust SDK for Gong's Engage Flows API.
//!
//! Put CRM prospects (contacts, leads) into Gong Engage flows and take them
//! out again, at scale, without losing track of any of them:
//!
//! - **Batching**: give any number of ids; they are checked, deduplicated and
//!   sent in chunks of Gong's per-request limits (200 per assign).
//! - **Pacing**: calls are spaced to Gong's limit of 3 per second per company,
//!   shared by every clone of a [`Client`]; a 429 pauses every caller for its
//!   `Retry-After`; an optional daily budget fails fast instead of burning
//!   the day's quota. Several processes can share one limit through the
//!   [`Pacer`] trait (`RedisPacer`, cargo feature `redis`), and repeated
//!   429s from other traffic of the company lower the rate ([`Adaptation`]).
//! - **Retries**: [`RetryPolicy`] retries what is safe to retry (reads,
//!   unassigns, and assigns with reconciliation), honours `Retry-After`
//!   exactly, and never repeats a bulk submit that may have been processed.
//! - **Jobs**: every bulk operation runs on one job driver, three ways:
//!   `send()` for the whole report, `parts()` / `parts_from_iter()` /
//!   `parts_from_stream()` for the report in parts, one per chunk
//!   ([`Parts`]), in bounded memory, and `start()` for a [`JobHandle`] with
//!   live [`Progress`] (every call counted, look-ups included; JSON-ready),
//!   `cancel()` and `abort()`. The driver makes every call: a job kind only
//!   says how its inputs become a request and how an answer sorts them.
//! - **Plans and quota**: `plan()` bounds a job's calls before it starts
//!   ([`Plan`]); a job that may not fit what is left of the company's day is
//!   refused before anything is sent, or runs what fits, or waits
//!   ([`OverQuota`]).
//! - **Reports**: every bulk operation returns a report that puts every
//!   unique input in exactly one place: done, refused by Gong (with its code
//!   and message), or not attempted (with the error that stopped it).
//!   Reports serialise (and read back) as camelCase JSON; [`SavedReport`] is
//!   a report file, [`SavedJob`] runs a job around one (checkpoint, resume,
//!   lock, the company it belongs to), and [`Outcome`] maps a report to an
//!   exit code.
//! - **Errors**: one [`Error`] type; every API error carries the status,
//!   Gong's `requestId` and its messages.
//! - **Inputs** (default feature `input`): [`input`] reads id files and
//!   prospect CSVs as CRM exports write them, finds the id column by its
//!   header, and names the file and line of anything malformed.
//! - **Tests**: models have constructors (`Flow::new(id, name)`,
//!   `FlowInstance::new(flow, prospect)`, …) and a one-line `Display`;
//!   `gong-flows-sim` and `gong-flows-httpmock` stand in for Gong (see the
//!   `testing` example).
//!
//! ```no_run
//! use gong_flows::{Client, Credentials};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .base_url("https://us-55616.api.gong.io")
//!     .credentials(Credentials::basic("ACCESS_KEY", "ACCESS_KEY_SECRET"))
//!     .build()?;
//!
//! // Which flows can this user assign to?
//! let flows = client.list_flows("owner@example.com").collect_all().await?;
//! let flow = &flows[0];
//!
//! // The ids: one per line, or a CRM export's CSV (its id column found by
//! // its header); every id checked and repeats dropped, any problem named
//! // by file and line before anything is sent.
//! let ids = gong_flows::input::read_ids("ids.txt", None)?;
//!
//! // Assign any number of prospects: chunks of 200, paced, retried.
//! let report = client
//!     .assign(&flow.id, "owner@example.com")
//!     .prospects(&ids.unique)
//!     .send()
//!     .await?; // a job stopped by an error is an `Err`: see `JobError`
//! println!("{report}"); // 448 assigned, 2 refused, 0 not attempted (3 calls)
//! # Ok(()) }
//! ```
//!
//! The low-level generated client is re-exported as [`api`] for anything
//! this crate does not cover.
//!
//! ## Words
//!
//! One meaning each, here and in the simulator and the command line:
//!
//! | word | means | not |
//! |---|---|---|
//! | job | a client-side run of one operation over many inputs | Gong's bulk assignment |
//! | bulk job | Gong's asynchronous bulk assignment ([`BulkJob`]) | a job |
//! | chunk | the inputs the driver sends together (one call; calls of Gong's smaller limit once learned) | batch, piece |
//! | part | the report of one chunk ([`Part`]), merged into the job's report | chunk |
//! | look-up | a read the driver makes inside a job to settle inputs | a nested job |
//! | settle | decide an input's bucket after a lost or silent answer | |
//! | plan | the calls a job takes, known before it starts ([`Plan`]) | |
//! | outcome | the exit-code class of a finished job ([`Outcome`]) | the result of one call |
//! | stopped | a job that ended on an error before attempting every input: an `Err` ([`JobError::Stopped`]) carrying its report | a refusal by Gong (in an `Ok` report) |
//!
//! ## Cargo features: TLS
//!
//! HTTPS goes through reqwest, with the backend you choose, as with reqwest
//! itself:
//!
//! - `rustls` (default): rustls with the platform's certificate verifier;
//! - `native-tls`: the platform's TLS library (OpenSSL on Linux, which needs
//!   its development files, e.g. `libssl-dev` and `pkg-config`, to build).
//!
//! ```toml
//! gong-flows = { version = "0.1", default-features = false, features = ["native-tls"] }
//! ```
//!
//! With neither, the client speaks plain HTTP only (enough for the
//! simulator on 127.0.0.1), and calls to an `https://` host fail as
//! transport errors.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod batch;
mod call;
mod client;
mod control;
mod error;
mod failures;
mod finished;
#[cfg(feature = "input")]
pub mod input;
mod job;
mod job_error;
mod lock;
#[cfg(feature = "metrics")]
pub mod metrics;
mod model;
mod oauth;
mod observe;
mod ops;
mod outcome;
mod pacing;
mod plan;
#[cfg(feature = "profiles")]
pub mod profile;
mod report;
mod report_file;
mod retry;
mod saved;
mod signals;
mod summary;
pub mod sync;

pub use auth::{Credentials, Secret, TokenError, TokenFuture, TokenProvider};
pub use batch::{MAX_ID_LEN, check_email, check_id};
pub use client::{ChunkSizes, Client, ClientBuilder, GONG_CALLS_PER_SECOND, GONG_DAILY_CALLS};
pub use control::{JobHandle, Progress};
pub use error::{ApiError, Error, Result};
pub use failures::{ErrorCount, Failure, NOT_ATTEMPTED, NOT_UNASSIGNED, remedy};
pub use finished::Finished;
pub use job::{Part, Parts};
pub use job_error::{JobError, JobFuture, JobReport};
pub use model::{
    AssignErrorCode, BulkAssignmentStatus, BulkProspect, Flow, FlowAssignmentResultStatus,
    FlowInstance, FlowInstanceStatus, FlowStepAction, FlowVisibility, FlowWithSteps, Folder, Page,
    Step, Timestamp,
};
pub use oauth::{GONG_TOKEN_ENDPOINT, OAuth, OAuthBuilder, StoreFuture, TokenStore, Tokens};
pub use observe::{Attempt, JobEvent, JobStage, Observer};
pub use ops::assign::Assign;
pub use ops::bulk::{BulkAssign, BulkAssignment, BulkResume, PollPolicy};
pub use ops::check::{Check, CheckCall, CheckReport, CheckedFlow, WriteScope};
pub use ops::lists::{ListFlows, ListFolders};
pub use ops::overrides::{AssignOverrides, StepOverride};
pub use ops::prospects::ProspectsFlows;
pub use ops::steps::FlowSteps;
pub use ops::unassign::{RemovedInstances, UnassignInstances, UnassignProspect, UnassignProspects};
pub use outcome::Outcome;
pub use pacing::{
    Adaptation, Adapted, Budget, BudgetFuture, Company, DEFAULT_SAFETY_MARGIN, InProcessPacer,
    OverQuota, Pacer, PacerFuture, QuotaHint,
};
#[cfg(feature = "redis")]
pub use pacing::{RedisPacer, RedisPacerBuilder, WhenUnavailable};
pub use plan::{DryRun, Plan};
pub use report::{
    AlreadyInFlow, AssignReport, Assigned, BulkAssignReport, BulkJob, BulkNotAttempted,
    BulkPending, BulkResult, FlowNotFound, ItemId, JobStats, NotAssigned, NotAttempted,
    NotUnassigned, ProspectsFlowsReport, REPORT_VERSION, Report, StepsReport, TraceId,
    UnassignReport, Unassigned,
};
pub use report_file::{Kept, ReportFile};
pub use retry::RetryPolicy;
pub use saved::{
    InputFile, Left, ReportLock, SaveableJob, Saved, SavedJob, SavedReport, SavedRun, Summary,
    write_json,
};
pub use signals::Interrupts;
pub use summary::{TableRow, table, table_of};
#[cfg(feature = "sqlite")]
pub use sync::SqliteStore;
pub use sync::{
    Change, Forgotten, LeftAlone, LeftAloneReason, Managed, ManagedState, MaxRemovals, MemoryStore,
    NotRemoved, Removal, SyncFlow, SyncLock, SyncPlan, SyncReport, SyncStore,
};
#[cfg(feature = "redis")]
pub use sync::{RedisSyncStore, RedisSyncStoreBuilder};

/// The generated low-level client (`gong-flows-api`), for anything this
/// crate does not wrap.
pub use gong_flows_api as api;

/// The `reqwest` this crate is built on, for
/// [`ClientBuilder::http_client`]: a client built with it is of the same
/// version.
pub use reqwest;
