//! List flows and list folders: single pages, or streams that follow the
//! cursor to the end.

use crate::batch::check_email;
use crate::call::CallKind;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{Flow, Folder, Page};
use futures::stream::{self, BoxStream, StreamExt as _, TryStreamExt as _};
use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;

/// A list operation Gong pages with a cursor.
trait Lister: Send + Sync + Sized + 'static {
    type Item: Send + 'static;

    /// The user whose items are listed (checked before anything is sent).
    fn owner_email(&self) -> &str;

    /// The cursor to start at.
    fn start(&self) -> Option<String>;

    /// Fetches one page.
    fn page(&self, cursor: Option<String>)
    -> impl Future<Output = Result<Page<Self::Item>>> + Send;
}

/// Follows `cursor` from page to page until Gong stops sending one. A cursor
/// that comes back twice would loop forever; it ends the stream with an error.
fn paginate<L: Lister>(lister: L) -> BoxStream<'static, Result<L::Item>> {
    if let Err(e) = check_email("owner_email", lister.owner_email()) {
        return stream::once(async move { Err(e) }).boxed();
    }
    struct State<L> {
        cursor: Option<String>,
        seen: HashSet<String>,
        done: bool,
        lister: Arc<L>,
    }
    let state = State {
        cursor: lister.start(),
        seen: HashSet::new(),
        done: false,
        lister: Arc::new(lister),
    };
    stream::try_unfold(state, |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let page = state.lister.page(state.cursor.take()).await?;
        match page.next_cursor.clone() {
            Some(next) if !state.seen.insert(next.clone()) => {
                return Err(Error::Decode {
                    operation: "pagination",
                    status: 200,
                    request_id: page.request_id,
                    message: format!("Gong sent the cursor {next:?} twice; stopping"),
                });
            }
            Some(next) => state.cursor = Some(next),
            None => state.done = true,
        }
        Ok(Some((page.items, state)))
    })
    .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// Lists flows: all company flows plus the personal and shared flows of a
/// user. Made by [`Client::list_flows`].
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// use futures::TryStreamExt;
///
/// // One page:
/// let page = client.list_flows("owner@example.com").send().await?;
/// // Every page, as a stream:
/// let mut flows = client.list_flows("owner@example.com").stream();
/// while let Some(flow) = flows.try_next().await? {
///     println!("{flow}");
/// }
/// // Everything at once:
/// let all = client.list_flows("owner@example.com").collect_all().await?;
/// # let _ = (page, all);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ListFlows {
    client: Client,
    owner_email: String,
    workspace_id: Option<String>,
    folder_id: Option<String>,
    most_recently_assigned: Option<bool>,
    cursor: Option<String>,
    name: Option<String>,
}

impl Client {
    /// Lists the flows `owner_email` can see.
    pub fn list_flows(&self, owner_email: impl Into<String>) -> ListFlows {
        ListFlows {
            client: self.clone(),
            owner_email: owner_email.into(),
            workspace_id: None,
            folder_id: None,
            most_recently_assigned: None,
            cursor: None,
            name: None,
        }
    }

