from django.urls import path

from benchsite import views

urlpatterns = [
    path("hello/", views.hello),
    path("hello-drf/", views.hello_drf_basic),
    path("hello-drf-no-auth/", views.hello_drf_no_auth),
]
