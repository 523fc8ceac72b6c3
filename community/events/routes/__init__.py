"""The events blueprints: public event pages and lists (public.py, "events") and the
organizer's event screens (manage.py, "event_admin")."""
