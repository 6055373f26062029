"""The glossary: term files as data, with the code that reads and renders them.

``loader`` reads and validates the files without Sphinx; ``search`` finds
entries for a query; ``sphinxext`` renders them through Sphinx's own glossary
machinery; ``linked_data`` describes them as schema.org and SKOS JSON-LD;
``python -m glossary`` is the command line.
"""

from .loader import CATEGORIES, Glossary, Problem, Term, load_glossary

__all__ = ["CATEGORIES", "Glossary", "Problem", "Term", "load_glossary"]
