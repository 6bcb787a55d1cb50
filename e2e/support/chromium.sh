#!/usr/bin/env bash
# The Chromium the tests launch (playwright.config.ts's executablePath): Debian's (`CHROMIUM_PATH`
# or /usr/bin/chromium), with every --disable-features it is given merged into one. Chromium reads
# only the last --disable-features (a later one replaces an earlier one whole, not added to it), and
# Playwright passes its own list (storage partitioning off, HTTPS upgrades off, …): the config's
# features are added to Playwright's here, whatever Playwright's list is in its version.
features=()
args=()
for arg in "$@"; do
  case "$arg" in
    --disable-features=*) features+=("${arg#--disable-features=}") ;;
    *) args+=("$arg") ;;
  esac
done
joined=$(IFS=,; echo "${features[*]}")
exec "${CHROMIUM_PATH:-/usr/bin/chromium}" "${args[@]}" ${joined:+"--disable-features=$joined"}
