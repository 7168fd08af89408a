//! The `ctsel` binary: a thin layer over the `ctsel` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
