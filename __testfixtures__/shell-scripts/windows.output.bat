@echo off
call conda activate geist
python -m backend.main
