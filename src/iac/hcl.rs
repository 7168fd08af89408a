//! Terraform sources (`.tf`), read with hcl-edit, which keeps every
//! expression's byte span so that findings point at the element inside a
//! list literal.
//!
//! A module's resources become the same attribute values a plan holds
//! (blocks as lists of objects), handed to the shared mapping in
//! `terraform.rs`. Expressions are evaluated only as far as the sources
//! decide them: literals, templates over known values, `var.x` from
//! `--var` or the variable's default, `local.x`, and the ARN of a resource
//! whose ARN shape is known. Anything else is unknown until plan or apply,
//! reported once, and not checked.

use super::intrinsic::{bucket_name, resource_arn, UNKNOWN};
use super::terraform::{self, target_of};
use super::{file_note, SelectorFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::json::{Member, Node, Value};
use crate::parse::ParseOptions;
use crate::source::{Pointer, SourceText, Span};
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::Element;
use hcl_edit::Span as _;
use std::collections::HashMap;
use std::path::Path;

/// Deepest chain of child modules followed.
const MAX_MODULE_DEPTH: usize = 8;

/// One `.tf` file, parsed.
pub(super) struct TfFile {
    source: SourceText,
    body: Body,
}

/// Parses one `.tf` file.
///
/// # Errors
/// The parser's message and the byte offset it names.
pub(super) fn parse(name: &str, text: &str) -> Result<TfFile, (usize, String)> {
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(TfFile {
            source: SourceText::new(name, text),
            body,
        }),
        Err(e) => {
            let loc = e.location();
            let offset = text
                .lines()
                .take(loc.line().saturating_sub(1))
                .map(|l| l.len() + 1)
                .sum::<usize>()
                + loc.column().saturating_sub(1);
            Err((offset, e.message().to_string()))
        }
    }
}

/// What expressions are evaluated in: one module's variables, locals and
/// resources.
struct Scope<'a> {
    vars: HashMap<String, Node>,
    /// Variables whose value is their default (a note says so on use).
    defaults: Vec<String>,
    locals: HashMap<String, Node>,
    resources: HashMap<(String, String), &'a Body>,
    partition: String,
}

/// What one file's conversion collects.
struct Cx<'s> {
    source: &'s SourceText,
    unknown: Vec<Span>,
    notes: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn note(&mut self, rule: &'static str, message: String, span: Span) {
        if !self.notes.iter().any(|n| n.message == message) {
            self.notes
                .push(Diagnostic::warning(rule, message, Pointer::root(), span));
        }
    }

    fn unknown(&mut self, why: String, span: Span) -> Node {
        let what = shorten(&self.source.text()[span.start as usize..span.end as usize]);
        self.note(
            "unresolved",
            format!("`{what}` is known only at plan or apply ({why}); the rules that need it are not checked"),
            span,
        );
        self.unknown.push(span);
        Node {
            span,
            value: Value::String(UNKNOWN.into()),
        }
    }
}

fn shorten(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::validate::shorten(&one_line)
}

fn span_of(r: Option<std::ops::Range<usize>>) -> Span {
    r.map_or(Span::default(), |r| Span::new(r.start, r.end))
}

/// The same value at another place: a variable's default is reported
/// where the variable is used.
fn respan(n: &Node, span: Span) -> Node {
    let value = match &n.value {
        Value::Array(items) => Value::Array(items.iter().map(|i| respan(i, span)).collect()),
        Value::Object(ms) => Value::Object(
            ms.iter()
                .map(|m| Member {
                    key: m.key.clone(),
                    key_span: span,
                    value: respan(&m.value, span),
                })
                .collect(),
        ),
        v => v.clone(),
    };
    Node { span, value }
}

