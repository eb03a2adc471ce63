//! The commands: read and check the input, talk to Gong, print, and choose
//! the exit code.

use crate::cli::{
    AssignArgs, BulkAssignArgs, Cli, Command, FlowsCommand, FlowsListArgs, FoldersCommand,
    FoldersListArgs, GlobalArgs, ProspectsCommand, ProspectsFlowsArgs, ResumeArgs, SimArgs,
    StepsArgs, UnassignArgs, UnassignInstancesArgs,
};
use crate::context::{Ctx, Output, connect};
use crate::exit::{self, CliError, describe};
use crate::input::{Inputs, check_email_option, check_id_option, parse_ids, parse_prospects};
use crate::jobs::{Interrupts, Stop, job_code, run_assign, run_bulk, run_unassign};
use crate::output::{or_dash, print_json, print_text, table};
use crate::report::{self, AssignReport, IdKind, JobReport, NotAttempted, UnassignReport, now};
use gong_flows::{BatchSizes, GONG_DAILY_CALLS};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Runs the command; returns the exit code.
pub async fn run(cli: Cli) -> Result<u8, CliError> {
    let global = &cli.global;
    match cli.command {
        Command::Flows {
            command: FlowsCommand::List(args),
        } => flows_list(global, args).await,
        Command::Folders {
            command: FoldersCommand::List(args),
        } => folders_list(global, args).await,
        Command::Prospects {
            command: ProspectsCommand::Flows(args),
        } => prospects_flows(global, args).await,
        Command::Assign(args) => assign(global, args).await,
        Command::Unassign(args) => unassign(global, args).await,
        Command::UnassignInstances(args) => unassign_instances(global, args).await,
        Command::Steps(args) => steps(global, args).await,
        Command::BulkAssign(args) => bulk_assign(global, args).await,
        Command::Resume(args) => resume(global, args).await,
        Command::Sim(args) => sim(global, args).await,
    }
}

// ---------------------------------------------------------------- lists

/// A flow as this tool prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FlowOut {
    id: String,
    name: Option<String>,
    folder_id: Option<String>,
    folder_name: Option<String>,
    visibility: Option<String>,
    created: Option<String>,
    exclusive: Option<bool>,
}

async fn flows_list(global: &GlobalArgs, args: FlowsListArgs) -> Result<u8, CliError> {
    check_email_option("--owner", &args.owner)?;
    let ctx = connect(global)?;
    let mut request = ctx.client.list_flows(&args.owner);
    if let Some(id) = args.workspace {
        request = request.workspace_id(id);
    }
    if let Some(id) = args.folder {
        request = request.folder_id(id);
    }
    if args.recent {
        request = request.most_recently_assigned(true);
    }
    let flows: Vec<FlowOut> = request
        .collect_all()
        .await?
        .into_iter()
        .map(|f| FlowOut {
            visibility: f.visibility.as_ref().map(|v| v.as_str().to_owned()),
            created: f.created.as_ref().map(|t| t.raw().to_owned()),
            id: f.id,
            name: f.name,
            folder_id: f.folder_id,
            folder_name: f.folder_name,
            exclusive: f.exclusive,
        })
        .collect();
    if ctx.output.json {
        print_json(&flows)?;
    } else if flows.is_empty() {
        print_text("No flows.\n");
    } else {
        let rows: Vec<Vec<String>> = flows
            .iter()
            .map(|f| {
                vec![
                    f.id.clone(),
                    or_dash(f.name.as_deref()),
                    or_dash(f.folder_name.as_deref()),
                    or_dash(f.visibility.as_deref()),
                    if f.exclusive == Some(true) {
                        "yes"
                    } else {
                        "no"
                    }
                    .to_owned(),
                ]
            })
            .collect();
        print_text(&table(
            &["ID", "NAME", "FOLDER", "VISIBILITY", "EXCLUSIVE"],
            &rows,
        ));
    }
    Ok(exit::OK)
}

/// A folder as this tool prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FolderOut {
    id: String,
    name: Option<String>,
    parent_folder_id: Option<String>,
    created_by_id: Option<String>,
    visibility: Option<String>,
}

