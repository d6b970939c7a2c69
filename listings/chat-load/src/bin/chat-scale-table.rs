//! Puts 1,000 and then 10,000 clients of chat-load on the Rust chat server and on
//! chat_server.py, and writes the table the book shows, `scale-table.txt`. Run it with the
//! command in `COMMAND` below.
//!
//! A benchmark, not a test: it takes a few minutes and its figures depend on the machine, so
//! it says which machine it ran on. It builds nothing; the command's first half builds the
//! release binaries it runs, which it finds next to its own executable. Linux only: it reads
//! each server's peak memory from /proc.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

const COMMAND: &str = "cargo build --release -p chat-server -p chat-load && \
                       cargo run --release -p chat-load --bin chat-scale-table";
const SIZES: [usize; 2] = [1_000, 10_000];
/// Messages each client sends.
const MESSAGES: usize = 20;
/// Every figure is the median of this many runs, taken in turns.
const ROUNDS: usize = 3;
/// File descriptors a process needs beyond one a connection: standard streams, the
/// listener, the runtime's epoll and its wakers, Python's modules.
const SPARE_FDS: usize = 64;

struct Server {
    label: &'static str,
    /// The program and its arguments; with no port it listens on a free one.
    command: Vec<String>,
}

/// One run's report.
#[derive(Clone, Debug)]
struct Run {
    /// Connections held in their rooms: N, or the test stopped.
    held: usize,
    /// Lines delivered, and how many should have been.
    received: usize,
    expected: usize,
    /// Seconds from the first message sent to the last one delivered.
    elapsed: f64,
    /// The server's `VmHWM`, read just before it was stopped.
    peak_kib: u64,
}

