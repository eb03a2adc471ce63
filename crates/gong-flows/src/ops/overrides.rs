//! Per-assignment overrides: step content, flow variables, cool-off.

use crate::error::{Error, Result};
use gong_flows_api::types as wire;

/// Per-assignment changes to the flow (Gong marks them beta): step content,
/// flow variables, and assigning despite a cool-off period.
///
/// ```
/// use gong_flows::{AssignOverrides, StepOverride};
///
/// let overrides = AssignOverrides::new()
///     .step(StepOverride::new(1).subject("Quick question"))
///     .variable("recipient.first_name", "Mike")
///     .cool_off_override(true);
/// # let _ = overrides;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct AssignOverrides {
    steps: Vec<StepOverride>,
    variables: Vec<(String, String)>,
    cool_off_override: Option<bool>,
}

/// New content for one step of the flow.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct StepOverride {
    number: i32,
    subject: Option<String>,
    body: Option<String>,
}

impl StepOverride {
    /// Overrides step `number` (1-based: a step's `step_order`).
    pub fn new(number: i32) -> Self {
        Self {
            number,
            subject: None,
            body: None,
        }
    }

    /// The subject to use.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The body to use (may hold HTML).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }
}

impl AssignOverrides {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides one step's content.
    pub fn step(mut self, step: StepOverride) -> Self {
        self.steps.push(step);
        self
    }

    /// Sets a flow variable, e.g. `recipient.first_name`.
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.variables.push((name.into(), value.into()));
        self
    }

    /// Assigns prospects even while they are in their cool-off period.
    pub fn cool_off_override(mut self, yes: bool) -> Self {
        self.cool_off_override = Some(yes);
        self
    }

    pub(crate) fn check(&self) -> Result<()> {
        for step in &self.steps {
            if step.number < 1 {
                return Err(Error::invalid(
                    "step override",
                    step.number.to_string(),
                    "step numbers start at 1",
                ));
            }
        }
        for (name, _) in &self.variables {
            if name.trim().is_empty() {
                return Err(Error::invalid("variable", name, "has an empty name"));
            }
        }
        Ok(())
    }

    pub(crate) fn to_wire(&self) -> wire::AssignOverrides {
        wire::AssignOverrides {
            cool_off_override: self.cool_off_override,
            flow_instance_variables: self
                .variables
                .iter()
                .map(|(name, value)| wire::PublicApiVariableValueOverride {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            steps: self
                .steps
                .iter()
                .map(|s| wire::PublicApiStepContentOverride {
                    number: s.number,
                    subject: s.subject.clone(),
                    body: s.body.clone(),
                })
                .collect(),
        }
    }
}
