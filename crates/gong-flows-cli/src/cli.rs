//! The command line: every command, option and environment variable.

use clap::{ArgAction, Args, Parser, Subcommand};
use gong_flows::profile::{DailyLimit, Rate};
use gong_flows_sim::FaultConfig;
use std::path::PathBuf;

/// Bulk jobs on Gong's Engage Flows API: assign and unassign prospects by
/// the thousand, with progress, pacing to Gong's rate limit, and a report
/// that accounts for every id and can be resumed.
#[derive(Debug, Parser)]
#[command(
    name = "gong-flows",
    version,
    after_help = "Exit codes: 0 done; 1 Gong refused some \
    ids; 2 bad input or settings (nothing sent); 3 credentials refused (401); 4 unknown flow; 5 \
    stopped early (resume the report); 6 a scope missing (403) or no Gong Engage."
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the command name; their
/// environment variables' values are never shown in help.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
#[command(mut_args(|arg| arg.global(true).hide_env_values(true)))]
pub struct GlobalArgs {
    /// The profile of config.toml to use (its host, credentials' source,
    /// rate, reserve, pacer); options and GONG_* variables override its
    /// values.
    #[arg(long, env = "GONG_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// The config file of the profiles (default:
    /// ~/.config/gong-flows/config.toml, or the platform's config dir).
    #[arg(long, env = "GONG_FLOWS_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Gong's API host for your company, e.g. https://us-55616.api.gong.io.
    #[arg(long, env = "GONG_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,

    /// Access key (HTTP Basic). Prefer the environment variable: command
    /// lines are visible to other users of the machine.
    #[arg(long, env = "GONG_ACCESS_KEY", value_name = "KEY")]
    pub access_key: Option<String>,

    /// Access key secret (HTTP Basic). Prefer the environment variable.
    #[arg(long, env = "GONG_ACCESS_KEY_SECRET", value_name = "SECRET")]
    pub access_key_secret: Option<String>,

    /// OAuth bearer token, instead of an access key. Prefer the environment
    /// variable.
    #[arg(long, env = "GONG_BEARER_TOKEN", value_name = "TOKEN")]
    pub bearer_token: Option<String>,

    /// Calls per second, or `off` (Gong allows 3 per company; default 3,
    /// or the profile's). For `sim`, the simulator's limit.
    #[arg(long, value_name = "CALLS/S")]
    pub rate: Option<Rate>,

    /// Calls per 24 hours the company may make, or `off` (default 10000,
    /// Gong's, or the profile's; Gong raises it for some companies).
    #[arg(long, env = "GONG_DAILY_LIMIT", value_name = "CALLS")]
    pub daily_limit: Option<DailyLimit>,

    /// Calls of the daily limit never spent, left for the company's other
    /// integrations (its CRM sync, its dialer…); default 0, or the
    /// profile's.
    #[arg(long, env = "GONG_DAILY_RESERVE", value_name = "CALLS")]
    pub reserve: Option<u32>,

    /// What a job does when what is left of today's quota may not hold its
    /// calls: `refuse` it before anything is sent, `run-what-fits` and stop
    /// (resume it later), or `wait` for calls to free up.
    #[arg(long, default_value = "refuse", value_name = "POLICY")]
    pub over_quota: gong_flows::OverQuota,

    /// Share the rate limit with every process of the company through
    /// Redis, e.g. redis://127.0.0.1:6379/0 (keys are namespaced by the base
    /// URL's host and a fingerprint of the credentials). Without it, the
    /// limit is kept by this process alone.
    #[arg(long, env = "GONG_PACER_URL", value_name = "URL")]
    pub pacer_url: Option<String>,

    /// Calls one job keeps in flight (the rate still decides when each goes).
    #[arg(long, default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=16))]
    pub concurrency: u16,

    /// Machine-readable output: JSON on stdout, and every note, warning and
    /// error on stderr as one JSON object a line; no progress bar.
    #[arg(long)]
    pub json: bool,

    /// Start the built-in simulator and run against it with its credentials
    /// (nothing reaches Gong).
    #[arg(long)]
    pub sandbox: bool,

