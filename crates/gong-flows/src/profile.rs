//! Named settings for the Gong companies one person works with, in a TOML
//! file (cargo feature `profiles`): the host, where the secret comes from,
//! the rate, the daily limit and reserve, and the shared pacer, so that
//! `--profile acme-prod` (or [`Profile::client_builder`]) picks them all at
//! once, and a saved report can name them ([`SavedJob::profile`](crate::SavedJob::profile)).
//!
//! The file is `config.toml` in the platform's config directory
//! (`~/.config/gong-flows/config.toml` on Linux, see [`Config::default_path`]),
//! or the file `GONG_FLOWS_CONFIG` names:
//!
//! ```toml
//! [profiles.acme-prod]
//! base_url = "https://us-55616.api.gong.io"
//! access_key = "AK7Q…"
//! secret_command = ["pass", "gong/acme-prod"]   # run without a shell; stdout, trimmed
//! rate = 3                                      # calls per second, or "off"
//! daily_limit = 10000                           # or "off"
//! daily_reserve = 1000
//! pacer_url = "redis://127.0.0.1:6379/0"
//!
//! [profiles.emea]
//! base_url = "https://eu-10231.api.gong.io"
//! bearer_token_env = "GONG_EMEA_TOKEN"           # the token from this variable
//! ```
//!
//! **Secrets.** An access key's secret comes from `secret_env = "VAR"` (an
//! environment variable) or `secret_command = ["prog", "arg", …]` (a
//! program's standard output, trimmed; the program is run without a shell,
//! with the terminal for its prompts, and must exit 0); a bearer token
//! likewise from `bearer_token_env` or `bearer_token_command`. A secret in
//! the file itself (`secret = "…"`, `bearer_token = "…"`) is accepted only
//! with a warning ([`Settings::warnings`]), and on Unix only when the file
//! can be read by its owner alone (mode `600`). Secrets are resolved when a
//! client is built, never shown ([`Profile`]'s `Display` names their
//! source), and never part of an error.
//!
//! **Precedence.** Explicit settings (the command line's options and the
//! `GONG_*` environment variables, or whatever [`Settings::resolve`]'s
//! lookup answers) override the profile's, one by one, except the
//! credentials, which are taken whole from one place: any of
//! `GONG_ACCESS_KEY`, `GONG_ACCESS_KEY_SECRET` or `GONG_BEARER_TOKEN` set
//! replaces the profile's credentials. [`Settings::overridden`] lists what
//! was overridden. Unknown keys, a malformed value, an unknown profile: a
//! [`Error::Config`] when the file is read, before any request.
//!
//! ```
//! use gong_flows::profile::Config;
//!
//! let config = Config::parse(
//!     "config.toml",
//!     r#"
//!     [profiles.acme]
//!     base_url = "https://us-55616.api.gong.io"
//!     access_key = "AK7Q"
//!     secret_env = "ACME_GONG_SECRET"
//!     rate = 2
//!     "#,
//! )?;
//! let acme = config.profile("acme")?;
//! assert_eq!(acme.name(), "acme");
//! assert_eq!(acme.to_string(), "acme: https://us-55616.api.gong.io, access key AK7Q… (secret from $ACME_GONG_SECRET), rate 2/s");
//! assert!(config.profile("acme-prod").is_err());
//! # Ok::<(), gong_flows::Error>(())
//! ```

