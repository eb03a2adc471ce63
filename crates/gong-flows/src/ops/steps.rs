//! The steps of flows, in chunks of 20.

use crate::batch::{Part, check_id, isolate};
use crate::call::CallKind;
use crate::client::Client;
use crate::control::ChunkCtx;
use crate::error::{Error, Result};
use crate::job::Operation;
use crate::model::FlowWithSteps;
use crate::report::{FlowNotFound, ItemId, NotAttempted, StepsReport};
use futures::future::BoxFuture;
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::sync::Arc;

/// Fetches flows with their steps. Made by [`Client::flow_steps`].
///
/// Gong answers 404 for the whole request when one flow is unknown; the
/// chunk is then split in halves until the unknown flows are isolated, so
/// every known flow still comes back.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let report = client.flow_steps(["1695493301223590792"]).send().await?;
/// for flow in &report.flows {
///     for step in &flow.steps {
///         println!("{:?} {:?} {:?}", step.step_order, step.action, step.subject);
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct FlowSteps {
    client: Client,
    flow_ids: Vec<String>,
}

impl Client {
    /// Fetches the steps of these flows.
    pub fn flow_steps<I, S>(&self, flow_ids: I) -> FlowSteps
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        FlowSteps {
            client: self.clone(),
            flow_ids: flow_ids
                .into_iter()
                .map(|s| s.as_ref().to_owned())
                .collect(),
        }
    }
}

impl FlowSteps {
    fn into_job(self) -> Result<(Arc<StepsOp>, Vec<String>, usize)> {
        let concurrency = self.client.inner.concurrency;
        let size = self.client.inner.batch_sizes.steps();
        let op = StepsOp {
            client: self.client,
            size,
        };
        Ok((Arc::new(op), self.flow_ids, concurrency))
    }
}

job_methods!(FlowSteps, String, StepsReport);

/// A steps job, as the job driver runs it.
#[derive(Debug)]
pub(crate) struct StepsOp {
    client: Client,
    size: usize,
}

impl Operation for StepsOp {
    type Item = String;
    type Report = StepsReport;

    fn check(&self, id: &String) -> Result<()> {
        check_id("flow_ids", id)
    }

    fn key(id: &String) -> Cow<'_, str> {
        Cow::Borrowed(id)
    }

    fn chunk_size(&self) -> usize {
        self.size
    }

    fn report(&self) -> StepsReport {
        StepsReport::default()
    }

    fn not_attempted(
        &self,
        ids: Vec<String>,
        error: &Arc<Error>,
        may_have_been_sent: bool,
    ) -> StepsReport {
        let mut out = self.report();
        out.not_attempted
            .extend(ids.into_iter().map(|id| NotAttempted {
                id: ItemId::FlowId(id),
                error: error.clone(),
                may_have_been_sent,
            }));
        out
    }

    fn run(self: Arc<Self>, ids: Vec<String>, ctx: ChunkCtx) -> BoxFuture<'static, StepsReport> {
        Box::pin(async move { self.chunk(ids, ctx).await })
    }
}

impl StepsOp {
    /// One chunk of flow ids; an unknown flow (Gong's 404 for the whole
    /// request) is isolated by [`isolate`].
    async fn chunk(&self, chunk: Vec<String>, ctx: ChunkCtx) -> StepsReport {
        let mut part = self.report();
        let parts = isolate(chunk, &ctx, &mut part.stats, not_found, |ids| {
            let body = wire::FlowStepsRequest { flow_ids: ids };
            let ctx = ctx.clone();
            async move {
                self.client
                    .call(
                        operation_ids::GET_FLOW_STEPS,
                        CallKind::Idempotent,
                        Some(&ctx),
                        |api| {
                            let body = body.clone();
                            async move { api.get_flow_steps().body(body).send().await }
                        },
                    )
                    .await
            }
        })
        .await;
        for outcome in parts {
            match outcome {
                Part::Done(ids, answer) => {
                    let mut flows: Vec<FlowWithSteps> =
                        answer.flows.into_iter().map(FlowWithSteps::from).collect();
                    // Report in input order; a flow Gong left out is not found.
                    for id in ids {
                        match flows.iter().position(|f| f.id == id) {
                            Some(at) => part.flows.push(flows.swap_remove(at)),
                            None => part.not_found.push(FlowNotFound {
                                flow_id: id,
                                error_message: "left out of Gong's answer".to_owned(),
                            }),
                        }
                    }
                }
                Part::Refused(flow_id, api) => part.not_found.push(FlowNotFound {
                    flow_id,
                    error_message: api.refusal(),
                }),
                Part::NotAttempted(ids, error, sent) => {
                    let lost = self.not_attempted(ids, &error, sent);
                    crate::report::Report::absorb(&mut part, lost);
                }
            }
        }
        part
    }
}

/// Gong's answer when one id fails the whole request.
fn not_found(error: &Error) -> Option<&crate::error::ApiError> {
    match error {
        Error::NotFound(api) => Some(api),
        _ => None,
    }
}
