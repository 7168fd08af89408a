//! Deterministic generator of realistic CloudTrail NDJSON for benchmarks.
//!
//! `cargo run --release --example generate -- MEGABYTES [SEED] > events.ndjson`
//!
//! Records are about 1.5 KB, with keys in CloudTrail's own order (so
//! `eventCategory` comes near the end). The mix: 70% management events across
//! many services (userIdentity with sessionContext, requestParameters,
//! responseElements, tlsDetails); 25% S3, Lambda and DynamoDB data events
//! with `resources`; the rest console sign-ins, service events, Insight
//! events and network activity events.

use std::io::{BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len() as u64) as usize]
    }
    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.below(16) as u32, 16).unwrap_or('0'))
            .collect()
    }
}

const MGMT: &[(&str, &[&str])] = &[
    (
        "ec2.amazonaws.com",
        &[
            "DescribeInstances",
            "RunInstances",
            "DescribeSecurityGroups",
            "CreateTags",
            "DescribeVolumes",
            "TerminateInstances",
        ],
    ),
    (
        "iam.amazonaws.com",
        &[
            "GetRole",
            "ListRoles",
            "CreateUser",
            "AttachRolePolicy",
            "GetPolicy",
        ],
    ),
    (
        "sts.amazonaws.com",
        &[
            "AssumeRole",
            "GetCallerIdentity",
            "AssumeRoleWithWebIdentity",
        ],
    ),
    (
        "kms.amazonaws.com",
        &["Decrypt", "GenerateDataKey", "Encrypt", "DescribeKey"],
    ),
    (
        "s3.amazonaws.com",
        &[
            "GetBucketAcl",
            "ListBuckets",
            "PutBucketPolicy",
            "GetBucketLocation",
        ],
    ),
    (
        "lambda.amazonaws.com",
        &[
            "ListFunctions20150331",
            "GetFunction20150331v2",
            "UpdateFunctionCode20150331v2",
        ],
    ),
    (
        "cloudformation.amazonaws.com",
        &["DescribeStacks", "CreateStack", "DescribeStackEvents"],
    ),
    (
        "logs.amazonaws.com",
        &["CreateLogStream", "DescribeLogGroups", "PutRetentionPolicy"],
    ),
    (
        "monitoring.amazonaws.com",
        &["PutMetricAlarm", "DescribeAlarms", "GetMetricData"],
    ),
    (
        "ssm.amazonaws.com",
        &[
            "GetParameter",
            "GetParameters",
            "DescribeInstanceInformation",
        ],
    ),
    (
        "secretsmanager.amazonaws.com",
        &["GetSecretValue", "DescribeSecret"],
    ),
    (
        "ecr.amazonaws.com",
        &["GetAuthorizationToken", "BatchGetImage"],
    ),
    (
        "dynamodb.amazonaws.com",
        &["DescribeTable", "ListTables", "CreateTable"],
    ),
    (
        "rds.amazonaws.com",
        &["DescribeDBInstances", "CreateDBSnapshot"],
    ),
    (
        "elasticloadbalancing.amazonaws.com",
        &["DescribeLoadBalancers", "DescribeTargetHealth"],
    ),
];
const REGIONS: &[&str] = &["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
const AGENTS: &[&str] = &[
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.amzn.2023 prompt/off command/ec2.describe-instances",
    "[aws-sdk-go-v2/1.25.0 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.0]",
    "Boto3/1.34.60 md/Botocore#1.34.60 ua/2.0 os/linux#5.10.210 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.60",
    "AWS Internal",
    "console.amazonaws.com",
];
const BUCKETS: &[&str] = &[
    "amzn-s3-demo-bucket",
    "app-data-prod",
    "analytics-raw",
    "logs-archive",
    "ml-training-sets",
    "web-assets",
];

fn identity(r: &mut Rng, account: &str) -> String {
    let role = r.pick(&[
        "app-server",
        "ci-deployer",
        "DataPipeline",
        "Admin",
        "lambda-exec",
    ]);
    let session = r.hex(12);
    format!(
        r#"{{"type":"AssumedRole","principalId":"AROA{p}:{session}","arn":"arn:aws:sts::{account}:assumed-role/{role}/{session}","accountId":"{account}","accessKeyId":"ASIA{k}","sessionContext":{{"sessionIssuer":{{"type":"Role","principalId":"AROA{p}","arn":"arn:aws:iam::{account}:role/{role}","accountId":"{account}","userName":"{role}"}},"webIdFederationData":{{}},"attributes":{{"creationDate":"2024-05-01T10:{m:02}:00Z","mfaAuthenticated":"false"}}}}}}"#,
        p = r.hex(16).to_uppercase(),
        k = r.hex(16).to_uppercase(),
        m = r.below(60),
    )
}

fn tls(r: &mut Rng, host: &str) -> String {
    format!(
        r#""tlsDetails":{{"tlsVersion":"TLSv1.{v}","cipherSuite":"{c}","clientProvidedHostHeader":"{host}"}}"#,
        v = 2 + r.below(2),
        c = r.pick(&[
            "TLS_AES_128_GCM_SHA256",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "TLS_AES_256_GCM_SHA384"
        ]),
    )
}

fn record(r: &mut Rng, n: u64) -> String {
    let account = r.pick(&["111122223333", "444455556666", "777788889999"]);
    let region = r.pick(REGIONS);
    let time = format!(
        "2024-05-01T{:02}:{:02}:{:02}Z",
        n / 3600 % 24,
        n / 60 % 60,
        n % 60
    );
    let ip = format!("203.0.113.{}", r.below(250));
    let agent = r.pick(AGENTS);
    let event_id = format!(
        "{}-{}-{}-{}-{}",
        r.hex(8),
        r.hex(4),
        r.hex(4),
        r.hex(4),
        r.hex(12)
    );
    let request_id = r.hex(16).to_uppercase();
    let roll = r.below(100);
    if roll < 70 {
        let (source, names) = MGMT[r.below(MGMT.len() as u64) as usize];
        let name = r.pick(names);
        let read_only =
            name.starts_with("Describe") || name.starts_with("Get") || name.starts_with("List");
        let host = source.replace(".amazonaws.com", &format!(".{region}.amazonaws.com"));
        format!(
            r#"{{"eventVersion":"1.09","userIdentity":{ident},"eventTime":"{time}","eventSource":"{source}","eventName":"{name}","awsRegion":"{region}","sourceIPAddress":"{ip}","userAgent":"{agent}","requestParameters":{{"maxResults":{mr},"filterSet":{{"items":[{{"name":"tag:Environment","valueSet":{{"items":[{{"value":"production"}}]}}}},{{"name":"instance-state-name","valueSet":{{"items":[{{"value":"running"}}]}}}}]}},"eventName":"decoy-{name}"}},"responseElements":{resp},"requestID":"{request_id}","eventID":"{event_id}","readOnly":{read_only},"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"{account}","eventCategory":"Management",{tls}}}"#,
            ident = identity(r, account),
            mr = 5 + r.below(995),
            resp = if read_only {
                "null".to_string()
            } else {
                format!(r#"{{"requestId":"{}","return":true}}"#, r.hex(8))
            },
            tls = tls(r, &host),
        )
    } else if roll < 95 {
        let kind = r.below(3);
        let (source, name, resources, read_only, params) = match kind {
            0 => {
                let bucket = r.pick(BUCKETS);
                let key = format!(
                    "reports/2024/05/{:02}/part-{:05}.parquet",
                    r.below(28) + 1,
                    r.below(100000)
                );
                let name = r.pick(&[
                    "GetObject",
                    "GetObject",
                    "PutObject",
                    "HeadObject",
                    "DeleteObject",
                    "ListObjects",
                ]);
                let obj =
                    format!(r#"{{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::{bucket}/{key}"}}"#);
                let bkt = format!(
                    r#"{{"accountId":"{account}","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::{bucket}"}}"#
                );
                let res = if r.below(2) == 0 {
                    format!("[{obj},{bkt}]")
                } else {
                    format!("[{bkt},{obj}]")
                };
                let params = format!(
                    r#"{{"bucketName":"{bucket}","Host":"{bucket}.s3.{region}.amazonaws.com","key":"{key}","x-amz-server-side-encryption":"aws:kms"}}"#
                );
                (
                    "s3.amazonaws.com",
                    name,
                    res,
                    !matches!(name, "PutObject" | "DeleteObject"),
                    params,
                )
            }
            1 => {
                let f = format!(
                    "arn:aws:lambda:{region}:{account}:function:{}",
                    r.pick(&["ingest", "resize-images", "auth-handler", "etl-step"])
                );
                let res = format!(
                    r#"[{{"accountId":"{account}","type":"AWS::Lambda::Function","ARN":"{f}"}}]"#
                );
                (
                    "lambda.amazonaws.com",
                    "Invoke",
                    res,
                    false,
                    format!(
                        r#"{{"functionName":"{f}","invocationType":"RequestResponse","logType":"None"}}"#
                    ),
                )
            }
            _ => {
                let t = format!(
                    "arn:aws:dynamodb:{region}:{account}:table/{}",
                    r.pick(&["orders", "sessions", "inventory"])
                );
                let name = r.pick(&["GetItem", "PutItem", "Query", "UpdateItem"]);
                let res = format!(
                    r#"[{{"accountId":"{account}","type":"AWS::DynamoDB::Table","ARN":"{t}"}}]"#
                );
                (
                    "dynamodb.amazonaws.com",
                    name,
                    res,
                    matches!(name, "GetItem" | "Query"),
                    format!(
                        r#"{{"tableName":"{t}","key":{{"pk":{{"S":"user#{}"}}}},"consistentRead":false}}"#,
                        r.below(1_000_000)
                    ),
                )
            }
        };
        format!(
            r#"{{"eventVersion":"1.10","userIdentity":{ident},"eventTime":"{time}","eventSource":"{source}","eventName":"{name}","awsRegion":"{region}","sourceIPAddress":"{ip}","userAgent":"{agent}","requestParameters":{params},"responseElements":null,"additionalEventData":{{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":{bi},"AuthenticationMethod":"AuthHeader","bytesTransferredOut":{bo}}},"requestID":"{request_id}","eventID":"{event_id}","readOnly":{read_only},"resources":{resources},"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"{account}","eventCategory":"Data",{tls}}}"#,
            ident = identity(r, account),
            bi = r.below(100_000),
            bo = r.below(100_000),
            tls = tls(
                r,
                &format!(
                    "{}.{region}.amazonaws.com",
                    source.trim_end_matches(".amazonaws.com")
                )
            ),
        )
    } else {
        match roll {
            95 | 96 => format!(
                r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","principalId":"AIDA{p}","arn":"arn:aws:iam::{account}:user/alice","accountId":"{account}","userName":"alice"}},"eventTime":"{time}","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"{ip}","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36","requestParameters":null,"responseElements":{{"ConsoleLogin":"Success"}},"additionalEventData":{{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"Yes"}},"eventID":"{event_id}","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"{account}","eventCategory":"Management","tlsDetails":{{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"signin.aws.amazon.com"}}}}"#,
                p = r.hex(16).to_uppercase()
            ),
            97 => format!(
                r#"{{"eventVersion":"1.08","userIdentity":{{"accountId":"{account}","invokedBy":"cloudtrail.amazonaws.com"}},"eventTime":"{time}","eventSource":"kms.amazonaws.com","eventName":"RotateKey","awsRegion":"{region}","sourceIPAddress":"cloudtrail.amazonaws.com","userAgent":"cloudtrail.amazonaws.com","requestParameters":null,"responseElements":null,"eventID":"{event_id}","readOnly":false,"resources":[{{"accountId":"{account}","type":"AWS::KMS::Key","ARN":"arn:aws:kms:{region}:{account}:key/{k}"}}],"eventType":"AwsServiceEvent","managementEvent":true,"recipientAccountId":"{account}","serviceEventDetails":{{"keyId":"{k}"}},"eventCategory":"Management"}}"#,
                k = r.hex(32)
            ),
            98 => format!(
                r#"{{"eventVersion":"1.08","eventTime":"{time}","awsRegion":"{region}","eventID":"{event_id}","eventType":"AwsCloudTrailInsight","recipientAccountId":"{account}","sharedEventID":"{s}","insightDetails":{{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiCallRateInsight","insightContext":{{"statistics":{{"baseline":{{"average":0.0417}},"insight":{{"average":{a}}},"insightDuration":1,"baselineDuration":11459}},"attributions":[{{"attribute":"userIdentityArn","insight":[{{"value":"arn:aws:iam::{account}:role/Admin","average":{a}}}],"baseline":[{{"value":"arn:aws:iam::{account}:role/Admin","average":0.0417}}]}}]}}}},"eventCategory":"Insight"}}"#,
                s = r.hex(32),
                a = r.below(100)
            ),
            _ => format!(
                r#"{{"eventVersion":"1.09","userIdentity":{{"type":"AWSAccount","principalId":"","accountId":"anonymous"}},"eventTime":"{time}","eventSource":"kms.amazonaws.com","eventName":"ListKeys","awsRegion":"{region}","sourceIPAddress":"{ip}","userAgent":"{agent}","requestParameters":null,"responseElements":null,"requestID":"{request_id}","eventID":"{event_id}","eventType":"AwsVpceEvent","recipientAccountId":"{account}","sharedEventID":"{s}","vpcEndpointId":"vpce-{v}","vpcEndpointAccountId":"{account}","eventCategory":"NetworkActivity","errorCode":"VpceAccessDenied","errorMessage":"The request was denied due to a VPC endpoint policy"}}"#,
                s = r.hex(32),
                v = r.hex(17)
            ),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let megabytes: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut r = Rng(seed);
    let stdout = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut written = 0u64;
    let mut n = 0u64;
    while written < megabytes * 1_000_000 {
        let rec = record(&mut r, n);
        written += rec.len() as u64 + 1;
        n += 1;
        if w.write_all(rec.as_bytes())
            .and_then(|_| w.write_all(b"\n"))
            .is_err()
        {
            return;
        }
    }
    let _ = w.flush();
}
