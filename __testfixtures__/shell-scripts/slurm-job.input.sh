#!/bin/bash
#SBATCH --job-name=geist-train
#SBATCH --gres=gpu:1
#SBATCH --time=04:00:00

module load anaconda3
# Activate the conda environment.
source activate geist

echo "training on $(hostname) (é)"
srun --ntasks=1 python -m backend.train --epochs 10
conda deactivate
