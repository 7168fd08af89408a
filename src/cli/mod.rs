//! The `ctsel` command line: one file per subcommand, over the library.
//!
//! Exit codes are a contract (see README and [`EXIT_CODES`]): 0 success,
//! 1 a finding, 2 usage or input errors, 3 output errors, 130 and 143 a
//! signal.

mod convert;
mod covers;
mod diff;
mod explain;
mod filter;
mod input;
mod lint;
mod match_cmd;
mod records;
mod render;
mod route;
mod selectors;
mod stats;
mod validate;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

/// The exit codes of every command, as `--help` lists them.
pub const EXIT_CODES: &str = "Exit codes:
  0    success (valid, equivalent, covered, no finding at --deny)
  1    a finding: invalid selectors, a lint finding, a difference, a
       requirement not covered, an unparseable record under --strict
  2    usage or input error (bad flag, unreadable or damaged input, selectors
       AWS would reject)
  3    the output cannot be written (a full disk)
  130  interrupted by SIGINT (the summary so far is printed)
  143  terminated by SIGTERM (the summary so far is printed)";

/// Understands AWS CloudTrail event selectors: validates them as AWS does
/// and decides which records a trail logs.
#[derive(Parser)]
#[command(name = "ctsel", version, about, long_about = None, after_help = EXIT_CODES, subcommand_help_heading = "Commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check selector files as put-event-selectors would, with AWS's messages.
    #[command(after_help = EXIT_CODES)]
    Validate(validate::Args),
    /// Decide every record: one verdict line per record.
    #[command(after_help = EXIT_CODES)]
    Match(match_cmd::Args),
    /// Print the records the trail would log (NDJSON, log files, gzip, directories).
    #[command(after_help = EXIT_CODES)]
    Filter(filter::Args),
    /// Turn basic selectors into advanced ones that decide every record the same way.
    #[command(after_help = EXIT_CODES)]
    Convert(convert::Args),
    /// What a configuration would log, and cost, over real logs (what-if).
    #[command(after_help = EXIT_CODES)]
    Stats(stats::Args),
    /// Why each record is (not) logged: every selector, every condition.
    #[command(after_help = EXIT_CODES)]
    Explain(explain::Args),
    /// Several selector sets, each to its own output, decided in one pass.
    #[command(after_help = EXIT_CODES)]
    Route(route::Args),
    /// Whether two configurations log the same records, proved; witnesses both ways.
    #[command(after_help = EXIT_CODES)]
    Diff(diff::Args),
    /// Whether trails together log what a requirement asks (Security Hub, CIS, …), proved.
    #[command(after_help = EXIT_CODES)]
    Covers(covers::Args),
    /// Mistakes AWS accepts silently but users regret.
    #[command(after_help = EXIT_CODES)]
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

/// `--input-format`: the selector document's shape, instead of detecting it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Detect it from the content.
    #[default]
    Auto,
    /// The value of `--event-selectors` / `--advanced-event-selectors`: a
    /// list, or (CLI) a lone selector object.
    Cli,
    /// A PutEventSelectors request body (`--cli-input-json`, boto3 kwargs).
    Request,
    /// A GetEventSelectors response.
    Response,
    /// A CloudFormation template (JSON or YAML), or CDK's synthesized one:
    /// every resource with selectors is checked as its own target, named by
    /// logical id.
    Cloudformation,
    /// A Terraform plan or state (`terraform show -json`): every
    /// resource created or updated, named by address.
    TerraformPlan,
    /// Terraform sources: a `.tf` file or a directory of them.
    Terraform,
}

impl InputFormat {
    pub fn shape(self) -> Option<ctsel::DocumentShape> {
        match self {
            InputFormat::Auto
            | InputFormat::Cloudformation
            | InputFormat::TerraformPlan
            | InputFormat::Terraform => None,
            InputFormat::Cli => Some(ctsel::DocumentShape::CliList),
            InputFormat::Request => Some(ctsel::DocumentShape::Request),
            InputFormat::Response => Some(ctsel::DocumentShape::GetResponse),
        }
    }

    pub fn format(self) -> Option<ctsel::FileFormat> {
        match self {
            InputFormat::Auto => None,
            InputFormat::Cloudformation => Some(ctsel::FileFormat::CloudFormation),
            InputFormat::TerraformPlan => Some(ctsel::FileFormat::TerraformPlan),
            InputFormat::Terraform => Some(ctsel::FileFormat::Terraform),
            _ => Some(ctsel::FileFormat::Api),
        }
    }
}

