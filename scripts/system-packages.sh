#!/usr/bin/env bash
# Installs the Debian packages the browser suite needs when running as root; otherwise
# says in one line what is missing (the browser suite is then skipped, or fails under CI).
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
fc-list 2>/dev/null | grep -qi "noto.*cjk" || packages+=(fonts-noto-cjk)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "missing Debian packages: ${packages[*]} (as root: apt-get install ${packages[*]})"
fi
