# eventName filters management events on event data stores, not on
# trails; the provider's field list is shared, so it lets this through.
resource "aws_cloudtrail" "sign_ins" {
  name           = "sign-ins"
  s3_bucket_name = "example-trail-bucket"

  advanced_event_selector {
    name = "Console sign-ins"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
    field_selector {
      field  = "eventName"
      equals = ["ConsoleLogin"]
    }
  }
}
