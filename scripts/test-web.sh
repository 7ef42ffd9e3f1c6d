#!/usr/bin/env bash
# Web app tests: placeholder until web/ provides its own scripts (see web/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "web/ not ready yet; nothing to test"
