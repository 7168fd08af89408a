# Management events without KMS, and S3 writes under one prefix.
resource "aws_cloudtrail" "advanced" {
  name           = "advanced"
  s3_bucket_name = "example-trail-bucket"

  advanced_event_selector {
    name = "Management events without KMS"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
    field_selector {
      field      = "eventSource"
      not_equals = ["kms.amazonaws.com"]
    }
  }

  advanced_event_selector {
    name = "S3 writes under uploads/"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field  = "readOnly"
      equals = ["false"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = ["arn:aws:s3:::example-data-bucket/uploads/"]
    }
  }
}
