# A CloudWatch telemetry rule for CloudTrail, in the schema of the
# observabilityadmin resources (plural blocks, nesting_mode list). The
# rule asks for network activity events, which CloudWatch does not ingest.
resource "aws_observabilityadmin_telemetry_rule" "cloudtrail" {
  rule_name = "cloudtrail-to-cloudwatch"

  rule {
    resource_type  = "AWS::CloudTrail"
    telemetry_type = "Logs"

    destination_configuration {
      destination_type = "cloud-watch-logs"

      cloudtrail_parameters {
        advanced_event_selectors {
          name = "S3 writes"
          field_selectors {
            field  = "eventCategory"
            equals = ["Data"]
          }
          field_selectors {
            field  = "resources.type"
            equals = ["AWS::S3::Object"]
          }
        }
        advanced_event_selectors {
          name = "VPC endpoint activity"
          field_selectors {
            field  = "eventCategory"
            equals = ["NetworkActivity"]
          }
          field_selectors {
            field  = "eventSource"
            equals = ["s3.amazonaws.com"]
          }
        }
      }
    }
  }
}
