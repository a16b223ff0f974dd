"""Subcommands that are another tool's: ``python -m archive`` (verify, replay, get,
wacz) and ``python -m crawler.dataset`` (build, explore, audit).

Their parsers are taken as they are (every option, its help, its defaults, the
function it runs), so ``gov-archive verify`` never drifts from ``python -m archive
verify``. argparse has no public way to reach a parser's subcommands; ``_subcommands``
reads them from the parser's actions.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from typing import Any

__all__ = ["add"]

_ARCHIVE = ("verify", "replay", "get", "wacz")
_DATASET = ("build", "explore", "audit")


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # private: argparse has no public accessor
        if isinstance(action.choices, dict):
            return dict(action.choices)
    raise LookupError(f"{parser.prog} has no subcommands")


def _source(name: str) -> argparse.ArgumentParser:
    """The parser of the tool ``name`` comes from (imported only when asked for)."""
    if name in _ARCHIVE:
        from archive.cli import build_parser

        return _subcommands(build_parser())[name]
    if name in _DATASET:
        from ..dataset.__main__ import parser

        return _subcommands(parser())[name]
    raise KeyError(name)


def _logging_first(func: Callable[[argparse.Namespace], Any]
                   ) -> Callable[[argparse.Namespace], Any]:
    """The dataset's commands log their warnings as ``python -m crawler.dataset`` does."""
    def run(args: argparse.Namespace) -> Any:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
        return func(args)
    return run


def add(commands: Any, name: str, help: str) -> None:  # argparse's subparsers action
    source = _source(name)
    sub = commands.add_parser(name, help=help, parents=[source], add_help=False,
                              description=source.description,
                              formatter_class=source.formatter_class)
    if name in _DATASET:
        sub.set_defaults(func=_logging_first(sub.get_default("func")))
