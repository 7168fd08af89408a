# The mistake is inside a child module: its address says where.
module "lambda_trail" {
  source = "./modules/trail"
}
