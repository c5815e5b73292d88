"""How work runs: the execution policy and the speed devices behind it (processes, collector
pauses).
"""
