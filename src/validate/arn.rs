//! ARN format rules (spec §2.6): which basic `DataResources.Values` AWS
//! accepts, which of them are the whole-type "all" forms, and whether an
//! advanced `resources.ARN` value looks like an ARN of its resource type.

/// What a valid basic data-resource value selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BasicValue {
    /// Every resource of the type (`arn:aws:s3`, `arn:aws:s3:::`,
    /// `arn:aws:lambda`, `arn:aws:dynamodb`). Not counted towards the 250
    /// limit (spec U5).
    All,
    /// S3: objects whose ARN starts with the value.
    Prefix,
    /// Lambda and DynamoDB: exactly that resource.
    Exact,
}

/// True for a partition token such as `aws`, `aws-cn`, `aws-us-gov`
/// (spec §2.6: `aws(-[a-z]+)*`).
pub fn is_partition(p: &str) -> bool {
    let Some(rest) = p.strip_prefix("aws") else {
        return false;
    };
    rest.is_empty()
        || rest
            .split('-')
            .skip(1)
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase()))
            && rest.starts_with('-')
}

/// `(partition, rest)` of `arn:<partition>:<service>` followed by `rest`.
fn split_service<'a>(value: &'a str, service: &str) -> Option<(&'a str, &'a str)> {
    let rest = value.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix(service)?;
    if rest.is_empty() || rest.starts_with(':') {
        Some((partition, rest))
    } else {
        None
    }
}

fn is_region(s: &str) -> bool {
    // e.g. us-east-1, us-gov-west-1, cn-north-1, ap-southeast-3
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Why a basic value is invalid, as a hint for the user.
pub type Reason = String;

/// Checks a basic `DataResources.Values` entry of `type_` (spec §2.6).
/// `partition`, when known (from `--partition` or a trail ARN), must match.
///
/// # Errors
/// Returns a hint explaining the rejection.
pub fn basic_value(
    type_: &str,
    value: &str,
    partition: Option<&str>,
) -> Result<BasicValue, Reason> {
    let service = match type_ {
        "AWS::S3::Object" => "s3",
        "AWS::Lambda::Function" => "lambda",
        "AWS::DynamoDB::Table" => "dynamodb",
        _ => return Err(format!("`{type_}` is not a basic data resource type")),
    };
    let example = match service {
        "s3" => "arn:aws:s3:::bucket-name/ (one bucket), arn:aws:s3:::bucket-name/prefix, or arn:aws:s3 (all buckets)",
        "lambda" => "arn:aws:lambda:us-east-1:111122223333:function:name, or arn:aws:lambda (all functions)",
        _ => "arn:aws:dynamodb:us-east-1:111122223333:table/name, or arn:aws:dynamodb (all tables)",
    };
    let Some((p, rest)) = split_service(value, service) else {
        if !value.starts_with("arn:") {
            return Err(format!("values are ARNs, e.g. {example}"));
        }
        return Err(format!("not an ARN of {type_}; expected {example}"));
    };
    if !is_partition(p) {
        return Err(format!(
            "`{p}` is not an AWS partition (aws, aws-cn, aws-us-gov, …)"
        ));
    }
    if let Some(expected) = partition {
        if p != expected {
            return Err(format!(
                "the trail is in partition {expected}: write arn:{expected}:{service}…"
            ));
        }
    }
    if rest.is_empty() {
        return Ok(BasicValue::All);
    }
    match service {
        "s3" => s3_value(p, rest),
        "lambda" => lambda_value(p, rest),
        _ => dynamodb_value(p, rest),
    }
}

fn s3_value(p: &str, rest: &str) -> Result<BasicValue, Reason> {
    let Some(path) = rest.strip_prefix(":::") else {
        return Err(format!(
            "S3 object ARNs have no region or account: arn:{p}:s3:::bucket-name/"
        ));
    };
    if path.is_empty() {
        return Ok(BasicValue::All);
    }
    let Some((bucket, _prefix)) = path.split_once('/') else {
        if path.contains('*') {
            return Err(format!(
                "wildcards are not supported; use arn:{p}:s3 for all buckets"
            ));
        }
        return Err(format!(
            "bucket ARNs need a trailing slash: arn:{p}:s3:::{path}/"
        ));
    };
    if bucket.contains('*') {
        return Err(format!(
            "wildcards are not supported; use arn:{p}:s3 for all buckets, or list each bucket as arn:{p}:s3:::bucket-name/"
        ));
    }
    if bucket.is_empty() {
        return Err(format!(
            "the bucket name is missing: arn:{p}:s3:::bucket-name/"
        ));
    }
    Ok(BasicValue::Prefix)
}

fn lambda_value(p: &str, rest: &str) -> Result<BasicValue, Reason> {
    let parts: Vec<&str> = rest.trim_start_matches(':').split(':').collect();
    if rest.contains('*') {
        return Err(format!(
            "wildcards are not supported; use arn:{p}:lambda for all functions"
        ));
    }
    match parts.as_slice() {
        [region, account, "function", name]
            if is_region(region)
                && is_account(account)
                && !name.is_empty()
                && name.len() <= 64
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Ok(BasicValue::Exact)
        }
        [_, _, "function", _, _] => Err(
            "qualified function ARNs (:alias, :version) are not accepted; use the unqualified ARN".into(),
        ),
        _ => Err(format!(
            "expected arn:{p}:lambda:<region>:<account>:function:<name>, or arn:{p}:lambda for all functions"
        )),
    }
}

