import os


class Config:
    SECRET_KEY = "shop-2024-session-key"
    STRIPE_SECRET_KEY = "sk_live_9fKq2LmZ8xRt4VbN7cWp3YhD"
    STRIPE_PUBLISHABLE_KEY = "pk_live_9fKq2LmZ8xRt4VbN7cWp3YhD"
    SENDGRID_API_KEY = os.environ.get("SENDGRID_API_KEY")
    DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///shop.db")


class ProductionConfig(Config):
    DEBUG = True


class DevelopmentConfig(Config):
    DEBUG = True
