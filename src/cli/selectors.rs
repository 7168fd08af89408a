//! The selector side of every command: the selector file (`-s/--selectors
//! FILE`, or positional where the file is the command's subject), the
//! catalogue and target options of validation, and `--allow-invalid`.

use super::input::{read_entries, Input};
use super::render;
use super::{ClientArg, InputFormat, KindArg};
use ctsel::{
    read_selector_file, Catalog, Choice, ParseOptions, Program, Refusal, Resource, SelectorFile,
    SelectorSet, ValidateOptions,
};

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
    /// A CloudFormation parameter's value, used before its Default
    /// (repeatable); also AWS::Partition, AWS::Region, AWS::AccountId.
    #[arg(long, value_name = "NAME=VALUE", value_parser = name_value)]
    pub param: Vec<(String, String)>,
    /// A Terraform root-module variable's value, used before its default
    /// (repeatable).
    #[arg(long, value_name = "NAME=VALUE", value_parser = name_value)]
    pub var: Vec<(String, String)>,
    /// The resource whose selectors to use, by logical id, when a template
    /// holds several trails (commands that decide records need one).
    #[arg(long, value_name = "ID")]
    pub resource: Option<String>,
    /// Where the selectors go: a trail, a CloudTrail Lake event data store,
    /// or a CloudWatch telemetry rule. Default: what the document says (a
    /// request body's members, a template's resource type), else trail.
    #[arg(long, value_enum)]
    pub target: Option<TargetArg>,
    /// More than five advanced selectors on an event data store is an
    /// error, not a warning.
    #[arg(long)]
    pub strict_eds_selector_count: bool,
    /// No note that CloudTrail Lake is closed to new customers when an
    /// event data store is created.
    #[arg(long)]
    pub no_lake_notice: bool,
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
            format: self.input_format.format(),
            params: self.param.clone(),
            partition: self.partition.clone(),
            target: self.target.map(Into::into),
            vars: self.var.clone(),
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
            strict_store_selector_count: self.strict_eds_selector_count,
            lake_notice: !self.no_lake_notice,
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

/// `--target`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum TargetArg {
    /// A trail (put-event-selectors).
    Trail,
    /// A CloudTrail Lake event data store (create/update-event-data-store).
    #[value(alias = "eds")]
    EventDataStore,
    /// A CloudWatch telemetry rule for CloudTrail (observabilityadmin).
    TelemetryRule,
}

impl From<TargetArg> for ctsel::Target {
    fn from(t: TargetArg) -> ctsel::Target {
        match t {
            TargetArg::Trail => ctsel::Target::Trail,
            TargetArg::EventDataStore => ctsel::Target::EventDataStore,
            TargetArg::TelemetryRule => ctsel::Target::TelemetryRule,
        }
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

/// Reads a selector file, or a directory of Terraform sources. The outer
/// error is the input's (unreadable, too large); the inner one says the
/// text is not in any format ctsel reads.
pub fn read_selectors(
    input: &Input,
    options: &ParseOptions,
) -> Result<Result<SelectorFile, ctsel::ParseError>, String> {
    if let Input::Path(p) = input {
        if p.is_dir() {
            // A directory is Terraform sources, or a mistake of the
            // command line (exit 2), not a document with errors.
            let has_tf = std::fs::read_dir(p)
                .map_err(|e| format!("{}: {e}", input.display()))?
                .filter_map(|e| e.ok())
                .any(|e| {
                    let p = e.path();
                    p.extension().is_some_and(|x| x == "tf")
                        || p.to_string_lossy().ends_with(".template.json")
                });
            if !has_tf {
                return Err(format!(
                    "{}: a directory without .tf files or CDK templates; give a selector file",
                    input.display()
                ));
            }
            return Ok(ctsel::read_selector_path(p, options));
        }
    }
    // One byte past the limit is read, so that the reader reports the
    // limit in its own words.
    let bytes = input.read_limited(options.max_bytes)?;
    Ok(read_selector_file(&input.display(), &bytes, options))
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
    let file = match read_selectors(&input, &parse_options) {
        Err(e) => {
            eprintln!("ctsel: {flag} {e}");
            return Err(2);
        }
        Ok(Err(e)) => {
            render::human_to_stderr(std::slice::from_ref(e.diagnostic()), e.source_text());
            eprintln!("ctsel: {flag} {}: not a selector document", input.display());
            return Err(2);
        }
        Ok(Ok(file)) => file,
    };
    let target = choose(flag, &input.display(), file, catalog.resource.as_deref())?;
    let doc = &target.document;
    let report = match target.decidable(&options, allow_invalid) {
        Ok((set, _)) => {
            let program = Program::new(&set);
            return Ok((set, program));
        }
        Err(Refusal::Unknown(report)) => {
            render::human_to_stderr(&report.warnings, &doc.source);
            eprintln!(
                "ctsel: {flag} {}: these selectors hold values known only at deploy time; give them with --param NAME=VALUE to decide records",
                input.display()
            );
            return Err(2);
        }
        Err(Refusal::Structural(report) | Refusal::Rejected(report)) => report,
        Err(_) => return Err(2),
    };
    let structural = report
        .errors
        .iter()
        .any(|d| d.exception == ctsel::PARAM_VALIDATION_ERROR);
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

/// `NAME=VALUE`.
fn name_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("{s:?} is not NAME=VALUE")),
    }
}

/// The one target of a selector file that a record-side command decides
/// with: the API document, the template's only trail, or `--resource`.
fn choose(
    flag: &str,
    name: &str,
    file: SelectorFile,
    resource: Option<&str>,
) -> Result<Resource, u8> {
    let fail = |m: String| {
        eprintln!("ctsel: {flag} {name}: {m}");
        2u8
    };
    let source = file.source.clone();
    file.choose(resource).map_err(|why| match why {
        Choice::Unreadable(errors) => {
            render::human_to_stderr(&errors, &source);
            fail("no selectors read from this file".into())
        }
        Choice::NoSuch(all) => fail(format!(
            "--resource {}: no such resource with selectors (there are: {})",
            resource.unwrap_or_default(),
            all.join(", ")
        )),
        Choice::None => fail("no resource with selectors in this file".into()),
        Choice::Several(all) => fail(format!(
            "{} resources with selectors ({}); choose one with --resource ID",
            all.len(),
            all.join(", ")
        )),
        _ => 2,
    })
}