fn dynamodb_value(p: &str, rest: &str) -> Result<BasicValue, Reason> {
    let parts: Vec<&str> = rest.trim_start_matches(':').splitn(3, ':').collect();
    if rest.contains('*') {
        return Err(format!(
            "wildcards are not supported; use arn:{p}:dynamodb for all tables"
        ));
    }
    if let [region, account, resource] = parts.as_slice() {
        if let Some(name) = resource.strip_prefix("table/") {
            if is_region(region)
                && is_account(account)
                && !name.is_empty()
                && name.len() <= 255
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            {
                return Ok(BasicValue::Exact);
            }
        }
    }
    Err(format!(
        "expected arn:{p}:dynamodb:<region>:<account>:table/<name>, or arn:{p}:dynamodb for all tables"
    ))
}

/// True when `bucket` follows S3's bucket naming rules (legacy names with
/// capitals and underscores included). AWS is not known to check this, so
/// a failure is only a warning: such a prefix matches no object.
pub fn is_bucket_name(bucket: &str) -> bool {
    (3..=255).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The bucket of a basic S3 prefix value `arn:<p>:s3:::<bucket>/…`.
pub fn s3_bucket(value: &str) -> Option<&str> {
    let (_, rest) = split_service(value, "s3")?;
    rest.strip_prefix(":::")?.split_once('/').map(|(b, _)| b)
}

/// The ARN service (third ARN component) that resources of a type carry,
/// for the types whose formats the API documents (spec §2.6).
fn documented_service(type_: &str) -> Option<&'static [&'static str]> {
    Some(match type_ {
        "AWS::S3::Object" | "AWS::S3::AccessPoint" => &["s3"],
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::Stream" => &["dynamodb"],
        "AWS::Lambda::Function" => &["lambda"],
        "AWS::SNS::Topic" => &["sns"],
        "AWS::SQS::Queue" => &["sqs"],
        "AWS::EC2::Snapshot" => &["ec2"],
        "AWS::Glue::Table" => &["glue"],
        "AWS::CloudTrail::Channel" => &["cloudtrail"],
        "AWS::SSM::ManagedNode" => &["ssm", "ec2"],
        "AWS::ManagedBlockchain::Network" | "AWS::ManagedBlockchain::Node" => {
            &["managedblockchain"]
        }
        "AWS::S3Outposts::Object" => &["s3-outposts"],
        "AWS::S3Express::Object" => &["s3express"],
        "AWS::S3ObjectLambda::AccessPoint" => &["s3-object-lambda"],
        _ => return None,
    })
}

