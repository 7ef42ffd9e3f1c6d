#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers at 127.0.0.1:5432 (TEST_POSTGRES_URL overrides):
# starts the machine's cluster if it is down, installs it from Debian's packages if missing.
set -euo pipefail
url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
ready() { pg_isready -q -d "$url/postgres" 2>/dev/null; }
if command -v pg_isready >/dev/null && ready; then exit 0; fi
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"   # root here; CI runners use passwordless sudo
if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "PostgreSQL is not installed: installing it from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq postgresql >/dev/null
  ver=$(ls /etc/postgresql | head -n1)
  $sudo sed -i "s/^\(local\|host\)\(.*\)\(peer\|scram-sha-256\|md5\)$/\1\2trust/" "/etc/postgresql/$ver/main/pg_hba.conf"
fi
ver=$(ls /etc/postgresql | head -n1)
$sudo pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "PostgreSQL did not come up at $url" >&2
exit 1
