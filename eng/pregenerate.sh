#!/usr/bin/env bash
# Writes Wolverine's generated code (every endpoint and message handler) to src/CaseExchange/Internal/Generated, to be
# compiled into the service: run after adding or changing an endpoint, a middleware or a policy, and commit the result
# (README, "Pre-generated Wolverine code"). The test PregeneratedCodeTests fails while the committed code is not current;
# the service itself never runs a class whose committed source differs from the one generated at its start.
# Needs no database (the host is built, not started).
set -euo pipefail
cd "$(dirname "$0")/../src/CaseExchange"
# The classes written before may no longer compile (an endpoint renamed or removed): build without them; the service
# then compiles every endpoint at start, as without pre-generated code, and writes them anew.
rm -rf Internal/Generated
ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__CaseExchange="Host=127.0.0.1;Port=1;Database=pregenerate;Username=pregenerate" \
  Logging__LogLevel__Default=Error dotnet run --no-launch-profile -- pregenerate
dotnet build -v q 2>&1 | grep -E " error |Elapsed" || true
