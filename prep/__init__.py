"""prep: defend every line of your resume.

Claims, STAR stories and Q&A cards as plain files; review state in SQLite.
"""

__version__ = "0.1.0"
