"""``python -m tests.demoweb.unseen3 serve [--port 8092]``: serve the third unseen web
until interrupted."""

from __future__ import annotations

import argparse
import sys
import time

from . import REGISTRY, Unseen3Web


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.demoweb.unseen3", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the third unseen web until interrupted")
    serve.add_argument("--port", type=int, default=8092)
    args = parser.parse_args(argv)
    with Unseen3Web(port=args.port) as web:
        print(f"unseen3 web on {web.proxy_url}: {', '.join(sorted(web.sites))}")
        print(f"browse it with: chromium --proxy-server={web.proxy_url} http://lcj.unseen3.gov.cn/")
        print(f"crawl it with: http_proxy={web.proxy_url} scrapy crawl disclosure "
              f"-a registry={REGISTRY}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
