"""Risk: platform and seller profiles, signals, scores and checkout warnings (rules as data)."""
