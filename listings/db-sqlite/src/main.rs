//! SQLite through sqlx: inserts from many tasks, reads that overlap, writes that queue, and a
//! rollback. Run it with `cargo run -p db-sqlite`, or `-- [--db FILE] [--query SQL]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use futures::future::join_all;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, Row, SqliteExecutor};
use tempfile::TempDir;
use tokio::time::{Instant, sleep, sleep_until};

/// The first part: this many tasks insert this many orders each, all at once.
const TASKS: usize = 20;
const ORDERS_PER_TASK: usize = 5;
/// The second part: this many writers and readers, each keeping a transaction open this long.
const WRITERS: usize = 3;
const READERS: usize = 3;
const HOLD: Duration = Duration::from_millis(300);

/// SQLite through sqlx: inserts from many tasks, reads that overlap, writes that queue, and
/// a rollback. By default, on a new database in a temporary directory, removed at the end.
#[derive(Parser)]
struct Args {
    /// A database file to create or add to, kept afterwards.
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// A query of your own, run at the end on a read-only connection.
    #[arg(long, value_name = "SQL")]
    query: Option<String>,
}

// ANCHOR: main
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let keep = args.db.is_some();
    // `_dir` lives to the end of `main`, then goes with the database in it: on success and
    // on every error, since errors come back here as values.
    let (_dir, path) = match args.db {
        Some(path) => (None, path),
        None => match TempDir::new() {
            Ok(dir) => {
                let path = dir.path().join("shop.db");
                (Some(dir), path)
            }
            Err(e) => {
                eprintln!("error: cannot create a temporary directory: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    match run(&path, keep, args.query.as_deref()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("error: {problem}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main

// ANCHOR: pools
async fn run(path: &Path, keep: bool, query: Option<&str>) -> Result<(), String> {
    let start = Instant::now();
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        // A database in a temporary directory is thrown away at the end, so it can skip the
        // fsyncs that make commits outlive a power cut. A file you keep does not.
        .synchronous(if keep {
            SqliteSynchronous::Normal
        } else {
            SqliteSynchronous::Off
        });
    let cannot_open = |e| format!("cannot open the database {}: {e}", path.display());
    // SQLite lets one connection write at a time. A pool of one makes writers wait their
    // turn here, in order and asleep, rather than in SQLite's busy handler, which polls.
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .map_err(cannot_open)?;
    // Write-ahead logging: readers see the last commit and never wait for a writer. It is a
    // setting of the file, so this one statement serves every connection.
    sqlx::query("PRAGMA journal_mode = WAL")
        .execute(&writer)
        .await
        .map_err(cannot_open)?;
    sqlx::query(
        "CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            customer TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0)
        )",
    )
    .execute(&writer)
    .await
    .map_err(|e| format!("cannot create the table: {e}"))?;
    // Readers get connections of their own, as many as read at once, opened read-only.
    let readers = SqlitePoolOptions::new()
        .max_connections(READERS as u32)
        .connect_with(options.clone().read_only(true))
        .await
        .map_err(cannot_open)?;
    println!("Created table orders");
    // ANCHOR_END: pools

    // ANCHOR: inserts
    let inserting = Instant::now();
    let tasks = (0..TASKS).map(|task| tokio::spawn(insert_orders(writer.clone(), task)));
    for result in join_all(tasks).await {
        result
            .map_err(|e| format!("an insert task failed: {e}"))?
            .map_err(|e| format!("cannot insert: {e}"))?;
    }
    println!(
        "{TASKS} tasks inserted {} orders in {:.2}s",
        TASKS * ORDERS_PER_TASK,
        inserting.elapsed().as_secs_f64()
    );
    println!("The table holds {} orders", count(&readers).await?);
    // ANCHOR_END: inserts

    // ANCHOR: overlap
    // From here on, each part starts at a set time after `start`, however long the setup
    // took, so that every run draws the same timeline.
    sleep_until(start + Duration::from_millis(200)).await;
    println!(
        "{WRITERS} writers and {READERS} readers, each keeping a transaction open for {} ms:",
        HOLD.as_millis()
    );
    let writes = join_all((1..=WRITERS).map(|id| slow_write(&writer, id, start)));
    let reads = async {
        // The readers begin while writer 1 holds the write lock, and end together.
        let begin = start + Duration::from_millis(300);
        sleep_until(begin).await;
        println!("Readers begin at {:.2}s", secs(start));
        join_all((1..=READERS).map(|id| slow_read(&readers, id, begin + HOLD, start))).await
    };
    let outsider = async {
        sleep_until(start + Duration::from_millis(400)).await;
        try_to_write(&options, start).await
    };
    let (writes, reads, outsider) = tokio::join!(writes, reads, outsider);
    for result in writes.into_iter().chain(reads).chain([outsider]) {
        result.map_err(|e| format!("cannot finish a transaction: {e}"))?;
    }
    // ANCHOR_END: overlap

    // ANCHOR: rollback
    sleep_until(start + Duration::from_millis(1300)).await;
    // The writer's one connection, held for the whole part: had the first order survived
    // the rollback, the last count would include it.
    let mut conn = writer
        .acquire()
        .await
        .map_err(|e| format!("cannot get the writer's connection: {e}"))?;
    println!(
        "Before the transaction: {} orders",
        count(&mut *conn).await?
    );
    if let Err(e) = add_two_orders(&mut conn).await {
        println!("The transaction failed: {e}");
    }
    println!("After the rollback: {} orders", count(&mut *conn).await?);
    drop(conn); // back to the pool
    // ANCHOR_END: rollback

    if let Some(sql) = query {
        run_query(&readers, sql).await?;
    }
    // Readers first, so that the writer closes last and folds the write-ahead log back into
    // the file. (sqlx 0.8 may return from `close` with a connection still on its way back;
    // then the `-wal` file stays beside the database until the next open, and nothing is lost.)
    readers.close().await;
    writer.close().await;
    Ok(())
}

/// Seconds since `start`, for the printed times.
fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

/// Counts the orders through a pool or a connection, whichever it is given.
async fn count<'c>(db: impl SqliteExecutor<'c>) -> Result<i64, String> {
    sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(db)
        .await
        .map_err(|e| format!("cannot count the orders: {e}"))
}

// ANCHOR: insert_orders
async fn insert(
    conn: &mut SqliteConnection,
    customer: &str,
    quantity: i64,
) -> Result<(), sqlx::Error> {
    // `?` placeholders with `bind`: the values never become part of the SQL text.
    sqlx::query("INSERT INTO orders (customer, quantity) VALUES (?, ?)")
        .bind(customer)
        .bind(quantity)
        .execute(conn)
        .await?;
    Ok(())
}

async fn insert_orders(pool: SqlitePool, task: usize) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for quantity in 1..=ORDERS_PER_TASK as i64 {
        insert(&mut tx, &format!("customer {task}"), quantity).await?;
    }
    tx.commit().await
}
// ANCHOR_END: insert_orders

// ANCHOR: slow
async fn slow_write(pool: &SqlitePool, id: usize, start: Instant) -> Result<(), sqlx::Error> {
    // IMMEDIATE takes the write lock now rather than at the first write.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    println!("writer {id}: has the write lock at {:.2}s", secs(start));
    insert(&mut tx, &format!("writer {id}"), 1).await?;
    sleep(HOLD).await; // a slow transaction: the lock stays taken
    tx.commit().await?;
    println!("writer {id}: committed at {:.2}s", secs(start));
    Ok(())
}

async fn slow_read(
    pool: &SqlitePool,
    id: usize,
    until: Instant,
    start: Instant,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&mut *tx)
        .await?;
    // Every reader wakes at the same instant, so they print in the order `join_all` polls.
    sleep_until(until).await;
    println!(
        "reader {id}: counted {orders} orders, and is done at {:.2}s",
        secs(start)
    );
    tx.commit().await
}
// ANCHOR_END: slow

