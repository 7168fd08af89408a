//! The selector side of every command: the selector file (`-s/--selectors
//! FILE`, or positional where the file is the command's subject), the
//! catalogue and target options of validation, and `--allow-invalid`.

use super::input::{read_entries, Input};
use super::render;
use super::{ClientArg, InputFormat, KindArg};
use ctsel::{check, parse_bytes, Catalog, ParseOptions, Program, SelectorSet, ValidateOptions};

/// What every command that validates takes.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct CatalogArgs {
    /// Read a bare selector list as this kind instead of detecting it from its keys.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Check a bare selector list as this client does: `cli` as the value
    /// of `aws cloudtrail put-event-selectors --event-selectors` (a lone
    /// selector object is taken as a one-element list), `sdk` as a boto3
    /// parameter or in `--cli-input-json` (it is not).
    #[arg(long, value_enum, default_value_t = ClientArg::Cli)]
    pub client: ClientArg,
    /// The document's shape, instead of detecting it from its content.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// The trail's partition (aws, aws-cn, aws-us-gov, ...): data resource ARNs must use it.
    #[arg(long, value_name = "PARTITION")]
    pub partition: Option<String>,
    /// Accept the resources.type values listed in FILE (one per line) as well.
    #[arg(long, value_name = "FILE")]
    pub extra_resource_types: Vec<String>,
    /// Accept the NetworkActivity event sources listed in FILE (one per line) as well.
    #[arg(long, value_name = "FILE")]
    pub extra_network_sources: Vec<String>,
}

impl CatalogArgs {
    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            kind: self.kind.map(Into::into),
            client: self.client.into(),
            shape: self.input_format.shape(),
            ..ParseOptions::default()
        }
    }

    /// Validation options; a bad catalogue file or partition is a usage
    /// error, reported here (exit 2).
    pub fn validate_options(&self, report_all: bool) -> Result<ValidateOptions, u8> {
        let usage = |m: String| {
            eprintln!("ctsel: {m}");
            2u8
        };
        let mut options = ValidateOptions {
            catalog: Catalog::builtin(),
            partition: self.partition.clone(),
            report_all,
            ..ValidateOptions::default()
        };
        for f in &self.extra_resource_types {
            let v = read_entries(f).map_err(|e| usage(format!("--extra-resource-types {e}")))?;
            options
                .catalog
                .add_resource_types(v.iter().map(String::as_str));
        }
        for f in &self.extra_network_sources {
            let v = read_entries(f).map_err(|e| usage(format!("--extra-network-sources {e}")))?;
            options
                .catalog
                .add_network_sources(v.iter().map(String::as_str));
        }
        if let Some(p) = &self.partition {
            if !ctsel::is_partition(p) {
                return Err(usage(format!(
                    "--partition {p}: not an AWS partition (aws, aws-cn, aws-us-gov, ...)"
                )));
            }
        }
        Ok(options)
    }
}

/// The selector file of a command whose subject it is (`lint`, `convert`):
/// positional, or `-s/--selectors` as every command names it.
#[derive(clap::Args, Clone, Debug)]
pub struct Subject {
    /// The selector file: a path, file://path, or -.
    #[arg(
        value_name = "FILE",
        required_unless_present = "selectors",
        conflicts_with = "selectors"
    )]
    pub file: Option<String>,
    /// The selector file, as every command names it (same as FILE).
    #[arg(long, short = 's', value_name = "FILE")]
    pub selectors: Option<String>,
}

impl Subject {
    /// The file, and how it was named.
    pub fn named(&self) -> Named<'_> {
        match (&self.file, &self.selectors) {
            (Some(f), _) => Named {
                flag: "FILE",
                file: f,
            },
            (None, Some(f)) => Named {
                flag: "--selectors",
                file: f,
            },
            (None, None) => Named {
                flag: "FILE",
                file: "-",
            },
        }
    }
}

/// What every command that decides records takes.
#[derive(clap::Args, Clone, Debug)]
pub struct SelectorArgs {
    /// The trail's selectors: a path, file://path, or - (any input shape).
    #[arg(long, short = 's', value_name = "FILE")]
    pub selectors: String,
    #[command(flatten)]
    pub catalog: CatalogArgs,
    /// Decide with selectors AWS would reject (e.g. event data store
    /// selectors); structural errors still stop.
    #[arg(long)]
    pub allow_invalid: bool,
}

/// A selector file named one of several ways (`-s FILE`, `A`, `B`):
/// messages say which.
pub struct Named<'a> {
    /// How the user named it: `--selectors`, `A`, `B`.
    pub flag: &'a str,
    pub file: &'a str,
}

impl SelectorArgs {
    pub fn named(&self) -> Named<'_> {
        Named {
            flag: "--selectors",
            file: &self.selectors,
        }
    }

    /// The selectors and their program, or the exit code after the
    /// problem was reported on stderr.
    pub fn load(&self) -> Result<(SelectorSet, Program), u8> {
        load(&self.named(), &self.catalog, self.allow_invalid)
    }
}

/// Reads, validates and compiles a selector file.
pub fn load(
    named: &Named<'_>,
    catalog: &CatalogArgs,
    allow_invalid: bool,
) -> Result<(SelectorSet, Program), u8> {
    let flag = named.flag;
    let input = Input::parse(named.file);
    let parse_options = catalog.parse_options();
    let options = catalog.validate_options(true)?;
    let bytes = input.read_limited(parse_options.max_bytes).map_err(|e| {
        eprintln!("ctsel: {flag} {e}");
        2u8
    })?;
    if bytes.len() > parse_options.max_bytes {
        eprintln!(
            "ctsel: {flag} {}: larger than the {}-byte limit for a selector document",
            input.display(),
            parse_options.max_bytes
        );
        return Err(2);
    }
    let doc = parse_bytes(&input.display(), &bytes, &parse_options).map_err(|e| {
        render::human_to_stderr(std::slice::from_ref(e.diagnostic()), e.source_text());
        eprintln!("ctsel: {flag} {}: not a JSON document", input.display());
        2u8
    })?;
    let (report, set) = check(&doc, &options);
    if let Some(set) = set {
        let program = Program::new(&set);
        return Ok((set, program));
    }
    let structural = report
        .errors
        .iter()
        .any(|d| d.exception == ctsel::PARAM_VALIDATION_ERROR);
    if allow_invalid && !structural {
        if let Some(set) = ctsel::lenient(&doc) {
            let program = Program::new(&set);
            return Ok((set, program));
        }
    }
    render::human_to_stderr(&report.errors, &doc.source);
    let n = report.errors.len();
    let plural = if n == 1 { "" } else { "s" };
    if structural {
        eprintln!(
            "ctsel: {flag} {}: the AWS CLI would refuse these selectors before sending them ({n} error{plural}); fix them",
            input.display()
        );
    } else {
        eprintln!(
            "ctsel: {flag} {}: AWS would reject these selectors ({n} error{plural}); fix them, or pass --allow-invalid to decide with them anyway",
            input.display()
        );
    }
    Err(2)
}
