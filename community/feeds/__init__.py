"""Calendar feeds: iCalendar documents (ical.py, timezones.py), feed routes, personal feed
tokens and iTIP invitations."""
