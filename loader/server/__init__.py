"""A SPARQL server: push a study into its named graph, run queries against it."""
