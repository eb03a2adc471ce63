//! Every kind of bad input is a typed error before anything is sent: ids,
//! emails, flow ids, sizes, overrides, bulk prospects, URLs and
//! credentials, for every operation that takes them.

mod common;

use common::ScriptServer;
use gong_flows::{
    AssignOverrides, BulkProspect, ChunkSizes, Client, Error, JobError, JobReport, Result,
    StepOverride,
};

const FLOW: &str = "1695493301223590792";
const OWNER: &str = "owner@example.com";

/// Ids that must never be sent, each with what is wrong with it.
const BAD_IDS: &[&str] = &[
    "",
    "   ",
    "two words",
    "tab\there",
    "new\nline",
    "nul\0byte",
    "zero\u{200B}width",
    "\u{FEFF}bom",
    "non\u{00A0}breaking",
    "bidi\u{200E}mark",
    "soft\u{00AD}hyphen",
];

fn long_id() -> String {
    "x".repeat(gong_flows::MAX_ID_LEN + 1)
}

/// The error of a call refused before anything was sent: a read's, or a
/// job's [`JobError::Invalid`].
trait Refused {
    fn refused(self) -> std::result::Result<Error, String>;
}

impl<T: std::fmt::Debug> Refused for Result<T> {
    fn refused(self) -> std::result::Result<Error, String> {
        match self {
            Err(error) => Ok(error),
            other => Err(format!("{other:?}")),
        }
    }
}

impl<T: std::fmt::Debug, R: JobReport> Refused for std::result::Result<T, JobError<R>> {
    fn refused(self) -> std::result::Result<Error, String> {
        match self {
            Err(JobError::Invalid(error)) => Ok(error),
            other => Err(format!("{other:?}")),
        }
    }
}

