"""The project's own authentication classes."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, BasicAuthentication

from customauth.devices.models import DeviceKey, digest


class DeviceKeyAuthentication(BaseAuthentication):
    """`X-Device-Key: <key>`, looked up by its SHA-256."""

    def authenticate(self, request):
        key = request.META.get("HTTP_X_DEVICE_KEY")
        if not key:
            return None
        device = DeviceKey.objects.select_related("user").filter(key_digest=digest(key)).first()
        if device is None or not device.user.is_active:
            raise exceptions.AuthenticationFailed("Unknown device key.")
        return (device.user, device)


class QuietBasicAuthentication(BasicAuthentication):
    """HTTP Basic under the project's own realm."""

    www_authenticate_realm = "customauth"


class ClientCertificateAuthentication(BaseAuthentication):
    """The user named by the client certificate the TLS terminator verified (nginx `ssl_verify_client`)."""

    def authenticate(self, request):
        if request.META.get("HTTP_X_SSL_CLIENT_VERIFY") != "SUCCESS":
            return None
        from django.contrib.auth import get_user_model

        common_name = request.META.get("HTTP_X_SSL_CLIENT_S_DN", "").removeprefix("CN=")
        user = get_user_model()._default_manager.filter(username=common_name, is_active=True).first()
        if user is None:
            raise exceptions.AuthenticationFailed("Unknown client certificate.")
        return (user, None)
