"""Events (reunions, roundtables, meetups...): the event lifecycle, recurring series, the
public event pages and the organizer's event screens. Seats and RSVPs are community.rsvps,
which plugs into these pages and changes through events.hooks."""