async fn folders_list(global: &GlobalArgs, args: FoldersListArgs) -> Result<u8, CliError> {
    check_email_option("--owner", &args.owner)?;
    let ctx = connect(global)?;
    let mut request = ctx.client.list_folders(&args.owner);
    if let Some(parent) = args.parent {
        request = request.parent_id(parent);
    }
    if let Some(id) = args.workspace {
        request = request.workspace_id(id);
    }
    let folders: Vec<FolderOut> = request
        .collect_all()
        .await?
        .into_iter()
        .map(|f| FolderOut {
            visibility: f.visibility.as_ref().map(|v| v.as_str().to_owned()),
            id: f.id,
            name: f.name,
            parent_folder_id: f.parent_folder_id,
            created_by_id: f.created_by_id,
        })
        .collect();
    if ctx.output.json {
        print_json(&folders)?;
    } else if folders.is_empty() {
        print_text("No folders.\n");
    } else {
        let rows: Vec<Vec<String>> = folders
            .iter()
            .map(|f| {
                vec![
                    f.id.clone(),
                    or_dash(f.name.as_deref()),
                    or_dash(f.parent_folder_id.as_deref()),
                    or_dash(f.visibility.as_deref()),
                ]
            })
            .collect();
        print_text(&table(&["ID", "NAME", "PARENT", "VISIBILITY"], &rows));
    }
    Ok(exit::OK)
}

/// A flow instance as this tool prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct InstanceOut {
    crm_prospect_id: Option<String>,
    flow_id: Option<String>,
    flow_name: Option<String>,
    flow_instance_id: Option<String>,
    status: Option<String>,
    owner_email: Option<String>,
    created: Option<String>,
    workspace_id: Option<String>,
}

/// `prospects flows --json`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProspectsFlowsOut {
    instances: Vec<InstanceOut>,
    requests: u32,
    request_ids: Vec<String>,
}

async fn prospects_flows(global: &GlobalArgs, args: ProspectsFlowsArgs) -> Result<u8, CliError> {
    if args.crm_ids.is_none() && args.instance_ids.is_none() {
        return Err(CliError::usage(
            "give --crm-ids FILE and/or --instance-ids FILE",
        ));
    }
    let mut inputs = Inputs::default();
    let mut read = |path: Option<&str>| -> Result<Vec<String>, CliError> {
        let Some(path) = path else {
            return Ok(Vec::new());
        };
        let (text, name) = inputs.read(path)?;
        Ok(parse_ids(&name, &text, None)?.unique)
    };
    let crm = read(args.crm_ids.as_deref())?;
    let instances = read(args.instance_ids.as_deref())?;
    let ctx = connect(global)?;
    let found = ctx
        .client
        .prospects_flows()
        .crm_prospect_ids(crm)
        .flow_instance_ids(instances)
        .send()
        .await?;
    let out = ProspectsFlowsOut {
        instances: found
            .instances
            .into_iter()
            .map(|i| InstanceOut {
                status: i.status.as_ref().map(|s| s.as_str().to_owned()),
                created: i.created.as_ref().map(|t| t.raw().to_owned()),
                crm_prospect_id: i.crm_prospect_id,
                flow_id: i.flow_id,
                flow_name: i.flow_name,
                flow_instance_id: i.flow_instance_id,
                owner_email: i.owner_email,
                workspace_id: i.workspace_id,
            })
            .collect(),
        requests: found.requests,
        request_ids: found.request_ids,
    };
    if ctx.output.json {
        print_json(&out)?;
    } else if out.instances.is_empty() {
        print_text("No flow instances.\n");
    } else {
        let rows: Vec<Vec<String>> = out
            .instances
            .iter()
            .map(|i| {
                vec![
                    or_dash(i.crm_prospect_id.as_deref()),
                    or_dash(i.flow_id.as_deref()),
                    or_dash(i.flow_name.as_deref()),
                    or_dash(i.flow_instance_id.as_deref()),
                    or_dash(i.status.as_deref()),
                    or_dash(i.owner_email.as_deref()),
                ]
            })
            .collect();
        print_text(&table(
            &["CRM ID", "FLOW ID", "FLOW", "INSTANCE", "STATUS", "OWNER"],
            &rows,
        ));
    }
    Ok(exit::OK)
}

// ---------------------------------------------------------------- steps

/// One step as this tool prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct StepOut {
    id: Option<String>,
    step_order: Option<i32>,
    action: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    is_reply: Option<bool>,
}

/// A flow with its steps as this tool prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FlowStepsOut {
    id: String,
    name: Option<String>,
    description: Option<String>,
    steps: Vec<StepOut>,
}

/// A flow `steps` could not show.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FlowMissing {
    flow_id: String,
    error: String,
}

/// `steps --json`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct StepsOut {
    flows: Vec<FlowStepsOut>,
    not_found: Vec<FlowMissing>,
    not_attempted: Vec<FlowMissing>,
    requests: u32,
    request_ids: Vec<String>,
}

