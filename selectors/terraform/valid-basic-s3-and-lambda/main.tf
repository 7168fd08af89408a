# A trail logging this configuration's bucket and a known function: the
# bucket's ARN is unknown until apply, so that value is not checked.
resource "aws_s3_bucket" "data" {
  bucket_prefix = "data-"
}

resource "aws_cloudtrail" "data_events" {
  name           = "data-events"
  s3_bucket_name = "example-trail-bucket"

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.data.arn}/"]
    }

    data_resource {
      type   = "AWS::Lambda::Function"
      values = ["arn:aws:lambda:us-east-1:111122223333:function:orders"]
    }
  }
}
