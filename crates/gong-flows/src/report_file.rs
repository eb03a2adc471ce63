//! A job's report file as a command-line tool keeps it: named for the job
//! when none is given, locked while the job runs, and never replaced
//! without leave (nor at all while it holds an unfinished job).

use crate::saved::{ReportLock, SavedReport};
use std::io;
use std::path::{Path, PathBuf};

/// Where a job's report goes, and whether the file was made for the job.
///
/// ```
/// use gong_flows::ReportFile;
///
/// let dir = tempfile::tempdir()?;
/// let file = ReportFile::create_named(dir.path(), "gong-flows-assign")?;
/// assert!(file.fresh && file.path.exists()); // gong-flows-assign-20261202T170619Z.json
/// let again = ReportFile::create_named(dir.path(), "gong-flows-assign")?;
/// assert_ne!(again.path, file.path); // …-2.json within the same second
/// let _locks = file.take(None, false)?; // locked until dropped
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// The file.
    pub path: PathBuf,
    /// Made for this job (by [`ReportFile::create_named`]): nothing to
    /// replace.
    pub fresh: bool,
}

impl ReportFile {
    /// A path the caller chose (which may exist: see [`ReportFile::take`]).
    ///
    /// ```
    /// let file = gong_flows::ReportFile::at("job.json");
    /// assert!(!file.fresh);
    /// ```
    pub fn at(path: impl Into<PathBuf>) -> ReportFile {
        ReportFile {
            path: path.into(),
            fresh: false,
        }
    }

