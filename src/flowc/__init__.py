"""flowc: compile Integration Patterns flow specs into Python service skeletons."""

__version__ = "0.2.0"
