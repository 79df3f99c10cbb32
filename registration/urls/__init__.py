"""Routes of the registration app: `public` (the register, no login) and `desk` (registrars)."""
