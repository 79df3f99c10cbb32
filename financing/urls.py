"""Routes for /api/v1/applications/."""
from rest_framework.routers import SimpleRouter

from financing.apis import ApplicationViewSet

router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="application")
urlpatterns = router.urls
