//! `sync`: keep a flow's membership equal to a list, run after run, with
//! the sync's state in a SQLite file.

use super::job::{drive, finish, open_report, report_path};
use super::jobs::read_ids;
use crate::cli::{GlobalArgs, SyncArgs};
use crate::context::connect;
use crate::exit::CliError;
use crate::input::{check_email_option, check_id_option};
use crate::output::{print_json, print_text};
use gong_flows::input::IdKind;
use gong_flows::write_json;
use gong_flows::{Error, Outcome, SqliteStore};
use std::path::Path;

pub async fn sync(global: &GlobalArgs, args: SyncArgs) -> Result<u8, CliError> {
    check_id_option("--flow", args.flow.as_str())?;
    check_email_option("--owner", args.owner.as_str())?;
    let ids = read_ids(global, &args.ids, IdKind::CrmProspect)?.ids;
    let store = open_state(&args.state)?;
    // Even a dry run looks the prospects up: it needs credentials.
    let ctx = connect(global, None)?;
    let mut sync = ctx
        .client
        .sync(&args.flow, &args.owner)
        // The repeats too, so that the plan and the report count them.
        .prospects(ids.unique.into_iter().chain(ids.duplicates))
        .store(store)
        .adopt(args.adopt)
        .re_enroll_finished(args.re_enroll_finished)
        .restore_removed(args.restore_removed);
    if let Some(limit) = args.max_removals {
        sync = sync.max_removals(limit);
    }
    let plan = sync.plan().await.map_err(refused)?;
    if args.file.dry_run {
        if global.json {
            print_json(&plan.to_json())?;
        } else {
            print_text(&format!("Dry run: nothing was written.\n{plan}\n"));
        }
        return match plan.refusal {
            Some(refusal) => Err(refused(refusal)),
            None => Ok(Outcome::Done.code()),
        };
    }
    ctx.output.note(&plan.to_string());
    if !plan.to_unassign.is_empty() {
        let (add, remove) = (plan.to_assign.len(), plan.to_unassign.len());
        let what = format!("Sync: assign {add} and remove {remove} prospects of");
        let who = (Some(args.flow.as_str()), Some(args.owner.as_str()));
        if !super::job::confirm(&ctx, (args.yes, None), &what, who).await? {
            return Ok(Outcome::Done.code());
        }
    }
    let planned = plan.to_json();
    // Nothing runs until `drive` polls the report.
    let (handle, report) = plan.start().map_err(refused)?;
    let path = report_path(args.file.report.as_deref(), "sync")?;
    let checkpoint = |p: &Path| write_json(p, &planned);
    let _locks = open_report(&ctx, &path, None, args.file.force, checkpoint)?;
    let report = drive(&ctx, &handle, report.report()).await;
    finish(&ctx.output, &report, &path)
}

/// The state file, created if absent; a path that cannot be one is a
/// usage error.
fn open_state(path: &Path) -> Result<SqliteStore, CliError> {
    SqliteStore::open(path).map_err(|e| CliError::usage(format!("--state: {}", e.one_line())))
}

/// An error of the plan, with what to do about it.
fn refused(error: Error) -> CliError {
    let remedy = match &error {
        Error::SyncGuard {
            empty_list: true, ..
        } => "; to empty the flow on purpose, allow it with --max-removals 100%".to_owned(),
        Error::SyncGuard {
            removals, managed, ..
        } => format!(
            "; if the list is right, allow it with --max-removals {removals} (or {}%)",
            (removals * 100).div_ceil((*managed).max(1))
        ),
        Error::SyncLocked { .. } => "; run this one again once it has ended".to_owned(),
        _ => String::new(),
    };
    let mut error = CliError::from(error);
    error.message.push_str(&remedy);
    error
}
