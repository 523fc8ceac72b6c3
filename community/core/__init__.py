"""Small shared pieces: model mixins, domain errors, URLs, Markdown, mail outbox."""
