//! Ctrl-C and SIGTERM as requests to stop a job.

use tokio::sync::mpsc;

/// Ctrl-C (and SIGTERM on Unix), as a stream of requests to stop: a
/// caller typically [cancels](crate::JobHandle::cancel) a job on the first
/// and [aborts](crate::JobHandle::abort) it on the second. Once listened
/// to, the signals no longer kill the process: the caller decides. The
/// listening ends when this is dropped.
///
/// ```no_run
/// # async fn demo(handle: gong_flows::JobHandle) {
/// let mut interrupts = gong_flows::Interrupts::listen();
/// interrupts.next().await;
/// handle.cancel(); // the calls in flight finish, nothing more is sent
/// # }
/// ```
#[derive(Debug)]
pub struct Interrupts {
    rx: mpsc::UnboundedReceiver<()>,
    task: tokio::task::JoinHandle<()>,
}

impl Interrupts {
    /// Starts listening (inside a Tokio runtime). On Unix the handlers are
    /// installed before this returns, so that a signal arriving at any
    /// later moment is caught.
    ///
    /// ```no_run
    /// # async fn demo() {
    /// let interrupts = gong_flows::Interrupts::listen();
    /// # drop(interrupts);
    /// # }
    /// ```
    pub fn listen() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        #[cfg(unix)]
        let task = {
            use tokio::signal::unix::{Signal, SignalKind, signal};
            async fn next(signal: &mut Option<Signal>) -> Option<()> {
                match signal {
                    Some(signal) => signal.recv().await,
                    None => std::future::pending().await,
                }
            }
            let mut interrupt = signal(SignalKind::interrupt()).ok();
            let mut terminate = signal(SignalKind::terminate()).ok();
            tokio::spawn(async move {
                loop {
                    let got = tokio::select! {
                        Some(()) = next(&mut interrupt) => true,
                        Some(()) = next(&mut terminate) => true,
                        else => false,
                    };
                    if !got || tx.send(()).is_err() {
                        break;
                    }
                }
            })
        };
        #[cfg(not(unix))]
        let task = tokio::spawn(async move {
            while tokio::signal::ctrl_c().await.is_ok() {
                if tx.send(()).is_err() {
                    break;
                }
            }
        });
        Self { rx, task }
    }

    /// The next request to stop (never, if signals cannot be listened to).
    ///
    /// ```no_run
    /// # async fn demo() {
    /// let mut interrupts = gong_flows::Interrupts::listen();
    /// interrupts.next().await;
    /// println!("stopping");
    /// # }
    /// ```
    pub async fn next(&mut self) {
        if self.rx.recv().await.is_none() {
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Interrupts {
    fn drop(&mut self) {
        self.task.abort();
    }
}
