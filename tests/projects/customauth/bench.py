"""How drf-auth-bench makes a credential for this project's own DeviceKeyAuthentication."""

from customauth.devices.models import DeviceKey


def device_key_credentials(user, password):
    """A key issued to one of `user`'s devices, and a key never issued."""
    key = DeviceKey.issue(user, "benchmark")
    return {"HTTP_X_DEVICE_KEY": key}, {"HTTP_X_DEVICE_KEY": "not-an-issued-key"}
