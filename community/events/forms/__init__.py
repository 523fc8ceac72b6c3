"""The organizer's event forms: the event itself (event.py, with its series fields in
series.py and its choices in choices.py) and cancelling one (cancel.py)."""