fn main() -> ExitCode {
    match build_table() {
        Ok(path) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("chat-scale-table: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build_table() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let load = sibling("chat-load")?;
    let servers = servers(dir)?;
    let limits = check_limits()?;
    // Other work on the machine stretches the times (not the memory), so the table says how
    // busy the machine was.
    let load_before = load_average();
    let runs = measure_all(&servers, &load)?;
    let mut table = render(&servers, &runs);
    let _ = writeln!(table);
    let _ = writeln!(table, "Machine: {}", machine());
    let _ = writeln!(table, "Limits:  {limits}");
    let _ = writeln!(
        table,
        "Load:    {load_before} at the start, {} at the end (1-minute load average)",
        load_average()
    );
    let _ = writeln!(table, "Date:    {}", today());

    print!("{table}");
    let path = dir.join("scale-table.txt");
    std::fs::write(&path, table).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// N = 1 first, for the baseline, then the table's sizes.
fn sizes() -> Vec<usize> {
    std::iter::once(1).chain(SIZES).collect()
}

/// Runs the load against every server at every size, `ROUNDS` times, in turns. The result
/// holds, for each server and each of `sizes()`, one `Run` per round.
fn measure_all(servers: &[Server], load: &Path) -> Result<Vec<Vec<Vec<Run>>>, String> {
    let sizes = sizes();
    let mut runs = vec![vec![Vec::new(); sizes.len()]; servers.len()];
    for round in 1..=ROUNDS {
        for (server, results) in servers.iter().zip(&mut runs) {
            for (&n, result) in sizes.iter().zip(results.iter_mut()) {
                eprint!(
                    "round {round}/{ROUNDS}: {}, N = {} ... ",
                    server.label,
                    grouped(n)
                );
                let run = measure(server, load, n)?;
                eprintln!(
                    "{} of {} delivered in {:.2} s, server peak {} KiB",
                    grouped(run.received),
                    grouped(run.expected),
                    run.elapsed,
                    grouped(run.peak_kib as usize)
                );
                result.push(run);
            }
        }
    }
    Ok(runs)
}

/// The table: one row per server and size, each figure the median of its rounds.
fn render(servers: &[Server], runs: &[Vec<Vec<Run>>]) -> String {
    let mut table = String::new();
    let command = COMMAND.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(table, "$ {command}");
    let _ = writeln!(
        table,
        "N clients in rooms of 10 send {MESSAGES} messages each; every message goes to the 9 \
         others in its room."
    );
    let _ = writeln!(
        table,
        "Every figure is the median of {ROUNDS} runs, each against a freshly started server."
    );
    let _ = writeln!(
        table,
        "\"each\" is what one more connection costs the server: (peak - peak at N = 1) / N."
    );
    let _ = writeln!(table);
    let _ = writeln!(
        table,
        "{:<16}{:>8}{:>8}{:>16}{:>14}{:>10}{:>12}",
        "", "N", "held", "delivered/s", "peak memory", "each", "delivered"
    );
    for (server, results) in servers.iter().zip(runs) {
        let baseline = median(results[0].iter().map(|r| r.peak_kib as f64));
        let mut label = server.label;
        for (&n, rounds) in sizes().iter().zip(results).skip(1) {
            let held = rounds.iter().map(|r| r.held).min().unwrap_or(0);
            let rate = median(rounds.iter().map(|r| r.received as f64 / r.elapsed));
            let peak = median(rounds.iter().map(|r| r.peak_kib as f64));
            let each = (peak - baseline) * 1024.0 / n as f64;
            let all = rounds.iter().all(|r| r.received == r.expected);
            let _ = writeln!(
                table,
                "{label:<16}{:>8}{:>8}{:>16}{:>10} MiB{:>8} B{:>12}",
                grouped(n),
                grouped(held),
                grouped(rate.round() as usize),
                mib(peak),
                grouped(each.round().max(0.0) as usize),
                if all { "all" } else { "NOT ALL" },
            );
            label = "";
        }
        let _ = writeln!(
            table,
            "{:<16}{:>8}{:>38} MiB",
            "",
            "at N = 1",
            mib(baseline)
        );
    }
    table
}

/// The release build of a program of the workspace, next to this executable.
fn sibling(name: &str) -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find my own executable: {e}"))?;
    let path = me.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.is_file() {
        return Err(format!("{} is missing; run `{COMMAND}`", path.display()));
    }
    Ok(path)
}

/// The Rust chat server's release build, and the Python server beside this crate's manifest.
fn servers(dir: &Path) -> Result<Vec<Server>, String> {
    Ok(vec![
        Server {
            label: "Rust, Tokio",
            command: vec![sibling("chat-server")?.display().to_string()],
        },
        Server {
            label: "Python asyncio",
            command: vec![
                "python3".to_owned(),
                dir.join("chat_server.py").display().to_string(),
            ],
        },
    ])
}

/// A server, started on a free port, and stopped when dropped.
struct Running {
    child: Child,
    addr: String,
}

impl Running {
    fn start(server: &Server) -> Result<Running, String> {
        let (exe, args) = server
            .command
            .split_first()
            .expect("a server has a command");
        let mut child = Command::new(exe)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {exe}: {e}"))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut first = String::new();
        let _ = stdout.read_line(&mut first);
        // The Rust server logs every connection; a full pipe would stall it.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        // From here, dropping it stops the server.
        let mut running = Running {
            child,
            addr: String::new(),
        };
        let Some(addr) = first.trim().strip_prefix("Listening on ") else {
            return Err(format!(
                "{} printed `{}` instead of `Listening on …`",
                server.label,
                first.trim()
            ));
        };
        running.addr = addr.to_owned();
        Ok(running)
    }

    /// The most RAM the server has held at once, in KiB.
    fn peak_kib(&self) -> Result<u64, String> {
        let status = read(&format!("/proc/{}/status", self.child.id()));
        proc_field(&status, "VmHWM")
            .and_then(|v| v.trim_end_matches(" kB").parse().ok())
            .ok_or_else(|| "no VmHWM in the server's /proc status".to_owned())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server, puts N clients on it, and reads the load client's report and the
/// server's peak memory.
fn measure(server: &Server, load: &Path, n: usize) -> Result<Run, String> {
    let running = Running::start(server)?;
    let output = Command::new(load)
        .arg(&running.addr)
        .args(["--clients", &n.to_string()])
        .args(["--messages", &MESSAGES.to_string()])
        .args(["--timeout", "300"])
        .output()
        .map_err(|e| format!("cannot start {}: {e}", load.display()))?;
    let peak_kib = running.peak_kib()?;
    drop(running);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed = || {
        format!(
            "{}, N = {n}: the load client failed ({}):\n{stdout}{stderr}",
            server.label, output.status
        )
    };
    // Its words: `10,000 connections held, …`,
    // `Expected 1,800,000 deliveries, received 1,800,000: …` and `Messages took 8.12s`.
    let line = |prefix: &str| stdout.lines().find_map(|l| l.strip_prefix(prefix));
    let number = |text: &str| text.replace(',', "").parse::<usize>().ok();
    let held = stdout
        .lines()
        .find_map(|l| number(l.split_once(" connections held")?.0))
        .ok_or_else(failed)?;
    let (expected, received) = line("Expected ")
        .and_then(|rest| {
            let (expected, rest) = rest.split_once(" deliveries, received ")?;
            let (received, _) = rest.split_once(':')?;
            Some((number(expected)?, number(received)?))
        })
        .ok_or_else(failed)?;
    let elapsed = line("Messages took ")
        .and_then(|t| t.strip_suffix('s')?.parse().ok())
        .ok_or_else(failed)?;
    Ok(Run {
        held,
        received,
        expected,
        elapsed,
        peak_kib,
    })
}

/// Checks that the servers and the load client may each hold the biggest N connections, and
/// says what the limits are.
fn check_limits() -> Result<String, String> {
    let most = SIZES.iter().copied().max().unwrap_or(0);
    let open_files: Option<usize> = proc_field(&read("/proc/self/limits"), "Max open files")
        .and_then(|v| v.split_whitespace().next()?.parse().ok());
    let ports: Vec<usize> = read("/proc/sys/net/ipv4/ip_local_port_range")
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect();
    if let Some(open) = open_files
        && open < most + SPARE_FDS
    {
        return Err(format!(
            "each process may open {open} files (`ulimit -n`); N = {} needs {}: raise the \
             limit in this shell, `ulimit -n {}`, and run again",
            grouped(most),
            grouped(most + SPARE_FDS),
            most + SPARE_FDS
        ));
    }
    if let [low, high] = ports[..]
        && high + 1 - low < most
    {
        return Err(format!(
            "only {} local ports to connect from (net.ipv4.ip_local_port_range = {low} to \
             {high}); N = {} needs one each",
            grouped(high + 1 - low),
            grouped(most)
        ));
    }
    let ports = match ports[..] {
        [low, high] => format!("{low} to {high}"),
        _ => "unknown".to_owned(),
    };
    let open_files = open_files.map_or("unknown".to_owned(), grouped);
    Ok(format!(
        "open files per process (ulimit -n) = {open_files}, local ports = {ports}"
    ))
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        len if len % 2 == 1 => values[len / 2],
        len => (values[len / 2 - 1] + values[len / 2]) / 2.0,
    }
}

/// `1000000` as `1,000,000`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// KiB as MiB with one decimal: `1,453.3`.
fn mib(kib: f64) -> String {
    let tenths = (kib / 1024.0 * 10.0).round() as usize;
    format!("{}.{}", grouped(tenths / 10), tenths % 10)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The first value of a `key: value` line in a /proc file; in /proc/PID/limits, the rest
/// of the line after the key.
fn proc_field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = l.strip_prefix(key)?;
        Some(rest.trim_start().trim_start_matches(':').trim().to_owned())
    })
}

/// CPU model, cores, RAM, kernel and Python version.
fn machine() -> String {
    let cpu = proc_field(&read("/proc/cpuinfo"), "model name").unwrap_or("unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let ram_kib: f64 = proc_field(&read("/proc/meminfo"), "MemTotal")
        .and_then(|v| v.trim_end_matches(" kB").parse().ok())
        .unwrap_or(0.0);
    let python = Command::new("python3")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "{cpu}, {cores} cores, {:.1} GiB of RAM, Linux {}, {python}",
        ram_kib / 1024.0 / 1024.0,
        read("/proc/sys/kernel/osrelease").trim()
    )
}

/// The 1-minute load average: how many threads, on average, were running or waiting to run.
fn load_average() -> String {
    read("/proc/loadavg")
        .split_whitespace()
        .next()
        .unwrap_or("unknown")
        .to_owned()
}

/// Today's date in UTC, as `2026-11-25`.
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date((secs / 86_400) as i64)
}

/// The date `days` after 1970-01-01: Howard Hinnant's `civil_from_days`.
fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(11_016), "2000-02-29");
        assert_eq!(date(20_782), "2026-11-25");
    }

    #[test]
    fn figures() {
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(10_000), "10,000");
        assert_eq!(mib(3_436.0), "3.4");
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), 2.0);
    }

    #[test]
    fn proc_fields() {
        let limits = "Max open files            20000                20000                files\n";
        assert_eq!(
            proc_field(limits, "Max open files").as_deref(),
            Some("20000                20000                files")
        );
        assert_eq!(
            proc_field("VmHWM:\t  131744 kB\n", "VmHWM").as_deref(),
            Some("131744 kB")
        );
    }
}