use crate::client::ClientBuilder;
use crate::error::{Error, Result};
use crate::{Client, Secret};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The environment variable naming the config file (instead of
/// [`Config::default_path`]).
pub const CONFIG_ENV: &str = "GONG_FLOWS_CONFIG";
/// The environment variable naming the profile to use.
pub const PROFILE_ENV: &str = "GONG_PROFILE";

/// The variables a profile stands in for, in the order a [`Profile`] maps
/// its keys to them.
const BASE_URL: &str = "GONG_BASE_URL";
const ACCESS_KEY: &str = "GONG_ACCESS_KEY";
const SECRET: &str = "GONG_ACCESS_KEY_SECRET";
const TOKEN: &str = "GONG_BEARER_TOKEN";
const RATE: &str = "GONG_RATE_LIMIT";
const DAILY_LIMIT: &str = "GONG_DAILY_LIMIT";
const RESERVE: &str = "GONG_DAILY_RESERVE";
const PACER: &str = "GONG_PACER_URL";
const CREDENTIALS: [&str; 3] = [ACCESS_KEY, SECRET, TOKEN];

/// A config file: its profiles by name.
///
/// ```
/// use gong_flows::profile::Config;
///
/// let config = Config::parse("c.toml", "[profiles.a]\nbase_url = \"https://a.api.gong.io\"\nbearer_token_env = \"A_TOKEN\"\n")?;
/// assert_eq!(config.names().collect::<Vec<_>>(), ["a"]);
/// // Unknown keys are refused, with the file and line.
/// let error = Config::parse("c.toml", "[profiles.a]\nbase_url = \"https://a.api.gong.io\"\nsecrt = \"x\"\n").unwrap_err();
/// assert!(error.to_string().contains("c.toml line 3"), "{error}");
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Config {
    path: PathBuf,
    profiles: BTreeMap<String, Profile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// One named profile of a [`Config`]: a company's host, the source of its
/// credentials, and its pacing settings. Its `Display` never shows a
/// secret.
///
/// ```
/// use gong_flows::profile::Config;
///
/// let config = Config::parse("c.toml", "[profiles.a]\nbase_url = \"https://a.api.gong.io\"\nbearer_token_command = [\"pass\", \"gong/a\"]\n")?;
/// let a = config.profile("a")?;
/// assert_eq!(a.base_url(), "https://a.api.gong.io");
/// assert_eq!(a.to_string(), "a: https://a.api.gong.io, bearer token (from `pass gong/a`)");
/// # Ok::<(), gong_flows::Error>(())
/// ```
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(skip)]
    name: String,
    #[serde(skip)]
    path: PathBuf,
    base_url: String,
    access_key: Option<String>,
    secret_env: Option<String>,
    secret_command: Option<Vec<String>>,
    secret: Option<String>,
    bearer_token_env: Option<String>,
    bearer_token_command: Option<Vec<String>>,
    bearer_token: Option<String>,
    rate: Option<Rate>,
    daily_limit: Option<DailyLimit>,
    daily_reserve: Option<u32>,
    pacer_url: Option<String>,
}

/// `3`, `2.5` or `"off"` in the file.
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrOff {
    Number(f64),
    Word(String),
}

impl NumberOrOff {
    fn text(self) -> String {
        match self {
            NumberOrOff::Number(n) => n.to_string(),
            NumberOrOff::Word(w) => w,
        }
    }
}

/// Calls per second, or none (`off`, `none`): the command line's `--rate`
/// and a profile's `rate`. Its `Display` is what `GONG_RATE_LIMIT` takes.
///
/// ```
/// use gong_flows::profile::Rate;
///
/// assert_eq!("2.5".parse::<Rate>(), Ok(Rate(Some(2.5))));
/// assert_eq!("off".parse::<Rate>(), Ok(Rate(None)));
/// assert!("0".parse::<Rate>().is_err() && "fast".parse::<Rate>().is_err());
/// assert_eq!(Rate(None).to_string(), "none");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "NumberOrOff")]
pub struct Rate(pub Option<f64>);

impl FromStr for Rate {
    type Err = String;

    fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
        let value = value.trim();
        if value.eq_ignore_ascii_case("off") || value.eq_ignore_ascii_case("none") {
            return Ok(Rate(None));
        }
        match value.parse::<f64>() {
            Ok(rate) if rate.is_finite() && rate > 0.0 && rate <= 1_000_000.0 => {
                Ok(Rate(Some(rate)))
            }
            Ok(_) => Err("must be more than 0 and at most 1000000 (or `off`)".to_owned()),
            Err(_) => Err(format!("`{value}` is neither a number nor `off`")),
        }
    }
}

impl TryFrom<NumberOrOff> for Rate {
    type Error = String;

    fn try_from(value: NumberOrOff) -> std::result::Result<Self, Self::Error> {
        value.text().parse()
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(rate) => write!(f, "{rate}"),
            None => f.write_str("none"),
        }
    }
}

/// Calls per 24 hours, or no limit (`off`, `none`): `--daily-limit` and a
/// profile's `daily_limit`. Its `Display` is what `GONG_DAILY_LIMIT` takes.
///
/// ```
/// use gong_flows::profile::DailyLimit;
///
/// assert_eq!("10000".parse::<DailyLimit>(), Ok(DailyLimit(Some(10000))));
/// assert_eq!("off".parse::<DailyLimit>(), Ok(DailyLimit(None)));
/// assert!("0".parse::<DailyLimit>().is_err() && "2.5".parse::<DailyLimit>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "NumberOrOff")]
pub struct DailyLimit(pub Option<u32>);

impl FromStr for DailyLimit {
    type Err = String;

    fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
        let value = value.trim();
        if value.eq_ignore_ascii_case("off") || value.eq_ignore_ascii_case("none") {
            return Ok(DailyLimit(None));
        }
        match value.parse::<u32>() {
            Ok(0) => Err("must be at least 1 (or `off`)".to_owned()),
            Ok(calls) => Ok(DailyLimit(Some(calls))),
            Err(_) => Err(format!("`{value}` is neither a count of calls nor `off`")),
        }
    }
}

impl TryFrom<NumberOrOff> for DailyLimit {
    type Error = String;

    fn try_from(value: NumberOrOff) -> std::result::Result<Self, Self::Error> {
        value.text().parse()
    }
}

impl fmt::Display for DailyLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(calls) => write!(f, "{calls}"),
            None => f.write_str("none"),
        }
    }
}

/// `refuse`, `run-what-fits` or `wait` (the command line's `--over-quota`).
///
/// ```
/// use gong_flows::OverQuota;
/// assert_eq!("run-what-fits".parse::<OverQuota>(), Ok(OverQuota::RunWhatFits));
/// assert!("maybe".parse::<OverQuota>().is_err());
/// ```
impl FromStr for crate::OverQuota {
    type Err = String;

    fn from_str(value: &str) -> std::result::Result<Self, Self::Err> {
        match value.trim() {
            "refuse" => Ok(Self::Refuse),
            "run-what-fits" => Ok(Self::RunWhatFits),
            "wait" => Ok(Self::WaitForReset),
            other => Err(format!(
                "`{other}` is not one of refuse, run-what-fits, wait"
            )),
        }
    }
}

/// Where a secret comes from.
enum Source<'a> {
    Env(&'a str),
    Command(&'a [String]),
    Plain(&'a str),
}

impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Env(var) => write!(f, "from ${var}"),
            Source::Command(argv) => write!(f, "from `{}`", argv.join(" ")),
            Source::Plain(_) => f.write_str("in the file"),
        }
    }
}

impl Config {
    /// `config.toml` in the platform's config directory, under
    /// `gong-flows` (`~/.config/gong-flows/config.toml` on Linux), if the
    /// platform has one.
    ///
    /// ```
    /// if let Some(path) = gong_flows::profile::Config::default_path() {
    ///     assert!(path.ends_with("gong-flows/config.toml"));
    /// }
    /// ```
    pub fn default_path() -> Option<PathBuf> {
        dirs::config_dir().map(|dir| dir.join("gong-flows").join("config.toml"))
    }

