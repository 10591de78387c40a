def pytest_addoption(parser):
    parser.addoption("--screenshot-dir", default="build/screenshots",
                     help="where the browser test saves its screenshots (default: build/screenshots)")
