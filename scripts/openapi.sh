#!/usr/bin/env bash
# Regenerates openapi.yaml at the repository root from the code (the served document).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet -p sistema-lavoro -- openapi > openapi.yaml.tmp
mv openapi.yaml.tmp openapi.yaml
echo "openapi.yaml regenerated ($(wc -l < openapi.yaml) lines)"
