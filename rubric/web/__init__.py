"""``rubric serve``: a web service over the library for authorities, Quad leads, national leads
and framework editors.

Django gives what the security model needs without hand-written crypto: argon2 password
hashing, server-side database sessions, CSRF middleware, a URL resolver that tests enumerate,
and auto-escaping templates. It is configured in code (:mod:`rubric.web.settings`) from the
``rubric serve`` options, with its tables in the same SQLite file as the history. Views only
check who may do what and call the library; they hold no rubric logic of their own.
"""
