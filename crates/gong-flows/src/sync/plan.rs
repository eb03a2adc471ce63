//! A sync's plan: what it will change, and what it will leave alone and why.

use super::store::{Change, Managed, ManagedState, SyncLock, SyncStore};
use crate::client::Client;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// The most removals a sync may make, from
/// [`SyncFlow::max_removals`](crate::SyncFlow::max_removals).
///
/// ```
/// use gong_flows::MaxRemovals;
///
/// assert_eq!(MaxRemovals::default().of(1_000), 100);
/// assert_eq!(MaxRemovals::Percent(25.0).of(1_000), 250);
/// assert_eq!(MaxRemovals::Count(7).of(1_000), 7);
/// assert_eq!("12%".parse::<MaxRemovals>(), Ok(MaxRemovals::Percent(12.0)));
/// assert_eq!("300".parse::<MaxRemovals>(), Ok(MaxRemovals::Count(300)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxRemovals {
    /// At most this many prospects.
    Count(usize),
    /// At most this share of the prospects the sync manages, in percent
    /// (rounded up: 10 % of 5 is 1).
    Percent(f64),
}

impl Default for MaxRemovals {
    /// 10 % of the managed set.
    fn default() -> Self {
        MaxRemovals::Percent(10.0)
    }
}

impl MaxRemovals {
    /// The most removals allowed when the sync manages `managed` prospects.
    pub fn of(self, managed: usize) -> usize {
        match self {
            MaxRemovals::Count(n) => n,
            MaxRemovals::Percent(p) => {
                let share = (managed as f64 * p.clamp(0.0, 100.0) / 100.0).ceil();
                (share as usize).min(managed)
            }
        }
    }
}

impl std::str::FromStr for MaxRemovals {
    type Err = String;

    /// `N` (a count) or `P%` (a share of the managed set, 0 to 100).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some(percent) = text.strip_suffix('%') {
            match percent.trim().parse::<f64>() {
                Ok(p) if (0.0..=100.0).contains(&p) => Ok(MaxRemovals::Percent(p)),
                _ => Err(format!(
                    "`{text}` is not a share from 0% to 100% (e.g. `25%`)"
                )),
            }
        } else {
            text.parse::<usize>()
                .map(MaxRemovals::Count)
                .map_err(|_| format!("`{text}` is neither a count (`300`) nor a share (`25%`)"))
        }
    }
}

impl fmt::Display for MaxRemovals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaxRemovals::Count(n) => write!(f, "{n}"),
            MaxRemovals::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// Why a sync leaves a listed prospect as it is.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LeftAloneReason {
    /// In the flow already, put there by someone else: the sync does not
    /// manage it (nor would it remove it) unless told to adopt it.
    NotManaged,
    /// Its managed instance finished the flow: not enrolled for a second
    /// round unless told to re-enrol finished prospects.
    Finished,
    /// Removed from the flow outside the sync while still listed: not put
    /// back unless told to restore removed prospects.
    RemovedOutside,
}

impl LeftAloneReason {
    /// The reason in words.
    pub fn describe(self) -> &'static str {
        match self {
            LeftAloneReason::NotManaged => "in the flow already, added by someone else",
            LeftAloneReason::Finished => "finished the flow; not enrolled again",
            LeftAloneReason::RemovedOutside => "removed outside the sync; not put back",
        }
    }
}

/// A listed prospect the sync leaves as it is.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftAlone {
    /// The prospect.
    pub crm_prospect_id: String,
    /// Why.
    pub reason: LeftAloneReason,
    /// Its instance in the flow, when it is in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_instance_id: Option<String>,
}

/// A prospect that leaves the flow: listed no more, in the flow by the
/// sync's doing.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    /// The prospect.
    pub crm_prospect_id: String,
    /// The instance the sync created (or adopted), to be removed.
    pub flow_instance_id: String,
}

/// A prospect the sync stops remembering without a call: listed no more
/// and already out of the flow (it finished, was removed outside the sync,
/// or an earlier write never took effect).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Forgotten {
    /// The prospect.
    pub crm_prospect_id: String,
    /// What the sync last knew of it.
    pub was: ManagedState,
}