    /// Reads the config file at `path`; a missing file is an error (use
    /// [`Config::load_or_empty`] for a default path that may not exist).
    ///
    /// ```no_run
    /// let config = gong_flows::profile::Config::load("/etc/gong-flows.toml")?;
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Config> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            setting: format!("config file {}", path.display()),
            reason: format!("cannot be read: {e}"),
        })?;
        let config = Config::parse(path, &text)?;
        config.check_permissions()?;
        Ok(config)
    }

    /// [`Config::load`], or a config without profiles when `path` does
    /// not exist.
    ///
    /// ```no_run
    /// use gong_flows::profile::Config;
    /// let config = match Config::default_path() {
    ///     Some(path) => Config::load_or_empty(path)?,
    ///     None => Config::default(),
    /// };
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn load_or_empty(path: impl AsRef<Path>) -> Result<Config> {
        let path = path.as_ref();
        if !path.exists() {
            return Ok(Config {
                path: path.to_owned(),
                profiles: BTreeMap::new(),
            });
        }
        Config::load(path)
    }

    /// The config file named by `explicit` (a `--config` option), else by
    /// `GONG_FLOWS_CONFIG`, else [`Config::default_path`] (which may be
    /// absent: no profiles).
    ///
    /// ```no_run
    /// let config = gong_flows::profile::Config::discover(None)?;
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn discover(explicit: Option<&Path>) -> Result<Config> {
        if let Some(path) = explicit {
            return Config::load(path);
        }
        match std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
            Some(path) => Config::load(PathBuf::from(path)),
            None => Config::default_path().map_or(Ok(Config::default()), Config::load_or_empty),
        }
    }

    /// Parses a config file's text; `path` names it in errors.
    ///
    /// ```
    /// let config = gong_flows::profile::Config::parse("c.toml", "")?;
    /// assert_eq!(config.names().count(), 0);
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Config> {
        let path = path.as_ref().to_owned();
        let file: File = toml::from_str(text).map_err(|e| Error::Config {
            setting: at(&path, text, e.span()),
            reason: toml_reason(text, &e),
        })?;
        let mut profiles = BTreeMap::new();
        for (name, mut profile) in file.profiles {
            profile.name.clone_from(&name);
            profile.path.clone_from(&path);
            profile.validate()?;
            profiles.insert(name, profile);
        }
        Ok(Config { path, profiles })
    }

    /// The file this config was read from.
    ///
    /// ```
    /// let config = gong_flows::profile::Config::parse("c.toml", "")?;
    /// assert_eq!(config.path(), std::path::Path::new("c.toml"));
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The profile `name`, or an [`Error::Config`] naming the file and the
    /// profiles it has.
    ///
    /// ```
    /// let config = gong_flows::profile::Config::parse("c.toml", "")?;
    /// let error = config.profile("prod").unwrap_err();
    /// assert!(error.to_string().contains("no profile `prod`"), "{error}");
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn profile(&self, name: &str) -> Result<&Profile> {
        self.profiles.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.names().collect();
            Error::Config {
                setting: format!("--profile {name}:"),
                reason: format!(
                    "no profile `{name}` in {} ({})",
                    self.path.display(),
                    if known.is_empty() {
                        "it has none; add a [profiles.NAME] table".to_owned()
                    } else {
                        format!("it has {}", known.join(", "))
                    }
                ),
            }
        })
    }

    /// The names of the profiles, sorted.
    ///
    /// ```
    /// let config = gong_flows::profile::Config::parse("c.toml", "[profiles.b]\nbase_url = \"https://b.api.gong.io\"\n")?;
    /// assert_eq!(config.names().collect::<Vec<_>>(), ["b"]);
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// What `gong-flows profiles` prints: the file's path, then each
    /// profile on a line (its [`Display`](Profile): where each value comes
    /// from, never a secret), or only `name`'s (an error if it has none).
    ///
    /// ```
    /// let text = "[profiles.acme]\nbase_url = \"https://us-1.api.gong.io\"\n";
    /// let config = gong_flows::profile::Config::parse("config.toml", text)?;
    /// let lines = config.listing(None)?;
    /// assert_eq!(lines.len(), 2);
    /// assert_eq!(lines[0], "config.toml:");
    /// assert!(lines[1].contains("acme"), "{}", lines[1]);
    /// assert_eq!(config.listing(Some("acme"))?, lines);
    /// assert!(config.listing(Some("other")).is_err());
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn listing(&self, name: Option<&str>) -> Result<Vec<String>> {
        if let Some(name) = name {
            self.profile(name)?;
        }
        let mut lines = vec![format!("{}:", self.path.display())];
        for each in self.names().filter(|n| name.is_none_or(|x| x == *n)) {
            lines.push(self.profile(each)?.to_string());
        }
        Ok(lines)
    }

    /// On Unix, a file holding a plain-text secret must be readable by its
    /// owner alone.
    fn check_permissions(&self) -> Result<()> {
        #[cfg(unix)]
        if let Some(profile) = self.profiles.values().find(|p| p.plain().is_some()) {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&self.path)
                .map(|m| m.permissions().mode())
                .unwrap_or(0);
            if mode & 0o077 != 0 {
                return Err(Error::Config {
                    setting: format!("profile {}", profile.name),
                    reason: format!(
                        "has a plain-text secret in {}, which other users can read (mode {:o}): \
                         `chmod 600` it, or use secret_env / secret_command",
                        self.path.display(),
                        mode & 0o777
                    ),
                });
            }
        }
        Ok(())
    }
}

/// `FILE line N` for a byte span of `text`.
fn at(path: &Path, text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let line = text.get(..span.start).unwrap_or("").matches('\n').count() + 1;
            format!("{} line {line}:", path.display())
        }
        None => format!("{}:", path.display()),
    }
}

/// The parser's message, unless the line at fault may hold a secret.
fn toml_reason(text: &str, error: &toml::de::Error) -> String {
    let line = error.span().and_then(|span| {
        let start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
        text.get(start..)?.lines().next()
    });
    let key = line.unwrap_or("").split('=').next().unwrap_or("");
    if matches!(key.trim().trim_matches('"'), "secret" | "bearer_token") {
        return "is malformed (a secret's value must be a string)".to_owned();
    }
    error.message().replace('\n', " ")
}

impl Profile {
    /// Reads `path` (see [`Config::discover`] for `None`) and picks the
    /// profile `name`.
    ///
    /// ```no_run
    /// let client = gong_flows::profile::Profile::load("acme-prod", None)?
    ///     .client_builder()?
    ///     .build()?;
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn load(name: &str, path: Option<&Path>) -> Result<Profile> {
        Config::discover(path)?.profile(name).cloned()
    }

