"""Table plans: seat people so they meet new faces, round after round and event after event."""