    /// The flow named `name` among those `owner_email` can see, if any.
    ///
    /// Names are compared exactly, ignoring spaces around them. Every page is
    /// read: two flows of one name (a company flow and a personal one, say)
    /// are an [`Error::InvalidInput`] naming both ids, since assigning to the
    /// wrong one cannot be undone by a retry.
    ///
    /// ```no_run
    /// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
    /// let Some(flow) = client.find_flow("owner@example.com", "SDR Flow").await? else {
    ///     return Ok(()); // no such flow
    /// };
    /// println!("assigning to {flow}");
    /// # Ok(()) }
    /// ```
    pub async fn find_flow(
        &self,
        owner_email: impl Into<String>,
        name: &str,
    ) -> Result<Option<Flow>> {
        let mut found = self
            .list_flows(owner_email)
            .named(name)
            .collect_all()
            .await?;
        match found.len() {
            0 | 1 => Ok(found.pop()),
            n => Err(Error::InvalidInput {
                field: "name",
                value: name.to_owned(),
                reason: format!(
                    "names {n} flows ({}): choose one by id",
                    found
                        .iter()
                        .map(|f| f.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    /// Lists the flow folders `owner_email` can see.
    pub fn list_folders(&self, owner_email: impl Into<String>) -> ListFolders {
        ListFolders {
            client: self.clone(),
            owner_email: owner_email.into(),
            parent_id: None,
            workspace_id: None,
            cursor: None,
        }
    }
}

impl ListFlows {
    /// Only flows of this workspace.
    pub fn workspace_id(mut self, id: impl Into<String>) -> Self {
        self.workspace_id = Some(id.into());
        self
    }

    /// Only flows in this folder.
    pub fn folder_id(mut self, id: impl Into<String>) -> Self {
        self.folder_id = Some(id.into());
        self
    }

    /// Only the flows the user assigned most recently (Gong returns at most 20).
    pub fn most_recently_assigned(mut self, yes: bool) -> Self {
        self.most_recently_assigned = Some(yes);
        self
    }

    /// Starts at this cursor (from [`Page::next_cursor`]).
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// Only flows named `name` (compared exactly, ignoring spaces around
    /// it). Gong has no such filter: every page is still fetched, and the
    /// others are dropped here. [`Client::find_flow`] wants exactly one.
    ///
    /// ```no_run
    /// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
    /// let flows = client.list_flows("owner@example.com").named("SDR Flow").collect_all().await?;
    /// # let _ = flows;
    /// # Ok(()) }
    /// ```
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<Flow>> {
        check_email("owner_email", &self.owner_email)?;
        let cursor = self.cursor.clone();
        self.page(cursor).await
    }

    /// Every flow on every page from here on, fetched page by page.
    pub fn stream(self) -> BoxStream<'static, Result<Flow>> {
        paginate(self)
    }

    /// Every flow on every page, collected.
    pub async fn collect_all(self) -> Result<Vec<Flow>> {
        paginate(self).try_collect().await
    }
}

impl Lister for ListFlows {
    type Item = Flow;

    fn owner_email(&self) -> &str {
        &self.owner_email
    }

    fn start(&self) -> Option<String> {
        self.cursor.clone()
    }

    async fn page(&self, cursor: Option<String>) -> Result<Page<Flow>> {
        let success = self
            .client
            .call(
                gong_flows_api::operation_ids::LIST_FLOWS,
                CallKind::Idempotent,
                None,
                |api| {
                    let cursor = cursor.clone();
                    async move {
                        let mut request =
                            api.list_flows().flow_owner_email(self.owner_email.clone());
                        if let Some(cursor) = cursor {
                            request = request.cursor(cursor);
                        }
                        if let Some(id) = &self.workspace_id {
                            request = request.workspace_id(id.clone());
                        }
                        if let Some(id) = &self.folder_id {
                            request = request.folder_id(id.clone());
                        }
                        if let Some(recent) = self.most_recently_assigned {
                            request = request.most_recently_assigned(recent);
                        }
                        request.send().await
                    }
                },
            )
            .await
            .map_err(|f| f.error)?;
        let body = success.value;
        let wanted = self.name.as_deref().map(str::trim);
        let items = body
            .flows
            .into_iter()
            .map(Flow::from)
            .filter(|flow| wanted.is_none_or(|name| flow.name().trim() == name))
            .collect();
        Ok(Page::new(items, body.records, success.request_id))
    }
}

/// Lists flow folders. Made by [`Client::list_folders`].
///
/// Gong documents this answer as a list of flows but sends `flowsFolders`
/// with `"null"` strings for absent values; both shapes become [`Folder`]s.
///
/// ```no_run
/// # async fn demo(client: gong_flows::Client) -> gong_flows::Result<()> {
/// let folders = client.list_folders("owner@example.com").collect_all().await?;
/// for folder in folders {
///     println!("{folder}");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ListFolders {
    client: Client,
    owner_email: String,
    parent_id: Option<i64>,
    workspace_id: Option<String>,
    cursor: Option<String>,
}

impl ListFolders {
    /// Only this folder and its children.
    pub fn parent_id(mut self, id: i64) -> Self {
        self.parent_id = Some(id);
        self
    }

    /// Only folders of this workspace.
    pub fn workspace_id(mut self, id: impl Into<String>) -> Self {
        self.workspace_id = Some(id.into());
        self
    }

    /// Starts at this cursor (from [`Page::next_cursor`]).
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<Folder>> {
        check_email("owner_email", &self.owner_email)?;
        let cursor = self.cursor.clone();
        self.page(cursor).await
    }

    /// Every folder on every page from here on, fetched page by page.
    pub fn stream(self) -> BoxStream<'static, Result<Folder>> {
        paginate(self)
    }

    /// Every folder on every page, collected.
    pub async fn collect_all(self) -> Result<Vec<Folder>> {
        paginate(self).try_collect().await
    }
}

impl Lister for ListFolders {
    type Item = Folder;

    fn owner_email(&self) -> &str {
        &self.owner_email
    }

    fn start(&self) -> Option<String> {
        self.cursor.clone()
    }

    async fn page(&self, cursor: Option<String>) -> Result<Page<Folder>> {
        let success = self
            .client
            .call(
                gong_flows_api::operation_ids::LIST_FLOWS_FOLDERS,
                CallKind::Idempotent,
                None,
                |api| {
                    let cursor = cursor.clone();
                    async move {
                        let mut request = api
                            .list_flows_folders()
                            .flow_folder_owner_email(self.owner_email.clone());
                        if let Some(cursor) = cursor {
                            request = request.cursor(cursor);
                        }
                        if let Some(id) = self.parent_id {
                            request = request.parent_id(id);
                        }
                        if let Some(id) = &self.workspace_id {
                            request = request.workspace_id(id.clone());
                        }
                        request.send().await
                    }
                },
            )
            .await
            .map_err(|f| f.error)?;
        let body = success.value;
        let items = body
            .flows_folders
            .into_iter()
            .map(Folder::from)
            .chain(body.flows.into_iter().map(Folder::from))
            .collect();
        Ok(Page::new(items, body.records, success.request_id))
    }
}
