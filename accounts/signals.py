"""A changed password ends every API token of its user: whoever held one may be why it changed."""
from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from knox.models import get_token_model

_CHANGED = "_pledgeflow_password_changed"


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.password_change_seen")
def password_change_seen(sender, instance, raw=False, update_fields=None, **kwargs):
    """Compare the stored hash with the one about to be saved, whatever set it (set_password, admin, a command)."""
    setattr(instance, _CHANGED, False)
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    setattr(instance, _CHANGED, stored is not None and stored != instance.password)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.tokens_revoked_on_password_change")
def tokens_revoked_on_password_change(sender, instance, created=False, **kwargs):
    if getattr(instance, _CHANGED, False):
        get_token_model().objects.filter(user=instance).delete()
        setattr(instance, _CHANGED, False)
