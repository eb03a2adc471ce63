//! Reads: flows, folders, prospects' flows, steps.

use crate::cli::{FlowsListArgs, FoldersListArgs, GlobalArgs, ProspectsFlowsArgs, StepsArgs};
use crate::context::{Ctx, connect};
use crate::exit::CliError;
use crate::input::{Inputs, check_email_option, check_id_option, parse_ids};
use crate::output::{print_json, print_text};
use gong_flows::{Outcome, TableRow, table_of};

/// Prints a read's answer: `json` with `--json`, else `items` as a table
/// of a row each (`No {what}.` when there are none).
fn show<T: TableRow>(
    ctx: &Ctx,
    json: &impl serde::Serialize,
    items: &[T],
    what: &str,
) -> Result<u8, CliError> {
    if ctx.output.json {
        print_json(json)?;
    } else if items.is_empty() {
        print_text(&format!("No {what}.\n"));
    } else {
        print_text(&table_of(items));
    }
    Ok(Outcome::Done.code())
}

pub async fn flows(global: &GlobalArgs, args: FlowsListArgs) -> Result<u8, CliError> {
    check_email_option("--owner", args.owner.as_str())?;
    let ctx = connect(global, None)?;
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
    let flows = request.collect_all().await?;
    show(&ctx, &flows, &flows, "flows")
}

pub async fn folders(global: &GlobalArgs, args: FoldersListArgs) -> Result<u8, CliError> {
    check_email_option("--owner", args.owner.as_str())?;
    let ctx = connect(global, None)?;
    let mut request = ctx.client.list_folders(&args.owner);
    if let Some(parent) = args.parent {
        request = request.parent_id(parent);
    }
    if let Some(id) = args.workspace {
        request = request.workspace_id(id);
    }
    let folders = request.collect_all().await?;
    show(&ctx, &folders, &folders, "folders")
}

pub async fn prospects_flows(
    global: &GlobalArgs,
    args: ProspectsFlowsArgs,
) -> Result<u8, CliError> {
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
        Ok(parse_ids(&inputs.read(path)?, None)?.unique)
    };
    let crm = read(args.crm_ids.as_deref())?;
    let instances = read(args.instance_ids.as_deref())?;
    let ctx = connect(global, None)?;
    let found = ctx
        .client
        .prospects_flows()
        .crm_prospect_ids(crm)
        .flow_instance_ids(instances)
        .send()
        .await?
        .check()
        .map_err(gong_flows::Error::from)?;
    show(&ctx, &found, &found.instances, "flow instances")
}

pub async fn steps(global: &GlobalArgs, args: StepsArgs) -> Result<u8, CliError> {
    for flow in &args.flows {
        check_id_option("--flow", flow.as_str())?;
    }
    let ctx = connect(global, None)?;
    let report = ctx.client.flow_steps(&args.flows).send().await?;
    if let Some(stopped) = &report.stats.stopped
        && report.flows.is_empty()
    {
        return Err(CliError::from((**stopped).clone()));
    }
    if ctx.output.json {
        print_json(&report)?;
    } else {
        print_text(&report.steps_table());
        for missing in &report.not_found {
            let (id, why) = (missing.id.as_str(), &missing.error_message);
            eprintln!("gong-flows: error: flow {id} not found: {why}");
        }
        for missing in &report.not_attempted {
            let (id, why) = (&missing.id, missing.error.one_line());
            eprintln!("gong-flows: error: flow {id} not fetched: {why}");
        }
    }
    // An unknown flow is this command's "not found", not a partial success.
    let outcome = match Outcome::of_report(&report) {
        Outcome::Partial => Outcome::NotFound,
        other => other,
    };
    Ok(outcome.code())
}