    /// More detail on stderr (-v: every call with its status and Gong's
    /// request id; -vv: more). Secrets are never shown.
    #[arg(short, long, action = ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Only errors on stderr; no progress bar, no summary for jobs.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Flows.
    Flows {
        /// What to do with flows.
        #[command(subcommand)]
        command: FlowsCommand,
    },
    /// Flow folders.
    Folders {
        /// What to do with folders.
        #[command(subcommand)]
        command: FoldersCommand,
    },
    /// Prospects.
    Prospects {
        /// What to do with prospects.
        #[command(subcommand)]
        command: ProspectsCommand,
    },
    /// Assign prospects (CRM ids) to a flow, in chunks.
    Assign(AssignArgs),
    /// Remove prospects (by CRM id) from their flows.
    Unassign(UnassignArgs),
    /// Remove flow instances (by flow instance id).
    UnassignInstances(UnassignInstancesArgs),
    /// Show the steps of flows.
    Steps(StepsArgs),
    /// Assign prospects from a CSV through Gong's asynchronous bulk
    /// assignment (prospects need not exist in the CRM).
    BulkAssign(BulkAssignArgs),
    /// Re-run exactly the not-attempted part of an earlier job from its report.
    Resume(ResumeArgs),
    /// Keep a flow's membership equal to a list of CRM ids, run after run.
    ///
    /// Assigns the listed prospects not in the flow and removes those the
    /// sync put in it that are listed no more. Gong cannot list a flow's
    /// members, so the state file remembers what the sync put there;
    /// prospects added by others are never removed (unless adopted).
    ///
    /// The plan is printed first (on stderr; with --dry-run on stdout, and
    /// nothing is written). A plan that would remove more than
    /// --max-removals, or empty the flow, is refused with exit code 2 and
    /// nothing written, with --dry-run too (its plan printed all the same).
    /// A sync stopped for any reason is finished by running it again: the
    /// state file settles what was in flight, and nobody is assigned twice.
    /// Another sync of the flow on the same state file is refused while it
    /// runs (exit code 5). The report (JSON) holds the plan until the sync
    /// ends, then what was done to every prospect.
    ///
    /// Exit codes: 0 the flow matches the list; 1 Gong refused some
    /// prospects (the next run tries them again); 2 bad input or a refused
    /// plan; 3 credentials refused; 4 unknown flow; 5 stopped (interrupted,
    /// rate limit, network, another sync running): run it again; 6 a scope
    /// missing (403).
    Sync(SyncArgs),
    /// Run the simulator in the foreground (Ctrl-C stops it).
    Sim(SimArgs),
    /// Saved job reports.
    Report {
        /// What to do with a report.
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// The profiles of the config file, one a line (never a secret: where
    /// each comes from); with NAME, that one.
    Profiles {
        /// Only this profile.
        name: Option<String>,
    },
    /// Print a shell completion script (e.g. `gong-flows completions bash >
    /// /etc/bash_completion.d/gong-flows`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write the man pages (gong-flows.1 and one per command) into DIR.
    #[command(hide = true)]
    Man {
        /// The directory, created if absent.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// `report …`
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Write the input rows a saved job left undone to a CSV, with the
    /// input's own columns and code, message and remedy (the input file is
    /// read again, and refused if it changed since the job).
    Export(ReportExportArgs),
}

/// `report export`
#[derive(Debug, Args)]
pub struct ReportExportArgs {
    /// The job's report.
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,
    /// The CSV to write.
    #[arg(long, value_name = "FILE.csv")]
    pub failures: PathBuf,
    /// Overwrite the CSV if it exists.
    #[arg(long)]
    pub force: bool,
}

/// The failures file of a job.
#[derive(Debug, Args)]
pub struct FailuresArgs {
    /// Write the input rows left undone (refused or not attempted) to this
    /// CSV: the input's columns, then code, message and remedy.
    #[arg(long, value_name = "FILE.csv")]
    pub failures: Option<PathBuf>,
}

/// The id file of a job.
#[derive(Debug, Args)]
pub struct IdsArgs {
    /// File of ids: one per line, or a CSV with a header (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub ids: String,
    /// The CSV column holding the ids (default: the one column named like
    /// an id: Id, CRM Id, Contact ID, Lead ID, crmProspectId,
    /// flowInstanceId).
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// Send ids of any shape: without it, a column whose every id looks like
    /// an email, a phone number, a name or a Salesforce id of another
    /// object than a contact or lead is refused before anything is sent.
    #[arg(long)]
    pub any_id_shape: bool,
}

/// `flows …`
#[derive(Debug, Subcommand)]
pub enum FlowsCommand {
    /// List the flows a user can assign to (every page).
    List(FlowsListArgs),
}

/// `flows list`
#[derive(Debug, Args)]
pub struct FlowsListArgs {
    /// The user whose personal and shared flows are listed with the company's.
    #[arg(long, value_name = "EMAIL")]
    pub owner: String,
    /// Only flows of this workspace.
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
    /// Only flows in this folder.
    #[arg(long, value_name = "ID")]
    pub folder: Option<String>,
    /// Only the flows the user assigned most recently (at most 20).
    #[arg(long)]
    pub recent: bool,
}

/// `folders …`
#[derive(Debug, Subcommand)]
pub enum FoldersCommand {
    /// List flow folders (every page).
    List(FoldersListArgs),
}

/// `folders list`
#[derive(Debug, Args)]
pub struct FoldersListArgs {
    /// The user whose folders are listed with the company's.
    #[arg(long, value_name = "EMAIL")]
    pub owner: String,
    /// Only this folder and its children.
    #[arg(long, value_name = "ID")]
    pub parent: Option<i64>,
    /// Only folders of this workspace.
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
}

/// `prospects …`
#[derive(Debug, Subcommand)]
pub enum ProspectsCommand {
    /// The flows prospects are in.
    Flows(ProspectsFlowsArgs),
}

/// `prospects flows`
#[derive(Debug, Args)]
pub struct ProspectsFlowsArgs {
    /// File of CRM prospect ids (`-` for stdin); open flows only.
    #[arg(long, value_name = "FILE")]
    pub crm_ids: Option<String>,
    /// File of flow instance ids (`-` for stdin); finished ones too.
    #[arg(long, value_name = "FILE")]
    pub instance_ids: Option<String>,
}

/// `assign`
#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The flow.
    #[arg(long, value_name = "ID")]
    pub flow: String,
    /// The Gong user who will own the flow to-dos.
    #[arg(long, value_name = "EMAIL")]
    pub owner: String,
    #[command(flatten)]
    pub ids: IdsArgs,
    /// Prospects per call (Gong allows 200).
    #[arg(long, visible_alias = "batch-size", default_value_t = 200, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=200))]
    pub chunk_size: u16,
    #[command(flatten)]
    pub failures: FailuresArgs,
    #[command(flatten)]
    pub file: JobFileArgs,
}

/// The report file of a write job, and its plan.
#[derive(Debug, Args)]
pub struct JobFileArgs {
    /// Keep the job's report (JSON) here; `resume` picks it up (a sync's
    /// is not resumed: run the sync again). Without it, the report goes
    /// to `gong-flows-<command>-<time>.json` in the current directory,
    /// named when the job starts.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Overwrite the report (and failures) file if it exists (a finished
    /// job's report is otherwise kept; an unfinished one is never
    /// overwritten: resume it).
    #[arg(long)]
    pub force: bool,
    /// Check the input and print the plan (ids, calls, time, quota); send
    /// nothing (unassign from every flow, and sync, read who is where
    /// first).
    #[arg(long)]
    pub dry_run: bool,
}

/// `unassign`
#[derive(Debug, Args)]
pub struct UnassignArgs {
    #[command(flatten)]
    pub ids: IdsArgs,
    /// Only this flow (default: every flow of each prospect).
    #[arg(long, value_name = "ID")]
    pub flow: Option<String>,
    /// The Gong user asking for the removal.
    #[arg(long, value_name = "EMAIL")]
    pub by: Option<String>,
    #[command(flatten)]
    pub failures: FailuresArgs,
    #[command(flatten)]
    pub file: JobFileArgs,
    /// Remove them without asking (on a terminal, the tool asks first;
    /// without one, needed to remove from every flow, without `--flow`).
    #[arg(long)]
    pub yes: bool,
}

/// `unassign-instances`
#[derive(Debug, Args)]
pub struct UnassignInstancesArgs {
    #[command(flatten)]
    pub ids: IdsArgs,
    /// The Gong user asking for the removal.
    #[arg(long, value_name = "EMAIL")]
    pub by: Option<String>,
    #[command(flatten)]
    pub failures: FailuresArgs,
    #[command(flatten)]
    pub file: JobFileArgs,
    /// Remove them without asking (on a terminal, the tool asks first).
    #[arg(long)]
    pub yes: bool,
}

/// `steps`
#[derive(Debug, Args)]
pub struct StepsArgs {
    /// The flows (repeat the option or list several ids after it).
    #[arg(long = "flow", value_name = "ID", required = true, num_args = 1..)]
    pub flows: Vec<String>,
}

/// `bulk-assign`
#[derive(Debug, Args)]
pub struct BulkAssignArgs {
    /// The flow.
    #[arg(long, value_name = "ID")]
    pub flow: String,
    /// The Gong user who will own the flow to-dos.
    #[arg(long, value_name = "EMAIL")]
    pub owner: String,
    /// CSV with a header naming some of firstName, lastName, email,
    /// jobTitle, linkedInUrl, crmId, accountCrmId, companyName (camelCase
    /// or snake_case); `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub prospects: String,
    #[command(flatten)]
    pub file: JobFileArgs,
}

/// `sync`
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The flow.
    #[arg(long, value_name = "ID")]
    pub flow: String,
    /// The Gong user who will own the flow to-dos of new instances.
    #[arg(long, value_name = "EMAIL")]
    pub owner: String,
    /// The ids: the whole list the flow should hold.
    #[command(flatten)]
    pub ids: IdsArgs,
    /// The sync's state (SQLite), created if absent (not its directory).
    /// Keep it from run to run: without it, the sync forgets what it put
    /// in the flow.
    #[arg(long, value_name = "FILE")]
    pub state: PathBuf,
    /// The most prospects one run may remove: a count (`300`) or a share
    /// of those the sync manages (`25%`). Default: 10%, and an empty list
    /// is refused (a limit given allows it, within the limit).
    #[arg(long, value_name = "N|P%")]
    pub max_removals: Option<gong_flows::MaxRemovals>,
    /// Take over listed prospects put in the flow by others: managed from
    /// now on, and removed like the sync's own once listed no more.
    #[arg(long)]
    pub adopt: bool,
    /// Enrol again listed prospects whose instance finished the flow.
    #[arg(long)]
    pub re_enroll_finished: bool,
    /// Put back listed prospects removed from the flow outside the sync.
    #[arg(long)]
    pub restore_removed: bool,
    #[command(flatten)]
    pub file: JobFileArgs,
    /// Run a plan with removals without asking (on a terminal, the tool
    /// asks first).
    #[arg(long)]
    pub yes: bool,
}

