from python:3.13-slim-trixie
# want +1 "ENV STRIPE_KEY holds a Stripe secret key \\(sk_live_…\\)"
env STRIPE_KEY sk_live_4eC39HqLyjWDarjtT1zdp7dc
user 65532
