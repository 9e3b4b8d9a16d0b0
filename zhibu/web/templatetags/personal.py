"""{% load personal %}: {{ person.id_number|masked_id }}, {{ person.phone|masked_phone }} — see zhibu/lib/personal.py."""

from django import template

from zhibu.lib.personal import mask_address, mask_id_number, mask_phone

register = template.Library()
register.filter("masked_id", mask_id_number)
register.filter("masked_phone", mask_phone)
register.filter("masked_address", mask_address)
