//! The jobs: assign, unassign (by CRM id or flow instance id), bulk assign.

use super::job::{checkpoint, finish, run};
use crate::cli::{AssignArgs, BulkAssignArgs, GlobalArgs, UnassignArgs, UnassignInstancesArgs};
use crate::context::connect;
use crate::exit::CliError;
use crate::input::{
    IdList, Inputs, check_email_option, check_id_option, parse_ids, parse_prospects,
};
use crate::output::{print_json, print_text, table};
use gong_flows::{
    AssignReport, BatchSizes, BulkAssignReport, BulkNotAttempted, BulkProspect, Error,
    GONG_DAILY_CALLS, ItemId, NotAttempted, Outcome, Saved, SavedReport, UnassignReport,
};
use serde::Serialize;
use std::sync::Arc;

/// Inputs from this size on are read with a spinner on a terminal.
const LARGE_INPUT_BYTES: usize = 4 << 20;

/// Reads an id file, and says which CSV column the ids came from (and
/// why), so that a wrong column is caught before anything is sent.
fn read_ids(global: &GlobalArgs, path: &str, column: Option<&str>) -> Result<IdList, CliError> {
    let (text, name) = Inputs::default().read(path)?;
    // A large file takes a few seconds: say so on a terminal meanwhile.
    let spinner = (text.len() > LARGE_INPUT_BYTES
        && !global.quiet
        && !global.json
        && std::io::IsTerminal::is_terminal(&std::io::stderr()))
    .then(|| {
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message(format!("reading {name} ({} MiB)…", text.len() >> 20));
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        spinner
    });
    let ids = parse_ids(&name, &text, column);
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    let ids = ids?;
    if let Some(column) = &ids.column
        && !global.quiet
    {
        let sample = ids.sample(3).join(", ");
        eprintln!("{name}: ids from {column}, e.g. {sample}");
    }
    Ok(ids)
}

/// Why the inputs of the report written before a job starts are "not
/// attempted": should the process die without writing its final report,
/// that file still accounts for every input, as outcome unknown (`resume`
/// reconciles assignments it finds already made).
fn unfinished() -> Arc<Error> {
    Arc::new(Error::Reported {
        message: "the job did not finish (the process ended before its final report)".into(),
    })
}

fn not_finished(ids: &[String], kind: fn(String) -> ItemId) -> Vec<NotAttempted> {
    let error = unfinished();
    ids.iter()
        .map(|id| NotAttempted {
            id: kind(id.clone()),
            error: error.clone(),
            may_have_been_sent: true,
        })
        .collect()
}

pub async fn assign(global: &GlobalArgs, args: AssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", &args.flow)?;
    check_email_option("--owner", &args.owner)?;
    let ids = read_ids(global, &args.ids, args.column.as_deref())?;
    let batch_size = usize::from(args.batch_size);
    if args.dry_run {
        let what = format!("assign to flow {} (owner {})", args.flow, args.owner);
        let settings = (Some(args.flow.clone()), Some(args.owner.clone()));
        return dry_run(global, "assign", what, settings, ids, batch_size);
    }
    let ctx = connect(global)?;
    if ids.unique.is_empty() {
        ctx.output.note("No ids in the input: nothing to do.");
    }
    let mut start = AssignReport {
        flow_id: args.flow.clone(),
        owner_email: args.owner.clone(),
        not_attempted: not_finished(&ids.unique, ItemId::CrmProspectId),
        ..AssignReport::default()
    };
    start.stats.duplicates = ids.duplicates.clone();
    let mut saved = Saved::new(start, Some(batch_size));
    checkpoint(
        &SavedReport::Assign(saved.clone()),
        args.report.as_deref(),
        args.force,
    )?;
    let job = ctx
        .client
        .assign(&args.flow, &args.owner)
        .batch_size(batch_size)
        .prospects(ids.unique)
        .start()?;
    let mut report = run(&ctx, job, batch_size).await;
    report.stats.duplicates = ids.duplicates;
    saved.report = report;
    saved.finished();
    finish(
        &ctx.output,
        &SavedReport::Assign(saved),
        args.report.as_deref(),
    )
}

/// The plan a `--dry-run` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Plan {
    operation: &'static str,
    dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    flow_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner_email: Option<String>,
    unique_ids: usize,
    duplicates: Vec<String>,
    /// The CSV column the ids came from, and how it was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<String>,
    /// The first ids, to check the column is the right one.
    sample: Vec<String>,
    batch_size: usize,
    calls: usize,
    rate: Option<f64>,
    estimated_seconds: Option<f64>,
    daily_quota_percent: f64,
}

