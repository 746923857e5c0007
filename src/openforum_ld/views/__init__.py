"""The view layer: every page and document, one function each, called by the static build and
by the server alike."""
