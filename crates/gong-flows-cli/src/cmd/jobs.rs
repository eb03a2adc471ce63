//! The jobs: assign, unassign (by CRM id or flow instance id), bulk assign.

use super::job::{check, confirm, dry_run, report_path, run};
use super::report::Failures;
use crate::cli::{
    AssignArgs, BulkAssignArgs, FailuresArgs, GlobalArgs, IdsArgs, UnassignArgs,
    UnassignInstancesArgs,
};
use crate::context::{Ctx, Output, connect, planner};
use crate::exit::CliError;
use crate::input::{
    IdList, Inputs, check_email_option, check_id_option, parse_ids, parse_prospects,
};
use gong_flows::input::{IdKind, ShapeCheck, Source, check_shapes};
use gong_flows::{DryRun, Plan, SavedJob};

/// Inputs from this size on are read with a spinner on a terminal.
const LARGE_INPUT_BYTES: usize = 4 << 20;

/// An id file, read and checked, and what a failures file needs of it.
pub(super) struct IdFile {
    pub ids: IdList,
    /// The file: its text, and its record for the report.
    pub source: Source,
    /// Ids that do not look like ids of their kind, for the plan.
    pub warning: Option<String>,
}

impl IdFile {
    /// The dry run of `operation`'s `plan` of this file's unique ids: the
    /// file's repeats, column, first ids and warning.
    fn dry_run(&self, operation: &str, mut plan: Plan) -> DryRun {
        plan.duplicates = self.ids.duplicates.clone();
        let mut dry = DryRun::new(operation, plan);
        dry.column = self.ids.column.as_ref().map(ToString::to_string);
        dry.sample = self.ids.sample(3).to_vec();
        dry.warnings = self.warning.iter().cloned().collect();
        dry
    }

    /// The failures file of `args`, made of this file's rows.
    fn failures(&self, args: &FailuresArgs) -> Option<Failures> {
        let path = args.failures.clone()?;
        Some(Failures {
            path,
            text: Some(self.source.text.clone()),
        })
    }
}

/// Reads an id file, says which CSV column the ids came from (and why),
/// and checks the shape of the ids, so that a wrong column is caught before
/// anything is sent: refused when every id looks wrong, a warning when some
/// do (unless `--any-id-shape`).
pub(super) fn read_ids(
    global: &GlobalArgs,
    args: &IdsArgs,
    kind: IdKind,
) -> Result<IdFile, CliError> {
    let output = Output::from_args(global);
    let mut source = Inputs::default().read(&args.ids)?;
    let (name, text) = (source.name.clone(), &source.text);
    // A large file takes a few seconds: say so on a terminal meanwhile.
    let spinner = (text.len() > LARGE_INPUT_BYTES && output.progress).then(|| {
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message(format!("reading {name} ({} MiB)…", text.len() >> 20));
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        spinner
    });
    let ids = parse_ids(&source, args.column.as_deref());
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
    let ids = ids?;
    let from = match &ids.column {
        Some(column) => {
            let sample = ids.sample(3).join(", ");
            output.note(&format!("{name}: ids from {column}, e.g. {sample}"));
            source.record.column = Some(column.name.clone());
            format!("{name}: {column}")
        }
        None => name.clone(),
    };
    let check = match args.any_id_shape {
        true => ShapeCheck::default(),
        false => check_shapes(ids.unique.iter().map(String::as_str), kind),
    };
    if check.all_suspect() {
        return Err(CliError::usage(format!(
            "{from}: {check}: is it the right column? Name it with --column NAME \
             (or send them anyway with --any-id-shape); nothing was sent"
        )));
    }
    let warning = (check.suspect > 0).then(|| format!("{from}: {check}"));
    if let Some(warning) = &warning {
        output.warn(warning);
    }
    Ok(IdFile {
        ids,
        source,
        warning,
    })
}

pub async fn assign(global: &GlobalArgs, args: AssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", &args.flow)?;
    check_email_option("--owner", &args.owner)?;
    let file = read_ids(global, &args.ids, IdKind::CrmProspect)?;
    let ctx = client(global, args.file.dry_run)?;
    let job = ctx
        .client
        .assign(&args.flow, &args.owner)
        .chunk_size(usize::from(args.chunk_size))
        .prospects(&file.ids.unique);
    if args.file.dry_run {
        let mut dry = file.dry_run("assign", job.plan()?);
        dry.what = format!("assign to flow {} (owner {})", args.flow, args.owner);
        (dry.flow_id, dry.owner_email) = (Some(args.flow.clone()), Some(args.owner.clone()));
        dry.check = check(&ctx, Some(&args.flow), Some(&args.owner)).await?;
        return dry_run(&ctx, dry);
    }
    let job = saved(&ctx, SavedJob::new(job)?, &file);
    let path = report_path(args.file.report.as_deref(), "assign")?;
    let failures = file.failures(&args.failures);
    run(&ctx, job, &path, None, (args.file.force, failures)).await
}

/// The client of a job, or of its dry run (which may work without
/// credentials).
fn client(global: &GlobalArgs, dry_run: bool) -> Result<Ctx, CliError> {
    if dry_run {
        planner(global)
    } else {
        connect(global, None)
    }
}

