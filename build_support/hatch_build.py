"""Hatch build hook: compile the records into kb/_index.json inside the wheel.

An installed wheel then answers its first lookup without parsing YAML (and without PyYAML or
jsonschema at run time); the YAML files ship too (kb/codes/), for `smtpkb validate` and readers.
"""

import os
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name != "wheel" or version == "editable":
            return  # editable installs read the checkout's codes/ and keep their own cache
        sys.path.insert(0, self.root)
        try:
            from kb.compiler import compile_index
        finally:
            sys.path.pop(0)
        blob = compile_index(os.path.join(self.root, "codes"), fp="wheel")
        out = os.path.join(tempfile.mkdtemp(prefix="smtpkb-"), "_index.json")
        with open(out, "wb") as fh:
            fh.write(blob)
        build_data["force_include"][out] = "kb/_index.json"
