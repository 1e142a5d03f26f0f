//! The kubeplan binary: parse, run, exit status. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use kubeplan::cli::Cli;
use kubeplan::commands::{exit, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("kubeplan: error: {e:#}");
            ExitCode::from(exit::USAGE)
        }
    }
}
