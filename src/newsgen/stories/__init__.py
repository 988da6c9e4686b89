"""Group articles that report the same event into stories."""
