"""Profiles (per person, shared across communities), each community's member directory and export."""
