"""Events (reunions, roundtables, meetups...), series, RSVPs with capacity and waitlist, check-in."""
