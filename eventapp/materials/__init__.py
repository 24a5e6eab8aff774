"""Materials: the event's files and links (slides, recordings, boards, documents), their storage and
downloads."""
