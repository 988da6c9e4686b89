"""Text helpers shared by the stages: dates, titles, cleaning, text to HTML, sanitising, slugs."""
