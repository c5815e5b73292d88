"""Named SPARQL queries over a study, their rows, the renderings and the one-screen stats."""