/// What a sync will do, from [`SyncFlow::plan`](crate::SyncFlow::plan):
/// every listed or managed prospect in exactly one of `to_assign`,
/// `to_unassign`, `unchanged`, `adopt`, `left_alone` and `forget`. Nothing
/// has been written yet; the plan holds the flow's sync lock until it is
/// applied or dropped.
///
/// Serialises (camelCase) with counts as integers (`toAssign`,
/// `toUnassign`, `unchanged`, `adopt`, `leftAlone`, `forget`, `calls`, …)
/// and the prospects under `prospects`; `Display` is a few lines for a
/// person.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SyncPlan {
    /// The flow.
    pub flow_id: String,
    /// The owner of the instances the sync creates.
    pub owner_email: String,
    /// Prospects the sync had (or may have had) in the flow before this run;
    /// the base of the removal limit. Records of finished and removed
    /// prospects are kept, and not counted.
    pub managed: usize,
    /// Unique prospects listed.
    pub listed: usize,
    /// Listed more than once (counted once).
    #[serde(skip)]
    pub duplicates: Vec<String>,
    /// Listed prospects to put in the flow.
    #[serde(skip)]
    pub to_assign: Vec<String>,
    /// Managed prospects listed no more: their instances are removed.
    #[serde(skip)]
    pub to_unassign: Vec<Removal>,
    /// Listed, managed, and in the flow: nothing to do.
    #[serde(skip)]
    pub unchanged: Vec<String>,
    /// Listed and in the flow by someone else's doing, taken over (only
    /// with [`adopt`](crate::SyncFlow::adopt)): no call, recorded as
    /// managed.
    #[serde(skip)]
    pub adopt: Vec<String>,
    /// Listed prospects left as they are, and why.
    #[serde(skip)]
    pub left_alone: Vec<LeftAlone>,
    /// Managed prospects listed no more and already out of the flow.
    #[serde(skip)]
    pub forget: Vec<Forgotten>,
    /// Look-up calls the plan made (≈ 1 per 200 prospects).
    pub reads_made: u32,
    /// Write calls the apply makes at least, when nothing fails.
    pub calls_at_least: usize,
    /// Write calls the apply makes at most, when nothing fails.
    pub calls: usize,
    /// The most removals allowed.
    pub max_removals: usize,
    /// Why the apply will refuse, if it will: too many removals, or an
    /// empty list.
    #[serde(skip)]
    pub refusal: Option<crate::Error>,
    /// The calls of the day's quota left when the plan was made, when the
    /// client's pacer keeps a daily budget.
    pub quota_left: Option<u32>,
    /// The daily limit of that budget.
    pub daily_limit: Option<u32>,
    #[serde(skip)]
    pub(super) run: Option<PlanRun>,
}

/// What the apply needs and a person does not: the client, the store, the
/// held lock, and the state changes the plan's look-ups settled.
pub(super) struct PlanRun {
    pub client: Client,
    pub store: Arc<dyn SyncStore>,
    pub lock: SyncLock,
    pub settled: Vec<Change>,
    pub records: std::collections::HashMap<String, Managed>,
    pub stats: crate::report::JobStats,
    /// The removal limit, when the plan was not refused.
    pub limit: Option<usize>,
    pub adopt: bool,
}

impl SyncPlan {
    /// Whether the apply would send nothing and change no membership (it
    /// may still update the sync's state).
    pub fn is_noop(&self) -> bool {
        self.to_assign.is_empty() && self.to_unassign.is_empty()
    }

    /// The share of the day's quota the plan's reads and the apply's calls
    /// take at most, in percent, when the daily limit is known.
    pub fn daily_share(&self) -> Option<f64> {
        self.daily_limit.map(|limit| {
            (self.calls + self.reads_made as usize) as f64 * 100.0 / f64::from(limit.max(1))
        })
    }
}

