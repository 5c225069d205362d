"""Package list for setuptools; all other metadata is in pyproject.toml.

The data the app loads lives in the top-level ``resources/`` and ``sample_charts/`` folders
(see the README); they are installed as the ``workbench._resources`` and ``workbench._samples``
packages so that a wheel carries them. pyproject.toml alone cannot map folders outside the
package tree while also finding packages.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["workbench", "workbench.*"]), "workbench._resources",
              "workbench._samples"],
    package_dir={"workbench._resources": "resources", "workbench._samples": "sample_charts"},
    package_data={"workbench._resources": ["**/*"], "workbench._samples": ["**/*"]},
    include_package_data=False,
)
