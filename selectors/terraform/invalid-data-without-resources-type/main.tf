# A Data selector must name one resources.type.
resource "aws_cloudtrail" "data" {
  name           = "data"
  s3_bucket_name = "example-trail-bucket"

  advanced_event_selector {
    name = "All data events"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
  }
}