async fn steps(global: &GlobalArgs, args: StepsArgs) -> Result<u8, CliError> {
    for flow in &args.flows {
        check_id_option("--flow", flow)?;
    }
    let ctx = connect(global)?;
    let report = ctx.client.flow_steps(&args.flows).send().await?;
    if let Some(stopped) = &report.stats.stopped
        && report.flows.is_empty()
    {
        return Err(CliError::from((**stopped).clone()));
    }
    let out = StepsOut {
        flows: report
            .flows
            .into_iter()
            .map(|f| FlowStepsOut {
                id: f.id,
                name: f.name,
                description: f.description,
                steps: f
                    .steps
                    .into_iter()
                    .map(|s| StepOut {
                        action: s.action.as_ref().map(|a| a.as_str().to_owned()),
                        id: s.id,
                        step_order: s.step_order,
                        subject: s.subject,
                        body: s.body,
                        is_reply: s.is_reply,
                    })
                    .collect(),
            })
            .collect(),
        not_found: report
            .not_found
            .into_iter()
            .map(|n| FlowMissing {
                flow_id: n.flow_id,
                error: n.message,
            })
            .collect(),
        not_attempted: report
            .not_attempted
            .iter()
            .map(|n| FlowMissing {
                flow_id: n.id.clone(),
                error: describe(&n.error),
            })
            .collect(),
        requests: report.stats.requests,
        request_ids: report.stats.request_ids,
    };
    if ctx.output.json {
        print_json(&out)?;
    } else {
        let mut text = String::new();
        for flow in &out.flows {
            text.push_str(&format!(
                "{}  {}\n",
                flow.id,
                flow.name.as_deref().unwrap_or("(no name)")
            ));
            let rows: Vec<Vec<String>> = flow
                .steps
                .iter()
                .map(|s| {
                    vec![
                        s.step_order.map_or("-".to_owned(), |n| n.to_string()),
                        or_dash(s.action.as_deref()),
                        or_dash(s.subject.as_deref()),
                        if s.is_reply == Some(true) {
                            "yes"
                        } else {
                            "no"
                        }
                        .to_owned(),
                    ]
                })
                .collect();
            for line in table(&["#", "ACTION", "SUBJECT", "REPLY"], &rows).lines() {
                text.push_str(&format!("  {line}\n"));
            }
            text.push('\n');
        }
        print_text(&text);
        for missing in &out.not_found {
            eprintln!("flow {} not found: {}", missing.flow_id, missing.error);
        }
        for missing in &out.not_attempted {
            eprintln!("flow {} not fetched: {}", missing.flow_id, missing.error);
        }
    }
    let code = if !out.not_attempted.is_empty() {
        report
            .stats
            .stopped
            .map_or(exit::STOPPED, |e| Stop::Fatal(e).code())
    } else if !out.not_found.is_empty() {
        exit::NOT_FOUND
    } else {
        exit::OK
    };
    Ok(code)
}

// ---------------------------------------------------------------- jobs

/// The plan `assign --dry-run` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Plan {
    operation: &'static str,
    dry_run: bool,
    flow_id: String,
    owner_email: String,
    unique_ids: usize,
    duplicates: Vec<String>,
    batch_size: usize,
    calls: usize,
    rate: Option<f64>,
    estimated_seconds: Option<f64>,
    daily_quota_percent: f64,
}

fn read_ids(path: &str, column: Option<&str>) -> Result<crate::input::IdList, CliError> {
    let (text, name) = Inputs::default().read(path)?;
    parse_ids(&name, &text, column)
}

async fn assign(global: &GlobalArgs, args: AssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", &args.flow)?;
    check_email_option("--owner", &args.owner)?;
    let ids = read_ids(&args.ids, args.column.as_deref())?;
    let batch_size = usize::from(args.batch_size);
    if args.dry_run {
        return dry_run(global, &args, ids, batch_size);
    }
    let ctx = connect(global)?;
    if ids.unique.is_empty() {
        ctx.output.note("No ids in the input: nothing to do.");
    }
    let mut report = AssignReport {
        flow_id: args.flow.clone(),
        owner_email: args.owner.clone(),
        batch_size: Some(batch_size),
        assigned: Vec::new(),
        not_assigned: Vec::new(),
        not_attempted: unfinished(IdKind::Crm, &ids.unique),
        duplicates: ids.duplicates,
        requests: 0,
        request_ids: Vec::new(),
        stopped: None,
        started_at: now(),
        finished_at: now(),
        runs: 1,
    };
    checkpoint(&JobReport::Assign(report.clone()), args.report.as_deref())?;
    let mut interrupts = Interrupts::listen();
    let run = run_assign(
        &ctx,
        &args.flow,
        &args.owner,
        batch_size,
        ids.unique,
        &mut interrupts,
    )
    .await?;
    report.assigned = run.assigned;
    report.not_assigned = run.not_assigned;
    report.not_attempted = run.not_attempted;
    report.requests = run.requests;
    report.request_ids = run.request_ids;
    report.stopped = run.stop.as_ref().map(Stop::describe);
    report.finished_at = now();
    finish(
        &ctx.output,
        &JobReport::Assign(report),
        args.report.as_deref(),
        run.stop.as_ref(),
    )
}

