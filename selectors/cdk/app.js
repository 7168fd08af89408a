// CDK stacks whose synthesized templates are ctsel's CDK fixtures. Each
// stack is named valid-* or invalid-* after what AWS would say of its
// selectors. Made with aws-cdk-lib's own synth (no AWS account needed):
//
//   cd selectors/cdk && npm install && node app.js
//
// The L2 Trail construct writes basic EventSelectors with Fn::GetAtt and
// Fn::Join values; advanced selectors and event data stores come from the
// L1 constructs (CfnTrail, CfnEventDataStore).
const cdk = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const lambda = require('aws-cdk-lib/aws-lambda');
const cloudtrail = require('aws-cdk-lib/aws-cloudtrail');

const app = new cdk.App({ outdir: 'cdk.out' });
const env = { account: '111122223333', region: 'us-east-1' };
const stack = (name) => new cdk.Stack(app, name, { env, analyticsReporting: false });
const fn = (scope, id) => new lambda.Function(scope, id, {
  runtime: lambda.Runtime.PYTHON_3_12,
  handler: 'index.handler',
  code: lambda.Code.fromInline('def handler(e, c): return e'),
});
const l1Trail = (scope, id, props) => new cloudtrail.CfnTrail(scope, id, {
  isLogging: true, s3BucketName: 'example-trail-bucket', ...props,
});

// The construct's own data-event methods: GetAtt and Join values.
{
  const s = stack('valid-data-events-only');
  const trail = new cloudtrail.Trail(s, 'Trail', { managementEvents: cloudtrail.ReadWriteType.NONE });
  trail.addLambdaEventSelector([fn(s, 'LambdaFunction')]);
  trail.addS3EventSelector([{ bucket: new s3.Bucket(s, 'Bucket') }]);
}
{
  const s = stack('valid-all-s3-and-lambda');
  const trail = new cloudtrail.Trail(s, 'Trail');
  trail.logAllS3DataEvents();
  trail.logAllLambdaDataEvents();
}
{
  const s = stack('valid-s3-prefix');
  const trail = new cloudtrail.Trail(s, 'Trail', { managementEvents: cloudtrail.ReadWriteType.WRITE_ONLY });
  trail.addS3EventSelector([{ bucket: new s3.Bucket(s, 'Uploads'), objectPrefix: 'incoming/' }],
    { readWriteType: cloudtrail.ReadWriteType.WRITE_ONLY });
}
{
  const s = stack('valid-advanced-l1');
  l1Trail(s, 'Trail', {
    advancedEventSelectors: [
      { name: 'Management', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
      { name: 'DynamoDB writes', fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
        { field: 'readOnly', equalTo: ['false'] },
      ] },
    ],
  });
}
{
  const s = stack('valid-event-data-store');
  new cloudtrail.CfnEventDataStore(s, 'Store', {
    name: 'sign-ins',
    advancedEventSelectors: [{ fieldSelectors: [
      { field: 'eventCategory', equalTo: ['Management'] },
      { field: 'eventName', equalTo: ['ConsoleLogin'] },
    ] }],
  });
}
// Mistakes AWS rejects at deploy time; synth accepts them all.
{
  const s = stack('invalid-bare-bucket-arn');
  const trail = new cloudtrail.Trail(s, 'Trail');
  trail.addEventSelector(cloudtrail.DataResourceType.S3_OBJECT, ['arn:aws:s3:::example-data-bucket']);
}
{
  const s = stack('invalid-six-selectors');
  const trail = new cloudtrail.Trail(s, 'Trail');
  // CDK's own check runs before each push, so the sixth gets through.
  for (const b of ['a', 'b', 'c', 'd', 'e', 'f']) {
    trail.addEventSelector(cloudtrail.DataResourceType.S3_OBJECT, [`arn:aws:s3:::example-${b}-bucket/`]);
  }
}
{
  const s = stack('invalid-starts-with-event-category');
  l1Trail(s, 'Trail', { advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', startsWith: ['Manage'] }] }] });
}
{
  const s = stack('invalid-data-without-resources-type');
  l1Trail(s, 'Trail', { advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equalTo: ['Data'] }] }] });
}
{
  const s = stack('invalid-lambda-wildcard');
  const trail = new cloudtrail.Trail(s, 'Trail');
  trail.addEventSelector(cloudtrail.DataResourceType.LAMBDA_FUNCTION, [`arn:${cdk.Aws.PARTITION}:lambda:*`]);
}
{
  const s = stack('invalid-several-resources');
  const bucket = new s3.Bucket(s, 'Data');
  new cloudtrail.Trail(s, 'Management');
  l1Trail(s, 'Objects', { advancedEventSelectors: [{ fieldSelectors: [
    { field: 'eventCategory', equalTo: ['Data'] },
    { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
    { field: 'resources.ARN', startsWith: [bucket.arnForObjects('logs/')] },
    // readOnly takes Equals only.
    { field: 'readOnly', startsWith: ['f'] },
  ] }] });
}
app.synth();