fn expr(e: &Expression, scope: &Scope<'_>, cx: &mut Cx<'_>) -> Node {
    let span = span_of(e.span());
    let value = match e {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => Value::Number(n.value().to_string()),
        Expression::String(s) => Value::String(s.value().clone()),
        Expression::Array(a) => Value::Array(a.iter().map(|i| expr(i, scope, cx)).collect()),
        Expression::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                        ObjectKey::Expression(other) => {
                            cx.source.text()[span_of(other.span()).range()].to_string()
                        }
                    };
                    Member {
                        key,
                        key_span: span_of(k.span()),
                        value: expr(v.expr(), scope, cx),
                    }
                })
                .collect(),
        ),
        Expression::Parenthesis(p) => return expr(p.inner(), scope, cx),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                match el {
                    Element::Literal(l) => out.push_str(l.value()),
                    Element::Interpolation(i) => match expr(&i.expr, scope, cx).value {
                        Value::String(s) if s != UNKNOWN => out.push_str(&s),
                        Value::Number(n) => out.push_str(&n),
                        Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                        _ => {
                            // The piece's own note says why; the whole
                            // string is unknown with it.
                            cx.unknown.push(span);
                            return Node {
                                span,
                                value: Value::String(UNKNOWN.into()),
                            };
                        }
                    },
                    Element::Directive(_) => {
                        return cx.unknown("a template directive".into(), span);
                    }
                }
            }
            Value::String(out)
        }
        Expression::Traversal(t) => return traversal(t, span, scope, cx),
        Expression::Variable(v) => {
            return cx.unknown(format!("`{}` is not a value ctsel knows", v.as_str()), span)
        }
        Expression::FuncCall(f) => {
            return cx.unknown(
                format!("function `{}` is not evaluated", f.name.name.as_str()),
                span,
            )
        }
        Expression::Conditional(_) => {
            return cx.unknown("conditions are not evaluated".into(), span)
        }
        Expression::ForExpr(_) => return cx.unknown("a for expression".into(), span),
        _ => return cx.unknown("an expression ctsel does not evaluate".into(), span),
    };
    Node { span, value }
}

fn traversal(
    t: &hcl_edit::expr::Traversal,
    span: Span,
    scope: &Scope<'_>,
    cx: &mut Cx<'_>,
) -> Node {
    let Expression::Variable(root) = &t.expr else {
        return cx.unknown("an expression ctsel does not evaluate".into(), span);
    };
    let attrs: Vec<&str> = t
        .operators
        .iter()
        .map_while(|op| match op.value() {
            TraversalOperator::GetAttr(a) => Some(a.as_str()),
            _ => None,
        })
        .collect();
    let exact = attrs.len() == t.operators.len();
    match (root.as_str(), attrs.as_slice()) {
        ("var", [name]) if exact => match scope.vars.get(*name) {
            Some(v) => {
                if scope.defaults.iter().any(|d| d == name) {
                    cx.note(
                        "assumed",
                        format!("variable `{name}` is checked with its default; give another value with --var {name}=VALUE"),
                        span,
                    );
                }
                respan(v, span)
            }
            None => cx.unknown(
                format!("variable `{name}` has no default; give one with --var {name}=VALUE"),
                span,
            ),
        },
        ("local", [name]) if exact => match scope.locals.get(*name) {
            Some(v) => respan(v, span),
            None => cx.unknown(format!("local `{name}` is not known"), span),
        },
        (ty, [name, "arn"]) if exact => {
            let cfn = match ty {
                "aws_s3_bucket" => "AWS::S3::Bucket",
                "aws_lambda_function" => "AWS::Lambda::Function",
                "aws_dynamodb_table" => "AWS::DynamoDB::Table",
                _ => return cx.unknown(format!("the {ty} resource's ARN"), span),
            };
            let Some(body) = scope.resources.get(&(ty.to_string(), name.to_string())) else {
                return cx.unknown(format!("no resource {ty}.{name} in this module"), span);
            };
            let literal = |k: &str| match body.get_attribute(k).map(|a| &a.value) {
                Some(Expression::String(s)) => Some(s.value().clone()),
                _ => None,
            };
            let resource_name = match ty {
                "aws_s3_bucket" => literal("bucket").unwrap_or_else(|| bucket_name(name)),
                "aws_lambda_function" => {
                    literal("function_name").unwrap_or_else(|| name.to_string())
                }
                _ => literal("name").unwrap_or_else(|| name.to_string()),
            };
            match resource_arn(cfn, &resource_name, &scope.partition) {
                Some(arn) => {
                    cx.note(
                        "assumed",
                        format!("{ty}.{name}.arn is checked as {arn:?} (the resource's ARN shape; its name, Region and account are known after apply)"),
                        span,
                    );
                    Node {
                        span,
                        value: Value::String(arn),
                    }
                }
                None => cx.unknown(format!("the {ty} resource's ARN"), span),
            }
        }
        _ => cx.unknown("a reference known only at plan or apply".into(), span),
    }
}

