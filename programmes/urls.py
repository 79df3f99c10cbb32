"""Routes for programmes, enrolments, repayments, claims and statistics under /api/v1/."""
from django.urls import path

from programmes import apis

urlpatterns = [
    path("programmes/", apis.ProgrammeListApi.as_view(), name="programme-list"),
    path("programmes/<int:pk>/", apis.ProgrammeDetailApi.as_view(), name="programme-detail"),
    path("applications/<int:pk>/enrolments/", apis.EnrolmentApi.as_view(), name="application-enrolments"),
    path("applications/<int:pk>/repayments/", apis.RepaymentApi.as_view(), name="application-repayments"),
    path("claims/", apis.ClaimListApi.as_view(), name="claim-list"),
    path("claims/<int:pk>/", apis.ClaimDetailApi.as_view(), name="claim-detail"),
    path("claims/<int:pk>/approve/", apis.ClaimApproveApi.as_view(), name="claim-approve"),
    path("claims/<int:pk>/reject/", apis.ClaimRejectApi.as_view(), name="claim-reject"),
    path("statistics/", apis.StatisticsApi.as_view(), name="statistics"),
]
