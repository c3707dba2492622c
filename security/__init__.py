"""Security tests of the whole project (a test-only package, not an installed app)."""
