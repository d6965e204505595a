# Replaced by `npm run dist` with the version in package.json.
__version__ = "0.0.0"