// ANCHOR: outsider
/// A connection of its own, outside the write pool, that will not wait for the lock.
async fn try_to_write(options: &SqliteConnectOptions, start: Instant) -> Result<(), sqlx::Error> {
    let options = options.clone().busy_timeout(Duration::ZERO);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    match insert(&mut conn, "outsider", 1).await {
        Ok(()) => println!("outsider: wrote at {:.2}s", secs(start)),
        Err(e) => println!("outsider: cannot write at {:.2}s: {e}", secs(start)),
    }
    conn.close().await
}
// ANCHOR_END: outsider

// ANCHOR: add_two_orders
/// Two orders that stand or fall together. The second breaks the CHECK constraint, so the
/// first must go too.
async fn add_two_orders(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    insert(&mut tx, "alice", 2).await?;
    let orders: i64 = sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(&mut *tx)
        .await?;
    println!("Inside it, after the first insert: {orders} orders");
    insert(&mut tx, "bob", 0).await?;
    // Not reached. On the `?` above, `tx` is dropped unfinished, and sqlx rolls it back
    // before the connection is used again.
    tx.commit().await
}
// ANCHOR_END: add_two_orders

/// Runs the reader's own query on a read-only connection and prints every row, its columns
/// as SQLite renders them in text, separated by ` | `.
async fn run_query(pool: &SqlitePool, sql: &str) -> Result<(), String> {
    let rows = sqlx::query(sql)
        .fetch_all(pool)
        .await
        .map_err(|e| format!("query `{sql}` failed: {e}"))?;
    for row in rows {
        let columns: Vec<String> = (0..row.len())
            .map(|i| {
                // SQLite columns have no fixed type; it converts any value to text on request.
                row.try_get_unchecked::<Option<String>, _>(i)
                    .map(|value| value.unwrap_or_else(|| "NULL".to_owned()))
            })
            .collect::<Result<_, _>>()
            .map_err(|e| format!("cannot read a row of `{sql}`: {e}"))?;
        println!("{}", columns.join(" | "));
    }
    Ok(())
}