fn invalid(result: impl Refused, what: &str) {
    match result.refused() {
        Ok(Error::InvalidInput { .. }) => {}
        other => panic!("{what}: expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_input_of_every_kind_is_refused_before_anything_is_sent() {
    let server = ScriptServer::start().await;
    let client = common::client(&server.url).build().unwrap();
    let mut cases = 0;
    let mut bad_ids: Vec<String> = BAD_IDS.iter().map(|s| s.to_string()).collect();
    bad_ids.push(long_id());

    for bad in &bad_ids {
        let what = format!("{bad:?}");
        let ids = ["ok-1".to_owned(), bad.clone()];
        invalid(
            client.assign(FLOW, OWNER).prospects(&ids).send().await,
            &what,
        );
        invalid(client.unassign_prospects(&ids).send().await, &what);
        invalid(client.unassign_instances(&ids).send().await, &what);
        invalid(client.flow_steps(&ids).send().await, &what);
        invalid(
            client
                .prospects_flows()
                .crm_prospect_ids(ids.clone())
                .send()
                .await,
            &what,
        );
        invalid(
            client
                .prospects_flows()
                .flow_instance_ids(ids.clone())
                .send()
                .await,
            &what,
        );
        invalid(client.unassign_prospect(bad.clone()).send().await, &what);
        // As a flow id, everywhere one is taken.
        invalid(
            client
                .assign(bad.clone(), OWNER)
                .prospects(["a"])
                .send()
                .await,
            &what,
        );
        invalid(
            client
                .unassign_prospects(["a"])
                .flow_id(bad.clone())
                .send()
                .await,
            &what,
        );
        invalid(
            client
                .bulk_assign(bad.clone(), OWNER)
                .prospects([BulkProspect::crm_id("a")])
                .send()
                .await,
            &what,
        );
        // As a bulk prospect's CRM id or account id.
        invalid(
            client
                .bulk_assign(FLOW, OWNER)
                .prospects([BulkProspect::crm_id(bad.clone())])
                .send()
                .await,
            &what,
        );
        invalid(
            client
                .bulk_assign(FLOW, OWNER)
                .prospects([BulkProspect::new("Ann", "Smith").account_crm_id(bad.clone())])
                .send()
                .await,
            &what,
        );
        cases += 12;
    }

    for email in [
        "",
        "owner",
        "@example.com",
        "owner@",
        "owner@example",
        "a b@example.com",
        "a@b@c.com",
    ] {
        let what = format!("{email:?}");
        invalid(
            client.assign(FLOW, email).prospects(["a"]).send().await,
            &what,
        );
        invalid(
            client
                .bulk_assign(FLOW, email)
                .prospects([BulkProspect::crm_id("a")])
                .send()
                .await,
            &what,
        );
        invalid(
            client
                .unassign_prospects(["a"])
                .unassigned_by(email)
                .send()
                .await,
            &what,
        );
        invalid(
            client
                .unassign_instances(["1"])
                .unassigned_by(email)
                .send()
                .await,
            &what,
        );
        invalid(client.list_flows(email).send().await, &what);
        invalid(client.list_folders(email).send().await, &what);
        invalid(
            client
                .bulk_assign(FLOW, OWNER)
                .prospects([BulkProspect::new("Ann", "Smith").email(email)])
                .send()
                .await,
            &what,
        );
        cases += 7;
    }

    // Sizes, overrides and bulk prospects without a name.
    for size in [0, ChunkSizes::MAX_ASSIGN + 1] {
        invalid(
            client
                .assign(FLOW, OWNER)
                .prospects(["a"])
                .chunk_size(size)
                .send()
                .await,
            &format!("batch size {size}"),
        );
        cases += 1;
    }
    invalid(
        client
            .assign(FLOW, OWNER)
            .prospects(["a"])
            .overrides(AssignOverrides::new().step(StepOverride::new(0)))
            .send()
            .await,
        "step 0",
    );
    invalid(
        client
            .assign(FLOW, OWNER)
            .prospects(["a"])
            .overrides(AssignOverrides::new().variable(" ", "x"))
            .send()
            .await,
        "an unnamed variable",
    );
    for nameless in [
        BulkProspect::new("", "Smith"),
        BulkProspect::new("Ann", " "),
        BulkProspect::default(),
    ] {
        invalid(
            client
                .bulk_assign(FLOW, OWNER)
                .prospects([nameless.clone()])
                .send()
                .await,
            &format!("{nameless:?}"),
        );
        cases += 1;
    }
    cases += 2;

    // The streaming form refuses bad settings at once, too.
    invalid(
        client
            .assign("", OWNER)
            .parts_from_iter(["a".to_owned()])
            .map(|_| ()),
        "a stream with a bad flow id",
    );
    cases += 1;

    assert!(
        server.seen().is_empty(),
        "something was sent: {:?}",
        server.seen()
    );
    assert!(cases >= 150, "{cases} cases");
    eprintln!("{cases} kinds of bad input refused, nothing sent");
}

#[test]
fn bad_settings_are_config_errors() {
    let config = |result: Result<Client>, what: &str| match result {
        Err(Error::Config { .. }) => {}
        other => panic!("{what}: expected a configuration error, got {other:?}"),
    };
    let with = |url: &str| Client::builder().base_url(url).bearer_token("t").build();
    for url in [
        "",
        "not a url",
        "ftp://api.gong.io",
        "http://api.gong.io",
        "https://user:pw@api.gong.io",
        "https://api.gong.io/?tenant=x",
        "https://api.gong.io/#top",
        "https://",
    ] {
        config(with(url), url);
    }
    config(Client::builder().bearer_token("t").build(), "no base URL");
    config(
        Client::builder().base_url("https://api.gong.io").build(),
        "no credentials",
    );
    for sizes in [
        ChunkSizes::default().with_assign(0),
        ChunkSizes::default().with_assign(ChunkSizes::MAX_ASSIGN + 1),
        ChunkSizes::default().with_unassign_instances(ChunkSizes::MAX_UNASSIGN_INSTANCES + 1),
        ChunkSizes::default().with_steps(ChunkSizes::MAX_STEPS + 1),
        ChunkSizes::default().with_bulk(ChunkSizes::MAX_BULK + 1),
        ChunkSizes::default().with_lookup(0),
    ] {
        config(
            Client::builder()
                .base_url("https://api.gong.io")
                .bearer_token("t")
                .chunk_sizes(sizes)
                .build(),
            &format!("{sizes:?}"),
        );
    }
    config(
        Client::builder()
            .base_url("https://api.gong.io")
            .bearer_token("t")
            .concurrency(0)
            .build(),
        "concurrency 0",
    );
}
