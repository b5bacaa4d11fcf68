"""Start the Geist backend."""
import argparse

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args()
    uvicorn.run("backend.app:app", host="0.0.0.0", port=8000, reload=args.reload)


if __name__ == "__main__":
    main()
