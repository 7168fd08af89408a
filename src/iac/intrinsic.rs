//! CloudFormation intrinsic functions in selector values, resolved as far
//! as the template itself decides them.
//!
//! A value is known (a literal, a parameter's default, a `Fn::Join` or
//! `Fn::Sub` of known parts), assumed (a pseudo parameter or a resource's
//! ARN, built from placeholders that satisfy AWS's checks, so the known
//! parts are still checked: `Fn::Join ["", [Bucket.Arn, "/"]]` keeps its
//! slash), or unknown until deploy (another resource's physical id, an
//! import, a condition). Unknown values are kept as placeholders whose
//! spans the caller knows, so that no rule reports on them.

use crate::diagnostic::Diagnostic;
use crate::parse::json::{Member, Node, Value};
use crate::source::{Pointer, Span};

/// The members whose values are lists of selectors' parts: an intrinsic in
/// their place stands for a whole list, and a scalar there is read as a
/// one-element list (CloudFormation's own examples write scalars there).
const LIST_MEMBERS: [&str; 12] = [
    "EventSelectors",
    "AdvancedEventSelectors",
    "DataResources",
    "Values",
    "ExcludeManagementEventSources",
    "FieldSelectors",
    "Equals",
    "StartsWith",
    "EndsWith",
    "NotEquals",
    "NotStartsWith",
    "NotEndsWith",
];
/// Lists of strings, where a scalar string may stand for one.
const STRING_LISTS: [&str; 8] = [
    "Values",
    "ExcludeManagementEventSources",
    "Equals",
    "StartsWith",
    "EndsWith",
    "NotEquals",
    "NotStartsWith",
    "NotEndsWith",
];

/// The ARN a resource of type `ty` named `name` gets, for the types whose
/// ARN shape is known; the Region and account are placeholders that pass
/// AWS's checks, since they are known only after deploy.
pub(crate) fn resource_arn(ty: &str, name: &str, partition: &str) -> Option<String> {
    let p = partition;
    Some(match ty {
        "AWS::S3::Bucket" => format!("arn:{p}:s3:::{name}"),
        "AWS::Lambda::Function" => format!("arn:{p}:lambda:us-east-1:123456789012:function:{name}"),
        "AWS::DynamoDB::Table" => format!("arn:{p}:dynamodb:us-east-1:123456789012:table/{name}"),
        _ => return None,
    })
}

/// The text that stands for a value unknown until deploy.
pub(crate) const UNKNOWN: &str = "<unknown until deploy>";

/// What the resolver needs from the template and the command line.
pub(crate) struct Context<'t> {
    pub(crate) root: &'t Node,
    /// `--param NAME=VALUE`.
    pub(crate) params: &'t [(String, String)],
    pub(crate) partition: &'t str,
}

enum Res {
    Known(String),
    List(Vec<String>),
    Unknown(String),
}

pub(crate) struct Resolver<'t> {
    cx: Context<'t>,
    /// Spans of the placeholders of unknown values.
    pub(crate) unknown: Vec<Span>,
    pub(crate) notes: Vec<Diagnostic>,
    /// The value being resolved: notes about its parts point at it when a
    /// part has no place of its own (YAML readers leave some nested
    /// tagged scalars without one).
    current: Span,
}

fn member<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.value {
        // The last of repeated keys, as CloudFormation's parser keeps.
        Value::Object(ms) => ms.iter().rev().find(|m| m.key == key).map(|m| &m.value),
        _ => None,
    }
}

