"""Fixtures for the builder tests: `read` runs a document through each parser in turn."""

from tests.core.ical.samples import icaljs, read  # noqa: F401
