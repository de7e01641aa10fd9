//! The `delivery-guard` command line: see `delivery_guard::cli`.

use clap::Parser;
use delivery_guard::cli::{Cli, run};
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    run(Cli::parse()).await
}
