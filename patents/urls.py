"""Routes for /api/v1/patents/."""
from rest_framework.routers import SimpleRouter

from patents.apis import PatentViewSet

router = SimpleRouter()
router.register("patents", PatentViewSet, basename="patent")
urlpatterns = router.urls
