"""For ``scrapyd-deploy``, which builds an egg with ``python setup.py bdist_egg`` (and
would write a setup.py of its own without this one). Everything is in pyproject.toml."""

from setuptools import setup

setup()
