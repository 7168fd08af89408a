# The trail lives in a child module; its bucket prefix comes from a
# variable with a default.
variable "prefix" {
  type    = string
  default = "arn:aws:s3:::example-data-bucket/reports/"
}

module "audit" {
  source = "./modules/trail"
  name   = "audit"
  prefix = var.prefix
}
