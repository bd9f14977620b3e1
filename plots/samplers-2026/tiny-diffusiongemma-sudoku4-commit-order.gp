# tiny-diffusiongemma-sudoku4-commit-order.gp: regenerate tiny-diffusiongemma-sudoku4-commit-order.png and tiny-diffusiongemma-sudoku4-commit-order.svg with `gnuplot tiny-diffusiongemma-sudoku4-commit-order.gp` in this folder.
# Data: tiny-diffusiongemma-sudoku4-commit-order.dat. Written by `dlab plot` (DiffusionLab).
set encoding utf8
set datafile separator "\t"
set terminal pngcairo size 990,380 font "DejaVu Sans,11" noenhanced
set output "tiny-diffusiongemma-sudoku4-commit-order.png"
set multiplot layout 1,2 title "tiny-diffusiongemma · sudoku4: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "gemma_entropy_bound (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:11.5]
plot "tiny-diffusiongemma-sudoku4-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "psi_sampler (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-diffusiongemma-sudoku4-commit-order.dat" index 1 using 1:2:3 with image notitle
unset multiplot
unset output
reset
set datafile separator "\t"
set terminal svg size 990,380 font "DejaVu Sans,11" noenhanced background "white"
set output "tiny-diffusiongemma-sudoku4-commit-order.svg"
set multiplot layout 1,2 title "tiny-diffusiongemma · sudoku4: commit order at the largest step budget (colour: fraction of examples)" font ",12"
set palette defined (0 "white", 0.25 "#9ecae1", 0.6 "#3182bd", 1 "#08306b")
set cbrange [0:*]
set xlabel "canvas position"
set ylabel "step of commit"
set tics out
set title "gemma_entropy_bound (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:11.5]
plot "tiny-diffusiongemma-sudoku4-commit-order.dat" index 0 using 1:2:3 with image notitle
set title "psi_sampler (16 steps)"
set xrange [-0.5:15.5]
set yrange [-0.5:15.5]
plot "tiny-diffusiongemma-sudoku4-commit-order.dat" index 1 using 1:2:3 with image notitle
unset multiplot
unset output
