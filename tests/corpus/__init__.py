"""Student answers for testing the checks: ``correct/`` must pass, ``wrong/`` must fail (see :mod:`.loader`)."""
