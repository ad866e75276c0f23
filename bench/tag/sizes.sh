#!/usr/bin/env bash
# Bundle sizes of loupe.js and its chunks next to peers, by one method: gzip -9 of the
# browser bundle as shipped (peers: the files of their npm packages, pinned below).
#
#   bench/tag/sizes.sh            # prints a Markdown table
set -euo pipefail
cd "$(dirname "$0")/../.."
POSTHOG=posthog-js@1.449.2
RRWEB=@rrweb/record@2.0.0-alpha.18
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$POSTHOG" "$RRWEB" >/dev/null && for t in *.tgz; do mkdir "${t%.tgz}" && tar xzf "$t" -C "${t%.tgz}"; done)
gz() { gzip -9 -c "$1" | wc -c; }
row() { printf '| %s | %s | %s | %.1f KB |\n' "$1" "$2" "$(wc -c <"$3")" "$(echo "$(gz "$3") / 1024" | bc -l)"; }
echo "| bundle | what | raw bytes | gzip -9 |"
echo "|---|---|---|---|"
row "loupe.js" "Loupe tag (no recorder, no renderer)" web/sdk/dist/loupe.js
row "loupe-recorder.js" "Loupe recorder chunk (rrweb record inside)" web/sdk/dist/loupe-recorder.js
row "loupe-surveys.js" "Loupe survey renderer chunk" web/sdk/dist/loupe-surveys.js
row "loupe-link.js" "Loupe hosted link-survey page" web/sdk/dist/loupe-link.js
ph=$(ls -d "$work"/posthog-js-*/package/dist)
rr=$(ls -d "$work"/rrweb-record-*/package/dist)
row "$POSTHOG array.js" "PostHog core" "$ph/array.js"
row "$POSTHOG array.full.js" "PostHog with recorder and surveys" "$ph/array.full.js"
row "$POSTHOG surveys.js" "PostHog surveys chunk" "$ph/surveys.js"
row "$POSTHOG posthog-recorder.js" "PostHog recorder chunk" "$ph/posthog-recorder.js"
row "$RRWEB record.umd.min.cjs" "rrweb record, minified UMD" "$rr/record.umd.min.cjs"