/// Every id as not attempted, for the report written before the job
/// starts: should the process die without writing its final report, that
/// file still accounts for every id, and `resume` treats their outcome as
/// unknown (it reconciles assignments it finds already made).
fn unfinished(kind: IdKind, ids: &[String]) -> Vec<NotAttempted> {
    ids.iter()
        .map(|id| {
            NotAttempted::new(
                kind,
                id.clone(),
                "the job did not finish (the process ended before its final report)".to_owned(),
                true,
            )
        })
        .collect()
}

/// Writes the report before the job starts: this also proves the file can
/// be written before anything is sent. An existing report of an unfinished
/// job is not overwritten: it may be the only record of what is left to do.
fn checkpoint(report: &JobReport, path: Option<&Path>) -> Result<(), CliError> {
    let Some(path) = path else {
        return Ok(());
    };
    if let Ok(text) = std::fs::read_to_string(path)
        && let Ok(existing) = serde_json::from_str::<JobReport>(&text)
    {
        let (left, _) = counts(&existing);
        if left > 0 {
            return Err(CliError::usage(format!(
                "{} holds an unfinished job ({left} not attempted): resume it with \
                 `gong-flows resume --report {}`, or choose another report file",
                path.display(),
                path.display()
            )));
        }
    }
    report.save(path)
}

