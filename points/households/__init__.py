"""Households (一户一卡): residents linked under a head, one card at the door, points passed between members."""
