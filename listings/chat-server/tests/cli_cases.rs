//! The command-line cases in `tests/cmd/`, one file a case: the arguments, the exit code
//! and the exact output of the server or, where the case says `bin.name`, the client.
//! To add a case, add a file.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .default_bin_path(trycmd::cargo::cargo_bin!("chat-server"))
        .register_bin("chat-client", trycmd::cargo::cargo_bin!("chat-client"))
        .case("tests/cmd/*.toml");
}