    /// The profile's name.
    ///
    /// ```
    /// # let config = gong_flows::profile::Config::parse("c.toml", "[profiles.a]\nbase_url = \"https://a.api.gong.io\"\n")?;
    /// assert_eq!(config.profile("a")?.name(), "a");
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The profile's Gong host (`base_url`).
    ///
    /// ```
    /// # let config = gong_flows::profile::Config::parse("c.toml", "[profiles.a]\nbase_url = \"https://a.api.gong.io\"\n")?;
    /// assert_eq!(config.profile("a")?.base_url(), "https://a.api.gong.io");
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client builder with every setting of the profile (the secret
    /// resolved now), as [`Client::builder_from_lookup`] would make from
    /// the same `GONG_*` variables; nothing overrides them.
    ///
    /// ```no_run
    /// let profile = gong_flows::profile::Profile::load("acme-prod", None)?;
    /// let client = profile.client_builder()?.build()?;
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn client_builder(&self) -> Result<ClientBuilder> {
        Settings::resolve(Some(self), |_| None)?.client_builder()
    }

    fn setting(&self, key: &str) -> Error {
        Error::Config {
            setting: format!("profile {} ({})", self.name, self.path.display()),
            reason: key.to_owned(),
        }
    }

    fn validate(&self) -> Result<()> {
        let url = url::Url::parse(self.base_url.trim()).map_err(|e| {
            self.setting(&format!("base_url {:?} is not a URL: {e}", self.base_url))
        })?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(self.setting("base_url must be an https:// URL"));
        }
        let secret = self.secret_source()?;
        let token = self.token_source()?;
        match (&self.access_key, secret.is_some(), token.is_some()) {
            (Some(_), false, _) => {
                return Err(
                    self.setting("has access_key but no secret_env, secret_command or secret")
                );
            }
            (None, true, _) => return Err(self.setting("has a secret but no access_key")),
            (Some(_), true, true) => {
                return Err(self.setting(
                    "has both an access key and a bearer token: keep one kind of credentials",
                ));
            }
            _ => {}
        }
        Ok(())
    }

    fn secret_source(&self) -> Result<Option<Source<'_>>> {
        self.source(
            "secret",
            &self.secret_env,
            &self.secret_command,
            &self.secret,
        )
    }

    fn token_source(&self) -> Result<Option<Source<'_>>> {
        self.source(
            "bearer_token",
            &self.bearer_token_env,
            &self.bearer_token_command,
            &self.bearer_token,
        )
    }

    fn source<'a>(
        &self,
        what: &str,
        env: &'a Option<String>,
        command: &'a Option<Vec<String>>,
        plain: &'a Option<String>,
    ) -> Result<Option<Source<'a>>> {
        let sources = [
            env.as_deref().map(Source::Env),
            command.as_deref().map(Source::Command),
            plain.as_deref().map(Source::Plain),
        ];
        let mut given = sources.into_iter().flatten();
        let first = given.next();
        if given.next().is_some() {
            return Err(self.setting(&format!(
                "gives its {what} twice: keep one of {what}_env, {what}_command, {what}"
            )));
        }
        match first {
            Some(Source::Command([])) => Err(self.setting(&format!(
                "{what}_command is empty: name the program and its arguments"
            ))),
            Some(Source::Env(var)) if var.trim().is_empty() => {
                Err(self.setting(&format!("{what}_env is empty: name the variable")))
            }
            other => Ok(other),
        }
    }

    /// The first plain-text secret of the profile, by key.
    fn plain(&self) -> Option<&'static str> {
        if self.secret.is_some() {
            Some("secret")
        } else if self.bearer_token.is_some() {
            Some("bearer_token")
        } else {
            None
        }
    }

    /// Runs a source: the secret, or an error that never holds it.
    fn fetch(&self, what: &str, source: &Source<'_>) -> Result<Secret> {
        let value = match source {
            Source::Plain(value) => (*value).to_owned(),
            Source::Env(var) => std::env::var(var).map_err(|_| {
                self.setting(&format!("{what}_env: ${var} is not set (or not UTF-8)"))
            })?,
            Source::Command(argv) => {
                let shown = argv.join(" ");
                let fail = |why: String| self.setting(&format!("{what}_command `{shown}` {why}"));
                let (program, args) = argv.split_first().ok_or_else(|| fail("is empty".into()))?;
                let output = std::process::Command::new(program)
                    .args(args)
                    .stdin(std::process::Stdio::inherit())
                    .stderr(std::process::Stdio::inherit())
                    .output()
                    .map_err(|e| fail(format!("cannot be run: {e}")))?;
                if !output.status.success() {
                    return Err(fail(format!("failed ({})", output.status)));
                }
                String::from_utf8(output.stdout)
                    .map_err(|_| fail("printed bytes that are not UTF-8".into()))?
            }
        };
        let value = value.trim();
        if value.is_empty() {
            return Err(self.setting(&format!("{what} {source} is empty")));
        }
        Ok(Secret::new(value))
    }

    /// The profile's settings as `GONG_*` variables (without credentials).
    fn values(&self) -> Vec<(&'static str, String)> {
        let mut values = vec![(BASE_URL, self.base_url.trim().to_owned())];
        if let Some(rate) = &self.rate {
            values.push((RATE, rate.to_string()));
        }
        if let Some(limit) = &self.daily_limit {
            values.push((DAILY_LIMIT, limit.to_string()));
        }
        if let Some(reserve) = self.daily_reserve {
            values.push((RESERVE, reserve.to_string()));
        }
        if let Some(url) = &self.pacer_url {
            values.push((PACER, url.clone()));
        }
        values
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Profile").field(&self.to_string()).finish()
    }
}

