"""RDF: the study as triples in ontology terms, term forms, namespaces and IRIs, stores,
serialisations.
"""
