"""Renderers: a `Report` in, a value or text on a given stream out. They import only `models`."""
