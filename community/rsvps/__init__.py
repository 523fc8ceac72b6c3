"""Seats: the one seat policy, RSVPs, the waitlist and seat offers, check-in and tickets,
reminders, and what the event pages and organizer screens show about who is coming."""
