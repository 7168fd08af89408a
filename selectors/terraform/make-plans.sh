#!/usr/bin/env bash
# Makes plan.json in every fixture directory here with the Terraform
# binary and the hashicorp/aws provider on the machine image, offline:
# the provider comes from a filesystem mirror, credentials are fake and
# every endpoint is 127.0.0.1:9, where nothing listens. Planning only
# creates needs no API call, so a refused connection never happens.
#
#   selectors/terraform/make-plans.sh            # every fixture
#   selectors/terraform/make-plans.sh valid-advanced
#
# Needs: terraform (1.11.4 was used), and the provider under MIRROR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The mirror is the directory above registry.terraform.io/hashicorp/aws/...
mirror="${MIRROR:-$(find / -name 'terraform-provider-aws_*' -path '*/registry.terraform.io/*' 2>/dev/null | head -1 | sed 's|/registry.terraform.io/.*||' || true)}"
version="${AWS_PROVIDER_VERSION:-5.100.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
cd "$here"
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || mapfile -t dirs < <(find . -mindepth 2 -maxdepth 2 -name main.tf -printf '%h\n' | sed 's|^\./||' | sort)
for d in "${dirs[@]}"; do
  # A fixture the provider cannot plan (a resource type it lacks) says so.
  [ ! -e "$d/NO-PLAN" ] || { echo "$d: skipped ($(head -1 "$d/NO-PLAN"))"; continue; }
  copy="$work/$d"
  mkdir -p "$copy"
  cp -r "$d/." "$copy/"
  rm -f "$copy/plan.json"
  cat > "$copy/zz_offline_provider.tf" <<TF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "$version" }
  }
}
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    cloudtrail = "http://127.0.0.1:9"
    s3         = "http://127.0.0.1:9"
    sts        = "http://127.0.0.1:9"
    lambda     = "http://127.0.0.1:9"
  }
}
TF
  (cd "$copy" && terraform init -input=false -no-color >/dev/null \
     && terraform plan -input=false -no-color -refresh=false -out=plan.out >/dev/null \
     && terraform show -json plan.out) | python3 -m json.tool --indent 1 > "$d/plan.json"
  echo "$d: plan.json ($(wc -c < "$d/plan.json") bytes)"
done
