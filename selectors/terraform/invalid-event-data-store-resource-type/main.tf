# A resource type with a typo, in an event data store.
resource "aws_cloudtrail_event_data_store" "objects" {
  name = "objects"

  advanced_event_selector {
    name = "S3 objects"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Objects"]
    }
  }
}
