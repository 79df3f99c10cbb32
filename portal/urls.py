"""Routes of the web portal (WORKFLOW.md "Web pages")."""
from django.contrib.auth import views as auth_views
from django.urls import path

from portal import quote, registrar, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("applications/new/", views.application_new, name="application-new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/transitions/<str:name>/", views.application_transition, name="transition"),
    path("applications/<int:pk>/loan/<str:action>/", views.loan_action, name="loan-action"),
    path("programmes/new/", views.programme_new, name="programme-new"),
    path("claims/<int:pk>/<str:decision>/", views.claim_decide, name="claim-decide"),
    path("register/", views.register_search, name="register"),
    path("settings/email/", views.email_settings, name="email-settings"),
    path("verify/<str:key>/", views.verify, name="verify"),
    path("quote/", quote.quote, name="quote"),
    path("applications/<int:pk>/valuation-preview/<str:number>/", quote.valuation_preview, name="valuation-preview"),
    # The registrar's desk and the patent register.
    path("desk/", registrar.desk_list, name="desk"),
    path("desk/filings/<int:pk>/", registrar.desk_filing, name="desk-filing"),
    path("patents/", registrar.patent_list, name="patents"),
    path("patents/import/", registrar.patent_import, name="patent-import"),
    path("patents/import/rejects/<str:key>/", registrar.patent_import_rejects, name="patent-import-rejects"),
    path("patents/<str:number>/edit/", registrar.patent_edit, name="patent-edit"),
]