/// `resume`
#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The report to resume; if given, `--report` names where the merged
    /// report goes instead of back into this file.
    #[arg(value_name = "REPORT")]
    pub input: Option<PathBuf>,
    /// The report to resume (updated in place). Given twice, or after a
    /// REPORT argument, the file the merged report is written to.
    #[arg(long, value_name = "FILE", action = ArgAction::Append)]
    pub report: Vec<PathBuf>,
    /// Write the input rows still left undone to this CSV (see `report
    /// export`).
    #[arg(long, value_name = "FILE.csv")]
    pub failures: Option<PathBuf>,
    /// Overwrite the file the merged report (or the failures) goes to, if
    /// it is another one and exists.
    #[arg(long)]
    pub force: bool,
    /// Print what the resume would send; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Resume a report made for another company (another Gong host, or
    /// other credentials) with this one: its ids then go to this company's
    /// flows.
    #[arg(long)]
    pub other_company: bool,
}

/// `sim`
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Faults to inject, e.g. `500=0.05,429-burst=0.01:3;seed=7` (see
    /// `gong-flows-sim --help`).
    #[arg(long, default_value = "none", value_name = "SPEC")]
    pub faults: FaultConfig,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_anywhere() {
        let line = "gong-flows assign --flow 1 --owner a@b.co --ids - --rate 1000 --json";
        let cli = Cli::try_parse_from(line.split(' ')).unwrap();
        assert_eq!(cli.global.rate, Some(Rate(Some(1000.0))));
        assert!(cli.global.json);
    }
}