/// A job around its report, with the file's repeats and the record of the
/// file itself.
fn saved(ctx: &Ctx, mut job: SavedJob, file: &IdFile) -> SavedJob {
    if file.ids.unique.is_empty() {
        ctx.output.note("No ids in the input: nothing to do.");
    }
    if let Some(profile) = &ctx.profile {
        job = job.profile(profile);
    }
    job.with_duplicates(file.ids.duplicates.clone())
        .with_input(file.source.record.clone())
}

pub async fn unassign(global: &GlobalArgs, args: UnassignArgs) -> Result<u8, CliError> {
    if let Some(flow) = &args.flow {
        check_id_option("--flow", flow)?;
    }
    if let Some(by) = &args.by {
        check_email_option("--by", by)?;
    }
    let file = read_ids(global, &args.ids, IdKind::CrmProspect)?;
    let ids = &file.ids;
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
        // From every flow, the bound needs a look-up of who is where.
        if ctx.offline && args.flow.is_none() {
            return Err(CliError::usage(
                "a dry run of unassign from every flow looks up which flows the prospects \
                 are in: it needs credentials (or name the flow with --flow)",
            ));
        }
        let check = check(&ctx, args.flow.as_deref(), args.by.as_deref()).await?;
        let mut dry = file.dry_run("unassign", job.plan_with_reads().await?);
        (dry.what, dry.flow_id, dry.check) = (
            format!("remove prospects by CRM id from {from}"),
            args.flow,
            check,
        );
        return dry_run(&ctx, dry);
    }
    let n = ids.unique.len();
    let (what, needs_yes) = match args.flow {
        Some(_) => (format!("Remove {n} prospects (by CRM id) from"), None),
        None => (
            format!("Remove {n} prospects from every flow they are in"),
            Some(
                "unassign without --flow removes the prospects from every flow they are in: \
                 confirm with --yes (or name the flow with --flow ID; --dry-run shows the plan)",
            ),
        ),
    };
    let who = (args.flow.as_deref(), args.by.as_deref());
    if !confirm(&ctx, (args.yes, needs_yes), &what, who).await? {
        return Ok(gong_flows::Outcome::Done.code());
    }
    let job = saved(&ctx, SavedJob::new(job)?, &file);
    let path = report_path(args.file.report.as_deref(), "unassign")?;
    let failures = file.failures(&args.failures);
    run(&ctx, job, &path, None, (args.file.force, failures)).await
}

pub async fn unassign_instances(
    global: &GlobalArgs,
    args: UnassignInstancesArgs,
) -> Result<u8, CliError> {
    if let Some(by) = &args.by {
        check_email_option("--by", by)?;
    }
    let file = read_ids(global, &args.ids, IdKind::FlowInstance)?;
    let ctx = client(global, args.file.dry_run)?;
    let mut job = ctx.client.unassign_instances(&file.ids.unique);
    if let Some(by) = &args.by {
        job = job.unassigned_by(by);
    }
    if args.file.dry_run {
        let mut dry = file.dry_run("unassign-instances", job.plan()?);
        dry.what = "remove flow instances".to_owned();
        dry.check = check(&ctx, None, args.by.as_deref()).await?;
        return dry_run(&ctx, dry);
    }
    let what = format!("Remove {} flow instances", file.ids.unique.len());
    if !confirm(&ctx, (args.yes, None), &what, (None, args.by.as_deref())).await? {
        return Ok(gong_flows::Outcome::Done.code());
    }
    let job = saved(&ctx, SavedJob::new(job)?, &file);
    let path = report_path(args.file.report.as_deref(), "unassign-instances")?;
    let failures = file.failures(&args.failures);
    run(&ctx, job, &path, None, (args.file.force, failures)).await
}

pub async fn bulk_assign(global: &GlobalArgs, args: BulkAssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", &args.flow)?;
    check_email_option("--owner", &args.owner)?;
    let prospects = parse_prospects(&Inputs::default().read(&args.prospects)?)?;
    let ctx = client(global, args.file.dry_run)?;
    let job = ctx
        .client
        .bulk_assign(&args.flow, &args.owner)
        .prospects(prospects.unique);
    if args.file.dry_run {
        let mut plan = job.plan()?;
        plan.duplicates = prospects.duplicates;
        let mut dry = DryRun::new("bulk-assign", plan);
        dry.what = format!("bulk assign to flow {} (owner {})", args.flow, args.owner);
        dry.check = check(&ctx, Some(&args.flow), Some(&args.owner)).await?;
        (dry.flow_id, dry.owner_email) = (Some(args.flow), Some(args.owner));
        return dry_run(&ctx, dry);
    }
    let mut job = SavedJob::new(job)?.with_duplicates(prospects.duplicates);
    if let Some(profile) = &ctx.profile {
        job = job.profile(profile);
    }
    let path = report_path(args.file.report.as_deref(), "bulk-assign")?;
    run(&ctx, job, &path, None, (args.file.force, None)).await
}
