#!/usr/bin/env bash
# Installs the Debian packages the browser suite and the report files need when running as
# root; otherwise says in one line what is missing (the browser suite is then skipped, or
# fails under CI). PDF reports need pango (WeasyPrint) and a CJK font; their tests read the
# PDF's text with pdftotext (poppler-utils).
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
fc-list 2>/dev/null | grep -qi "noto.*cjk" || packages+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep -q "libpango-1.0" || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftotext >/dev/null || packages+=(poppler-utils)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "missing Debian packages: ${packages[*]} (as root: apt-get install ${packages[*]})"
fi