fn string(node: &Node) -> Option<&str> {
    match &node.value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The one member of an intrinsic function object, `{"Fn::X": args}`.
pub(crate) fn intrinsic(node: &Node) -> Option<&Member> {
    match &node.value {
        Value::Object(ms)
            if ms.len() == 1 && (ms[0].key == "Ref" || ms[0].key.starts_with("Fn::")) =>
        {
            Some(&ms[0])
        }
        _ => None,
    }
}

fn text(s: String, span: Span) -> Node {
    Node {
        span,
        value: Value::String(s),
    }
}

/// A bucket name AWS accepts, made from a logical id.
pub(crate) fn bucket_name(id: &str) -> String {
    let mut s: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .take(63)
        .collect();
    while s.len() < 3 {
        s.push('0');
    }
    s
}

impl<'t> Resolver<'t> {
    pub(crate) fn new(cx: Context<'t>) -> Resolver<'t> {
        Resolver {
            cx,
            unknown: Vec::new(),
            notes: Vec::new(),
            current: Span::default(),
        }
    }

    fn note(&mut self, rule: &'static str, message: String, at: &Pointer, span: Span) {
        let inside = self.current.start <= span.start && span.end <= self.current.end;
        let span = if inside && span.end > span.start {
            span
        } else {
            self.current
        };
        if !self.notes.iter().any(|n| n.message == message) {
            self.notes
                .push(Diagnostic::warning(rule, message, at.clone(), span));
        }
    }

    /// `node` with its intrinsic functions resolved; `key` is the member
    /// it is the value of.
    pub(crate) fn value(&mut self, node: &Node, key: &str, at: &Pointer) -> Node {
        let list = LIST_MEMBERS.contains(&key);
        if let Some(f) = intrinsic(node) {
            self.current = node.span;
            let res = self.call(f, at);
            return match (res, list) {
                (Res::Known(s), false) => text(s, node.span),
                (Res::List(v), true) => Node {
                    span: node.span,
                    value: Value::Array(v.into_iter().map(|s| text(s, node.span)).collect()),
                },
                (Res::Known(s), true) => Node {
                    span: node.span,
                    value: Value::Array(vec![text(s, node.span)]),
                },
                (Res::List(v), false) => text(v.join(","), node.span),
                (Res::Unknown(why), list) => {
                    self.note(
                        "unresolved",
                        format!("`{}` at {at} is unknown until deploy ({why}); the rules that need it are not checked", f.key),
                        at,
                        node.span,
                    );
                    self.unknown.push(node.span);
                    let placeholder = text(UNKNOWN.to_string(), node.span);
                    if list {
                        Node {
                            span: node.span,
                            value: Value::Array(vec![placeholder]),
                        }
                    } else {
                        placeholder
                    }
                }
            };
        }
        match &node.value {
            Value::Object(ms) => Node {
                span: node.span,
                value: Value::Object(
                    ms.iter()
                        .map(|m| Member {
                            key: m.key.clone(),
                            key_span: m.key_span,
                            value: self.value(&m.value, &m.key, &at.key(&m.key)),
                        })
                        .collect(),
                ),
            },
            Value::Array(items) => Node {
                span: node.span,
                value: Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, n)| self.value(n, "", &at.index(i)))
                        .collect(),
                ),
            },
            Value::String(_) if STRING_LISTS.contains(&key) => {
                // The note is on the scalar itself, not on an intrinsic
                // met before it.
                self.current = node.span;
                self.note(
                    "scalar-list",
                    format!("{at}: Scalar where a list is expected; CloudFormation schema requires an array."),
                    at,
                    node.span,
                );
                Node {
                    span: node.span,
                    value: Value::Array(vec![node.clone()]),
                }
            }
            _ => node.clone(),
        }
    }

    fn call(&mut self, f: &Member, at: &Pointer) -> Res {
        let args = &f.value;
        match f.key.as_str() {
            "Ref" => match string(args) {
                Some(name) => self.reference(name, at, args.span),
                None => Res::Unknown("Ref takes a name".into()),
            },
            "Fn::Sub" => self.sub(args, at),
            "Fn::Join" => self.join(args, at),
            "Fn::GetAtt" => {
                let (id, attr) = match &args.value {
                    Value::String(s) => match s.split_once('.') {
                        Some((a, b)) => (a.to_string(), b.to_string()),
                        None => return Res::Unknown("Fn::GetAtt takes LogicalId.Attribute".into()),
                    },
                    Value::Array(v) if v.len() == 2 => match (string(&v[0]), string(&v[1])) {
                        (Some(a), Some(b)) => (a.to_string(), b.to_string()),
                        _ => return Res::Unknown("Fn::GetAtt takes two names".into()),
                    },
                    _ => return Res::Unknown("Fn::GetAtt takes [LogicalId, Attribute]".into()),
                };
                self.get_att(&id, &attr, at, args.span)
            }
            "Fn::Select" => match &args.value {
                Value::Array(v) if v.len() == 2 => {
                    let index = match self.scalar(&v[0], at) {
                        Res::Known(s) => s.parse::<usize>().ok(),
                        _ => None,
                    };
                    let list = match intrinsic(&v[1]) {
                        Some(g) => self.call(g, at),
                        None => self.list(&v[1], at),
                    };
                    match (index, list) {
                        (Some(i), Res::List(l)) => match l.get(i) {
                            Some(s) => Res::Known(s.clone()),
                            None => Res::Unknown(format!("Fn::Select index {i} is out of range")),
                        },
                        (_, Res::Unknown(why)) => Res::Unknown(why),
                        _ => Res::Unknown("Fn::Select of values not known here".into()),
                    }
                }
                _ => Res::Unknown("Fn::Select takes [index, list]".into()),
            },
            "Fn::Split" => match &args.value {
                Value::Array(v) if v.len() == 2 => match (string(&v[0]), self.scalar(&v[1], at)) {
                    (Some(d), Res::Known(s)) if !d.is_empty() => {
                        Res::List(s.split(d).map(str::to_string).collect())
                    }
                    (_, Res::Unknown(why)) => Res::Unknown(why),
                    _ => Res::Unknown("Fn::Split of a value not known here".into()),
                },
                _ => Res::Unknown("Fn::Split takes [delimiter, string]".into()),
            },
            "Fn::FindInMap" => match &args.value {
                Value::Array(v) if v.len() == 3 => {
                    let keys: Vec<Res> = v.iter().map(|n| self.scalar(n, at)).collect();
                    let [Res::Known(m), Res::Known(a), Res::Known(b)] = &keys[..] else {
                        return Res::Unknown("Fn::FindInMap with keys not known here".into());
                    };
                    let found = member(self.cx.root, "Mappings")
                        .and_then(|x| member(x, m))
                        .and_then(|x| member(x, a))
                        .and_then(|x| member(x, b));
                    match found.map(|n| &n.value) {
                        Some(Value::String(s)) => Res::Known(s.clone()),
                        Some(Value::Array(items)) => {
                            match items
                                .iter()
                                .map(|n| string(n).map(str::to_string))
                                .collect()
                            {
                                Some(v) => Res::List(v),
                                None => Res::Unknown("a mapping value that is not strings".into()),
                            }
                        }
                        _ => Res::Unknown(format!("no Mappings entry {m}/{a}/{b}")),
                    }
                }
                _ => Res::Unknown("Fn::FindInMap takes three keys".into()),
            },
            "Fn::If" => Res::Unknown("conditions are not evaluated".into()),
            "Fn::ImportValue" => Res::Unknown("another stack's export".into()),
            other => Res::Unknown(format!("{other} is not evaluated")),
        }
    }

    /// A scalar argument: a literal, or an intrinsic that gives one.
    fn scalar(&mut self, node: &Node, at: &Pointer) -> Res {
        match (&node.value, intrinsic(node)) {
            (_, Some(f)) => match self.call(f, at) {
                Res::List(_) => Res::Unknown("a list where a string is expected".into()),
                r => r,
            },
            (Value::String(s), _) => Res::Known(s.clone()),
            (Value::Number(n), _) => Res::Known(n.clone()),
            (Value::Bool(b), _) => Res::Known(b.to_string()),
            _ => Res::Unknown("not a string".into()),
        }
    }

    fn list(&mut self, node: &Node, at: &Pointer) -> Res {
        let Value::Array(items) = &node.value else {
            return Res::Unknown("not a list".into());
        };
        let mut out = Vec::with_capacity(items.len());
        for n in items {
            match self.scalar(n, at) {
                Res::Known(s) => out.push(s),
                Res::Unknown(why) => return Res::Unknown(why),
                Res::List(_) => return Res::Unknown("a list inside a list".into()),
            }
        }
        Res::List(out)
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.cx
            .params
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn reference(&mut self, name: &str, at: &Pointer, span: Span) -> Res {
        let parameter = member(self.cx.root, "Parameters").and_then(|p| member(p, name));
        let is_list = parameter
            .and_then(|p| member(p, "Type"))
            .and_then(string)
            .is_some_and(|t| t == "CommaDelimitedList" || t.starts_with("List<"));
        let given = self.param(name).map(str::to_string);
        let value = match given {
            Some(v) => Some(v),
            None => {
                let default =
                    parameter
                        .and_then(|p| member(p, "Default"))
                        .and_then(|d| match &d.value {
                            Value::String(s) => Some(s.clone()),
                            Value::Number(n) => Some(n.clone()),
                            Value::Bool(b) => Some(b.to_string()),
                            _ => None,
                        });
                if let Some(d) = &default {
                    self.note(
                        "assumed",
                        format!("parameter `{name}` is checked with its Default, {d:?}; give another value with --param {name}=VALUE"),
                        at,
                        span,
                    );
                }
                default
            }
        };
        if let Some(v) = value {
            return if is_list {
                Res::List(v.split(',').map(|s| s.trim().to_string()).collect())
            } else {
                Res::Known(v)
            };
        }
        if parameter.is_some() {
            return Res::Unknown(format!(
                "parameter `{name}` has no Default; give one with --param {name}=VALUE"
            ));
        }
        let assumed = match name {
            "AWS::Partition" => Some(self.cx.partition.to_string()),
            "AWS::Region" => Some("us-east-1".to_string()),
            "AWS::AccountId" => Some("123456789012".to_string()),
            "AWS::URLSuffix" => Some("amazonaws.com".to_string()),
            _ => None,
        };
        if let Some(v) = assumed {
            self.note(
                "assumed",
                format!(
                    "`{name}` is checked as {v:?}; give another value with --param {name}=VALUE"
                ),
                at,
                span,
            );
            return Res::Known(v);
        }
        if member(self.cx.root, "Resources")
            .and_then(|r| member(r, name))
            .is_some()
        {
            return Res::Unknown(format!("the physical id of resource `{name}`"));
        }
        Res::Unknown(format!(
            "`{name}` is neither a parameter nor a resource of this template"
        ))
    }

    /// `Fn::GetAtt` of an ARN whose shape is known: the name part is the
    /// resource's literal name, or one made from its logical id.
    fn get_att(&mut self, id: &str, attr: &str, at: &Pointer, span: Span) -> Res {
        let Some(resource) = member(self.cx.root, "Resources").and_then(|r| member(r, id)) else {
            return Res::Unknown(format!("no resource `{id}` in this template"));
        };
        let ty = member(resource, "Type").and_then(string).unwrap_or("");
        let prop = |k: &str| {
            member(resource, "Properties")
                .and_then(|p| member(p, k))
                .and_then(string)
                .map(str::to_string)
        };
        let name = match ty {
            "AWS::S3::Bucket" => prop("BucketName").unwrap_or_else(|| bucket_name(id)),
            "AWS::Lambda::Function" => prop("FunctionName").unwrap_or_else(|| id.to_string()),
            "AWS::DynamoDB::Table" => prop("TableName").unwrap_or_else(|| id.to_string()),
            _ => id.to_string(),
        };
        let arn = match (attr, resource_arn(ty, &name, self.cx.partition)) {
            ("Arn", Some(arn)) => arn,
            _ => return Res::Unknown(format!("{id}.{attr} of a {ty} resource")),
        };
        self.note(
            "assumed",
            format!("{id}.{attr} is checked as {arn:?} (the resource's ARN shape; its name, Region and account are known after deploy)"),
            at,
            span,
        );
        Res::Known(arn)
    }

    fn join(&mut self, args: &Node, at: &Pointer) -> Res {
        let Value::Array(v) = &args.value else {
            return Res::Unknown("Fn::Join takes [delimiter, list]".into());
        };
        let (Some(delim), Some(parts)) = (v.first().and_then(string), v.get(1)) else {
            return Res::Unknown("Fn::Join takes [delimiter, list]".into());
        };
        let parts = match intrinsic(parts) {
            Some(f) => self.call(f, at),
            None => self.list(parts, at),
        };
        match parts {
            Res::List(l) => Res::Known(l.join(delim)),
            Res::Known(s) => Res::Known(s),
            Res::Unknown(why) => Res::Unknown(why),
        }
    }

    fn sub(&mut self, args: &Node, at: &Pointer) -> Res {
        let (template, vars) = match &args.value {
            Value::String(s) => (s.as_str(), None),
            Value::Array(v) if v.len() == 2 => match string(&v[0]) {
                Some(s) => (s, Some(&v[1])),
                None => return Res::Unknown("Fn::Sub takes a string".into()),
            },
            _ => return Res::Unknown("Fn::Sub takes a string".into()),
        };
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            if let Some(lit) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(lit);
                out.push('}');
            } else {
                let var = vars.and_then(|m| member(m, name));
                let r = match var {
                    Some(n) => self.scalar(n, at),
                    None => match name.split_once('.') {
                        Some((id, attr)) => self.get_att(id, attr, at, args.span),
                        None => self.reference(name, at, args.span),
                    },
                };
                match r {
                    Res::Known(s) => out.push_str(&s),
                    Res::List(_) => return Res::Unknown(format!("${{{name}}} is a list")),
                    Res::Unknown(why) => return Res::Unknown(why),
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Res::Known(out)
    }
}
