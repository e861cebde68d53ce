#!/usr/bin/env bash
# Builds the OrderFulfillment example and runs its tests: every task's contract and every scenario of the
# walkthrough (standard, express, early exits, out of stock, retries, failed payment, cancellation, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift test --package-path Examples/OrderFulfillment
