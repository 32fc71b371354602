"""The four answer ratings by name, apart from the scheduler: showing an item's history
(`prep show`) must not import fsrs (~70 ms) just to print "Good"."""

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
