"""Open edX course exports (OLX): read safely into plain data, then imported into the courses applet.

Layout of an export as Studio writes it (the folder holding ``course.xml``, at the root of a
tar archive or in its single top folder)::

    course.xml                          <course url_name="RUN" org="ORG" course="NUMBER"/>
    course/RUN.xml                      course attributes and <chapter url_name=.../> children
    chapter/ sequential/ vertical/      one file per block, referenced by url_name
    html/ problem/ video/ <type>/       leaf blocks (only the attributes are read)
    policies/RUN/policy.json            {"course/RUN": {...}, "chapter/x": {...}}
    policies/RUN/grading_policy.json    {"GRADER": [...], "GRADE_CUTOFFS": {...}}
    about/*.html                        short_description, effort, overview ...
    info/handouts.html, info/updates.*  the course-info pages

Modules, one concept each:

* ``limits``: the bounds a reading respects, passed in by the caller;
* ``sources``: the export's files, from a directory or a tar archive, read without leaving it;
* ``safe_xml``: XML and JSON parsed with no DTD, no entity and no crash on hostile input;
* ``values``: setting values (strings, booleans, dates, numbers) as XML attributes and policies write them;
* ``course``: the parsed course (``OlxCourse``, ``OlxBlock``) and the one error (``OlxImportError``);
* ``reader``: the walk of the course tree, ``read_olx``;
* ``info_pages``: the handouts and updates pages and the rule for their items;
* ``importer``: ``import_olx``, the parsed course written through the courses applet's API.

Everything but ``importer`` is pure Python: no Django, no settings, no database. The courses
applet uses ``info_pages``'s item rule when a page is written directly; ``importer`` is the
only module here that depends on an applet.
"""
