"""Routes of the web portal (WORKFLOW.md "Web pages")."""
from django.contrib.auth import views as auth_views
from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("applications/new/", views.application_new, name="application-new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/transitions/<str:name>/", views.application_transition, name="transition"),
    path("register/", views.register_search, name="register"),
    path("settings/email/", views.email_settings, name="email-settings"),
    path("verify/<str:key>/", views.verify, name="verify"),
]
