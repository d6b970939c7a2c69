//! Every compile-error listing, built alone outside the workspace as a reader would build
//! it: it must still fail to compile, and rustc must still say what `diagnostic.txt` holds,
//! compared by the parts that stay put across toolchains (`book_checks::diagnostic`).

use book_checks::{diagnostic, listing};
use libtest_mimic::{Arguments, Trial};

fn main() {
    let args = Arguments::from_args();
    let trials = listing::compile_errors()
        .expect("cannot list the compile-error listings")
        .into_iter()
        .map(|l| {
            Trial::test(
                format!("diagnostic_matches_fresh_build::{}", l.name),
                move || {
                    let recorded = std::fs::read_to_string(l.diagnostic_path()).map_err(|e| {
                        format!(
                            "cannot read listings/{0}/diagnostic.txt ({e}): run `cargo bless {0}`",
                            l.name
                        )
                    })?;
                    let (compiled, fresh) = diagnostic::fresh(&l)?;
                    diagnostic::compare(&l.name, &recorded, compiled, &fresh)?;
                    Ok(())
                },
            )
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
