# The value comes from a variable's default, which is a bucket ARN without
# the slash that names its objects.
variable "data_bucket_arn" {
  type    = string
  default = "arn:aws:s3:::example-data-bucket"
}

resource "aws_cloudtrail" "data" {
  name           = "data"
  s3_bucket_name = "example-trail-bucket"

  event_selector {
    read_write_type = "WriteOnly"
    data_resource {
      type   = "AWS::S3::Object"
      values = [var.data_bucket_arn]
    }
  }
}
