//! The command-line cases in `tests/cmd/`, one file a case: the arguments, the exit code
//! and the exact output of this listing's program. To add a case, add a file.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .default_bin_path(trycmd::cargo::cargo_bin!("span-filter"))
        .case("tests/cmd/*.toml");
}
