"""Act in time: reminders before every window of an order closes, and the calendar feed.

``schedule`` (pure) says when to remind of a window and in which words; ``service`` lists a user's
open windows from the orders' judgements (``server.risk``: the same windows the badge and the
dispute plan show); ``calendar`` writes them as iCalendar events with alarms.
"""
