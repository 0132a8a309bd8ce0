"""The catalog of Chinese domain messages. Every user-facing Chinese text of the core, CLI and simulator-facing
console code lives in this package (one module per area), so wording is reviewed in one place."""
