//! A real SIGINT stops the pool cleanly: every job that started finished and is reported,
//! the summary adds up, and the exit code is 130. (Bad arguments, a usage error, are case
//! files in `tests/cmd/`.)

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_graceful-shutdown");
const JOBS: usize = 20;

/// The job numbers of the lines starting with `prefix`, such as `worker 1 finished job 4`.
fn jobs_in_lines(lines: &[String], what: &str) -> BTreeSet<usize> {
    lines
        .iter()
        .filter_map(|l| l.split_once(&format!(" {what} job ")))
        .filter(|(worker, _)| worker.starts_with("worker "))
        .map(|(_, rest)| rest.split(' ').next().unwrap().parse().unwrap())
        .collect()
}

/// The jobs a summary line lists: `Finished: 3 jobs (6, 7, 8)` gives 6, 7 and 8, after
/// checking that the count agrees with the list.
fn jobs_in_summary(lines: &[String], label: &str) -> BTreeSet<usize> {
    let line = lines
        .iter()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no `{label}` line in {lines:#?}"));
    let (count, list) = line.split_once(' ').unwrap();
    let count: usize = count.parse().unwrap();
    let jobs: BTreeSet<usize> = list
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(jobs.len(), count, "{line}");
    jobs
}

#[cfg(unix)]
#[test]
fn sigint_lets_the_jobs_under_way_finish_and_reports_every_job() {
    // A deadline far away, so only the signal can stop it.
    let mut child = Command::new(EXE)
        .arg("60")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the listing starts");
    let mut reader = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut lines = Vec::new();
    // Wait until some jobs are done, then press Ctrl-C, as far as the program can tell.
    while !lines.iter().any(|l: &String| l.contains(" finished job ")) {
        lines.push(
            reader
                .next()
                .expect("a line before the first job ends")
                .unwrap(),
        );
    }
    let signalled = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    lines.extend(reader.map(Result::unwrap));
    let status = child.wait().unwrap();
    // The jobs under way need at most one job's time, 600 ms, to finish.
    assert!(signalled.elapsed() < Duration::from_secs(5), "{lines:#?}");

    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "stderr: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");

    let stop = lines
        .iter()
        .position(|l| l.starts_with("Ctrl-C at "))
        .unwrap_or_else(|| panic!("no Ctrl-C line in {lines:#?}"));
    let started = jobs_in_lines(&lines, "started");
    let finished = jobs_in_lines(&lines, "finished");
    // No job is started after the stop, and every job that was started finished.
    assert_eq!(jobs_in_lines(&lines[stop..], "started"), BTreeSet::new());
    assert_eq!(finished, started, "{lines:#?}");
    assert!(!finished.is_empty() && finished.len() < JOBS, "{lines:#?}");
    // The summary names exactly the jobs reported as finished, and the rest as never started.
    assert_eq!(jobs_in_summary(&lines, "Finished: "), finished);
    let under_way: BTreeSet<usize> = jobs_in_lines(&lines[..stop], "started")
        .difference(&jobs_in_lines(&lines[..stop], "finished"))
        .copied()
        .collect();
    assert!(!under_way.is_empty(), "{lines:#?}");
    assert_eq!(
        jobs_in_summary(&lines, "  of them in progress at the stop: "),
        under_way
    );
    let never_started = jobs_in_summary(&lines, "Never started: ");
    let all: BTreeSet<usize> = (0..JOBS).collect();
    assert_eq!(&all - &finished, never_started);
    assert_eq!(
        lines.last().map(String::as_str),
        Some(format!("Accounted for: {JOBS} of {JOBS} jobs").as_str())
    );
}

#[test]
fn a_deadline_after_the_last_job_lets_the_work_run_out() {
    let output = Command::new(EXE).arg("30").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<String> = stdout.lines().map(str::to_owned).collect();
    assert!(!stdout.contains("Deadline at "), "{stdout}");
    assert!(stdout.contains("\nAll jobs done at "), "{stdout}");
    assert_eq!(jobs_in_lines(&lines, "finished").len(), JOBS);
    assert!(stdout.contains("\n  of them in progress at the stop: 0 jobs\n"));
    assert!(stdout.contains("\nNever started: 0 jobs\n"));
}
