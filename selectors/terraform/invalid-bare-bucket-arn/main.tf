# A bucket ARN without the trailing slash: AWS refuses it; the provider
# does not check it.
resource "aws_cloudtrail" "bucket" {
  name           = "bucket"
  s3_bucket_name = "example-trail-bucket"

  event_selector {
    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::example-data-bucket"]
    }
  }
}
