//! The steps of flows, in chunks of 20.

use crate::batch::check_id;
use crate::call::CallKind;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::job::{ApiResult, Built, Doubted, Found, IntoJob, Job, LookUp, Next, Refusal, Tracked};
use crate::model::FlowWithSteps;
use crate::report::{FlowNotFound, ItemId, NotAttempted, StepsReport};
use futures::future::BoxFuture;
use gong_flows_api::operation_ids;
use gong_flows_api::types as wire;
use std::borrow::Cow;
use std::convert::Infallible;
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

impl IntoJob for FlowSteps {
    type Job = StepsJob;

    fn into_job(self) -> Result<Built<Self>> {
        let size = self.client.inner.chunk_sizes.steps();
        let job = StepsJob {
            client: self.client,
            size,
        };
        Ok((Arc::new(job), self.flow_ids))
    }
}

crate::job::job_methods!(read FlowSteps, String, StepsReport);
crate::plan::plan_method!(FlowSteps);

/// A steps job, as the job driver runs it.
#[derive(Debug)]
pub(crate) struct StepsJob {
    client: Client,
    size: usize,
}

impl Job for StepsJob {
    type Item = String;
    type Answer = wire::FlowStepsResponse;
    type Report = StepsReport;
    type Doubt = Infallible;

    fn client(&self) -> &Client {
        &self.client
    }

    fn operation(&self, _: &[Tracked<String>]) -> &'static str {
        operation_ids::GET_FLOW_STEPS
    }

    fn call_kind(&self) -> CallKind {
        CallKind::Idempotent
    }

    fn check(&self, id: &String) -> Result<()> {
        check_id("flow_ids", id)
    }

    fn key(id: &String) -> Cow<'_, str> {
        Cow::Borrowed(id)
    }

    fn chunk_size(&self) -> usize {
        self.size
    }

    /// One call; each unknown flow halves the chunk, at worst down to
    /// every flow alone.
    fn chunk_calls(&self, chunk: &[String]) -> (usize, Option<usize>) {
        (1, Some((2 * chunk.len()).saturating_sub(1).max(1)))
    }

    fn report(&self) -> StepsReport {
        StepsReport::default()
    }

    fn not_attempted(&self, part: &mut StepsReport, id: String, error: &Arc<Error>, sent: bool) {
        part.not_attempted.push(NotAttempted {
            id: ItemId::FlowId(id),
            error: error.clone(),
            may_have_been_sent: sent,
        });
    }

    fn request(
        &self,
        api: Arc<gong_flows_api::Client>,
        items: &[Tracked<String>],
    ) -> BoxFuture<'static, ApiResult<wire::FlowStepsResponse>> {
        let body = wire::FlowStepsRequest {
            flow_ids: items.iter().map(|t| t.item.clone()).collect(),
        };
        Box::pin(async move { api.get_flow_steps().body(body).send().await })
    }

    /// In input order; a flow Gong left out is not found.
    fn sort(
        &self,
        items: Vec<Tracked<String>>,
        answer: wire::FlowStepsResponse,
        part: &mut StepsReport,
    ) -> Vec<Doubted<Self>> {
        let mut flows: Vec<FlowWithSteps> =
            answer.flows.into_iter().map(FlowWithSteps::from).collect();
        for item in items {
            match flows.iter().position(|f| f.id == item.item) {
                Some(at) => part.flows.push(flows.swap_remove(at)),
                None => part.not_found.push(FlowNotFound {
                    id: ItemId::FlowId(item.item),
                    error_message: "left out of Gong's answer".to_owned(),
                }),
            }
        }
        Vec::new()
    }

    /// Gong answers 404 for the whole call when one flow is unknown.
    fn refusal(&self, _: &[Tracked<String>], error: &Error) -> Option<Refusal> {
        matches!(error, Error::NotFound(_)).then_some(Refusal::Halve)
    }

    fn refuse(&self, part: &mut StepsReport, ids: Vec<String>, message: &str) {
        part.not_found
            .extend(ids.into_iter().map(|id| FlowNotFound {
                id: ItemId::FlowId(id),
                error_message: message.to_owned(),
            }));
    }

    fn look_up(&self, _: &[Doubted<Self>]) -> LookUp {
        LookUp::ByInstanceId(Vec::new())
    }

    fn settle(&self, doubts: Vec<Doubted<Self>>, _: Found, _: &mut StepsReport) -> Next<Self> {
        match doubts.into_iter().next() {
            Some((_, never)) => match never {},
            None => Next::done(),
        }
    }
}
