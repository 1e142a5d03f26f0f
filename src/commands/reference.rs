//! What kubeplan says of itself: `kubeplan schema` (the JSON Schemas of
//! the files it reads and of its JSON output) and `kubeplan completions`.

use clap::CommandFactory;

use super::{emit, exit};
use crate::cli::{Cli, CompletionsArgs};

pub fn schema(args: &crate::cli::SchemaArgs) -> anyhow::Result<u8> {
    if let Some(o) = args.output {
        emit(&crate::report::schemas::schema(o))?;
        return Ok(exit::OK);
    }
    emit(match args.file {
        crate::cli::SchemaKind::Plan => crate::plan::schema::JSON_SCHEMA,
        crate::cli::SchemaKind::Addresses => crate::export::addresses::JSON_SCHEMA,
    })?;
    Ok(exit::OK)
}

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "kubeplan", &mut buf);
    emit(&String::from_utf8_lossy(&buf))?;
    Ok(exit::OK)
}
