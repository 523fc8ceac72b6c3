"""The rsvps blueprints: answering an event and the attendee's ticket (public.py, "rsvps"),
and the organizer's RSVP, check-in and message screens (manage.py, "rsvp_admin")."""
