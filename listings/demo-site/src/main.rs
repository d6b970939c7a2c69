//! The demo site for the HTTP listings: pages on 127.0.0.1 that answer after 500 ms.
//! Run it with `cargo run -p demo-site -- 8000` and leave it running in its own terminal.

use std::net::Ipv4Addr;
use std::process::ExitCode;

use clap::Parser;
use tokio::net::TcpListener;

/// The demo site for the HTTP listings: pages on 127.0.0.1 that answer after 500 ms.
#[derive(Parser)]
struct Args {
    /// The port to listen on; 0 lets the system pick a free one.
    #[arg(default_value_t = 0)]
    port: u16,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    // Loopback only: the site is for the machine it runs on.
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, args.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    // The first line tells whoever started the site where to find it.
    println!("Listening on http://{addr}");
    if let Err(e) = demo_site::serve(listener).await {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