impl fmt::Debug for SyncPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncPlan")
            .field("flow_id", &self.flow_id)
            .field("to_assign", &self.to_assign.len())
            .field("to_unassign", &self.to_unassign.len())
            .field("unchanged", &self.unchanged.len())
            .field("adopt", &self.adopt.len())
            .field("left_alone", &self.left_alone.len())
            .field("forget", &self.forget.len())
            .field("calls", &self.calls)
            .field("refusal", &self.refusal)
            .finish_non_exhaustive()
    }
}

/// The serialised form's prospects and counts, beside the plan's own fields.
impl SyncPlan {
    /// The plan as one JSON object: counts as integers (`toAssign`,
    /// `toUnassign`, `unchanged`, `adopt`, `leftAlone`, `forget`,
    /// `duplicates`), the plan's fields, `refusal` (the error's text, or
    /// null) and `coolOff`, and the prospects of each bucket under
    /// `prospects`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        if let Some(object) = value.as_object_mut() {
            let counts = [
                ("toAssign", self.to_assign.len()),
                ("toUnassign", self.to_unassign.len()),
                ("unchanged", self.unchanged.len()),
                ("adopt", self.adopt.len()),
                ("leftAlone", self.left_alone.len()),
                ("forget", self.forget.len()),
                ("duplicates", self.duplicates.len()),
            ];
            for (name, count) in counts {
                object.insert(name.into(), count.into());
            }
            object.insert(
                "refusal".into(),
                self.refusal
                    .as_ref()
                    .map(|e| e.to_string().into())
                    .unwrap_or(serde_json::Value::Null),
            );
            object.insert("coolOff".into(), (!self.to_unassign.is_empty()).into());
            object.insert(
                "prospects".into(),
                serde_json::json!({
                    "toAssign": self.to_assign,
                    "toUnassign": self.to_unassign,
                    "unchanged": self.unchanged,
                    "adopt": self.adopt,
                    "leftAlone": self.left_alone,
                    "forget": self.forget,
                    "duplicates": self.duplicates,
                }),
            );
        }
        value
    }
}

/// ```text
/// Sync of flow 17: 1000 listed, 1100 managed before
///   assign 100, remove 200, unchanged 800, adopt 0, leave alone 3, forget 0
///   writes: 2 calls (at most 4), after 6 look-ups; 0.08% of the day's 10000
///   removing starts the flow's cool-off for the 200 prospects removed
/// ```
impl fmt::Display for SyncPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Sync of flow {}: {} listed, {} managed before",
            self.flow_id, self.listed, self.managed
        )?;
        writeln!(
            f,
            "  assign {}, remove {}, unchanged {}, adopt {}, leave alone {}, forget {}",
            self.to_assign.len(),
            self.to_unassign.len(),
            self.unchanged.len(),
            self.adopt.len(),
            self.left_alone.len(),
            self.forget.len()
        )?;
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let reads = self.reads_made as usize;
        write!(
            f,
            "  writes: {} call{}",
            self.calls_at_least,
            plural(self.calls_at_least)
        )?;
        if self.calls != self.calls_at_least {
            write!(f, " (at most {})", self.calls)?;
        }
        write!(f, ", after {reads} look-up{}", plural(reads))?;
        if let (Some(share), Some(limit)) = (self.daily_share(), self.daily_limit) {
            write!(f, "; {share:.2}% of the day's {limit}")?;
        }
        if !self.to_unassign.is_empty() {
            write!(
                f,
                "\n  removing starts the flow's cool-off for the {} prospects removed",
                self.to_unassign.len()
            )?;
        }
        let mut reasons: Vec<(LeftAloneReason, usize)> = Vec::new();
        for left in &self.left_alone {
            match reasons.iter_mut().find(|(r, _)| *r == left.reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((left.reason, 1)),
            }
        }
        for (reason, n) in reasons {
            write!(f, "\n  left alone, {}: {n}", reason.describe())?;
        }
        if let Some(refusal) = &self.refusal {
            write!(f, "\n  refused: {refusal}")?;
        }
        Ok(())
    }
}