/// Prints the plan of a job of `ids` in calls of `batch_size`; sends
/// nothing. `what` says what the job would do, on one line.
fn dry_run(
    global: &GlobalArgs,
    operation: &'static str,
    what: String,
    (flow_id, owner_email): (Option<String>, Option<String>),
    ids: IdList,
    batch_size: usize,
) -> Result<u8, CliError> {
    let calls = ids.unique.len().div_ceil(batch_size);
    let rate = global.rate.0;
    let plan = Plan {
        operation,
        dry_run: true,
        flow_id,
        owner_email,
        unique_ids: ids.unique.len(),
        column: ids.column.as_ref().map(ToString::to_string),
        sample: ids.sample(3).to_vec(),
        duplicates: ids.duplicates,
        batch_size,
        calls,
        rate,
        estimated_seconds: rate.map(|r| calls as f64 / r),
        daily_quota_percent: calls as f64 * 100.0 / f64::from(GONG_DAILY_CALLS),
    };
    if global.json {
        print_json(&plan)?;
        return Ok(Outcome::Done.code());
    }
    let time = match plan.estimated_seconds {
        Some(seconds) => format!("~{}", duration(seconds)),
        None => "unpaced".to_owned(),
    };
    let rate_text = rate.map_or("off".to_owned(), |r| format!("{r}/s"));
    let quota = format!(
        "{:.2}% of Gong's {GONG_DAILY_CALLS} calls per day",
        plan.daily_quota_percent
    );
    let source = plan
        .column
        .clone()
        .unwrap_or_else(|| "one per line".to_owned());
    let rows = [
        ["ids".into(), source],
        ["sample".into(), plan.sample.join(", ")],
        ["unique ids".into(), plan.unique_ids.to_string()],
        ["duplicates".into(), plan.duplicates.len().to_string()],
        [
            "calls".into(),
            format!("{} ({} ids per call)", plan.calls, plan.batch_size),
        ],
        [format!("time at {rate_text}"), time],
        ["daily quota".into(), quota],
    ]
    .map(Vec::from);
    let mut text = format!("Dry run: {what}; nothing was sent.\n");
    for line in table(&["", ""], &rows).lines().skip(1) {
        text.push_str(&format!("  {line}\n"));
    }
    if calls > GONG_DAILY_CALLS as usize {
        text.push_str(
            "  warning: more calls than Gong allows in a day; the job will stop when the \
             budget is spent and can be resumed the next day\n",
        );
    }
    print_text(&text);
    Ok(Outcome::Done.code())
}

/// `90` → `1m 30s`.
fn duration(seconds: f64) -> String {
    let total = seconds.ceil() as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m"),
    }
}

pub async fn unassign(global: &GlobalArgs, args: UnassignArgs) -> Result<u8, CliError> {
    if let Some(flow) = &args.flow {
        check_id_option("--flow", flow)?;
    }
    if let Some(by) = &args.by {
        check_email_option("--by", by)?;
    }
    let ids = read_ids(global, &args.ids, args.column.as_deref())?;
    let from = match &args.flow {
        Some(flow) => format!("flow {flow}"),
        None => "every flow they are in".to_owned(),
    };
    if args.dry_run {
        let what = format!("remove prospects by CRM id from {from}");
        let settings = (args.flow.clone(), None);
        // Gong's endpoint takes one CRM id per call (plus one look-up of
        // who is in the flow per 200 ids, not counted here).
        return dry_run(global, "unassign", what, settings, ids, 1);
    }
    if args.flow.is_none() && !args.yes {
        confirm(&format!(
            "Remove {} prospects from {from}? [y/N] ",
            ids.unique.len()
        ))?;
    }
    let ctx = connect(global)?;
    let mut saved = unassign_start(&ctx, &ids, ItemId::CrmProspectId);
    saved.report.flow_id = args.flow.clone();
    saved.report.unassigned_by = args.by.clone();
    checkpoint(
        &SavedReport::Unassign(saved.clone()),
        args.report.as_deref(),
        args.force,
    )?;
    let mut job = ctx.client.unassign_prospects(ids.unique);
    if let Some(flow) = args.flow {
        job = job.flow_id(flow);
    }
    if let Some(by) = args.by {
        job = job.unassigned_by(by);
    }
    let report = run(&ctx, job.start()?, 1).await;
    unassign_end(&mut saved, report, ids.duplicates);
    finish(
        &ctx.output,
        &SavedReport::Unassign(saved),
        args.report.as_deref(),
    )
}