/// Whether an advanced `resources.ARN` `Equals`/`NotEquals` value is an ARN
/// at all (an error when not, spec U12), and when it is, whether it looks
/// like an ARN of `type_` (a warning when not).
#[derive(Debug, PartialEq, Eq)]
pub enum ArnShape {
    /// Looks right, or the type's format is not documented.
    Plausible,
    /// Not an ARN: does not start with `arn:` and a partition.
    NotAnArn,
    /// An ARN, but of another shape; the string says what was expected.
    Unexpected(String),
}

/// Classifies an advanced `resources.ARN` exact value for `type_`.
pub fn advanced_exact_arn(type_: &str, value: &str) -> ArnShape {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    if parts.len() < 3 || parts[0] != "arn" || parts[1].is_empty() {
        return ArnShape::NotAnArn;
    }
    let Some(services) = documented_service(type_) else {
        return ArnShape::Plausible;
    };
    let service = parts[2];
    if !services.contains(&service) {
        return ArnShape::Unexpected(format!(
            "ARNs of {type_} have service `{}`, not `{service}`",
            services.join("` or `")
        ));
    }
    let p = parts[1];
    match type_ {
        "AWS::S3::Object" => {
            let ok = value
                .strip_prefix(&format!("arn:{p}:s3:::"))
                .and_then(|path| path.split_once('/'))
                .is_some_and(|(bucket, _)| !bucket.is_empty());
            if ok {
                ArnShape::Plausible
            } else {
                ArnShape::Unexpected(format!(
                    "S3 object ARNs look like arn:{p}:s3:::bucket-name/key"
                ))
            }
        }
        "AWS::Lambda::Function" => {
            let ok = parts.len() == 6 && parts[5].starts_with("function:");
            if ok {
                ArnShape::Plausible
            } else {
                ArnShape::Unexpected(format!(
                    "Lambda function ARNs look like arn:{p}:lambda:<region>:<account>:function:<name>"
                ))
            }
        }
        "AWS::DynamoDB::Table" => {
            let ok = parts.len() == 6
                && parts[5].starts_with("table/")
                && !parts[5].contains("/stream/");
            if ok {
                ArnShape::Plausible
            } else {
                ArnShape::Unexpected(format!(
                    "DynamoDB table ARNs look like arn:{p}:dynamodb:<region>:<account>:table/<name>"
                ))
            }
        }
        _ => ArnShape::Plausible,
    }
}

