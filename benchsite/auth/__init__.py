"""Authentication the suite measures beside DRF's own: a safe cached BasicAuthentication and lazy request.user."""
