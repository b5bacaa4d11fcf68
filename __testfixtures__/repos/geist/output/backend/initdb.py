"""Create the database tables."""
import os

from sqlalchemy import create_engine


def main() -> None:
    engine = create_engine(os.environ["DATABASE_URL"])
    with engine.connect():
        pass


if __name__ == "__main__":
    main()
