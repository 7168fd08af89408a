variable "name" {
  type = string
}

variable "prefix" {
  type = string
}

resource "aws_cloudtrail" "this" {
  name           = var.name
  s3_bucket_name = "example-trail-bucket"

  advanced_event_selector {
    name = "Report reads"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = [var.prefix]
    }
  }
}
