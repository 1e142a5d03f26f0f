//! The kubeplan binary: parse, run, exit status. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use kubeplan::cli::Cli;
use kubeplan::commands::{exit, run};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and --version print as clap prints them (exit 0).
        Err(e) if !e.use_stderr() => e.exit(),
        // A usage error starts as every kubeplan error does: `kubeplan: error:`.
        Err(e) => {
            let text = e.render().to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            eprint!("kubeplan: error: {text}");
            return ExitCode::from(exit::USAGE);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("kubeplan: error: {e:#}");
            ExitCode::from(exit::USAGE)
        }
    }
}