/// `--client`: whose structural checks a bare selector list gets.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum ClientArg {
    /// The AWS CLI's `--event-selectors` flag (a lone object is a
    /// one-element list).
    #[default]
    Cli,
    /// boto3 and `--cli-input-json` (a lone object is the wrong type).
    Sdk,
}

impl From<ClientArg> for ctsel::Client {
    fn from(c: ClientArg) -> ctsel::Client {
        match c {
            ClientArg::Cli => ctsel::Client::Cli,
            ClientArg::Sdk => ctsel::Client::Sdk,
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

/// `--format` for commands whose findings code scanning shows too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    #[default]
    Human,
    Json,
    Sarif,
}

/// Exit status when standard output cannot be written (a full disk).
pub const EXIT_OUTPUT: u8 = 3;
/// Exit status after SIGINT (128 + 2, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;
/// Exit status after SIGTERM (128 + 15).
pub const EXIT_TERMINATED: u8 = 143;

static STOP: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
    std::sync::OnceLock::new();
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// The first signal received (SIGINT or SIGTERM), 0 for none.
static SIGNAL: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// A stop flag that SIGINT and SIGTERM set (installing the handlers on
/// first use); the program may set it too (`--strict`). A second signal
/// ends the program at once.
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

/// What SIGINT and SIGTERM do: the first sets the stop flag, the second
/// exits.
fn on_signal(signal: i32) {
    use std::sync::atomic::Ordering;
    let _ = SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        #[cfg(unix)]
        // SAFETY: `_exit` is async-signal-safe and takes any status.
        unsafe {
            libc::_exit(exit_code_for(signal).into())
        };
        #[cfg(not(unix))]
        std::process::exit(exit_code_for(signal).into());
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
    extern "C" fn handler(signal: libc::c_int) {
        on_signal(signal);
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
        libc::sigaction(libc::SIGTERM, &action, std::ptr::null_mut());
    }
}

#[cfg(not(unix))]
fn install_sigint_handler() {
    let _ = ctrlc::set_handler(|| on_signal(2));
}

const SIGTERM: i32 = 15;

fn exit_code_for(signal: i32) -> u8 {
    if signal == SIGTERM {
        EXIT_TERMINATED
    } else {
        EXIT_INTERRUPTED
    }
}

/// True when SIGINT or SIGTERM was received.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// The exit code for the signal received, if one was: 130 or 143.
pub fn signal_exit() -> Option<u8> {
    interrupted().then(|| exit_code_for(SIGNAL.load(std::sync::atomic::Ordering::SeqCst)))
}

/// After a signal: says so on stderr and gives the exit code.
pub fn ended_by_signal() -> Option<u8> {
    let code = signal_exit()?;
    let what = if code == EXIT_TERMINATED {
        "terminated"
    } else {
        "interrupted"
    };
    eprintln!("ctsel: {what}; the counts cover the records read so far");
    Some(code)
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
        Command::Covers(args) => covers::run(args),
        Command::Route(args) => route::run(args),
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
/// quietly with status 0. Any other write error (a full disk) is kept:
/// later writes are dropped, the run is asked to stop, and
/// [`Output::try_flush`] returns it, so that a summary can still be printed
/// before the program exits with status 3; [`Output::flush`] exits at once.
pub struct Output {
    w: std::io::BufWriter<std::io::Stdout>,
    error: Option<std::io::Error>,
}

impl Output {
    pub fn stdout() -> Output {
        Output {
            w: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
            error: None,
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        use std::io::Write;
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.w.write_all(bytes) {
            self.failed(e);
        }
    }

    fn failed(&mut self, e: std::io::Error) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        interrupt_flag().store(true, std::sync::atomic::Ordering::SeqCst);
        self.error = Some(e);
    }

    /// True once a write failed (the run should stop).
    pub fn has_failed(&self) -> bool {
        self.error.is_some()
    }

    /// Flushes; the first write error, if any.
    pub fn try_flush(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        if self.error.is_none() {
            if let Err(e) = self.w.flush() {
                self.failed(e);
            }
        }
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Flushes, or ends the program (status 3) on a write error.
    pub fn flush(&mut self) {
        if let Err(e) = self.try_flush() {
            std::process::exit(output_failed(&e).into());
        }
    }
}

/// Reports an output error; the exit code for it.
pub fn output_failed(e: &std::io::Error) -> u8 {
    eprintln!("ctsel: cannot write output: {}", input::describe(e));
    EXIT_OUTPUT
}
