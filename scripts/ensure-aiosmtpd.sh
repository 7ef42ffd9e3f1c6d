#!/usr/bin/env bash
# A Python venv under target/ (gitignored) with aiosmtpd, the SMTP server the notification
# tests start on 127.0.0.1 (api/tests/notifications.rs reads target/smtp-venv, or SMTP_TEST_PYTHON).
# Reinstalled when scripts/smtp/requirements.txt changes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV=${CARGO_TARGET_DIR:-$ROOT/target}/smtp-venv
REQ=$ROOT/scripts/smtp/requirements.txt
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/requirements.txt"; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/requirements.txt"
fi
"$VENV/bin/python" -c 'import aiosmtpd' && echo "$VENV/bin/python"
