from django.db import models
from encrypted_fields.fields import EncryptedCharField


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class KeyCanary(models.Model):
    """One row written with the keys of this installation: a random value encrypted like personal
    data and its look-up hash. At start-up the configured keys must read it back
    (`finsam.core.keys`); with a wrong key the site refuses to run instead of showing ciphertext
    and missing every look-up."""

    value = EncryptedCharField(max_length=64)
    value_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "key canary"

    def __str__(self):
        return "key canary"  # never the value
