#!/usr/bin/env bash
# Type-checks the console's hand-written JavaScript against its JSDoc types (Debian's node-typescript).
set -euo pipefail
cd "$(dirname "$0")/.."
tsc --allowJs --checkJs --noEmit --strict --target es2022 --lib es2022,dom,dom.iterable \
    Sources/FlowServer/Console/Assets/console.js Sources/FlowServer/Console/Assets/live.js
echo "console.js and live.js type-check"