    /// A new file `<prefix>-<UTC time>.json` in `dir` (`-2`, `-3`… when
    /// that name is taken), created at once so that no other job takes it.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let file = gong_flows::ReportFile::create_named(dir.path(), "job")?;
    /// assert!(file.path.file_name().unwrap().to_string_lossy().starts_with("job-"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn create_named(dir: &Path, prefix: &str) -> io::Result<ReportFile> {
        let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
            .format("%Y%m%dT%H%M%SZ");
        for n in 1..1000 {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            let path = dir.join(format!("{prefix}-{now}{suffix}.json"));
            let created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path);
            match created {
                Ok(_) => return Ok(ReportFile { path, fresh: true }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!("{}: cannot create the report: {e}", path.display()),
                    ));
                }
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("no free report name in {}", dir.display()),
        ))
    }

    /// Starts a job's report: [`take`](Self::take)s the file, then writes
    /// the checkpoint with `checkpoint` before anything is sent (every
    /// input accounted for, which also proves the file can be written).
    /// The locks are held until dropped.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let file = gong_flows::ReportFile::at(dir.path().join("job.json"));
    /// let locks = file.begin(None, false, |path| std::fs::write(path, "{}"))?;
    /// assert_eq!(std::fs::read_to_string(&file.path)?, "{}");
    /// drop(locks);
    /// let full = |_: &std::path::Path| Err(std::io::Error::other("disk full"));
    /// let error = file.begin(None, true, full).unwrap_err();
    /// assert!(error.to_string().ends_with("job.json: cannot write the report: disk full"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn begin(
        &self,
        input: Option<&Path>,
        force: bool,
        checkpoint: impl FnOnce(&Path) -> io::Result<()>,
    ) -> io::Result<Vec<ReportLock>> {
        let locks = self.take(input, force)?;
        checkpoint(&self.path).map_err(|e| {
            let path = self.path.display();
            io::Error::new(e.kind(), format!("{path}: cannot write the report: {e}"))
        })?;
        Ok(locks)
    }

    /// Takes the file for a job: locks it (and `input`, the report a
    /// resume reads, if it is another file) until the locks are dropped,
    /// and refuses to replace an existing file the job did not make, but
    /// with `force` (see [`SavedReport::refuse_overwrite`]). The errors
    /// name the file and what to do.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("job.json");
    /// std::fs::write(&path, "{}")?;
    /// let file = gong_flows::ReportFile::at(&path);
    /// assert!(file.take(None, false).is_err()); // it exists
    /// let locks = file.take(None, true)?;
    /// assert!(file.take(None, true).is_err()); // locked
    /// # drop(locks);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn take(&self, input: Option<&Path>, force: bool) -> io::Result<Vec<ReportLock>> {
        let mut locks = Vec::new();
        let output = self.path.as_path();
        for path in std::iter::once(output).chain(input.filter(|p| *p != output)) {
            let lock = SavedReport::lock(path).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "{}: {e}; wait for it to end, or choose another report file",
                        path.display()
                    ),
                )
            })?;
            locks.push(lock);
        }
        if input != Some(output) && !self.fresh {
            SavedReport::refuse_overwrite(output, force)?;
        }
        Ok(locks)
    }

    /// Writes a finished job's report with `save`: to this file, or, if it
    /// cannot be written there, to a fallback file of the same name in the
    /// temporary directory (prefixed with the process id, so that no other
    /// file there is replaced). The calls were made, so their record is
    /// kept wherever it can be; [`Kept`] says where, and why not here.
    ///
    /// ```
    /// use gong_flows::{AssignReport, ReportFile, SavedReport};
    ///
    /// let dir = tempfile::tempdir()?;
    /// let report = SavedReport::from(AssignReport::default());
    /// let kept = ReportFile::at(dir.path().join("job.json")).keep(|p| report.save(p));
    /// assert_eq!(kept.path, Some(dir.path().join("job.json")));
    /// assert!(kept.warning.is_none());
    /// let kept = ReportFile::at(dir.path().join("no/such/dir/job.json")).keep(|p| report.save(p));
    /// let fallback = kept.path.unwrap();
    /// assert!(fallback.starts_with(std::env::temp_dir()));
    /// assert!(kept.warning.unwrap().contains("it was written to"));
    /// # std::fs::remove_file(fallback)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn keep(&self, save: impl Fn(&Path) -> io::Result<()>) -> Kept {
        let error = match save(&self.path) {
            Ok(()) => {
                let (path, warning) = (Some(self.path.clone()), None);
                return Kept { path, warning };
            }
            Err(e) => e,
        };
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_else(|| "gong-flows-report.json".into());
        let fallback = std::env::temp_dir().join(format!("{}-{name}", std::process::id()));
        let saved = save(&fallback);
        let instead = match &saved {
            Ok(()) => format!("it was written to {} instead", fallback.display()),
            Err(e2) => format!("nor to {}: {e2}", fallback.display()),
        };
        let path = self.path.display();
        Kept {
            path: saved.ok().map(|()| fallback),
            warning: Some(format!(
                "{path}: cannot write the report: {error}; {instead}"
            )),
        }
    }
}

/// Where [`ReportFile::keep`] wrote a report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Kept {
    /// The file written: the report file, or the fallback file; `None`
    /// when neither could be written.
    pub path: Option<PathBuf>,
    /// Why the report is not in the report file, and where it went
    /// instead, when it is not.
    pub warning: Option<String>,
}

impl SavedReport {
    /// Refuses to replace an existing file unless `force`, and a report of
    /// an unfinished job even then: it may be the only record of what is
    /// left.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("out.csv");
    /// assert!(gong_flows::SavedReport::refuse_overwrite(&path, false).is_ok());
    /// std::fs::write(&path, "x")?;
    /// let error = gong_flows::SavedReport::refuse_overwrite(&path, false).unwrap_err();
    /// assert!(error.to_string().contains("--force"));
    /// assert!(gong_flows::SavedReport::refuse_overwrite(&path, true).is_ok());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn refuse_overwrite(path: &Path, force: bool) -> io::Result<()> {
        if !path.exists() {
            return Ok(());
        }
        if let Ok(existing) = SavedReport::load(path) {
            let left = existing.unfinished();
            if left > 0 {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} holds an unfinished job ({left} left to do): resume it with \
                         `gong-flows resume --report {}`, or choose another report file",
                        path.display(),
                        path.display()
                    ),
                ));
            }
        }
        if force {
            return Ok(());
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} already exists: choose another report file, or add --force to overwrite it",
                path.display()
            ),
        ))
    }
}