impl fmt::Display for Profile {
    /// `NAME: URL, access key AK7Q… (secret from $VAR), rate 2/s, …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.base_url)?;
        if let (Some(key), Ok(Some(source))) = (&self.access_key, self.secret_source()) {
            let shown: String = key.chars().take(4).collect();
            write!(f, ", access key {shown}… (secret {source})")?;
        }
        if let Ok(Some(source)) = self.token_source() {
            write!(f, ", bearer token ({source})")?;
        }
        match self.rate {
            Some(Rate(Some(n))) => write!(f, ", rate {n}/s")?,
            Some(Rate(None)) => f.write_str(", unpaced")?,
            None => {}
        }
        match self.daily_limit {
            Some(DailyLimit(Some(n))) => write!(f, ", daily limit {n}")?,
            Some(DailyLimit(None)) => f.write_str(", no daily limit")?,
            None => {}
        }
        if let Some(reserve) = self.daily_reserve {
            write!(f, ", reserve {reserve}")?;
        }
        if self.pacer_url.is_some() {
            f.write_str(", shared pacer")?;
        }
        Ok(())
    }
}

/// A client's settings from a profile and explicit values layered over it
/// (see the [module docs](self) for the order), ready to build a client.
/// Its `Debug` shows no secret.
///
/// ```
/// use gong_flows::profile::{Config, Settings};
///
/// let config = Config::parse("c.toml", "[profiles.a]\nbase_url = \"https://a.api.gong.io\"\nbearer_token_env = \"PATH\"\nrate = 2\n")?;
/// // An explicit rate overrides the profile's; the rest is the profile's.
/// let explicit = |name: &str| (name == "GONG_RATE_LIMIT").then(|| "1".to_owned());
/// let settings = Settings::resolve(Some(config.profile("a")?), explicit)?;
/// assert_eq!(settings.get("GONG_RATE_LIMIT"), Some("1"));
/// assert_eq!(settings.get("GONG_BASE_URL"), Some("https://a.api.gong.io"));
/// assert_eq!(settings.overridden(), ["GONG_RATE_LIMIT"]);
/// assert_eq!(settings.get("GONG_BEARER_TOKEN"), None); // never a secret
/// let client = settings.client_builder()?.build()?;
/// # Ok::<(), gong_flows::Error>(())
/// ```
pub struct Settings {
    profile: Option<String>,
    values: BTreeMap<&'static str, (String, bool)>,
    overridden: Vec<&'static str>,
    warnings: Vec<String>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<(&str, &str)> = self
            .values
            .iter()
            .map(|(k, (v, _))| {
                (
                    *k,
                    if CREDENTIALS[1..].contains(k) {
                        "***"
                    } else {
                        v
                    },
                )
            })
            .collect();
        f.debug_struct("Settings")
            .field("profile", &self.profile)
            .field("values", &shown)
            .finish()
    }
}

