"""flowc: compile Integration Patterns flow specs into Python service skeletons."""

__version__ = "0.1.0"
