"""What a study publishes: the paper's tables, the design document, decision diagrams, saturation
plot.
"""
