"""Tests for community.tables."""
