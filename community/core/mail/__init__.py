"""Transactional email outbox: write a row with the change, deliver it afterwards."""