pub async fn unassign_instances(
    global: &GlobalArgs,
    args: UnassignInstancesArgs,
) -> Result<u8, CliError> {
    if let Some(by) = &args.by {
        check_email_option("--by", by)?;
    }
    let ids = read_ids(global, &args.ids, args.column.as_deref())?;
    if args.dry_run {
        let what = "remove flow instances".to_owned();
        let size = BatchSizes::MAX_UNASSIGN_INSTANCES;
        return dry_run(global, "unassign-instances", what, (None, None), ids, size);
    }
    let ctx = connect(global)?;
    let mut saved = unassign_start(&ctx, &ids, ItemId::FlowInstanceId);
    saved.report.unassigned_by = args.by.clone();
    let path = args.report.as_deref();
    checkpoint(
        &SavedReport::UnassignInstances(saved.clone()),
        path,
        args.force,
    )?;
    let mut job = ctx.client.unassign_instances(ids.unique);
    if let Some(by) = args.by {
        job = job.unassigned_by(by);
    }
    let size = ctx.client.batch_sizes().unassign_instances();
    let report = run(&ctx, job.start()?, size).await;
    unassign_end(&mut saved, report, ids.duplicates);
    finish(&ctx.output, &SavedReport::UnassignInstances(saved), path)
}

/// Asks on the terminal; anything but yes, or no terminal, refuses.
fn confirm(question: &str) -> Result<(), CliError> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    let refused = || {
        CliError::usage(
            "unassign without --flow removes the prospects from every flow they are in: \
             confirm with --yes (or name the flow with --flow ID; --dry-run shows the plan)",
        )
    };
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(refused());
    }
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|_| refused())?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(refused()),
    }
}

fn unassign_start(
    ctx: &crate::context::Ctx,
    ids: &IdList,
    kind: fn(String) -> ItemId,
) -> Saved<UnassignReport> {
    if ids.unique.is_empty() {
        ctx.output.note("No ids in the input: nothing to do.");
    }
    let mut start = UnassignReport {
        not_attempted: not_finished(&ids.unique, kind),
        ..UnassignReport::default()
    };
    start.stats.duplicates = ids.duplicates.clone();
    Saved::new(start, None)
}

fn unassign_end(saved: &mut Saved<UnassignReport>, mut report: UnassignReport, dups: Vec<String>) {
    report.flow_id = saved.report.flow_id.take();
    report.unassigned_by = saved.report.unassigned_by.take();
    report.stats.duplicates = dups;
    saved.report = report;
    saved.finished();
}

pub async fn bulk_assign(global: &GlobalArgs, args: BulkAssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", &args.flow)?;
    check_email_option("--owner", &args.owner)?;
    let (text, name) = Inputs::default().read(&args.prospects)?;
    let prospects = parse_prospects(&name, &text)?;
    let ctx = connect(global)?;
    if prospects.unique.is_empty() {
        ctx.output.note("No prospects in the input: nothing to do.");
    }
    let error = unfinished();
    let mut start = BulkAssignReport {
        flow_id: args.flow.clone(),
        owner_email: args.owner.clone(),
        not_attempted: prospects
            .unique
            .iter()
            .map(|p: &BulkProspect| BulkNotAttempted {
                prospect: p.clone(),
                error: error.clone(),
                may_have_been_sent: true,
            })
            .collect(),
        ..BulkAssignReport::default()
    };
    start.stats.duplicates = prospects.duplicates.clone();
    let mut saved = Saved::new(start, None);
    let path = args.report.as_deref();
    checkpoint(&SavedReport::BulkAssign(saved.clone()), path, args.force)?;
    let job = ctx
        .client
        .bulk_assign(&args.flow, &args.owner)
        .prospects(prospects.unique)
        .start()?;
    let size = ctx.client.batch_sizes().bulk();
    let mut report = run(&ctx, job, size).await;
    report.stats.duplicates = prospects.duplicates;
    saved.report = report;
    saved.finished();
    finish(&ctx.output, &SavedReport::BulkAssign(saved), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(0.4), "1s");
        assert_eq!(duration(90.0), "1m 30s");
        assert_eq!(duration(3.0 * 3600.0 + 61.0), "3h 1m");
    }
}
