# Two trails and an event data store; only the store is wrong: network
# activity on event data stores cannot filter on userIdentity.arn.
resource "aws_cloudtrail" "management" {
  name           = "management"
  s3_bucket_name = "example-trail-bucket"
}

resource "aws_cloudtrail" "writes" {
  name           = "writes"
  s3_bucket_name = "example-trail-bucket"

  event_selector {
    read_write_type = "WriteOnly"
  }
}

resource "aws_cloudtrail_event_data_store" "vpce" {
  name = "vpce-activity"

  advanced_event_selector {
    name = "KMS through VPC endpoints, one role"
    field_selector {
      field  = "eventCategory"
      equals = ["NetworkActivity"]
    }
    field_selector {
      field  = "eventSource"
      equals = ["kms.amazonaws.com"]
    }
    field_selector {
      field  = "userIdentity.arn"
      equals = ["arn:aws:iam::111122223333:role/app"]
    }
  }
}