/// The partition of a trail ARN `arn:<p>:cloudtrail:<region>:<account>:trail/<name>`.
pub fn trail_arn_partition(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", p, "cloudtrail", region, account, resource]
            if is_partition(p)
                && is_region(region)
                && is_account(account)
                && resource
                    .strip_prefix("trail/")
                    .is_some_and(|n| !n.is_empty()) =>
        {
            Some(p)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions() {
        for p in ["aws", "aws-cn", "aws-us-gov", "aws-iso-b"] {
            assert!(is_partition(p), "{p}");
        }
        for p in ["", "aw", "awsx", "aws-", "aws--cn", "aws-CN", "partition"] {
            assert!(!is_partition(p), "{p}");
        }
    }

    #[test]
    fn s3_values() {
        let t = "AWS::S3::Object";
        assert_eq!(basic_value(t, "arn:aws:s3", None), Ok(BasicValue::All));
        assert_eq!(basic_value(t, "arn:aws:s3:::", None), Ok(BasicValue::All));
        assert_eq!(
            basic_value(t, "arn:aws:s3:::b/", None),
            Ok(BasicValue::Prefix)
        );
        assert_eq!(
            basic_value(t, "arn:aws:s3:::myBucket/myFolder/file.zip", None),
            Ok(BasicValue::Prefix)
        );
        assert_eq!(
            basic_value(t, "arn:aws-cn:s3:::b/p*", None),
            Ok(BasicValue::Prefix)
        );
        // A typo from AWS's own docs: not a bucket name, but not known to be rejected.
        assert_eq!(
            basic_value(t, "arn:aws:s3:::amzn-s3-demo-bucket2;/prefix2", None),
            Ok(BasicValue::Prefix)
        );
        assert!(!is_bucket_name("amzn-s3-demo-bucket2;"));
        assert_eq!(s3_bucket("arn:aws:s3:::b1/x/y"), Some("b1"));
        for bad in [
            "arn:aws:s3:::data-bucket",
            "arn:aws:s3:::*",
            "arn:aws:s3:::*/*",
            "arn:aws:s3:::cg-*/*",
            "bucket-name/",
            "arn:aws:s3:us-east-1:111122223333:b/",
            "arn:aws:s3:::aigo-",
            "arn:foo:s3:::b/",
            "arn:aws:s3x:::b/",
        ] {
            assert!(basic_value(t, bad, None).is_err(), "{bad}");
        }
        let hint = basic_value(t, "arn:aws:s3:::data-bucket", None).unwrap_err();
        assert_eq!(
            hint,
            "bucket ARNs need a trailing slash: arn:aws:s3:::data-bucket/"
        );
    }

    #[test]
    fn partition_must_match_when_known() {
        let t = "AWS::S3::Object";
        assert!(basic_value(t, "arn:aws:s3:::", Some("aws-us-gov")).is_err());
        assert!(basic_value(t, "arn:aws-us-gov:s3:::", Some("aws-us-gov")).is_ok());
    }

    #[test]
    fn lambda_and_dynamodb_values() {
        let l = "AWS::Lambda::Function";
        assert_eq!(basic_value(l, "arn:aws:lambda", None), Ok(BasicValue::All));
        assert_eq!(
            basic_value(
                l,
                "arn:aws:lambda:us-west-2:111111111111:function:helloworld",
                None
            ),
            Ok(BasicValue::Exact)
        );
        for bad in [
            "arn:aws:lambda:*",
            "arn:aws:lambda:us-west-2:111111111111:function:f:prod",
            "arn:aws:lambda:us-west-2",
            "arn:aws:lambda:us-west-2:1111:function:f",
        ] {
            assert!(basic_value(l, bad, None).is_err(), "{bad}");
        }
        let d = "AWS::DynamoDB::Table";
        assert_eq!(
            basic_value(d, "arn:aws:dynamodb", None),
            Ok(BasicValue::All)
        );
        assert_eq!(
            basic_value(
                d,
                "arn:aws:dynamodb:us-east-1:123456789012:table/Music",
                None
            ),
            Ok(BasicValue::Exact)
        );
        assert!(basic_value(d, "arn:aws:dynamodb:us-east-1:123456789012:table/*", None).is_err());
    }

    #[test]
    fn advanced_arn_shapes() {
        assert_eq!(
            advanced_exact_arn("AWS::S3::Object", "my-bucket/"),
            ArnShape::NotAnArn
        );
        assert_eq!(
            advanced_exact_arn("AWS::S3::Object", "arn:aws:s3:::b/"),
            ArnShape::Plausible
        );
        assert!(matches!(
            advanced_exact_arn(
                "AWS::Lambda::Function",
                "arn:aws:lambda:us-east-2:111122223333:function/MyLambdaFunction"
            ),
            ArnShape::Unexpected(_)
        ));
        assert!(matches!(
            advanced_exact_arn("AWS::S3::Object", "arn:aws:sqs:us-east-1:1:q"),
            ArnShape::Unexpected(_)
        ));
        assert_eq!(
            advanced_exact_arn("AWS::Bedrock::Model", "arn:aws:bedrock:x"),
            ArnShape::Plausible
        );
    }

    #[test]
    fn trail_arns() {
        assert_eq!(
            trail_arn_partition("arn:aws-us-gov:cloudtrail:us-gov-west-1:123456789012:trail/t"),
            Some("aws-us-gov")
        );
        assert_eq!(
            trail_arn_partition("arn:aws:cloudtrail:us-east-1:1:trail/t"),
            None
        );
    }
}
