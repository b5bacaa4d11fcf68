#!/usr/bin/env python3
"""Write test/data/pep508-cases.json: each requirement text with what `packaging` makes of it.

Run by hand when cases are added (python3 with `packaging`); the tests read the JSON, never python.
"""
import json
import pathlib

import packaging
from packaging.requirements import InvalidRequirement, Requirement

CASES = [
    # valid
    "requests", "requests==2.32.3", "requests>=2,<3", "requests >= 2 , < 3", "requests (>=2,<3)", "requests ( >=2 )",
    "requests[security]", "requests[security,socks]>=2", "requests [ security , socks ] >= 2", "requests[]", "requests ()",
    "Django~=4.2", "numpy==1.26.*", "numpy!=1.26.*", "numpy===1.0-weird", "torch==2.0.1+cu117", "pkg>=1.0a1", "pkg>=1.0.post1",
    "pkg>=1.0.dev0", "pkg>=1!2.0", "pkg>=v1.0", "pkg<=1.0rc1", "pkg>1.0-1", "pkg==1.0_alpha.2", "zope.interface>=5", "a", "A1-b_c.d",
    "requests; python_version < '3.8'", "requests;python_version<'3.8'", "requests ; sys_platform == 'linux' and platform_machine == 'x86_64'",
    "requests; (sys_platform == 'linux' or sys_platform == 'darwin') and python_version >= \"3.9\"",
    "requests; python_version>'3'and os_name=='posix'", "requests; 'linux' in sys_platform", "requests; 'win' not in sys_platform",
    "requests; extra == 'test'", "requests; os.name == 'posix'", "requests; platform_python_implementation == 'CPython'",
    "requests; python_full_version ~= '3.9.1'", "requests; implementation_version === '3.9'",
    "pkg @ https://example.com/pkg-1.0.tar.gz", "pkg@https://example.com/pkg.whl", "pkg @ git+https://github.com/o/r.git@v1",
    "pkg[extra] @ https://example.com/p.whl ; python_version >= '3.9'", "pkg @ file:///tmp/pkg", "pkg @ https://h/p.whl?token=abc#sha256=00",
    "pkg @ https://example.com/p.whl ", "  requests  ", "requests\t>=1",
    # invalid
    "", "   ", "-requests", "requests-", "requests.", "requests==", "requests=1.0", "requests 1.0", "requests>=1.0,", "requests>=1.0,,<2",
    "requests>=1.0.*", "requests~=1", "requests~=1.0.*", "requests<=1.0+local", "requests==1.0.*+local", "requests>=abc",
    "requests[", "requests[sec", "requests[sec,]", "requests[-x]", "requests (>=1", "requests >=1)",
    "requests; $(touch x)", "requests; python_version", "requests; python_version <", "requests; python_version < 3.8",
    "requests; foo == 'x'", "requests; python_version < '3.8' and", "requests; (python_version < '3.8'", "requests; 'x' notin 'y'",
    "requests; python_version < '3.8' or or sys_platform == 'x'", "requests;", "requests; ", "requests && touch x", "requests | cat",
    "requests`id`", "requests $(id)", "requests>=1; python_version < '3.8' # comment", "pkg @", "pkg @ ", "pkg @ example.com/p.whl",
    "pkg @ https:///p.whl", "pkg @ https://h/p.whl; python_version>'3'", "pkg @ https://h/p.whl python_version>'3'", "pkg>=1 @ https://h/p.whl",
    "x$(touch /tmp/p)", "pkg; python_version < '3.8'\nrm -rf /", "numpy=1.26", "numpy 1.26.*", "python>=3.9,<3.12; sys_platform == \"linux\" and",
]

out = []
for text in CASES:
    try:
        r = Requirement(text)
        out.append({
            "text": text,
            "valid": True,
            "name": r.name,
            "extras": sorted(r.extras),
            "specifier": sorted(str(s) for s in r.specifier),
            "url": r.url,
            "marker": str(r.marker) if r.marker else None,
        })
    except InvalidRequirement:
        out.append({"text": text, "valid": False})

path = pathlib.Path(__file__).resolve().parent.parent / "test" / "data" / "pep508-cases.json"
path.write_text(json.dumps({"packaging": packaging.__version__, "cases": out}, indent=1) + "\n")
print(f"{len(out)} cases -> {path}")
