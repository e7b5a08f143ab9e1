// Replaced by the continuation tests.
