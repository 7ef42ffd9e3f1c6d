#!/usr/bin/env bash
# Regenerates web/src/styles/fonts/*.woff2: Titillium Web (SIL OFL 1.1, from bootstrap-italia's
# package) cut to the characters Italian text uses — Basic Latin, Latin-1, the euro sign,
# typographic quotes, dashes, ellipsis, bullet, arrows — about half the bytes of the files it
# ships with. Text outside those (a Polish or Romanian surname: ł, ș, ă…) is drawn from the
# package's full latin-ext files, which fonts.css declares for the other ranges, so the browser
# fetches them only when such a character is on screen. The build does not run this script
# (it needs Python's fontTools); run it after upgrading bootstrap-italia and commit the result.
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$WEB/node_modules/bootstrap-italia/dist/fonts/Titillium_Web"
OUT="$WEB/src/styles/fonts"
VENV="${FONTTOOLS_VENV:-/tmp/sl-fonttools}"
[ -x "$VENV/bin/pyftsubset" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q 'fonttools==4.*' 'brotli==1.*'; }
RANGES="U+0020-007E,U+00A0-00FF,U+0152-0153,U+2013-2014,U+2018-201E,U+2022,U+2026,U+20AC,U+2190-2193"
mkdir -p "$OUT"
for w in 300 regular italic 600 700; do
  "$VENV/bin/pyftsubset" "$SRC/titillium-web-v10-latin-ext_latin-$w.woff2" \
    --unicodes="$RANGES" --flavor=woff2 --layout-features='kern,liga' \
    --output-file="$OUT/titillium-web-it-$w.woff2"
done
cp "$SRC/OFL.txt" "$OUT/OFL.txt"
ls -l "$OUT"
echo "unicode-range for fonts.css: $RANGES"