fn dry_run(
    global: &GlobalArgs,
    args: &AssignArgs,
    ids: crate::input::IdList,
    batch_size: usize,
) -> Result<u8, CliError> {
    let calls = ids.unique.len().div_ceil(batch_size);
    let rate = global.rate.0;
    let plan = Plan {
        operation: "assign",
        dry_run: true,
        flow_id: args.flow.clone(),
        owner_email: args.owner.clone(),
        unique_ids: ids.unique.len(),
        duplicates: ids.duplicates,
        batch_size,
        calls,
        rate,
        estimated_seconds: rate.map(|r| calls as f64 / r),
        daily_quota_percent: calls as f64 * 100.0 / f64::from(GONG_DAILY_CALLS),
    };
    if global.json {
        print_json(&plan)?;
        return Ok(exit::OK);
    }
    let time = match plan.estimated_seconds {
        Some(seconds) => format!("~{}", duration(seconds)),
        None => "unpaced".to_owned(),
    };
    let rate_text = rate.map_or("off".to_owned(), |r| format!("{r}/s"));
    let mut text = format!(
        "Dry run: assign to flow {} (owner {}); nothing was sent.\n",
        plan.flow_id, plan.owner_email
    );
    text.push_str(
        &table(
            &["", ""],
            &[
                vec!["unique ids".into(), plan.unique_ids.to_string()],
                vec!["duplicates".into(), plan.duplicates.len().to_string()],
                vec![
                    "calls".into(),
                    format!("{} ({} ids per call)", plan.calls, plan.batch_size),
                ],
                vec![format!("time at {rate_text}"), time],
                vec![
                    "daily quota".into(),
                    format!(
                        "{:.2}% of Gong's {} calls per day",
                        plan.daily_quota_percent, GONG_DAILY_CALLS
                    ),
                ],
            ],
        )
        .lines()
        .skip(1)
        .map(|line| format!("  {line}\n"))
        .collect::<String>(),
    );
    if calls > GONG_DAILY_CALLS as usize {
        text.push_str("  warning: more calls than Gong allows in a day; the job will stop when the budget is spent and can be resumed the next day\n");
    }
    print_text(&text);
    Ok(exit::OK)
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

async fn unassign(global: &GlobalArgs, args: UnassignArgs) -> Result<u8, CliError> {
    if let Some(flow) = &args.flow {
        check_id_option("--flow", flow)?;
    }
    if let Some(by) = &args.by {
        check_email_option("--by", by)?;
    }
    let ids = read_ids(&args.ids, args.column.as_deref())?;
    unassign_job(
        global,
        IdKind::Crm,
        args.flow,
        args.by,
        ids,
        args.report.as_deref(),
    )
    .await
}

async fn unassign_instances(
    global: &GlobalArgs,
    args: UnassignInstancesArgs,
) -> Result<u8, CliError> {
    if let Some(by) = &args.by {
        check_email_option("--by", by)?;
    }
    let ids = read_ids(&args.ids, args.column.as_deref())?;
    unassign_job(
        global,
        IdKind::Instance,
        None,
        args.by,
        ids,
        args.report.as_deref(),
    )
    .await
}

fn wrap_unassign(kind: IdKind, report: UnassignReport) -> JobReport {
    match kind {
        IdKind::Crm => JobReport::Unassign(report),
        IdKind::Instance => JobReport::UnassignInstances(report),
    }
}

async fn unassign_job(
    global: &GlobalArgs,
    kind: IdKind,
    flow_id: Option<String>,
    by: Option<String>,
    ids: crate::input::IdList,
    path: Option<&Path>,
) -> Result<u8, CliError> {
    let ctx = connect(global)?;
    if ids.unique.is_empty() {
        ctx.output.note("No ids in the input: nothing to do.");
    }
    let mut report = UnassignReport {
        flow_id,
        unassigned_by: by,
        unassigned: Vec::new(),
        not_unassigned: Vec::new(),
        not_attempted: unfinished(kind, &ids.unique),
        duplicates: ids.duplicates,
        requests: 0,
        request_ids: Vec::new(),
        stopped: None,
        started_at: now(),
        finished_at: now(),
        runs: 1,
    };
    checkpoint(&wrap_unassign(kind, report.clone()), path)?;
    let mut interrupts = Interrupts::listen();
    let run = run_unassign(
        &ctx,
        kind,
        report.flow_id.as_deref(),
        report.unassigned_by.as_deref(),
        ids.unique,
        &mut interrupts,
    )
    .await?;
    report.unassigned = run.unassigned;
    report.not_unassigned = run.not_unassigned;
    report.not_attempted = run.not_attempted;
    report.requests = run.requests;
    report.request_ids = run.request_ids;
    report.stopped = run.stop.as_ref().map(Stop::describe);
    report.finished_at = now();
    finish(
        &ctx.output,
        &wrap_unassign(kind, report),
        path,
        run.stop.as_ref(),
    )
}

async fn bulk_assign(global: &GlobalArgs, args: BulkAssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", &args.flow)?;
    check_email_option("--owner", &args.owner)?;
    let (text, name) = Inputs::default().read(&args.prospects)?;
    let prospects = parse_prospects(&name, &text)?;
    let ctx = connect(global)?;
    if prospects.unique.is_empty() {
        ctx.output.note("No prospects in the input: nothing to do.");
    }
    let mut report = report::BulkReport {
        flow_id: args.flow.clone(),
        owner_email: args.owner.clone(),
        jobs: Vec::new(),
        assigned: Vec::new(),
        not_assigned: Vec::new(),
        not_attempted: prospects
            .unique
            .iter()
            .map(|p| report::BulkNotAttempted {
                prospect: p.clone(),
                error: "the job did not finish (the process ended before its final report)"
                    .to_owned(),
                may_have_been_sent: true,
            })
            .collect(),
        duplicates: prospects.duplicates,
        requests: 0,
        request_ids: Vec::new(),
        stopped: None,
        started_at: now(),
        finished_at: now(),
    };
    checkpoint(
        &JobReport::BulkAssign(report.clone()),
        args.report.as_deref(),
    )?;
    let mut interrupts = Interrupts::listen();
    let run = run_bulk(
        &ctx,
        &args.flow,
        &args.owner,
        prospects.unique,
        &mut interrupts,
    )
    .await?;
    report.jobs = run.jobs;
    report.assigned = run.assigned;
    report.not_assigned = run.not_assigned;
    report.not_attempted = run.not_attempted;
    report.requests = run.requests;
    report.request_ids = run.request_ids;
    report.stopped = run.stop.as_ref().map(Stop::describe);
    report.finished_at = now();
    finish(
        &ctx.output,
        &JobReport::BulkAssign(report),
        args.report.as_deref(),
        run.stop.as_ref(),
    )
}

/// Writes the report, prints it or its summary, and picks the exit code.
fn finish(
    output: &Output,
    report: &JobReport,
    path: Option<&Path>,
    stop: Option<&Stop>,
) -> Result<u8, CliError> {
    let (not_attempted, refused) = counts(report);
    // Printed first, so that a report file that cannot be written does not
    // also hide the outcome.
    if output.json {
        print_json(report)?;
    } else if !output.quiet {
        print_text(&summary(report));
    }
    if let Some(path) = path {
        report.save(path)?;
    }
    if not_attempted > 0 && !output.quiet {
        let why = stop.map_or_else(|| "stopped early".to_owned(), Stop::describe);
        match (path, report) {
            (_, JobReport::BulkAssign(_)) => eprintln!(
                "{not_attempted} prospects not attempted: {why}. The report lists them \
                 (a bulk submit whose answer was lost may have started a job: check before \
                 submitting them again)."
            ),
            (Some(path), _) => eprintln!(
                "{not_attempted} ids not attempted: {why}. Resume with: gong-flows resume --report {}",
                path.display()
            ),
            (None, _) => eprintln!(
                "{not_attempted} ids not attempted: {why}. Run with --report FILE to be able to resume."
            ),
        }
    }
    Ok(job_code(stop, not_attempted, refused))
}

/// Not attempted and refused, for the exit code.
fn counts(report: &JobReport) -> (usize, usize) {
    match report {
        JobReport::Assign(r) => (r.not_attempted.len(), r.not_assigned.len()),
        JobReport::Unassign(r) | JobReport::UnassignInstances(r) => {
            (r.not_attempted.len(), r.not_unassigned.len())
        }
        JobReport::BulkAssign(r) => (r.not_attempted.len(), r.not_assigned.len()),
    }
}

/// How many refusals a summary lists before pointing at the report.
const SHOWN: usize = 20;

fn summary(report: &JobReport) -> String {
    let mut text = String::new();
    let mut rows = Vec::new();
    let mut details = Vec::new();
    let heading = match report {
        JobReport::Unassign(_) | JobReport::UnassignInstances(_) => "not unassigned:",
        _ => "not assigned:",
    };
    let (requests, duplicates) = match report {
        JobReport::Assign(r) => {
            text.push_str(&format!(
                "assign to flow {} (owner {})\n",
                r.flow_id, r.owner_email
            ));
            let reconciled = r.assigned.iter().filter(|a| a.reconciled).count();
            let assigned = if reconciled > 0 {
                format!("{} ({reconciled} reconciled)", r.assigned.len())
            } else {
                r.assigned.len().to_string()
            };
            rows.push(vec!["assigned".to_owned(), assigned]);
            rows.push(vec![
                "not assigned".to_owned(),
                r.not_assigned.len().to_string(),
            ]);
            rows.push(vec![
                "not attempted".to_owned(),
                r.not_attempted.len().to_string(),
            ]);
            for n in r.not_assigned.iter().take(SHOWN) {
                details.push(vec![
                    n.crm_prospect_id.clone(),
                    or_dash(n.error_code.as_deref()),
                    or_dash(n.error_message.as_deref()),
                ]);
            }
            (r.requests, r.duplicates.len())
        }
        JobReport::Unassign(r) | JobReport::UnassignInstances(r) => {
            let what = match report {
                JobReport::Unassign(_) => "unassign by CRM id",
                _ => "unassign flow instances",
            };
            text.push_str(what);
            if let Some(flow) = &r.flow_id {
                text.push_str(&format!(" from flow {flow}"));
            }
            text.push('\n');
            rows.push(vec![
                "unassigned".to_owned(),
                r.unassigned.len().to_string(),
            ]);
            rows.push(vec![
                "not unassigned".to_owned(),
                r.not_unassigned.len().to_string(),
            ]);
            rows.push(vec![
                "not attempted".to_owned(),
                r.not_attempted.len().to_string(),
            ]);
            for n in r.not_unassigned.iter().take(SHOWN) {
                details.push(vec![or_dash(n.id()), n.reason.clone()]);
            }
            (r.requests, r.duplicates.len())
        }
        JobReport::BulkAssign(r) => {
            text.push_str(&format!(
                "bulk assign to flow {} (owner {})\n",
                r.flow_id, r.owner_email
            ));
            rows.push(vec!["bulk jobs".to_owned(), r.jobs.len().to_string()]);
            rows.push(vec!["assigned".to_owned(), r.assigned.len().to_string()]);
            rows.push(vec![
                "not assigned".to_owned(),
                r.not_assigned.len().to_string(),
            ]);
            rows.push(vec![
                "not attempted".to_owned(),
                r.not_attempted.len().to_string(),
            ]);
            for n in r.not_assigned.iter().take(SHOWN) {
                let who = n
                    .prospect
                    .clone()
                    .map(|p| p.key())
                    .or_else(|| n.crm_prospect_id.clone())
                    .unwrap_or_else(|| "-".to_owned());
                details.push(vec![
                    who,
                    or_dash(n.status.as_deref()),
                    or_dash(n.error_message.as_deref().or(n.error_code.as_deref())),
                ]);
            }
            (r.requests, r.duplicates.len())
        }
    };
    rows.push(vec!["duplicates".to_owned(), duplicates.to_string()]);
    rows.push(vec!["calls".to_owned(), requests.to_string()]);
    for line in table(&["", ""], &rows).lines().skip(1) {
        text.push_str(&format!("  {line}\n"));
    }
    let (_, refused) = counts(report);
    if !details.is_empty() {
        text.push_str(heading);
        text.push('\n');
        let columns = details.first().map_or(0, Vec::len);
        for line in table(&vec![""; columns], &details).lines().skip(1) {
            text.push_str(&format!("  {line}\n"));
        }
        if refused > SHOWN {
            text.push_str(&format!(
                "  ... and {} more (see the report)\n",
                refused - SHOWN
            ));
        }
    }
    text
}

// ---------------------------------------------------------------- resume

/// Where `resume` reads and writes.
fn resume_paths(args: &ResumeArgs) -> Result<(PathBuf, PathBuf), CliError> {
    match (&args.input, args.report.as_slice()) {
        (Some(input), []) => Ok((input.clone(), input.clone())),
        (Some(input), [output]) => Ok((input.clone(), output.clone())),
        (None, [input]) => Ok((input.clone(), input.clone())),
        (None, [input, output]) => Ok((input.clone(), output.clone())),
        (None, []) => Err(CliError::usage(
            "name the report to resume: gong-flows resume --report FILE",
        )),
        _ => Err(CliError::usage(
            "resume takes one report to read and at most one to write",
        )),
    }
}

async fn resume(global: &GlobalArgs, args: ResumeArgs) -> Result<u8, CliError> {
    let (input, output_path) = resume_paths(&args)?;
    let report = JobReport::load(&input)?;
    if let JobReport::BulkAssign(_) = report {
        return Err(CliError::usage(format!(
            "{}: bulk-assign reports cannot be resumed: a bulk submit whose answer was lost \
             may have started a job, so submitting again could assign twice",
            input.display()
        )));
    }
    let output = Output::from_args(global);
    let pending: Vec<NotAttempted> = report.not_attempted().into_iter().cloned().collect();
    if pending.is_empty() {
        output.note(&format!("{}: nothing to resume.", input.display()));
        let path = (output_path != input).then_some(output_path.as_path());
        return finish(&output, &report, path, None);
    }
    let ctx = connect(global)?;
    // The merged report is the input until the run ends: written first to a
    // new output file, it already accounts for every id.
    if output_path != input {
        report.save(&output_path)?;
    }
    let ids: Vec<String> = pending
        .iter()
        .filter_map(|n| n.id().map(str::to_owned))
        .collect();
    let unknown: Vec<String> = pending
        .iter()
        .filter(|n| n.may_have_been_sent)
        .filter_map(|n| n.id().map(str::to_owned))
        .collect();
    let mut interrupts = Interrupts::listen();
    let (merged, stop) = match report {
        JobReport::Assign(mut r) => {
            let run = run_assign(
                &ctx,
                &r.flow_id,
                &r.owner_email,
                r.batch_size.unwrap_or(BatchSizes::MAX_ASSIGN),
                ids,
                &mut interrupts,
            )
            .await?;
            let mut run = run;
            reconcile(&ctx, &r.flow_id, &unknown, &mut run).await;
            r.assigned.extend(run.assigned);
            r.not_assigned.extend(run.not_assigned);
            r.not_attempted = run.not_attempted;
            r.requests += run.requests;
            r.request_ids.extend(run.request_ids);
            r.stopped = run.stop.as_ref().map(Stop::describe);
            r.finished_at = now();
            r.runs += 1;
            (JobReport::Assign(r), run.stop)
        }
        JobReport::Unassign(r) => {
            let (r, stop) = resume_unassign(&ctx, IdKind::Crm, r, ids, &mut interrupts).await?;
            (JobReport::Unassign(r), stop)
        }
        JobReport::UnassignInstances(r) => {
            let (r, stop) =
                resume_unassign(&ctx, IdKind::Instance, r, ids, &mut interrupts).await?;
            (JobReport::UnassignInstances(r), stop)
        }
        // Refused above, before connecting; kept here so the match is total.
        JobReport::BulkAssign(_) => {
            return Err(CliError::usage("bulk-assign reports cannot be resumed"));
        }
    };
    if let Err(problem) = merged.check() {
        // Keeps the input intact rather than writing a report that breaks
        // its own rule.
        return Err(CliError::new(
            exit::STOPPED,
            format!(
                "the merged report is inconsistent ({problem}); {} was left as it was",
                input.display()
            ),
        ));
    }
    finish(&ctx.output, &merged, Some(&output_path), stop.as_ref())
}

async fn resume_unassign(
    ctx: &Ctx,
    kind: IdKind,
    mut r: UnassignReport,
    ids: Vec<String>,
    interrupts: &mut Interrupts,
) -> Result<(UnassignReport, Option<Stop>), CliError> {
    let run = run_unassign(
        ctx,
        kind,
        r.flow_id.as_deref(),
        r.unassigned_by.as_deref(),
        ids,
        interrupts,
    )
    .await?;
    r.unassigned.extend(run.unassigned);
    r.not_unassigned.extend(run.not_unassigned);
    r.not_attempted = run.not_attempted;
    r.requests += run.requests;
    r.request_ids.extend(run.request_ids);
    r.stopped = run.stop.as_ref().map(Stop::describe);
    r.finished_at = now();
    r.runs += 1;
    Ok((r, run.stop))
}

/// Ids whose earlier outcome was unknown and that Gong now refuses as
/// `InvalidState` may be in the flow because of that earlier attempt: those
/// found in the flow are reported assigned (reconciled), as the SDK does
/// within one run. If the look-up fails they stay refused, as Gong said.
async fn reconcile(ctx: &Ctx, flow_id: &str, unknown: &[String], run: &mut crate::jobs::AssignRun) {
    let unknown: std::collections::HashSet<&str> = unknown.iter().map(String::as_str).collect();
    let suspects: Vec<String> = run
        .not_assigned
        .iter()
        .filter(|n| n.error_code.as_deref() == Some("InvalidState"))
        .filter(|n| unknown.contains(n.crm_prospect_id.as_str()))
        .map(|n| n.crm_prospect_id.clone())
        .collect();
    if suspects.is_empty() {
        return;
    }
    let found = match ctx
        .client
        .prospects_flows()
        .crm_prospect_ids(suspects)
        .send()
        .await
    {
        Ok(found) => found,
        Err(error) => {
            ctx.output.note(&format!(
                "could not check whether refused prospects were assigned earlier: {}",
                describe(&error)
            ));
            return;
        }
    };
    run.requests += u64::from(found.requests);
    run.request_ids.extend(found.request_ids);
    let mut in_flow: HashMap<String, gong_flows::FlowInstance> = found
        .instances
        .into_iter()
        .filter(|i| i.flow_id.as_deref() == Some(flow_id))
        .filter_map(|i| Some((i.crm_prospect_id.clone()?, i)))
        .collect();
    let mut still_refused = Vec::new();
    for n in std::mem::take(&mut run.not_assigned) {
        match in_flow.remove(&n.crm_prospect_id) {
            Some(instance) if n.error_code.as_deref() == Some("InvalidState") => {
                run.assigned.push(report::Assigned {
                    crm_prospect_id: n.crm_prospect_id,
                    flow_instance_id: instance.flow_instance_id,
                    status: instance.status.as_ref().map(|s| s.as_str().to_owned()),
                    reconciled: true,
                });
            }
            _ => still_refused.push(n),
        }
    }
    run.not_assigned = still_refused;
}

// ---------------------------------------------------------------- sim

async fn sim(global: &GlobalArgs, args: SimArgs) -> Result<u8, CliError> {
    let (limit, window) = match global.rate.0 {
        None => (None, std::time::Duration::from_secs(1)),
        // A fractional rate becomes whole calls over a longer window.
        Some(rate) => {
            let calls = rate.floor().max(1.0);
            (
                Some(calls.min(f64::from(u32::MAX)) as u32),
                std::time::Duration::from_secs_f64(calls / rate),
            )
        }
    };
    let config = gong_flows_sim::SimConfig::default()
        .port(args.port)
        .rate_limit(limit)
        .rate_window(window)
        .faults(args.faults.clone());
    let sim = gong_flows_sim::Simulator::start(config)
        .map_err(|e| CliError::usage(format!("simulator: {e}")))?;
    let mut text = format!("Simulator listening on {}\n", sim.base_url());
    text.push_str(&format!(
        "  rate limit: {}; faults: {}\n",
        limit.map_or("off".to_owned(), |_| format!(
            "{} calls/s",
            global.rate.0.unwrap_or_default()
        )),
        args.faults
    ));
    text.push_str(&format!("  export GONG_BASE_URL={}\n", sim.base_url()));
    if let Some(key) = sim.credentials().access_keys.first() {
        text.push_str(&format!("  export GONG_ACCESS_KEY={}\n", key.key));
        text.push_str(&format!("  export GONG_ACCESS_KEY_SECRET={}\n", key.secret));
    }
    for token in &sim.credentials().tokens {
        text.push_str(&format!(
            "  bearer token {} ({})\n",
            token.token,
            token.scopes.join(" ")
        ));
    }
    text.push_str("Press Ctrl-C to stop.\n");
    print_text(&text);
    let mut interrupts = Interrupts::listen();
    interrupts.next().await;
    sim.shutdown().await;
    Ok(exit::OK)
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

    #[test]
    fn resume_paths_in_every_spelling() {
        let args = |input: Option<&str>, report: &[&str]| ResumeArgs {
            input: input.map(PathBuf::from),
            report: report.iter().map(PathBuf::from).collect(),
        };
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(resume_paths(&args(None, &["a"])), Ok((p("a"), p("a"))));
        assert_eq!(resume_paths(&args(None, &["a", "b"])), Ok((p("a"), p("b"))));
        assert_eq!(resume_paths(&args(Some("a"), &[])), Ok((p("a"), p("a"))));
        assert_eq!(resume_paths(&args(Some("a"), &["b"])), Ok((p("a"), p("b"))));
        assert!(resume_paths(&args(None, &[])).is_err());
        assert!(resume_paths(&args(Some("a"), &["b", "c"])).is_err());
    }
}
