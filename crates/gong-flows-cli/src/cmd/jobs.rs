//! The jobs: assign, unassign (by CRM id or flow instance id), bulk assign.

use super::job::{About, dry_run, report_path, run};
use crate::cli::{AssignArgs, BulkAssignArgs, GlobalArgs, UnassignArgs, UnassignInstancesArgs};
use crate::context::{Ctx, connect, planner};
use crate::exit::CliError;
use crate::input::{
    IdList, Inputs, check_email_option, check_id_option, parse_ids, parse_prospects,
};
use gong_flows::SavedJob;

/// Inputs from this size on are read with a spinner on a terminal.
const LARGE_INPUT_BYTES: usize = 4 << 20;

/// Reads an id file, and says which CSV column the ids came from (and
/// why), so that a wrong column is caught before anything is sent.
pub(super) fn read_ids(
    global: &GlobalArgs,
    path: &str,
    column: Option<&str>,
) -> Result<IdList, CliError> {
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

pub async fn assign(global: &GlobalArgs, args: AssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", &args.flow)?;
    check_email_option("--owner", &args.owner)?;
    let ids = read_ids(global, &args.ids, args.column.as_deref())?;
    let ctx = client(global, args.file.dry_run)?;
    let job = ctx
        .client
        .assign(&args.flow, &args.owner)
        .chunk_size(usize::from(args.chunk_size))
        .prospects(&ids.unique);
    if args.file.dry_run {
        let about = About {
            what: format!("assign to flow {} (owner {})", args.flow, args.owner),
            flow_id: Some(&args.flow),
            owner_email: Some(&args.owner),
            ..about(&ids)
        };
        return dry_run(global, "assign", about, &with_duplicates(job.plan()?, &ids));
    }
    if ids.unique.is_empty() {
        ctx.output.note("No ids in the input: nothing to do.");
    }
    let job = SavedJob::new(job)?.with_duplicates(ids.duplicates);
    let path = report_path(args.file.report.as_deref(), "assign")?;
    run(&ctx, job, &path, None, args.file.force).await
}

/// The client of a job, or of its dry run (which may work without
/// credentials).
fn client(global: &GlobalArgs, dry_run: bool) -> Result<Ctx, CliError> {
    if dry_run {
        planner(global)
    } else {
        connect(global)
    }
}

/// What a dry run shows of an id file.
fn about(ids: &IdList) -> About<'static> {
    About {
        column: ids.column.as_ref().map(ToString::to_string),
        sample: ids.sample(3).to_vec(),
        ..About::default()
    }
}

/// A plan of the file's unique ids, with the file's repeats.
fn with_duplicates(mut plan: gong_flows::Plan, ids: &IdList) -> gong_flows::Plan {
    plan.duplicates = ids.duplicates.clone();
    plan
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
    let ctx = client(global, args.file.dry_run)?;
    let mut job = ctx.client.unassign_prospects(&ids.unique);
    if let Some(flow) = &args.flow {
        job = job.flow_id(flow);
    }
    if let Some(by) = &args.by {
        job = job.unassigned_by(by);
    }
    if args.file.dry_run {
        let about = About {
            what: format!("remove prospects by CRM id from {from}"),
            flow_id: args.flow.as_deref(),
            ..about(&ids)
        };
        // From every flow, the bound needs a look-up of who is where.
        if ctx.offline && args.flow.is_none() {
            return Err(CliError::usage(
                "a dry run of unassign from every flow looks up which flows the prospects \
                 are in: it needs credentials (or name the flow with --flow)",
            ));
        }
        let plan = job.plan_with_reads().await?;
        return dry_run(global, "unassign", about, &with_duplicates(plan, &ids));
    }
    if args.flow.is_none() && !args.yes {
        confirm(&format!(
            "Remove {} prospects from {from}? [y/N] ",
            ids.unique.len()
        ))?;
    }
    if ids.unique.is_empty() {
        ctx.output.note("No ids in the input: nothing to do.");
    }
    let job = SavedJob::new(job)?.with_duplicates(ids.duplicates);
    let path = report_path(args.file.report.as_deref(), "unassign")?;
    run(&ctx, job, &path, None, args.file.force).await
}

pub async fn unassign_instances(
    global: &GlobalArgs,
    args: UnassignInstancesArgs,
) -> Result<u8, CliError> {
    if let Some(by) = &args.by {
        check_email_option("--by", by)?;
    }
    let ids = read_ids(global, &args.ids, args.column.as_deref())?;
    let ctx = client(global, args.file.dry_run)?;
    let mut job = ctx.client.unassign_instances(&ids.unique);
    if let Some(by) = &args.by {
        job = job.unassigned_by(by);
    }
    if args.file.dry_run {
        let about = About {
            what: "remove flow instances".to_owned(),
            ..about(&ids)
        };
        let plan = with_duplicates(job.plan()?, &ids);
        return dry_run(global, "unassign-instances", about, &plan);
    }
    if ids.unique.is_empty() {
        ctx.output.note("No ids in the input: nothing to do.");
    }
    let job = SavedJob::new(job)?.with_duplicates(ids.duplicates);
    let path = report_path(args.file.report.as_deref(), "unassign-instances")?;
    run(&ctx, job, &path, None, args.file.force).await
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

pub async fn bulk_assign(global: &GlobalArgs, args: BulkAssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", &args.flow)?;
    check_email_option("--owner", &args.owner)?;
    let (text, name) = Inputs::default().read(&args.prospects)?;
    let prospects = parse_prospects(&name, &text)?;
    let ctx = client(global, args.file.dry_run)?;
    let job = ctx
        .client
        .bulk_assign(&args.flow, &args.owner)
        .prospects(prospects.unique);
    if args.file.dry_run {
        let about = About {
            what: format!("bulk assign to flow {} (owner {})", args.flow, args.owner),
            flow_id: Some(&args.flow),
            owner_email: Some(&args.owner),
            ..About::default()
        };
        let mut plan = job.plan()?;
        plan.duplicates = prospects.duplicates;
        return dry_run(global, "bulk-assign", about, &plan);
    }
    let job = SavedJob::new(job)?.with_duplicates(prospects.duplicates);
    let path = report_path(args.file.report.as_deref(), "bulk-assign")?;
    run(&ctx, job, &path, None, args.file.force).await
}
