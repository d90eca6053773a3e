"""The conda environment and the pip requirements pin the same packages."""

import re

import yaml

from socialstudy import paths


def pins(lines):
    return {re.split(r"==", l)[0].lower(): l.split("==")[1] for l in lines
            if "==" in l and not l.lstrip().startswith("#")}


def test_environment_yml_matches_requirements_in():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    direct = pins((paths.ROOT / "requirements.in").read_text(encoding="utf-8").splitlines())
    assert pins(pip_section) == direct


def test_lock_contains_every_direct_pin():
    direct = pins((paths.ROOT / "requirements.in").read_text(encoding="utf-8").splitlines())
    lock = pins((paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines())
    assert {k: lock.get(k) for k in direct} == direct
