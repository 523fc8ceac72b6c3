"""Profiles (per person, shared across communities) and each community's member directory."""
