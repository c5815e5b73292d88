"""The whole study: loading, one codebook, name resolution, the model, model-vs-traces, grounding,
settings.
"""
