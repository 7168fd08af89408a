# eventCategory takes Equals only.
resource "aws_cloudtrail" "management" {
  name           = "management"
  s3_bucket_name = "example-trail-bucket"

  advanced_event_selector {
    name = "Management events"
    field_selector {
      field       = "eventCategory"
      starts_with = ["Manage"]
    }
  }
}
