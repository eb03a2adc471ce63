//! The jobs: assign, unassign (by CRM id or flow instance id), bulk assign.

use super::job::{check, confirm, dry_run, report_path, run};
use super::report::Failures;
use crate::cli::{
    AssignArgs, BulkAssignArgs, FailuresArgs, GlobalArgs, IdsArgs, JobFileArgs, UnassignArgs,
    UnassignInstancesArgs,
};
use crate::context::{Ctx, Output, connect, planner};
use crate::exit::CliError;
use crate::input::{
    IdList, Inputs, check_email_option, check_id_option, parse_ids, parse_prospects,
};
use gong_flows::SavedJob;
use gong_flows::input::{IdKind, ShapeCheck, Source, check_shapes};

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
    /// A job of this file's unique ids around its report, with the
    /// file's repeats and the record of the file itself.
    fn saved(&self, job: SavedJob) -> SavedJob {
        job.with_duplicates(self.ids.duplicates.clone())
            .with_input(self.source.record.clone())
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
    check_id_option("--flow", args.flow.as_str())?;
    check_email_option("--owner", args.owner.as_str())?;
    let file = read_ids(global, &args.ids, IdKind::CrmProspect)?;
    let ctx = client(global, args.file.dry_run)?;
    let job = ctx
        .client
        .assign(&args.flow, &args.owner)
        .chunk_size(usize::from(args.chunk_size))
        .prospects(&file.ids.unique);
    let who = (Some(args.flow.as_str()), Some(args.owner.as_str()));
    let job = file.saved(SavedJob::new(job)?);
    let file = Some((&file, &args.failures));
    launch(&ctx, job, file, &args.file, who, None).await
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

/// A question to ask before a destructive job (see [`confirm`]): `--yes`,
/// why `--yes` is needed without a terminal (if it is), and what the job
/// does.
type Ask<'a> = (bool, Option<&'a str>, String);

/// What a job command does once its job is built: with `--dry-run`, print
/// its plan (with the plan's check of `who`, the flow and the user); else,
/// once `ask` is answered yes, run it around its report (and failures
/// file, made of `file`'s rows).
async fn launch(
    ctx: &Ctx,
    mut job: SavedJob,
    file: Option<(&IdFile, &FailuresArgs)>,
    args: &JobFileArgs,
    who: (Option<&str>, Option<&str>),
    ask: Option<Ask<'_>>,
) -> Result<u8, CliError> {
    if args.dry_run {
        let check = check(ctx, who.0, who.1).await?;
        let mut dry = job.dry_run().await?;
        dry.check = check;
        if let Some((file, _)) = file {
            dry.column = file.ids.column.as_ref().map(ToString::to_string);
            dry.sample = file.ids.sample(3).to_vec();
            dry.warnings = file.warning.iter().cloned().collect();
        }
        return dry_run(ctx, dry);
    }
    if let Some((yes, needs_yes, what)) = ask
        && !confirm(ctx, (yes, needs_yes), &what, who).await?
    {
        return Ok(gong_flows::Outcome::Done.code());
    }
    if job.inputs() == 0 {
        ctx.output.note("Nothing in the input: nothing to do.");
    }
    if let Some(profile) = &ctx.profile {
        job = job.profile(profile);
    }
    let path = report_path(args.report.as_deref(), job.checkpoint().operation())?;
    let failures = file.and_then(|(file, args)| file.failures(args));
    run(ctx, job, &path, None, (args.force, failures)).await
}

/// Why `unassign` from every flow needs `--yes` without a terminal.
const EVERY_FLOW_NEEDS_YES: &str = "unassign without --flow removes the prospects from every \
    flow they are in: confirm with --yes (or name the flow with --flow ID; --dry-run shows the plan)";

pub async fn unassign(global: &GlobalArgs, args: UnassignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", args.flow.as_deref())?;
    check_email_option("--by", args.by.as_deref())?;
    let file = read_ids(global, &args.ids, IdKind::CrmProspect)?;
    let ctx = client(global, args.file.dry_run)?;
    // From every flow, the plan's bound needs a look-up of who is where.
    if args.file.dry_run && ctx.offline && args.flow.is_none() {
        return Err(CliError::usage(
            "a dry run of unassign from every flow looks up which flows the prospects \
             are in: it needs credentials (or name the flow with --flow)",
        ));
    }
    let mut job = ctx.client.unassign_prospects(&file.ids.unique);
    if let Some(flow) = &args.flow {
        job = job.flow_id(flow);
    }
    if let Some(by) = &args.by {
        job = job.unassigned_by(by);
    }
    let n = file.ids.unique.len();
    let ask = match args.flow {
        Some(_) => (None, format!("Remove {n} prospects (by CRM id) from")),
        None => (
            Some(EVERY_FLOW_NEEDS_YES),
            format!("Remove {n} prospects from every flow they are in"),
        ),
    };
    let ask = (args.yes, ask.0, ask.1);
    let who = (args.flow.as_deref(), args.by.as_deref());
    let job = file.saved(SavedJob::new(job)?);
    let file = Some((&file, &args.failures));
    launch(&ctx, job, file, &args.file, who, Some(ask)).await
}

pub async fn unassign_instances(
    global: &GlobalArgs,
    args: UnassignInstancesArgs,
) -> Result<u8, CliError> {
    check_email_option("--by", args.by.as_deref())?;
    let file = read_ids(global, &args.ids, IdKind::FlowInstance)?;
    let ctx = client(global, args.file.dry_run)?;
    let mut job = ctx.client.unassign_instances(&file.ids.unique);
    if let Some(by) = &args.by {
        job = job.unassigned_by(by);
    }
    let ask = (
        args.yes,
        None,
        format!("Remove {} flow instances", file.ids.unique.len()),
    );
    let job = file.saved(SavedJob::new(job)?);
    let (who, file) = ((None, args.by.as_deref()), Some((&file, &args.failures)));
    launch(&ctx, job, file, &args.file, who, Some(ask)).await
}

pub async fn bulk_assign(global: &GlobalArgs, args: BulkAssignArgs) -> Result<u8, CliError> {
    check_id_option("--flow", args.flow.as_str())?;
    check_email_option("--owner", args.owner.as_str())?;
    let prospects = parse_prospects(&Inputs::default().read(&args.prospects)?)?;
    let ctx = client(global, args.file.dry_run)?;
    let job = ctx
        .client
        .bulk_assign(&args.flow, &args.owner)
        .prospects(prospects.unique);
    let job = SavedJob::new(job)?.with_duplicates(prospects.duplicates);
    let who = (Some(args.flow.as_str()), Some(args.owner.as_str()));
    launch(&ctx, job, None, &args.file, who, None).await
}
