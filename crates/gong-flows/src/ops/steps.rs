//! The steps of flows, in chunks of 20.

use crate::batch::{Part, Stop, isolate, prepare, run_chunks};
use crate::client::{CallKind, Client};
use crate::error::{Error, Result};
use crate::model::FlowWithSteps;
use crate::report::{FlowNotFound, NotAttempted, StepsReport};
use futures::StreamExt as _;
use gong_flows_api::types as wire;

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
    /// Fetches them. Fails only on bad input, before anything is sent.
    pub async fn send(self) -> Result<StepsReport> {
        let prepared = prepare("flow_ids", self.flow_ids)?;
        let mut report = StepsReport::default();
        report.stats.duplicates = prepared.duplicates;
        let stop = Stop::default();
        let client = self.client;
        let size = client.inner.batch_sizes.steps();
        let concurrency = client.inner.concurrency;
        let mut parts = std::pin::pin!(run_chunks(
            prepared.unique,
            size,
            concurrency,
            |(_, chunk)| {
                let (client, stop) = (client.clone(), stop.clone());
                async move { steps_chunk(&client, chunk, &stop).await }
            }
        ));
        while let Some(part) = parts.next().await {
            report.absorb(part);
        }
        Ok(report)
    }
}

/// One chunk of flow ids; an unknown flow (Gong's 404 for the whole
/// request) is isolated by [`isolate`].
async fn steps_chunk(client: &Client, chunk: Vec<String>, stop: &Stop) -> StepsReport {
    let mut part = StepsReport::default();
    let parts = isolate(chunk, stop, &mut part.stats, not_found, |ids| {
        let body = wire::FlowStepsRequest { flow_ids: ids };
        client.call(
            gong_flows_api::operation_ids::GET_FLOW_STEPS,
            CallKind::Idempotent,
            Some(stop),
            move |api| {
                let body = body.clone();
                async move { api.get_flow_steps().body(body).send().await }
            },
        )
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
                            message: "left out of Gong's answer".to_owned(),
                        }),
                    }
                }
            }
            Part::Refused(flow_id, api) => part.not_found.push(FlowNotFound {
                flow_id,
                message: api.refusal(),
            }),
            Part::NotAttempted(ids, error) => {
                part.not_attempted.extend(NotAttempted::all(ids, &error))
            }
        }
    }
    part
}

/// Gong's answer when one id fails the whole request.
fn not_found(error: &Error) -> Option<&crate::error::ApiError> {
    match error {
        Error::NotFound(api) => Some(api),
        _ => None,
    }
}
