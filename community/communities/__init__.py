"""Communities, memberships and roles, invitations, CSV import, and the audit log's screen."""