/// A block's body as Terraform's values: attributes by name, nested blocks
/// as lists of objects by type.
fn body(b: &Body, span: Span, scope: &Scope<'_>, cx: &mut Cx<'_>) -> Node {
    let mut members: Vec<Member> = Vec::new();
    for s in b.iter() {
        match s {
            Structure::Attribute(a) => members.push(Member {
                key: a.key.as_str().to_string(),
                key_span: span_of(a.key.span()),
                value: expr(&a.value, scope, cx),
            }),
            Structure::Block(blk) if blk.ident.as_str() == "dynamic" => {
                let what = blk.labels.first().map_or("", |l| l.as_str());
                cx.note(
                    "unresolved",
                    format!("dynamic \"{what}\" blocks are expanded at plan; their selectors are not checked and counts are lower bounds"),
                    span_of(blk.span()),
                );
            }
            Structure::Block(blk) => {
                let key = blk.ident.as_str();
                let bspan = span_of(blk.span());
                let value = body(&blk.body, bspan, scope, cx);
                match members.iter_mut().find(|m| m.key == key) {
                    Some(Member {
                        value:
                            Node {
                                span: list_span,
                                value: Value::Array(items),
                            },
                        ..
                    }) => {
                        list_span.end = bspan.end;
                        items.push(value);
                    }
                    _ => members.push(Member {
                        key: key.to_string(),
                        key_span: span_of(blk.ident.span()),
                        value: Node {
                            span: bspan,
                            value: Value::Array(vec![value]),
                        },
                    }),
                }
            }
        }
    }
    Node {
        span,
        value: Value::Object(members),
    }
}

fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(|l| l.as_str())
}

