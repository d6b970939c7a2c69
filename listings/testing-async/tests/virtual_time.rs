//! The course's functions on Tokio's paused clock: time moves only when every task waits,
//! and then jumps straight to the next timer, so seconds of waiting take microseconds.

use std::time::Duration;

use testing_async::{Request, count, laundry, say, spawn_counter};
use tokio::sync::oneshot;
use tokio::time::{self, Instant, timeout};

const SECOND: Duration = Duration::from_secs(1);

// ANCHOR: join
#[tokio::test(start_paused = true)]
async fn joining_2_s_and_1_s_takes_exactly_2_s() {
    let start = Instant::now();
    let (first, second) = tokio::join!(say("First", 2 * SECOND), say("Second", SECOND));
    assert_eq!((first, second), ("First", "Second"));
    // Exactly: no timer drift, no scheduling noise.
    assert_eq!(start.elapsed(), 2 * SECOND);
}
// ANCHOR_END: join

#[tokio::test(start_paused = true)]
async fn counting_keeps_a_fixed_schedule() {
    let steps = count(4, Duration::from_millis(100)).await;
    let expected: Vec<Duration> = (0..4).map(|i| Duration::from_millis(100 * i)).collect();
    assert_eq!(steps, expected);
}

#[tokio::test(start_paused = true)]
async fn the_dryer_ends_after_washing_plus_drying() {
    let (washed, dried) = laundry(3 * SECOND, 3 * SECOND).await;
    assert_eq!((washed, dried), (3 * SECOND, 6 * SECOND));
}

// ANCHOR: advance
#[tokio::test(start_paused = true)]
async fn advance_moves_the_clock_by_hand() {
    let (done, mut finished) = oneshot::channel();
    tokio::spawn(async move {
        say("late", 10 * SECOND).await;
        done.send(()).expect("the test is still listening");
    });
    tokio::task::yield_now().await; // let the task start its timer

    time::advance(9 * SECOND).await;
    assert!(finished.try_recv().is_err(), "nothing is due before 10 s");

    time::advance(SECOND).await;
    tokio::task::yield_now().await; // let the woken task run
    assert!(finished.try_recv().is_ok(), "due at 10 s");
}
// ANCHOR_END: advance

// ANCHOR: timeout
#[tokio::test(start_paused = true)]
async fn a_timeout_fires_at_its_deadline() {
    let start = Instant::now();
    let result = timeout(SECOND, say("too slow", 5 * SECOND)).await;
    assert!(result.is_err(), "5 s of work cannot fit in 1 s");
    assert_eq!(start.elapsed(), SECOND);
}
// ANCHOR_END: timeout

// ANCHOR: actor
#[tokio::test(start_paused = true)]
async fn the_actor_answers_through_its_channel() {
    let start = Instant::now();
    let counter = spawn_counter(Duration::from_millis(100));
    for n in [2, 3, 5] {
        counter
            .send(Request::Add(n))
            .await
            .expect("the actor is running");
    }
    let (reply, total) = oneshot::channel();
    counter
        .send(Request::Total(reply))
        .await
        .expect("the actor is running");
    assert_eq!(total.await.expect("the actor answers"), 10);
    // Four requests, handled one after another.
    assert_eq!(start.elapsed(), Duration::from_millis(400));
}
// ANCHOR_END: actor

// ANCHOR: blocking
#[tokio::test(start_paused = true)]
async fn a_blocking_sleep_does_not_move_virtual_time() {
    let start = Instant::now();
    // Real time passes, but the paused clock only moves for Tokio's own timers.
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(start.elapsed(), Duration::ZERO);
}
// ANCHOR_END: blocking
