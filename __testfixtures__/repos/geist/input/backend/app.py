from fastapi import FastAPI

app = FastAPI(title="Geist")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
