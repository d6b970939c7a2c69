//! The starter hands out the very chores the solution uses, word for word.

/// The lines between `// ANCHOR: chores` and `// ANCHOR_END: chores`.
fn chores(source: &str) -> &str {
    let (_, rest) = source
        .split_once("// ANCHOR: chores\n")
        .expect("a chores anchor");
    let (chores, _) = rest
        .split_once("// ANCHOR_END: chores\n")
        .expect("the end of the chores anchor");
    chores
}

#[test]
fn the_starter_and_the_solution_share_their_chores() {
    assert_eq!(
        chores(include_str!("../src/bin/starter.rs")),
        chores(include_str!("../src/main.rs")),
    );
}
