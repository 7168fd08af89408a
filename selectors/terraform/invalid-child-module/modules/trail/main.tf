resource "aws_cloudtrail" "this" {
  name           = "functions"
  s3_bucket_name = "example-trail-bucket"

  event_selector {
    include_management_events = false
    data_resource {
      type   = "AWS::Lambda::Function"
      values = ["arn:aws:lambda:*"]
    }
  }
}
