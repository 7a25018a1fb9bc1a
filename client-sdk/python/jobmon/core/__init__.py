"""The parts of Jobmon 3's ``jobmon.core`` that user scripts import (constants, exceptions)."""
