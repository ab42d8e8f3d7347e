"""The minimal Django project whose authentication the suite measures."""
