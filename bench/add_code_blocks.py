"""Appends two code blocks to each article given: a shell command and a JSON reply.

Usage: add_code_blocks.py SHELL_LANG JSON_LANG FILE...
The blocks vary with the file's name, so no two articles hold the same text (the
build's Markdown cache must not make the work disappear).
"""

import sys
import zlib

SHELL = """
## Check it from a terminal

```{lang}
export WALLET_TOKEN="$(cat ~/.wallet/token-{n})"
curl -sS -X GET "https://api.wallet.example/v2/accounts/{n}/status" \\
  -H "Authorization: Bearer $WALLET_TOKEN" \\
  -H "Accept: application/json" | jq '.status, .limits.daily'
if [ $? -ne 0 ]; then echo "request {n} failed" >&2; exit 1; fi
```
"""

JSON = """
A healthy account answers:

```{lang}
{{
  "account_id": "acct_{n:06d}",
  "status": "active",
  "limits": {{ "daily": {daily}, "monthly": {monthly}, "currency": "CNY" }},
  "verified": true,
  "frozen_reason": null,
  "updated_at": "2026-11-{day:02d}T08:30:00Z",
  "channels": ["hotline", "email", "chat"]
}}
```
"""


def main() -> None:
    shell_lang, json_lang, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    for path in files:
        n = zlib.crc32(path.encode()) % 1_000_000
        blocks = SHELL.format(lang=shell_lang, n=n) + JSON.format(
            lang=json_lang, n=n, daily=1000 + n % 9000, monthly=50000 + n % 90000, day=1 + n % 28
        )
        with open(path, "a", encoding="utf-8") as out:
            out.write("\n" + blocks)


if __name__ == "__main__":
    main()