impl Settings {
    /// The settings of `profile` (if any) with `explicit`'s `GONG_*`
    /// values over them: `GONG_BASE_URL`, `GONG_ACCESS_KEY`,
    /// `GONG_ACCESS_KEY_SECRET`, `GONG_BEARER_TOKEN` (the credentials
    /// whole, see the [module docs](self)), `GONG_RATE_LIMIT`,
    /// `GONG_DAILY_LIMIT`, `GONG_DAILY_RESERVE`, `GONG_PACER_URL`. The
    /// profile's secret is resolved here, and only when it is used.
    ///
    /// ```
    /// use gong_flows::profile::Settings;
    /// let settings = Settings::resolve(None, |name| (name == "GONG_BASE_URL").then(|| "https://a.api.gong.io".to_owned()))?;
    /// assert_eq!(settings.profile(), None);
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn resolve(
        profile: Option<&Profile>,
        explicit: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings> {
        let mut settings = Settings {
            profile: profile.map(|p| p.name.clone()),
            values: BTreeMap::new(),
            overridden: Vec::new(),
            warnings: Vec::new(),
        };
        let explicit_credentials = CREDENTIALS.iter().any(|name| explicit(name).is_some());
        if let Some(profile) = profile {
            for (name, value) in profile.values() {
                settings.values.insert(name, (value, true));
            }
            let credentials = (profile.secret_source()?, profile.token_source()?);
            if explicit_credentials {
                if credentials.0.is_some() || credentials.1.is_some() {
                    settings.overridden.push("credentials");
                }
            } else {
                if let Some(key) = profile.plain() {
                    settings.warnings.push(format!(
                        "profile {}: the {key} is in plain text in {}; prefer {key}_env or \
                         {key}_command",
                        profile.name,
                        profile.path.display()
                    ));
                }
                if let (Some(key), Some(source)) = (&profile.access_key, credentials.0) {
                    let secret = profile.fetch("secret", &source)?;
                    settings.values.insert(ACCESS_KEY, (key.clone(), true));
                    settings
                        .values
                        .insert(SECRET, (secret.expose().to_owned(), true));
                }
                if let Some(source) = credentials.1 {
                    let token = profile.fetch("bearer_token", &source)?;
                    settings
                        .values
                        .insert(TOKEN, (token.expose().to_owned(), true));
                }
            }
        }
        for name in [
            BASE_URL,
            ACCESS_KEY,
            SECRET,
            TOKEN,
            RATE,
            DAILY_LIMIT,
            RESERVE,
            PACER,
        ] {
            if let Some(value) = explicit(name) {
                if settings.values.contains_key(name) && !CREDENTIALS.contains(&name) {
                    settings.overridden.push(name);
                }
                settings.values.insert(name, (value, false));
            }
        }
        Ok(settings)
    }

    /// The profile the settings came from, if any.
    ///
    /// ```
    /// let settings = gong_flows::profile::Settings::resolve(None, |_| None)?;
    /// assert_eq!(settings.profile(), None);
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// A setting by its variable's name; `None` for the secret and the
    /// token, which are only ever handed to the client.
    ///
    /// ```
    /// let settings = gong_flows::profile::Settings::resolve(None, |n| Some(n.to_owned()))?;
    /// assert_eq!(settings.get("GONG_DAILY_RESERVE"), Some("GONG_DAILY_RESERVE"));
    /// assert_eq!(settings.get("GONG_ACCESS_KEY_SECRET"), None);
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        if name == SECRET || name == TOKEN {
            return None;
        }
        self.values.get(name).map(|(v, _)| v.as_str())
    }

    /// The profile's settings that explicit values replaced
    /// (`"credentials"` for its credentials, else the variable's name).
    ///
    /// ```
    /// let settings = gong_flows::profile::Settings::resolve(None, |_| None)?;
    /// assert!(settings.overridden().is_empty());
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn overridden(&self) -> &[&'static str] {
        &self.overridden
    }

