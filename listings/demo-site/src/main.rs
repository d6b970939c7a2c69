//! The demo site for the HTTP listings: pages on 127.0.0.1 that answer after 500 ms.
//! Run it with `cargo run -p demo-site -- 8000` and leave it running in its own terminal.

use std::net::Ipv4Addr;
use std::process::ExitCode;

use tokio::net::TcpListener;

/// The port from the only argument; 0, or no argument, lets the system pick a free one.
fn port_from_args() -> Result<u16, String> {
    let mut args = std::env::args().skip(1);
    let port = match (args.next(), args.next()) {
        (None, _) => return Ok(0),
        (Some(port), None) => port,
        (Some(_), Some(extra)) => return Err(format!("unexpected argument `{extra}`")),
    };
    port.parse()
        .map_err(|_| format!("PORT must be a number from 0 to 65535, not `{port}`"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let port = match port_from_args() {
        Ok(port) => port,
        Err(problem) => {
            eprintln!("usage: demo-site [PORT]");
            eprintln!("error: {problem}");
            return ExitCode::from(2);
        }
    };
    // Loopback only: the site is for the machine it runs on.
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
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
