//! The `ctsel` command line: one file per subcommand, over the library.
//!
//! Exit codes are a contract (see README): 0 success, 1 a finding (invalid
//! selectors), 2 usage or I/O errors.

mod convert;
mod diff;
mod explain;
mod filter;
mod input;
mod lint;
mod match_cmd;
mod render;
mod selectors;
mod stats;
mod validate;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

/// Understands AWS CloudTrail event selectors: validates them as AWS does
/// and decides which records a trail logs.
#[derive(Parser)]
#[command(name = "ctsel", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check selector files as put-event-selectors would, with AWS's messages.
    Validate(validate::Args),
    /// Decide every NDJSON record: one verdict line per record.
    Match(match_cmd::Args),
    /// Print the records the trail would log (NDJSON, log files, gzip, directories).
    Filter(filter::Args),
    /// Turn basic selectors into advanced ones that decide every record the same way.
    Convert(convert::Args),
    /// What a configuration would log, and cost, over real logs (what-if).
    Stats(stats::Args),
    /// Why each record is (not) logged: every selector, every condition.
    Explain(explain::Args),
    /// Records one configuration logs and the other does not.
    Diff(diff::Args),
    /// Mistakes AWS accepts silently but users regret.
    Lint(lint::Args),
}

/// `--kind`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    Basic,
    Advanced,
}

impl From<KindArg> for ctsel::SelectorKind {
    fn from(k: KindArg) -> ctsel::SelectorKind {
        match k {
            KindArg::Basic => ctsel::SelectorKind::Basic,
            KindArg::Advanced => ctsel::SelectorKind::Advanced,
        }
    }
}

/// `--format` for commands that report findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
}

/// Exit status when standard output cannot be written (a full disk).
pub const EXIT_OUTPUT: u8 = 3;
/// Exit status after SIGINT (128 + 2, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

static STOP: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
    std::sync::OnceLock::new();
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A stop flag that SIGINT sets (installing the handler on first use); the
/// program may set it too (`--strict`). A second SIGINT ends the program at
/// once.
pub fn interrupt_flag() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    let mut fresh = false;
    let flag = STOP
        .get_or_init(|| {
            fresh = true;
            Arc::new(AtomicBool::new(false))
        })
        .clone();
    if fresh {
        install_sigint_handler();
    }
    flag
}

/// What SIGINT does: the first sets the stop flag, the second exits.
fn on_sigint() {
    use std::sync::atomic::Ordering;
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        #[cfg(unix)]
        // SAFETY: `_exit` is async-signal-safe and takes any status.
        unsafe {
            libc::_exit(EXIT_INTERRUPTED.into())
        };
        #[cfg(not(unix))]
        std::process::exit(EXIT_INTERRUPTED.into());
    }
    if let Some(flag) = STOP.get() {
        flag.store(true, Ordering::SeqCst);
    }
}

/// A plain `sigaction` handler: only atomics, which are async-signal-safe.
/// (The `ctrlc` crate's handler thread costs a third of a millisecond at
/// every start, a few percent of a 100 MB filter run.)
#[cfg(unix)]
fn install_sigint_handler() {
    extern "C" fn handler(_: libc::c_int) {
        on_sigint();
    }
    // SAFETY: a zeroed `sigaction` is a valid value to fill in; the handler
    // only touches atomics (and `_exit`), and stays valid for the life of
    // the process.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = handler as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

#[cfg(not(unix))]
fn install_sigint_handler() {
    let _ = ctrlc::set_handler(on_sigint);
}

/// True when SIGINT was received.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Match(args) => match_cmd::run(args),
        Command::Filter(args) => filter::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Lint(args) => lint::run(args),
    };
    ExitCode::from(code)
}

/// Writes to stdout; a closed pipe (`| head`) ends the program quietly.
pub fn out(text: &str) {
    let mut o = Output::stdout();
    o.write(text.as_bytes());
    o.flush();
}

/// Buffered standard output. A closed pipe (`| head`) ends the program
/// quietly with status 0; any other write error (a full disk) ends it with
/// a message and status 3.
pub struct Output {
    w: std::io::BufWriter<std::io::Stdout>,
}

impl Output {
    pub fn stdout() -> Output {
        Output {
            w: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        use std::io::Write;
        if let Err(e) = self.w.write_all(bytes) {
            fail(&e);
        }
    }

    pub fn flush(&mut self) {
        use std::io::Write;
        if let Err(e) = self.w.flush() {
            fail(&e);
        }
    }
}

fn fail(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("ctsel: cannot write output: {}", input::describe(e));
    std::process::exit(EXIT_OUTPUT.into());
}
