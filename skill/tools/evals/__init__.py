"""The evaluations: the NLU, the safety sets and the blind conversation set, scored offline."""
