//! The daily budget on tokio's paused clock: a rolling 24-hour window
//! (never more than the budget in any 24-hour span, calls freed as the
//! oldest leave it), the reserve, what `budget()` says, and Gong's own
//! count of the calls left when an answer carries it.

use gong_flows::{Error, InProcessPacer, Pacer, QuotaHint};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

const DAY: Duration = Duration::from_secs(24 * 3600);
const MINUTE: Duration = Duration::from_secs(60);
const MS: Duration = Duration::from_millis(1);
const FOREVER: Duration = Duration::from_secs(365 * 24 * 3600);

/// The most instants of `times` in any half-open window `[t, t + 24 h)`.
fn most_in_a_day(times: &[Instant]) -> usize {
    let mut sorted = times.to_vec();
    sorted.sort();
    let (mut most, mut start) = (0, 0);
    for end in 0..sorted.len() {
        while sorted[end] - sorted[start] >= DAY {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

#[test]
fn the_day_counter_counts() {
    let t0 = Instant::now();
    assert_eq!(most_in_a_day(&[t0, t0 + DAY - MS, t0 + DAY]), 2);
    assert_eq!(most_in_a_day(&[t0, t0 + DAY, t0 + DAY, t0 + 2 * DAY]), 2);
}

/// Whether a call may go now, without waiting for a slot.
async fn allowed(pacer: &InProcessPacer) -> bool {
    match pacer.acquire(FOREVER).await {
        Ok(()) => true,
        Err(Error::DailyBudgetExhausted { .. }) => false,
        Err(other) => panic!("unexpected {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_spent_budget_frees_calls_exactly_as_the_oldest_leave_the_window() {
    let t0 = Instant::now();
    let pacer = InProcessPacer::new(None, Some(6));
    // Two calls in each of the first three minutes.
    for minute in 0..3 {
        tokio::time::advance((t0 + MINUTE * minute).saturating_duration_since(Instant::now()))
            .await;
        assert!(allowed(&pacer).await);
        assert!(allowed(&pacer).await);
    }
    let before = SystemTime::now();
    let err = pacer.acquire(FOREVER).await.unwrap_err();
    let Error::DailyBudgetExhausted {
        limit,
        resets_in,
        resets_at,
    } = err
    else {
        panic!("expected DailyBudgetExhausted, got {err:?}");
    };
    assert_eq!(limit, 6);
    // The first minute's calls leave at the end of that minute plus 24 h.
    assert_eq!(resets_in, t0 + MINUTE + DAY - Instant::now());
    assert!(resets_at >= before + resets_in && resets_at <= SystemTime::now() + resets_in);
    // Still refused just before 24 h, and at 24 h itself, where a window
    // counted from the first call (as before) had renewed the whole budget.
    for at in [t0 + DAY - MS, t0 + DAY, t0 + DAY + MINUTE - MS] {
        tokio::time::advance(at - Instant::now()).await;
        assert!(!allowed(&pacer).await, "refused at {:?}", at - t0);
    }
    // The first minute leaves: its two calls are free again, no more.
    tokio::time::advance(MS).await;
    assert!(allowed(&pacer).await);
    assert!(allowed(&pacer).await);
    match pacer.acquire(FOREVER).await.unwrap_err() {
        Error::DailyBudgetExhausted { resets_in, .. } => assert_eq!(resets_in, MINUTE),
        other => panic!("expected DailyBudgetExhausted, got {other:?}"),
    }
    tokio::time::advance(MINUTE).await;
    assert!(allowed(&pacer).await);
    assert!(allowed(&pacer).await);
    assert!(!allowed(&pacer).await);
}

/// Spends greedily from `from` to `to`, waiting out each refusal as it
/// says; returns when every call went.
async fn spend(pacer: &InProcessPacer, from: Instant, to: Instant) -> Vec<Instant> {
    tokio::time::sleep_until(from).await;
    let mut times = Vec::new();
    while Instant::now() < to {
        match pacer.acquire(FOREVER).await {
            Ok(()) => times.push(Instant::now()),
            Err(Error::DailyBudgetExhausted { resets_in, .. }) => {
                assert!(!resets_in.is_zero());
                tokio::time::sleep(resets_in.min(to.saturating_duration_since(Instant::now())))
                    .await;
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    times
}

#[tokio::test(start_paused = true)]
async fn no_24_hour_span_ever_holds_more_than_the_budget() {
    const BUDGET: u32 = 50;
    let t0 = Instant::now();
    let pacer = InProcessPacer::new(Some(3.0), Some(BUDGET));
    // The old fixed window's worst case: one call starts the window, the
    // rest of the budget goes at its end, and a whole new budget at the
    // start of the next (99 calls within a minute, before).
    let mut times = spend(&pacer, t0, t0 + MS).await;
    times.extend(
        spend(
            &pacer,
            t0 + DAY - Duration::from_secs(30),
            t0 + DAY + 5 * MINUTE,
        )
        .await,
    );
    // Then a greedy spender for three days, with idle hours between.
    for day in 1..4 {
        let start = t0 + DAY * day + Duration::from_secs(3 * 3600 * u64::from(day));
        times.extend(spend(&pacer, start, start + Duration::from_secs(7 * 3600)).await);
    }
    assert!(
        most_in_a_day(&times) <= BUDGET as usize,
        "{} calls in one 24-hour span",
        most_in_a_day(&times)
    );
    // And the budget was used, not merely refused: in the last 24 hours of
    // the run it was spent in full.
    let end = *times.last().unwrap();
    let last_day = times.iter().filter(|t| end - **t < DAY).count();
    assert_eq!(last_day, BUDGET as usize);
    // Around the old window's end: the one early call freed one call at
    // its minute's end plus 24 h, no more.
    let around = times
        .iter()
        .filter(|t| **t >= t0 + DAY - MINUTE && **t < t0 + DAY + 5 * MINUTE)
        .count();
    assert_eq!(around, BUDGET as usize);
}

#[tokio::test(start_paused = true)]
async fn the_reserve_is_never_spent_and_the_budget_says_what_is_left() {
    let t0 = Instant::now();
    let pacer = InProcessPacer::new(Some(3.0), Some(10)).with_reserve(3);
    let budget = pacer.budget().await.unwrap().unwrap();
    assert_eq!(
        (
            budget.limit,
            budget.used,
            budget.reserve,
            budget.left,
            budget.next_free_at
        ),
        (10, 0, 3, 7, None)
    );
    for spent in 1..=7 {
        pacer.acquire(FOREVER).await.unwrap();
        let budget = pacer.budget().await.unwrap().unwrap();
        assert_eq!((budget.used, budget.left), (spent, 7 - spent));
    }
    let err = pacer.acquire(FOREVER).await.unwrap_err();
    assert!(
        matches!(err, Error::DailyBudgetExhausted { limit: 7, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(err.retry_at(), {
        let Error::DailyBudgetExhausted { resets_at, .. } = err else {
            unreachable!()
        };
        Some(resets_at)
    });
    let budget = pacer.budget().await.unwrap().unwrap();
    assert_eq!((budget.used, budget.reserve, budget.left), (7, 3, 0));
    let next = budget.next_free_at.expect("when a call frees");
    let expected = SystemTime::now() + (t0 + DAY + MINUTE - Instant::now());
    let off = next
        .duration_since(expected)
        .unwrap_or_else(|e| e.duration());
    assert!(off < Duration::from_secs(1), "{next:?} vs {expected:?}");
    // Without a budget there is nothing to tell.
    let unlimited = InProcessPacer::new(Some(3.0), None).with_reserve(5);
    assert_eq!(unlimited.budget().await.unwrap(), None);
}

#[tokio::test(start_paused = true)]
async fn a_reserve_as_large_as_the_budget_refuses_every_call() {
    let pacer = InProcessPacer::new(None, Some(2)).with_reserve(9);
    let err = pacer.acquire(FOREVER).await.unwrap_err();
    assert!(matches!(err, Error::DailyBudgetExhausted { limit: 0, .. }));
}

fn daily(remaining: u32, reset: Option<Duration>) -> QuotaHint {
    QuotaHint {
        daily_remaining: Some(remaining),
        daily_reset: reset,
        ..QuotaHint::default()
    }
}

#[tokio::test(start_paused = true)]
async fn gongs_lower_count_of_the_calls_left_is_adopted_until_its_reset() {
    let pacer = InProcessPacer::new(None, Some(10_000));
    pacer.acquire(FOREVER).await.unwrap();
    // Gong says two calls are left today, for an hour.
    pacer.observe(&daily(2, Some(Duration::from_secs(3600))));
    assert_eq!(pacer.budget().await.unwrap().unwrap().left, 2);
    // A later answer saying more does not undo it before its reset.
    pacer.observe(&daily(500, Some(Duration::from_secs(60))));
    pacer.acquire(FOREVER).await.unwrap();
    pacer.acquire(FOREVER).await.unwrap();
    let budget = pacer.budget().await.unwrap().unwrap();
    assert_eq!((budget.used, budget.left), (3, 0));
    assert!(budget.next_free_at.is_some());
    match pacer.acquire(FOREVER).await.unwrap_err() {
        Error::DailyBudgetExhausted { resets_in, .. } => {
            assert_eq!(resets_in, Duration::from_secs(3600))
        }
        other => panic!("expected DailyBudgetExhausted, got {other:?}"),
    }
    // At Gong's reset the pacer's own count rules again.
    tokio::time::advance(Duration::from_secs(3600)).await;
    assert_eq!(pacer.budget().await.unwrap().unwrap().left, 10_000 - 3);
    pacer.acquire(FOREVER).await.unwrap();
    // A higher figure than the pacer's own is no reason to spend more.
    pacer.observe(&daily(u32::MAX, None));
    assert_eq!(pacer.budget().await.unwrap().unwrap().left, 10_000 - 4);
    // None left and no reset: held for an hour.
    pacer.observe(&daily(0, None));
    assert!(pacer.acquire(FOREVER).await.is_err());
    tokio::time::advance(Duration::from_secs(3600)).await;
    pacer.acquire(FOREVER).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn daily_hints_never_add_a_budget_where_none_is_configured() {
    let pacer = InProcessPacer::new(None, None);
    pacer.observe(&daily(0, Some(Duration::from_secs(60))));
    pacer.acquire(FOREVER).await.unwrap();
    assert_eq!(pacer.budget().await.unwrap(), None);
}
