//! The ten operations, one module per kind of work.

/// The ways every bulk operation runs, written once: `send`, `start`,
/// `stream`, `send_stream` and `send_stream_from`. A builder supplies
/// `into_job`: its settings checked, as an operation, with its own inputs.
macro_rules! job_methods {
    ($builder:ident, $item:ty, $report:ty) => {
        impl $builder {
            /// Runs the job and reports on every input: each unique input is
            /// in exactly one bucket of the report.
            ///
            /// Fails only on bad input or settings, before anything is sent.
            /// Everything that happens after that is in the report; its
            /// `into_result()` turns a job that stopped on an error (bad
            /// credentials, unknown flow, rate limit past the retry policy)
            /// into an `Err`.
            pub async fn send(self) -> $crate::Result<$report> {
                let (handle, report) = self.start()?;
                let _ = handle;
                Ok(report.await)
            }

            /// Starts the job: its [`JobHandle`](crate::JobHandle) (progress,
            /// cancel, abort) and the future of its report, which runs the
            /// job when polled (await it, or spawn it). Checks like
            /// [`send`](Self::send).
            pub fn start(
                self,
            ) -> $crate::Result<(
                $crate::JobHandle,
                impl std::future::Future<Output = $report> + Send + 'static,
            )> {
                let (op, items, concurrency) = self.into_job()?;
                let report = $crate::job::Operation::report(&*op);
                let input = $crate::job::Input::checked(&*op, items)?;
                let chunks = $crate::job::drive(op, input, concurrency);
                Ok((chunks.handle(), $crate::job::collect(report, chunks)))
            }

            /// The job's per-chunk results, in input order, as they finish.
            /// The inputs are checked like [`send`](Self::send); the job's
            /// duplicates are in the first chunk's report.
            pub fn stream(self) -> $crate::Result<$crate::ChunkStream<$report>> {
                let (op, items, concurrency) = self.into_job()?;
                let input = $crate::job::Input::checked(&*op, items)?;
                Ok($crate::job::drive(op, input, concurrency))
            }

            /// Runs the job over an iterator of inputs of any length (after
            /// this builder's own), yielding each chunk's result in input
            /// order, in memory bounded by the chunks in flight.
            ///
            /// Each chunk is checked before it is sent: a bad input is
            /// reported in that chunk's `not_attempted` with an
            /// [`Error::InvalidInput`](crate::Error::InvalidInput), and
            /// repeats within a chunk in its `duplicates`. To refuse a whole
            /// input before anything is sent, use [`send`](Self::send).
            /// Fails only if the job's own settings are invalid.
            pub fn send_stream<I>(self, items: I) -> $crate::Result<$crate::ChunkStream<$report>>
            where
                I: IntoIterator + Send + 'static,
                I::IntoIter: Send + 'static,
                I::Item: Into<$item>,
            {
                let items = items.into_iter();
                let total = match items.size_hint() {
                    (low, Some(high)) if low == high => Some(low),
                    _ => None,
                };
                self.send_stream_with(futures::stream::iter(items.map(Into::into)), total)
            }

            /// Like [`send_stream`](Self::send_stream), over a stream of
            /// inputs (e.g. read from a file or a queue as the job goes).
            pub fn send_stream_from<S>(
                self,
                items: S,
            ) -> $crate::Result<$crate::ChunkStream<$report>>
            where
                S: futures::Stream + Send + 'static,
                S::Item: Into<$item>,
            {
                use futures::StreamExt as _;
                self.send_stream_with(items.map(Into::into), None)
            }

            fn send_stream_with<S>(
                self,
                items: S,
                total: Option<usize>,
            ) -> $crate::Result<$crate::ChunkStream<$report>>
            where
                S: futures::Stream<Item = $item> + Send + 'static,
            {
                use futures::StreamExt as _;
                let (op, own, concurrency) = self.into_job()?;
                let total = total.map(|n| n + own.len());
                let items = futures::stream::iter(own).chain(items);
                let input = $crate::job::Input::streamed(items, total);
                Ok($crate::job::drive(op, input, concurrency))
            }
        }
    };
}

pub mod assign;
pub mod bulk;
pub mod lists;
pub mod prospects;
pub mod steps;
pub mod unassign;
