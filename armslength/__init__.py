"""armslength: independence safeguards for the personnel of a National Preventive Mechanism."""

__version__ = "0.1.0"
