"""Communities, memberships and roles, invitations, CSV import, audit log."""
