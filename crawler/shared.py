"""Objects shared by the components of one crawler (spider, middlewares, extensions).

Scrapy hands each component the crawler; ``shared(crawler, cls)`` gives them all
the same ``cls()`` for it, made on first use, so no component reads another's
attributes (``getattr(spider, ...)``) and a spider that reads WARCs instead of the
network shares the same records.
"""

from __future__ import annotations

import weakref
from typing import Any, TypeVar

__all__ = ["shared"]

T = TypeVar("T")
_OBJECTS: weakref.WeakKeyDictionary[Any, dict[type, Any]] = weakref.WeakKeyDictionary()


def shared(crawler: Any, cls: type[T]) -> T:
    """The one ``cls()`` of ``crawler``."""
    objects = _OBJECTS.setdefault(crawler, {})
    if cls not in objects:
        objects[cls] = cls()
    return objects[cls]
