//! Advisory file locks (`flock(2)` on Unix, `LockFileEx` on Windows) that
//! say who holds them.
//!
//! A lock belongs to one open file: it conflicts with every other attempt,
//! from another process or from this one (another [`try_lock`] of the same
//! path), and the operating system releases it when the holder's process
//! dies, however it dies. While held the file contains one line naming the
//! holder (`pid 4242 on host-a`), for the messages of those who find it
//! taken. On Unix a holder removes the file when it lets go, so that no
//! lock files are left beside the user's reports; whoever takes a lock
//! checks afterwards that the file it locked is still the one at the path
//! (a holder may have removed it in between) and starts over if not, so two
//! holders never lock two different files of one name. A process that
//! dies leaves its file behind, free, for the next holder to reuse.
//!
//! Advisory locks are only as good as the file system's: local file
//! systems keep them; some network file systems do not.

use std::fs::{File, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::path::Path;

/// A held lock on a file; released when dropped.
#[derive(Debug)]
pub(crate) struct FileLock {
    file: File,
    path: std::path::PathBuf,
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // The holder's line goes first, so that nobody reads a stale one;
        // then the file goes, while still locked (see the module's docs);
        // closing the file would release the lock anyway.
        let _ = self.file.set_len(0);
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

/// Whether `file` is still the file at `path` (Unix: same device and
/// inode). Elsewhere lock files are never removed, so it always is.
fn still_at(file: &File, path: &Path) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let held = file.metadata()?;
        match std::fs::metadata(path) {
            Ok(now) => Ok(now.dev() == held.dev() && now.ino() == held.ino()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        Ok(true)
    }
}

/// Takes the exclusive lock on `path` without waiting, creating the file
/// if absent (not its directory), and writes this process's
/// [`description`](this_process) into it. `None`: someone else holds it
/// (read who with [`holder`]).
pub(crate) fn try_lock(path: &Path) -> io::Result<Option<FileLock>> {
    let file = loop {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        // Called through the trait: std's own `File::try_lock` (Rust 1.89)
        // is newer than this crate's rust-version.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => return Ok(None),
            Err(fs4::TryLockError::Error(e)) => return Err(e),
        }
        if still_at(&file, path)? {
            break file;
        }
        // Its holder removed it between our open and our lock: that file
        // is nobody's any more; take the one at the path now.
    };
    let mut lock = FileLock {
        file,
        path: path.to_owned(),
    };
    lock.file.set_len(0)?;
    writeln!(lock.file, "{}", this_process())?;
    Ok(Some(lock))
}

/// Who holds the lock on `path`, as the holder wrote it; `None` when the
/// file cannot be read or says nothing (a holder that has not written its
/// line yet, or one that released the lock since).
pub(crate) fn holder(path: &Path) -> Option<String> {
    let mut text = String::new();
    File::open(path)
        .ok()?
        .take(512)
        .read_to_string(&mut text)
        .ok()?;
    let line: String = text
        .lines()
        .next()?
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let line = line.trim();
    (!line.is_empty()).then(|| line.to_owned())
}

/// This process, for others' messages: `pid 4242 on host-a`. Nothing
/// secret: the process id and the host's name.
pub(crate) fn this_process() -> String {
    let host = gethostname::gethostname();
    let host = host.to_string_lossy();
    let host: String = host
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .take(100)
        .collect();
    if host.is_empty() {
        format!("pid {}", std::process::id())
    } else {
        format!("pid {} on {host}", std::process::id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_in_the_same_process_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.lock");
        let first = try_lock(&path).unwrap().expect("free at first");
        assert!(try_lock(&path).unwrap().is_none(), "held by `first`");
        let me = holder(&path).expect("the holder wrote its line");
        assert_eq!(me, this_process());
        assert!(
            me.starts_with(&format!("pid {}", std::process::id())),
            "{me}"
        );
        drop(first);
        assert_eq!(holder(&path), None, "released: nobody named");
        #[cfg(unix)]
        assert!(!path.exists(), "the holder removed its file");
        let again = try_lock(&path).unwrap();
        assert!(again.is_some(), "free again once dropped");
    }

    #[test]
    fn a_file_removed_by_its_holder_between_open_and_lock_is_not_taken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.lock");
        let first = try_lock(&path).unwrap().expect("free at first");
        // The loser opened the old file before the holder let go of it.
        let stale = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        drop(first);
        fs4::FileExt::try_lock(&stale).expect("the old file is free");
        assert!(
            !still_at(&stale, &path).unwrap(),
            "but no longer at the path"
        );
        // A new holder takes the path itself, and a third is refused.
        let second = try_lock(&path).unwrap().expect("free");
        assert!(try_lock(&path).unwrap().is_none());
        drop(second);
    }

    #[test]
    fn many_threads_never_hold_one_path_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.lock");
        let inside = AtomicUsize::new(0);
        let taken = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..200 {
                        if let Some(lock) = try_lock(&path).unwrap() {
                            assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0);
                            taken.fetch_add(1, Ordering::SeqCst);
                            inside.fetch_sub(1, Ordering::SeqCst);
                            drop(lock);
                        }
                    }
                });
            }
        });
        assert!(taken.load(Ordering::SeqCst) > 0);
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_held_lock() {
        let dir = tempfile::tempdir().unwrap();
        let err = try_lock(&dir.path().join("no/such/dir.lock")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert_eq!(holder(&dir.path().join("absent.lock")), None);
    }
}
