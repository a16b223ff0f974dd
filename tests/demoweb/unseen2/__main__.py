"""``python -m tests.demoweb.unseen2 serve [--port 8091]``: serve the unseen2 web until
interrupted."""

from __future__ import annotations

import argparse
import sys
import time

from . import REGISTRY, Unseen2Web


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.demoweb.unseen2", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the unseen2 web until interrupted")
    serve.add_argument("--port", type=int, default=8091)
    args = parser.parse_args(argv)
    with Unseen2Web(port=args.port) as web:
        print(f"unseen2 web on {web.proxy_url}: {', '.join(sorted(web.sites))}")
        print(f"browse it with: chromium --proxy-server={web.proxy_url} "
              f"http://tjj.unseen2.gov.cn/")
        print(f"crawl it with: http_proxy={web.proxy_url} scrapy crawl disclosure "
              f"-a registry={REGISTRY}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
