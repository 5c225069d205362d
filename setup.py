"""Package list for setuptools; all other metadata is in pyproject.toml.

The data the app loads lives in the top-level ``resources/`` folder (see the README); it is
installed as the ``workbench._resources`` package so that a wheel carries it. pyproject.toml
alone cannot map a folder outside the package tree while also finding packages.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["workbench", "workbench.*"]), "workbench._resources"],
    package_dir={"workbench._resources": "resources"},
    package_data={"workbench._resources": ["**/*"]},
    include_package_data=False,
)
