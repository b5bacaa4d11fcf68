"""Copy the platform env file next to the container build."""
import shutil
import platform

ENV_FILE = "linux_environment.yml" if platform.machine() == "aarch64" else "linux_environment_x86_x64.yml"
shutil.copy(ENV_FILE, "build/environment.yml")
