"""Entity resolution: candidate pairs, evidence, merge decisions (no Qt)."""
