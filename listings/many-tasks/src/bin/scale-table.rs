//! Runs many-tasks, many-threads and many_tasks.py from 1,000 to 1,000,000 and writes the
//! table the book shows, `scale-table.txt`. Run it with the command in `COMMAND` below.
//!
//! A benchmark, not a test: it takes a few minutes and its figures depend on the machine, so
//! it says which machine it ran on. It builds nothing; the command's first half builds the
//! release binaries it runs, which it finds next to its own executable.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{SystemTime, UNIX_EPOCH};

const COMMAND: &str = "cargo build --release -p many-tasks -p many-threads && \
                       cargo run --release -p many-tasks --bin scale-table";
const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
/// Every figure is the median of this many runs, taken in turns.
const ROUNDS: usize = 3;

struct Program {
    label: &'static str,
    /// The program and the arguments before N.
    command: Vec<String>,
    /// The arguments after N.
    flags: Vec<String>,
}

/// One run's report.
#[derive(Clone, Debug)]
struct Run {
    /// How many tasks or threads ran: N, unless the program had to stop early.
    ran: usize,
    elapsed: f64,
    peak_kib: u64,
    /// Why it stopped early, in its own words.
    stopped: Option<String>,
}

fn main() -> ExitCode {
    match build_table() {
        Ok(path) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scale-table: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build_table() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let programs = programs(dir)?;
    // Other work on the machine stretches the elapsed times (not the memory), so the table
    // says how busy the machine was.
    let load_before = load_average();
    let runs = measure_all(&programs)?;
    let mut table = render(&programs, &runs);
    let _ = writeln!(table);
    let _ = writeln!(table, "Machine: {}", machine());
    let _ = writeln!(table, "Limits:  {}", limits());
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

/// Runs every program at every size, `ROUNDS` times, in turns. The result holds, for each
/// program and each of `sizes()`, one `Run` per round; none where the program was not run.
fn measure_all(programs: &[Program]) -> Result<Vec<Vec<Vec<Run>>>, String> {
    let sizes = sizes();
    let mut runs = vec![vec![Vec::new(); sizes.len()]; programs.len()];
    for round in 1..=ROUNDS {
        for (program, results) in programs.iter().zip(&mut runs) {
            for (s, &n) in sizes.iter().enumerate() {
                // Past the size where a program had to stop, a bigger N would only stop again.
                let stopped = |rounds: &Vec<Run>| rounds.iter().any(|r| r.stopped.is_some());
                if results[..s].iter().any(stopped) {
                    continue;
                }
                eprint!(
                    "round {round}/{ROUNDS}: {}, N = {} ... ",
                    program.label,
                    grouped(n)
                );
                let run = measure(program, n)?;
                eprintln!(
                    "{:.2} s, {} KiB",
                    run.elapsed,
                    grouped(run.peak_kib as usize)
                );
                results[s].push(run);
            }
        }
    }
    Ok(runs)
}

/// The table: one row per program and size, each figure the median of its rounds.
fn render(programs: &[Program], runs: &[Vec<Vec<Run>>]) -> String {
    let mut table = String::new();
    let command = COMMAND.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(table, "$ {command}");
    let _ = writeln!(
        table,
        "Each of N tasks or threads sleeps 1 s. Every figure is the median of {ROUNDS} runs."
    );
    let _ = writeln!(
        table,
        "\"each\" is what one more task or thread costs: (peak - peak at N = 1) / ran."
    );
    let _ = writeln!(table);
    let _ = writeln!(
        table,
        "{:<16}{:>10}{:>10}{:>10}{:>14}{:>10}",
        "", "N", "ran", "elapsed", "peak memory", "each"
    );
    let mut notes = Vec::new();
    for (program, results) in programs.iter().zip(runs) {
        let baseline = median(results[0].iter().map(|r| r.peak_kib as f64));
        let mut label = program.label;
        for (&n, rounds) in sizes().iter().zip(results).skip(1) {
            if rounds.is_empty() {
                continue;
            }
            let ran = rounds.iter().map(|r| r.ran).min().unwrap_or(0);
            let peak = median(rounds.iter().map(|r| r.peak_kib as f64));
            let each = (peak - baseline) * 1024.0 / ran as f64;
            let mut line = format!(
                "{label:<16}{:>10}{:>10}{:>8.2} s{:>10} MiB{:>8} B",
                grouped(n),
                grouped(ran),
                median(rounds.iter().map(|r| r.elapsed)),
                mib(peak),
                grouped(each.round().max(0.0) as usize),
            );
            if let Some(why) = rounds.iter().find_map(|r| r.stopped.as_ref()) {
                let number = notes.len() + 1;
                notes.push(format!(
                    "({number}) {}, N = {}, stopped early:\n    {why}",
                    program.label,
                    grouped(n)
                ));
                let _ = write!(line, "  ({number})");
            }
            let _ = writeln!(table, "{line}");
            label = "";
        }
        let _ = writeln!(
            table,
            "{:<16}{:>10}{:>30} MiB",
            "",
            "at N = 1",
            mib(baseline)
        );
    }
    if !notes.is_empty() {
        let _ = writeln!(table);
        for note in &notes {
            let _ = writeln!(table, "{note}");
        }
        let _ = writeln!(
            table,
            "A bigger N would stop at the same point, so it was not tried."
        );
    }
    table
}

/// The release builds of many-tasks and many-threads, found next to this executable, and the
/// Python script beside the crate's manifest.
fn programs(dir: &Path) -> Result<Vec<Program>, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find my own executable: {e}"))?;
    let sibling = |name: &str| -> Result<String, String> {
        let path = me.with_file_name(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        if !path.is_file() {
            return Err(format!("{} is missing; run `{COMMAND}`", path.display()));
        }
        Ok(path.display().to_string())
    };
    let memory = vec!["--memory".to_owned()];
    Ok(vec![
        Program {
            label: "Tokio tasks",
            command: vec![sibling("many-tasks")?],
            flags: memory.clone(),
        },
        Program {
            label: "OS threads",
            command: vec![sibling("many-threads")?],
            flags: memory,
        },
        Program {
            label: "Python asyncio",
            command: vec![
                "python3".to_owned(),
                dir.join("many_tasks.py").display().to_string(),
            ],
            flags: Vec::new(),
        },
    ])
}

/// Runs a program once and reads its report: `Spawned K …` (if it prints one),
/// `Elapsed: 1.23s` and `Peak memory: 4.46 MiB`. Exit code 1 with `error: …` on stderr means
/// it stopped early; anything else that is not success is a failure of the whole table.
fn measure(program: &Program, n: usize) -> Result<Run, String> {
    let (exe, args) = program
        .command
        .split_first()
        .expect("a program has a command");
    let output = Command::new(exe)
        .args(args)
        .arg(n.to_string())
        .args(&program.flags)
        .output()
        .map_err(|e| format!("cannot start {exe}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stopped = match output.status.code() {
        Some(0) => None,
        Some(1) => stderr
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .map(str::to_owned),
        _ => None,
    };
    if !output.status.success() && stopped.is_none() {
        return Err(format!(
            "{} with N = {n} failed ({}):\n{stderr}",
            program.label, output.status
        ));
    }
    let field = |prefix: &str, suffix: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(prefix)?.strip_suffix(suffix))
            .map(str::to_owned)
            .ok_or_else(|| {
                format!(
                    "{} printed no `{prefix}…{suffix}` line:\n{stdout}",
                    program.label
                )
            })
    };
    let ran = match field("Spawned ", "") {
        Ok(rest) => rest
            .split_whitespace()
            .next()
            .and_then(|k| k.parse().ok())
            .ok_or_else(|| format!("{}: unreadable `Spawned {rest}`", program.label))?,
        Err(_) => n,
    };
    let elapsed = field("Elapsed: ", "s")?;
    let peak = field("Peak memory: ", " MiB")?;
    Ok(Run {
        ran,
        elapsed: elapsed
            .parse()
            .map_err(|_| format!("{}: unreadable elapsed time `{elapsed}`", program.label))?,
        peak_kib: peak
            .parse::<f64>()
            .map(|mib| (mib * 1024.0).round() as u64)
            .map_err(|_| format!("{}: unreadable peak memory `{peak}`", program.label))?,
        stopped,
    })
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

/// The first value of a `key: value` line in a /proc file.
fn proc_field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .find(|l| l.split(':').next().is_some_and(|k| k.trim() == key))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
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

/// The kernel settings that cap how many threads a process can have.
fn limits() -> String {
    let setting = |name: &str, path: &str| format!("{name} = {}", read(path).trim());
    [
        setting("vm.max_map_count", "/proc/sys/vm/max_map_count"),
        setting("kernel.pid_max", "/proc/sys/kernel/pid_max"),
        setting("kernel.threads-max", "/proc/sys/kernel/threads-max"),
    ]
    .join(", ")
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
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(mib(1_488_156.0), "1,453.3");
        assert_eq!(mib(3_436.0), "3.4");
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), 2.0);
        assert_eq!(median([4.0, 1.0, 2.0, 3.0].into_iter()), 2.5);
    }
}
