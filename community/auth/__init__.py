"""Accounts: sign up, email verification, log in, password reset, account settings."""