/// A module read from its files: its resources with selectors become
/// resources of `file`, named by address (`module.audit.aws_cloudtrail.this`);
/// child modules with a local `source` are followed.
pub(super) fn module(
    file: &mut SelectorFile,
    files: &[TfFile],
    dir: Option<&Path>,
    prefix: &str,
    inputs: HashMap<String, Node>,
    options: &ParseOptions,
    depth: usize,
) {
    let cli_vars: HashMap<&str, &str> = options
        .vars
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut scope = Scope {
        vars: HashMap::new(),
        defaults: Vec::new(),
        locals: HashMap::new(),
        resources: HashMap::new(),
        partition: options.partition.clone().unwrap_or_else(|| "aws".into()),
    };
    let empty = Scope {
        vars: HashMap::new(),
        defaults: Vec::new(),
        locals: HashMap::new(),
        resources: HashMap::new(),
        partition: scope.partition.clone(),
    };
    // Variables first: inputs from the parent, then --var (root module
    // only), then defaults.
    for f in files {
        let mut cx = Cx {
            source: &f.source,
            unknown: Vec::new(),
            notes: Vec::new(),
        };
        for blk in f.body.get_blocks("variable") {
            let Some(name) = label(blk, 0) else { continue };
            let span = span_of(blk.span());
            if let Some(v) = inputs.get(name) {
                scope.vars.insert(name.into(), v.clone());
            } else if let Some(v) = cli_vars.get(name).filter(|_| prefix.is_empty()) {
                scope.vars.insert(
                    name.into(),
                    Node {
                        span,
                        value: Value::String(v.to_string()),
                    },
                );
            } else if let Some(d) = blk.body.get_attribute("default") {
                let v = expr(&d.value, &empty, &mut cx);
                if !cx.unknown.is_empty() {
                    cx.unknown.clear();
                    continue;
                }
                scope.vars.insert(name.into(), v);
                scope.defaults.push(name.into());
            }
        }
        for blk in f.body.get_blocks("resource") {
            if let (Some(ty), Some(name)) = (label(blk, 0), label(blk, 1)) {
                scope.resources.insert((ty.into(), name.into()), &blk.body);
            }
        }
    }
    // Locals in file order; a local may use those before it.
    for f in files {
        for blk in f.body.get_blocks("locals") {
            for s in blk.body.iter() {
                if let Structure::Attribute(a) = s {
                    let mut cx = Cx {
                        source: &f.source,
                        unknown: Vec::new(),
                        notes: Vec::new(),
                    };
                    let v = expr(&a.value, &scope, &mut cx);
                    if cx.unknown.is_empty() {
                        scope.locals.insert(a.key.as_str().into(), v);
                    }
                }
            }
        }
    }
    for f in files {
        for blk in f.body.get_blocks("resource") {
            let (Some(ty), Some(name)) = (label(blk, 0), label(blk, 1)) else {
                continue;
            };
            if target_of(ty).is_none() {
                continue;
            }
            let mut cx = Cx {
                source: &f.source,
                unknown: Vec::new(),
                notes: Vec::new(),
            };
            let span = span_of(blk.span());
            for meta in ["count", "for_each"] {
                if blk.body.get_attribute(meta).is_some() {
                    cx.note(
                        "unresolved",
                        format!("{prefix}{ty}.{name} has `{meta}`: each instance gets the selectors checked here"),
                        span,
                    );
                }
            }
            let values = body(&blk.body, span, &scope, &mut cx);
            let Cx { unknown, notes, .. } = cx;
            if let Some(r) = terraform::resource(
                format!("{prefix}{ty}.{name}"),
                ty,
                values,
                f.source.clone(),
                None,
                unknown,
                notes,
                options,
            ) {
                file.resources.push(r);
            }
        }
        for blk in f.body.get_blocks("module") {
            let Some(name) = label(blk, 0) else { continue };
            let span = span_of(blk.span());
            let source = match blk.body.get_attribute("source").map(|a| &a.value) {
                Some(Expression::String(s)) => s.value().clone(),
                _ => String::new(),
            };
            let local = source.starts_with("./") || source.starts_with("../");
            let child_dir = dir
                .filter(|_| local)
                .map(|d| d.join(source.strip_prefix("./").unwrap_or(&source)));
            let Some(child_dir) = child_dir.filter(|_| depth < MAX_MODULE_DEPTH) else {
                file.notes.push(file_note(
                    Severity::Warning,
                    format!("module `{name}` (source {source:?}) is not read: ctsel follows local module directories only{}", if dir.is_none() { ", when given the directory" } else { "" }),
                    span,
                ));
                continue;
            };
            let mut cx = Cx {
                source: &f.source,
                unknown: Vec::new(),
                notes: Vec::new(),
            };
            let mut inputs = HashMap::new();
            for s in blk.body.iter() {
                if let Structure::Attribute(a) = s {
                    let key = a.key.as_str();
                    if matches!(
                        key,
                        "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                    ) {
                        continue;
                    }
                    let v = expr(&a.value, &scope, &mut cx);
                    if cx.unknown.is_empty() {
                        inputs.insert(key.to_string(), v);
                    }
                    cx.unknown.clear();
                }
            }
            match read_dir(&child_dir, options.max_bytes) {
                Ok(child) => module(
                    file,
                    &child,
                    Some(&child_dir),
                    &format!("{prefix}module.{name}."),
                    inputs,
                    options,
                    depth + 1,
                ),
                Err(e) => file.notes.push(file_note(Severity::Error, e, span)),
            }
        }
    }
}

/// The `.tf` files of a directory, parsed, in name order.
///
/// # Errors
/// A file that cannot be read or parsed, named with its line and column.
pub(super) fn read_dir(dir: &Path, max_bytes: usize) -> Result<Vec<TfFile>, String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
        .collect();
    names.sort();
    let mut out = Vec::new();
    for p in names {
        let name = p.display().to_string();
        let meta = std::fs::metadata(&p).map_err(|e| format!("{name}: {e}"))?;
        if meta.len() > max_bytes as u64 {
            return Err(format!("{name}: larger than {max_bytes} bytes"));
        }
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{name}: {e}"))?;
        let f = parse(&name, &text).map_err(|(offset, m)| {
            let lc = SourceText::new(&name, text.as_str()).line_col(offset);
            format!("{name}:{}:{}: not valid HCL: {m}", lc.line, lc.column)
        })?;
        out.push(f);
    }
    if out.is_empty() {
        return Err(format!("{}: no .tf files", dir.display()));
    }
    Ok(out)
}