    /// Warnings for the user: a plain-text secret in the file.
    ///
    /// ```
    /// let settings = gong_flows::profile::Settings::resolve(None, |_| None)?;
    /// assert!(settings.warnings().is_empty());
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// A client builder from the settings (as
    /// [`Client::builder_from_lookup`]); the pacer URL, if set, makes it a
    /// shared pacer (cargo feature `redis`; without it the URL is an
    /// error). An error in a profile's value names the profile.
    ///
    /// ```
    /// let settings = gong_flows::profile::Settings::resolve(None, |n| match n {
    ///     "GONG_BASE_URL" => Some("https://a.api.gong.io".to_owned()),
    ///     "GONG_BEARER_TOKEN" => Some("t0ken".to_owned()),
    ///     _ => None,
    /// })?;
    /// let client = settings.client_builder()?.build()?;
    /// # Ok::<(), gong_flows::Error>(())
    /// ```
    pub fn client_builder(&self) -> Result<ClientBuilder> {
        let lookup = |name: &str| self.values.get(name).map(|(v, _)| v.clone());
        let builder = Client::builder_from_lookup(lookup).map_err(|e| match e {
            Error::Config { setting, reason } => {
                match (&self.profile, self.values.get(setting.as_str())) {
                    (Some(profile), Some((_, true))) => Error::Config {
                        setting: format!("profile {profile}'s {setting}"),
                        reason,
                    },
                    _ => Error::Config { setting, reason },
                }
            }
            other => other,
        })?;
        match self.values.get(PACER).map(|(v, _)| v.trim()) {
            None => Ok(builder),
            Some("") => Err(Error::Config {
                setting: PACER.to_owned(),
                reason: "is empty".to_owned(),
            }),
            #[cfg(feature = "redis")]
            Some(url) => Ok(builder.shared_pacer(url)),
            #[cfg(not(feature = "redis"))]
            Some(_) => Err(Error::Config {
                setting: PACER.to_owned(),
                reason: "needs gong-flows' `redis` feature".to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config> {
        Config::parse("c.toml", text)
    }

    const BASE: &str = "[profiles.p]\nbase_url = \"https://p.api.gong.io\"\n";

    #[test]
    fn malformed_files_are_refused_with_their_line() {
        let error = config("[profiles.p]\nbase_url = 3\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("c.toml line 2"), "{error}");
        let error = config("[profile.p]\n").unwrap_err().to_string();
        assert!(error.contains("unknown field `profile`"), "{error}");
        let error = config("[profiles.p]\n").unwrap_err().to_string();
        assert!(error.contains("base_url"), "{error}");
    }

    #[test]
    fn a_malformed_secret_is_never_shown() {
        let error = config(&format!("{BASE}access_key = \"k\"\nsecret = 987654321\n"))
            .unwrap_err()
            .to_string();
        assert!(!error.contains("987654321"), "{error}");
        assert!(error.contains("line 4"), "{error}");
    }

    #[test]
    fn credentials_must_be_whole_and_of_one_kind() {
        for extra in [
            "access_key = \"k\"\n",
            "secret_env = \"S\"\n",
            "access_key = \"k\"\nsecret_env = \"S\"\nsecret = \"x\"\n",
            "access_key = \"k\"\nsecret_env = \"S\"\nbearer_token_env = \"T\"\n",
            "bearer_token_command = []\n",
            "rate = 0\n",
            "rate = \"fast\"\n",
            "daily_limit = 2.5\n",
        ] {
            assert!(config(&format!("{BASE}{extra}")).is_err(), "{extra}");
        }
        assert!(config(&format!("{BASE}rate = \"off\"\ndaily_limit = 500\n")).is_ok());
    }

    #[test]
    fn a_command_supplies_the_secret_and_its_failure_is_an_error() {
        let ok = config(&format!(
            "{BASE}access_key = \"k\"\nsecret_command = [\"echo\", \" s3cr3t \"]\n"
        ))
        .unwrap();
        let settings = Settings::resolve(Some(ok.profile("p").unwrap()), |_| None).unwrap();
        assert_eq!(settings.values[SECRET].0, "s3cr3t");
        assert!(!format!("{settings:?}").contains("s3cr3t"));
        let failing = config(&format!("{BASE}bearer_token_command = [\"false\"]\n")).unwrap();
        let error = Settings::resolve(Some(failing.profile("p").unwrap()), |_| None).unwrap_err();
        assert!(error.to_string().contains("`false` failed"), "{error}");
        let missing = config(&format!(
            "{BASE}bearer_token_command = [\"/nonexistent/gong-secret\"]\n"
        ))
        .unwrap();
        let error = Settings::resolve(Some(missing.profile("p").unwrap()), |_| None).unwrap_err();
        assert!(error.to_string().contains("cannot be run"), "{error}");
    }

    #[test]
    fn explicit_credentials_replace_the_profiles_whole() {
        let config = config(&format!("{BASE}bearer_token_command = [\"false\"]\n")).unwrap();
        let explicit = |name: &str| (name == TOKEN).then(|| "t".to_owned());
        // The failing command is never run: the token is explicit.
        let settings = Settings::resolve(Some(config.profile("p").unwrap()), explicit).unwrap();
        assert_eq!(settings.overridden(), ["credentials"]);
        assert_eq!(settings.values[TOKEN].0, "t");
    }

    #[test]
    fn a_plain_secret_warns() {
        let config = config(&format!("{BASE}bearer_token = \"t0ken\"\n")).unwrap();
        let settings = Settings::resolve(Some(config.profile("p").unwrap()), |_| None).unwrap();
        assert_eq!(settings.warnings().len(), 1);
        assert!(!settings.warnings()[0].contains("t0ken"));
        assert!(!config.profile("p").unwrap().to_string().contains("t0ken"));
    }

    #[cfg(unix)]
    #[test]
    fn a_plain_secret_in_a_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, format!("{BASE}bearer_token = \"t0ken\"\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = Config::load(&path).unwrap_err().to_string();
        assert!(
            error.contains("chmod 600") && !error.contains("t0ken"),
            "{error}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(Config::load(&path).is_ok());
    }
}
