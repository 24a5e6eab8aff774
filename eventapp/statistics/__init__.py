"""Statistics for organisers: registrations over time, by organisation type, by country and by status,
and the attendance rate, for one event and for a programme (all its events).

``queries`` counts with SQL aggregates (a fixed number of queries, whatever the size); ``charts`` draws
accessible SVG from numbers; ``report`` formats the numbers in the viewer's language and builds the
charts the pages show.
"""
