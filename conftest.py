"""Root pytest configuration: scenarios/*.yaml are test items (see carbonchain.scenario.pytest_plugin)."""

pytest_plugins = ["carbonchain.scenario.pytest_plugin"]
