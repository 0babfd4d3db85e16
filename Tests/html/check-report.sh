#!/usr/bin/env bash
# Opens report.html in headless Chromium, as a product manager's browser would, and checks:
#   - the page's script ran to the end without an error (no console error, no uncaught
#     exception, <html data-ready="1"> and no data-js-errors);
#   - the page asks for nothing over the network (self-contained);
#   - at a phone's 390 px the page is no wider than the window (tables scroll inside their box);
#   - 1366x768 and 390x844 screenshots and a printed PDF are produced, for a human to look at.
# Usage: Tests/html/check-report.sh REPORT.html [OUTPUT_DIR]
# Exit: 0 passed, 1 failed, 77 skipped (no Chromium; `make test-html` installs it).
set -u
report=${1:?usage: check-report.sh REPORT.html [OUTPUT_DIR]}
output=${2:-$(dirname "$report")}
browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
  echo "check-report: skipped, Chromium is not installed (make test-html installs it)."
  exit 77
fi
[ -f "$report" ] || { echo "check-report: $report does not exist."; exit 1; }
mkdir -p "$output"
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$profile" --hide-scrollbars
       --window-size=1366,768 --virtual-time-budget=3000 --enable-logging=stderr --v=0)
failed=0

if grep -Eq '(src|href)="(https?:)?//|@import|url\(' "$report"; then
  echo "check-report: FAIL: $report refers to network resources."; failed=1
fi

dom=$("$browser" "${flags[@]}" --dump-dom "$url" 2>"$output/chromium-console.log")
if ! grep -q 'data-ready="1"' <<<"$dom"; then
  echo "check-report: FAIL: the page script did not finish (no data-ready on <html>)."; failed=1
fi
if grep -Eq '<html[^>]*data-js-errors' <<<"$dom"; then
  echo "check-report: FAIL: script errors: $(grep -Eo '<html[^>]*data-js-errors="[^"]*"' <<<"$dom")"; failed=1
fi
if grep -E 'CONSOLE|Uncaught' "$output/chromium-console.log" | grep -Eiq 'error|uncaught'; then
  echo "check-report: FAIL: console errors:"; grep -E 'CONSOLE|Uncaught' "$output/chromium-console.log"; failed=1
fi

phone=("${flags[@]/--window-size=1366,768/--window-size=390,844}")
phone_dom=$("$browser" "${phone[@]}" --dump-dom "$url" 2>/dev/null)
if ! grep -q 'data-ready="1"' <<<"$phone_dom"; then
  echo "check-report: FAIL: at 390 px the page script did not finish."; failed=1
elif grep -Eq '<html[^>]*data-overflow' <<<"$phone_dom"; then
  echo "check-report: FAIL: at 390 px the page is wider than the window: $(grep -Eo 'data-overflow="[^"]*"' <<<"$phone_dom") px."; failed=1
fi
"$browser" "${phone[@]}" --screenshot="$output/report-390x844.png" "$url" >/dev/null 2>&1
"$browser" "${flags[@]}" --screenshot="$output/report-1366x768.png" "$url" >/dev/null 2>&1
"$browser" "${flags[@]}" --print-to-pdf="$output/report.pdf" --no-pdf-header-footer "$url" >/dev/null 2>&1
for file in report-1366x768.png report-390x844.png report.pdf; do
  size=$(stat -c %s "$output/$file" 2>/dev/null || echo 0)
  if [ "$size" -lt 10000 ]; then echo "check-report: FAIL: $output/$file was not produced."; failed=1; fi
done
if [ $failed -eq 0 ]; then
  echo "check-report: $report renders in $browser without errors, no wider than a 390 px phone; screenshots $output/report-1366x768.png and report-390x844.png, PDF $output/report.pdf."
fi
exit $failed
