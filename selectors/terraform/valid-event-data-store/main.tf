# An event data store filtering management events on fields only event
# data stores take (eventName), with retention and ingestion settings.
resource "aws_cloudtrail_event_data_store" "console_sign_ins" {
  name                           = "console-sign-ins"
  retention_period               = 365
  multi_region_enabled           = true
  termination_protection_enabled = false

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
