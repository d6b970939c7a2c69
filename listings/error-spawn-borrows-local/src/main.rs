//! A spawned task that borrows a local variable: `spawn` needs `'static`, so this does not compile.
//! See the error with `cargo build --manifest-path listings/error-spawn-borrows-local/Cargo.toml`.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let file = String::from("report.txt");
    let handle = tokio::spawn(async {
        println!("writing {file}");
    });
    handle.await.unwrap();
}
