"""Data at scale for the benchmark: `flask --app forum bench-seed --posts N` fills an empty
database with bulk inserts, in the shape of a busy community (see forum/bench/seed.py)."""
