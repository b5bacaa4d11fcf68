#!/bin/bash
#SBATCH --job-name=geist-train
#SBATCH --gres=gpu:1
#SBATCH --time=04:00:00

echo "training on $(hostname) (é)"
srun --ntasks=1 uv run python -m backend.train --epochs 10
