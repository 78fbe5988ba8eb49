"""Runner used by the Docker image (`CMD python run.py`)."""
import os

from factory import create_app


class BaseConfig(object):
    DEBUG = True  # expect: KL301
    JSON_AS_ASCII = False


class DockerConfig(BaseConfig):
    DEBUG = True  # expect: KL301
    SERVER_NAME = os.environ.get("SERVER_NAME")


class LocalDevelopmentConfig(BaseConfig):
    DEBUG = True  # ok: local development configuration


class TestingSettings(BaseConfig):
    DEBUG = True  # ok: test configuration
    TESTING = True


app = create_app()
app.config.from_object(DockerConfig)
port = int(os.environ.get("PORT", "5000"))


def shell_context():
    app.debug = True  # expect: KL301
    return {"app": app}


if __name__ == "__main__":
    app.run("0.0.0.0", port, debug=True)  # expect: KL301
