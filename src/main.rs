//! The `ctsel` binary: a thin layer over the `ctsel` library.
#![deny(clippy::unwrap_used, clippy::expect_used)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
