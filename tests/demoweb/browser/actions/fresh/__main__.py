"""``python -m tests.demoweb.browser.actions.fresh serve [--port 8086]``: serve the action
fresh web until interrupted."""

from __future__ import annotations

import argparse
import sys
import time

from . import REGISTRY, ActionFreshWeb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.demoweb.browser.actions.fresh",
                                     description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the action fresh web until interrupted")
    serve.add_argument("--port", type=int, default=8086)
    args = parser.parse_args(argv)
    with ActionFreshWeb(port=args.port) as web:
        print(f"action fresh web on {web.proxy_url}: {', '.join(sorted(web.sites))}")
        print(f"crawl it with: http_proxy={web.proxy_url} scrapy crawl disclosure "
              f"-a registry={REGISTRY}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
